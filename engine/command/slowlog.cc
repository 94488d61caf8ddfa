#include "engine/command/slowlog.h"

namespace cairn {

void SlowLog::MaybeAdd(int64_t threshold_us, int64_t max_len, int64_t duration_us, int64_t time_sec,
                       std::span<const std::string_view> argv, std::string_view peer,
                       std::string_view client_name) {
  if (threshold_us < 0 || duration_us < threshold_us) return;
  SlowLogEntry e;
  e.id = next_id_++;
  e.time_sec = time_sec;
  e.duration_us = duration_us;
  size_t n = argv.size() > kMaxArgs ? kMaxArgs : argv.size();
  e.args.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    if (n != argv.size() && i == n - 1) {
      e.args.push_back("... (" + std::to_string(argv.size() - n + 1) + " more arguments)");
      break;
    }
    std::string_view a = argv[i];
    if (a.size() > kMaxArgBytes) {
      e.args.push_back(std::string(a.substr(0, kMaxArgBytes)) + "... (" +
                       std::to_string(a.size() - kMaxArgBytes) + " more bytes)");
    } else {
      e.args.emplace_back(a);
    }
  }
  e.peer = std::string(peer);
  e.client_name = std::string(client_name);
  entries_.push_front(std::move(e));
  Trim(max_len);
}

void SlowLog::Trim(int64_t max_len) {
  size_t limit = max_len < 0 ? 0 : static_cast<size_t>(max_len);
  while (entries_.size() > limit) entries_.pop_back();
}

}  // namespace cairn
