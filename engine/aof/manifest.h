// Manifest: which files make up the append-only file, in Redis 7.0's format.
//
// The manifest is the text file dir/appenddirname/<appendfilename>.manifest,
// one line per file: "file <name> seq <n> type <b|h|i>\n" -- at most one base
// (b), history files left by a rewrite (h: deleted, never loaded) and
// incremental files (i) by strictly ascending seq. Lines starting with '#'
// are comments; pairs may come in any order and unknown keys are ignored, as
// Redis parses them. Printing lists the base, then history, then incr files,
// quoting a name that needs it -- the bytes redis-server writes.
//
// File names derive from appendfilename: <name>.<seq>.base.aof (.base.rdb for
// an RDB-preamble base), <name>.<seq>.incr.aof, and the temp manifest
// temp-<name>.manifest. Sequence numbers: a new base takes the current base
// seq + 1, a new incr the last incr seq + 1.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/util/status.h"

namespace cairn::aof {

enum class FileType : char { kBase = 'b', kHistory = 'h', kIncr = 'i' };

struct ManifestFile {
  std::string name;
  int64_t seq = 0;
  FileType type = FileType::kIncr;
  bool operator==(const ManifestFile&) const = default;
};

struct Manifest {
  std::optional<ManifestFile> base;
  std::vector<ManifestFile> history;
  std::vector<ManifestFile> incrs;  // ascending seq
  int64_t base_seq = 0;             // seq of the current (or last) base
  int64_t incr_seq = 0;             // seq of the last incr file

  bool empty() const { return !base && incrs.empty(); }
  bool operator==(const Manifest&) const = default;

  // The text redis-server would write for this manifest.
  std::string Print() const;
  // Parses manifest text; errors name the line ("aof: manifest line 2: ...").
  static Result<Manifest> Parse(std::string_view text);

  // A new base file name (seq base_seq + 1); the old base becomes history.
  std::string StartNewBase(std::string_view appendfilename, bool rdb = false);
  // A new incr file name (seq incr_seq + 1), appended to incrs.
  std::string AddNewIncr(std::string_view appendfilename);
  // Moves every incr file into history (after a rewrite's base covers them).
  void IncrsToHistory(size_t count);
};

std::string ManifestName(std::string_view appendfilename);
std::string TempManifestName(std::string_view appendfilename);
std::string BaseName(std::string_view appendfilename, int64_t seq, bool rdb);
std::string IncrName(std::string_view appendfilename, int64_t seq);

}  // namespace cairn::aof
