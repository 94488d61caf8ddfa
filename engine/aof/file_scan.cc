#include "engine/aof/file_scan.h"

#include <algorithm>
#include <vector>

#include "engine/aof/crc32c.h"
#include "engine/aof/record.h"
#include "engine/aof/record_reader.h"
#include "engine/util/ascii.h"
#include "engine/util/strconv.h"

namespace cairn::aof {
namespace {

// The shortest record that creates a key: "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n".
constexpr uint64_t kMinRecordBytes = 26;

bool Verifies(std::string_view data, size_t batch_start, size_t at, const Checksum& c) {
  if (at < batch_start || at - batch_start != c.length) return false;
  return Crc32c(data.substr(batch_start, c.length)) == c.crc;
}

// Whether any checksum annotation after from covers bytes that verify: a
// valid batch after damage means the damage is not a torn tail.
bool ValidBatchAfter(std::string_view data, size_t from) {
  std::string needle = "\n";
  needle += kChecksumPrefix;
  size_t p = from;
  while ((p = data.find(needle, p)) != std::string_view::npos) {
    size_t line_start = p + 1;
    size_t nl = data.find('\n', line_start);
    if (nl == std::string_view::npos) return false;
    std::string_view line = data.substr(line_start, nl - line_start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (auto c = ParseChecksum(line); c && c->length <= line_start && c->length > 0 &&
                                      Verifies(data, line_start - c->length, line_start, *c)) {
      return true;
    }
    p = line_start;
  }
  return false;
}

using Args = std::vector<std::string_view>;

}  // namespace

ScanResult ScanRecords(std::string_view file, size_t start, Replayer* replayer, int64_t ts_limit,
                       const uint32_t* bugs) {
  ScanResult r;
  r.covered_end = start;
  size_t content_end = file.size();
  while (content_end > start && file[content_end - 1] == '\0') --content_end;
  if (Planted(bugs, kBugZerosEndRecords)) {
    // Planted bug: a hole of zeros in the middle is taken for the space too.
    content_end = std::min(content_end, std::max(start, file.find('\0', start)));
  }
  r.content_end = content_end;
  const std::string_view data = file.substr(0, content_end);
  RecordReader reader(data, start);
  size_t batch_start = start;    // bytes the next checksum covers begin here
  size_t last_verified = start;  // end of the last valid checksum line
  bool in_multi = false;
  size_t multi_start = 0;
  std::vector<Args> multi;    // queued inside MULTI
  std::vector<Args> pending;  // after the last checksum, in a checksummed file

  auto apply = [&](std::span<const std::string_view> args, size_t at) -> Status {
    ++r.records;
    if (replayer == nullptr) return Status::Ok();
    Status st = replayer->Apply(args);
    if (!st.ok()) return st.Prefixed("at offset " + std::to_string(at));
    return st;
  };
  auto damaged = [&](size_t at, std::string why) {
    if (r.checksummed && !ValidBatchAfter(data, at)) {
      r.outcome = ScanResult::Outcome::kTornTail;
      r.offset = last_verified;
      r.reason = why + " at offset " + std::to_string(at) + " after the last valid batch";
    } else {
      r.outcome = ScanResult::Outcome::kDamaged;
      r.offset = at;
      r.reason = std::move(why);
    }
    return r;
  };
  auto torn = [&](size_t at, std::string why) {
    r.outcome = ScanResult::Outcome::kTornTail;
    r.offset = r.checksummed ? last_verified : (in_multi ? multi_start : at);
    r.reason = std::move(why);
    return r;
  };
  // Runs a record (or queues it: inside MULTI, or awaiting its checksum).
  std::vector<size_t> pending_at;
  auto take = [&](const Args& args, size_t at) -> Status {
    if (r.checksummed) {
      pending.push_back(args);
      pending_at.push_back(at);
      return Status::Ok();
    }
    return apply(args, at);
  };
  auto flush_pending = [&]() -> Status {
    for (size_t i = 0; i < pending.size(); ++i) {
      Status st = apply(pending[i], pending_at[i]);
      if (!st.ok()) return st;
    }
    pending.clear();
    pending_at.clear();
    return Status::Ok();
  };

  while (true) {
    const RecordReader::Item& it = reader.Next();
    switch (it.kind) {
      case RecordReader::Kind::kRecord: {
        std::string_view name = it.args[0];
        if (AsciiEqualsIgnoreCase(name, "multi")) {
          if (in_multi) return damaged(it.start, "MULTI inside MULTI");
          in_multi = true;
          multi_start = it.start;
          multi.clear();
          break;
        }
        if (AsciiEqualsIgnoreCase(name, "exec")) {
          if (!in_multi) return damaged(it.start, "EXEC without MULTI");
          in_multi = false;
          for (const Args& a : multi) {
            Status st = take(a, multi_start);
            if (!st.ok()) {
              r.outcome = ScanResult::Outcome::kDamaged;
              r.offset = multi_start;
              r.reason = st.message();
              return r;
            }
          }
          multi.clear();
          break;
        }
        Args args(it.args.begin(), it.args.end());
        if (in_multi) {
          multi.push_back(std::move(args));
          break;
        }
        Status st = take(args, it.start);
        if (!st.ok()) {
          r.outcome = ScanResult::Outcome::kDamaged;
          r.offset = it.start;
          r.reason = st.message();
          return r;
        }
        break;
      }
      case RecordReader::Kind::kAnnotation: {
        if (auto c = ParseChecksum(it.line)) {
          if (in_multi) return damaged(it.start, "checksum inside MULTI");
          if (!Verifies(data, batch_start, it.start, *c)) {
            return damaged(batch_start, "batch checksum mismatch");
          }
          r.checksummed = true;
          Status st = flush_pending();
          if (!st.ok()) {
            r.outcome = ScanResult::Outcome::kDamaged;
            r.offset = batch_start;
            r.reason = st.message();
            return r;
          }
          last_verified = it.end;
          batch_start = it.end;
          r.covered_end = it.end;
        } else if (auto h = ParseSizeHint(it.line); h && replayer != nullptr) {
          // A damaged hint must not reserve more than the file could hold:
          // every key needs a record of at least kMinRecordBytes.
          const uint64_t most = (data.size() - it.end) / kMinRecordBytes;
          replayer->SizeHint(h->db, std::min(h->keys, most), std::min(h->expiring, most));
        } else if (ts_limit >= 0 && it.line.substr(0, 4) == "#TS:" &&
                   r.timestamp_cut == std::string_view::npos) {
          auto ts = ParseInt64(it.line.substr(4));
          if (ts && *ts > ts_limit) r.timestamp_cut = it.start;
        }
        break;
      }
      case RecordReader::Kind::kEnd: {
        if (in_multi) return torn(multi_start, "unfinished MULTI at the end of the file");
        // Records awaiting their checksum, then reserved space: the batch
        // was torn where the space begins, so none of it is applied.
        if (!pending.empty() && content_end < file.size()) {
          return torn(content_end, "a batch without its checksum before the reserved space");
        }
        // Records after the last checksum of a file that ends cleanly were
        // appended by a writer without checksums (redis-server): keep them.
        Status st = flush_pending();
        if (!st.ok()) {
          r.outcome = ScanResult::Outcome::kDamaged;
          r.offset = last_verified;
          r.reason = st.message();
        }
        return r;
      }
      case RecordReader::Kind::kTruncated:
        return torn(it.start, "the file ends inside a record");
      case RecordReader::Kind::kBad:
        return damaged(it.start, it.error);
    }
  }
}

}  // namespace cairn::aof
