// RequestBudget: how many requests a test may still send -- a shared count
// (-n) or a deadline (--duration) -- claimed a pipeline at a time by every
// client of every thread.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>

namespace cairn::kvbench {

class RequestBudget {
 public:
  // total > 0: that many requests; otherwise until deadline_ns.
  RequestBudget(int64_t total, int64_t deadline_ns) : total_(total), deadline_ns_(deadline_ns) {}
  void set_deadline(int64_t deadline_ns) { deadline_ns_ = deadline_ns; }

  // Up to `want` requests to send now (0: the test is over for this client).
  int64_t Claim(int64_t want, int64_t now_ns) {
    if (total_ <= 0) return now_ns < deadline_ns_ ? want : 0;
    int64_t prev = issued_.fetch_add(want, std::memory_order_relaxed);
    if (prev >= total_) return 0;
    return std::min(want, total_ - prev);
  }

 private:
  std::atomic<int64_t> issued_{0};
  int64_t total_;
  int64_t deadline_ns_;
};

}  // namespace cairn::kvbench
