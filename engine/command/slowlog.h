// SlowLog: the last slowlog-max-len commands that ran longer than
// slowlog-log-slower-than microseconds (SLOWLOG GET/LEN/RESET).
//
// Entries keep at most 32 arguments of at most 128 bytes each, marked as
// Redis marks them ("... (N more arguments)", "... (N more bytes)"), so a
// huge request costs the log a bounded amount of memory.
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cairn {

struct SlowLogEntry {
  uint64_t id = 0;
  int64_t time_sec = 0;
  int64_t duration_us = 0;
  std::vector<std::string> args;
  std::string peer;
  std::string client_name;
};

class SlowLog {
 public:
  static constexpr size_t kMaxArgs = 32;
  static constexpr size_t kMaxArgBytes = 128;

  // Adds an entry if duration_us passes the threshold (< 0 disables, 0 logs
  // everything), then trims to max_len.
  void MaybeAdd(int64_t threshold_us, int64_t max_len, int64_t duration_us, int64_t time_sec,
                std::span<const std::string_view> argv, std::string_view peer,
                std::string_view client_name);
  void Trim(int64_t max_len);
  void Reset() { entries_.clear(); }
  size_t size() const { return entries_.size(); }
  // Newest first.
  const std::deque<SlowLogEntry>& entries() const { return entries_; }

 private:
  std::deque<SlowLogEntry> entries_;  // front = newest
  uint64_t next_id_ = 0;
};

}  // namespace cairn
