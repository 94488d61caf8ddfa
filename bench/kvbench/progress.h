// Progress: the live line a run shows on a terminal (ops/s now and overall,
// requests done, elapsed time, p99 so far), redrawn at most four times a
// second on stderr and wiped before the test's result is printed. Silent when
// stderr is not a terminal, so redirected output holds results only.
#pragma once

#include <cstdint>
#include <string>

namespace cairn::kvbench {

class Progress {
 public:
  Progress(std::string title, int64_t start_ns);
  ~Progress() { Clear(); }
  // Whether a redraw is due (cheap: callers compute p99 only then).
  bool Due(int64_t now_ns) const { return enabled_ && now_ns - last_ns_ >= 250'000'000; }
  // done: requests completed so far; p99_ns: the latency p99 so far.
  void Update(int64_t now_ns, uint64_t done, uint64_t p99_ns);
  void Clear();
  bool enabled() const { return enabled_; }

 private:
  std::string title_;
  int64_t start_ns_;
  int64_t last_ns_;
  uint64_t last_done_ = 0;
  size_t printed_ = 0;
  bool enabled_;
};

}  // namespace cairn::kvbench
