// FileScan: reads one AOF file's records in order, decides where it is
// damaged, and hands the records to a replayer -- the rules the loader and
// kv-check-aof share.
//
// Rules (Redis 7.0's, plus Cairn's checksums; see record.h):
//   - MULTI ... EXEC applies whole at EXEC; an unfinished block at the end is
//     a torn tail starting at its MULTI.
//   - A record cut short by the end of the file is a torn tail starting at
//     that record.
//   - Bad bytes are damage, refused with their offset -- except in a file
//     with Cairn checksums when no batch with a valid checksum follows them:
//     then they are a write torn by a crash, and the tail starts right after
//     the last valid checksum.
//   - In a file with checksums, records after the last valid checksum are
//     held back until the next checksum verifies (or the file ends cleanly),
//     so a torn batch is never half applied.
//   - Zero bytes that end the file are space a writer reserved ahead of its
//     records (WritableFile::SetPreallocation) that a crash left: they are
//     not records, and the rules above apply to the bytes before them. No
//     record or annotation ends in a zero byte (each ends in a newline), so
//     no complete record is ever taken for space; an incomplete one stays
//     incomplete, and so does a batch without its checksum before them.
// A torn tail is reported, not cut: the caller decides (aof-load-truncated,
// last file only, --fix).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "engine/util/planted_bugs.h"
#include "engine/util/status.h"

namespace cairn::aof {

// Receives records in replay order; an error stops the scan.
class Replayer {
 public:
  virtual ~Replayer() = default;
  virtual Status Apply(std::span<const std::string_view> args) = 0;
  // A new file starts: Redis loads each file with a fresh client (db 0).
  virtual void BeginFile() {}
  // A base's size hint for database db (record.h), already bounded by the
  // bytes left in the file. Only capacity may change, never contents.
  virtual void SizeHint(int /*db*/, uint64_t /*keys*/, uint64_t /*expiring*/) {}
};

struct ScanResult {
  enum class Outcome { kClean, kTornTail, kDamaged };
  Outcome outcome = Outcome::kClean;
  size_t offset = 0;   // kTornTail: where the tail starts; kDamaged: the bad byte
  std::string reason;  // for a torn tail or damage
  uint64_t records = 0;
  // Where the file's trailing zeros start (its size when it has none).
  size_t content_end = 0;
  bool checksummed = false;  // the file carries Cairn's batch checksums
  // End of the last valid checksum line (the scan's start when none): bytes
  // after it that were kept are covered by no checksum yet, so the first
  // batch a writer appends must cover them too.
  size_t covered_end = 0;
  // Timestamp truncation (kv-check-aof --truncate-to-timestamp): offset of
  // the first "#TS:" annotation later than the limit, or npos.
  size_t timestamp_cut = std::string_view::npos;
};

// Scans data (the AOF part of a file, starting at offset start).
// replayer may be null (checking only). ts_limit >= 0 finds timestamp_cut.
// bugs: the engine's planted-bug bits (util/planted_bugs.h), or null.
ScanResult ScanRecords(std::string_view data, size_t start, Replayer* replayer,
                       int64_t ts_limit = -1, const uint32_t* bugs = nullptr);

}  // namespace cairn::aof
