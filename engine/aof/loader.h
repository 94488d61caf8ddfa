// Loader: finds and replays the append-only file at start-up.
//
// Order of business, as redis-server 7.0 does it:
//   1. dir/appenddirname/<appendfilename>.manifest names the files; if it is
//      missing but a Redis 6 single file dir/<appendfilename> exists, that
//      file is adopted as the base of a new manifest (the manifest is written
//      first, then the file moved in; a manifest whose base is still in dir/
//      finishes the move, so a crash between the steps loses nothing).
//   2. The base, then each incr file in seq order, is scanned (file_scan.h)
//      and its records replayed. A base that starts with "REDIS" has an RDB
//      preamble (rdb_reader.h), records may follow it.
//   3. Trailing zeros of a file are reserved space, not records (file_scan.h);
//      the last file's are cut.
//   4. A torn tail of the last file is cut off with a warning when
//      aof-load-truncated is yes, refused otherwise; damage anywhere, or a
//      torn tail of any other file, stops start-up with file and offset.
// The loader never writes records; the replayer must not log either.
#pragma once

#include <cstdint>
#include <string>

#include "engine/aof/file_scan.h"
#include "engine/aof/manifest.h"
#include "engine/env/env.h"

namespace cairn::aof {

struct AofPaths {
  std::string dir;             // the server's dir
  std::string appenddirname;   // "appendonlydir"
  std::string appendfilename;  // "appendonly.aof"
  std::string AofDir() const { return dir + "/" + appenddirname; }
  std::string InAofDir(const std::string& name) const { return AofDir() + "/" + name; }
  std::string ManifestPath() const { return InAofDir(ManifestName(appendfilename)); }
};

struct LoadOutcome {
  bool found = false;       // a manifest (or a Redis 6 file) existed
  Manifest manifest;        // as loaded (empty when !found)
  uint64_t base_size = 0;   // bytes of the base file
  uint64_t total_size = 0;  // bytes of base + incr files after any cut
  uint64_t records = 0;
  bool adopted_single_file = false;
  // The last file was cut: a torn tail, or trailing zeros (space the log
  // reserved ahead, left by a crash). The log syncs the cut before it
  // appends where the cut bytes were.
  bool last_cut = false;
  // The last file's size after any cut, and where its bytes covered by a
  // checksum end (file_scan.h): the log continues that file's checksums.
  uint64_t last_size = 0;
  uint64_t last_covered_end = 0;
};

// Receives the keys of an RDB preamble (strings only; other types stop the
// load naming the key).
class RdbSink {
 public:
  virtual ~RdbSink() = default;
  virtual Status SelectDb(int db) = 0;
  virtual Status SetString(std::string_view key, std::string_view value, int64_t expire_ms) = 0;
};

// bugs: the engine's planted-bug bits (util/planted_bugs.h), or null.
Result<LoadOutcome> LoadAof(FileSystem& fs, Logger& log, const AofPaths& paths, bool load_truncated,
                            Replayer& replayer, RdbSink& rdb, const uint32_t* bugs = nullptr);

// Reads a whole file.
Result<std::string> ReadWholeFile(FileSystem& fs, const std::string& path);

}  // namespace cairn::aof
