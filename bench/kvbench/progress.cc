#include "bench/kvbench/progress.h"

#include <cstdio>

#include <unistd.h>

#include "bench/kvbench/report.h"

namespace cairn::kvbench {

Progress::Progress(std::string title, int64_t start_ns)
    : title_(std::move(title)),
      start_ns_(start_ns),
      last_ns_(start_ns),
      enabled_(::isatty(STDERR_FILENO) == 1) {}

void Progress::Update(int64_t now_ns, uint64_t done, uint64_t p99_ns) {
  if (!Due(now_ns)) return;
  double interval = static_cast<double>(now_ns - last_ns_) / 1e9;
  double rps_now = static_cast<double>(done - last_done_) / interval;
  std::string line =
      ProgressLine(title_, done, static_cast<double>(now_ns - start_ns_) / 1e9, rps_now, p99_ns);
  size_t pad = printed_ > line.size() ? printed_ - line.size() : 0;
  std::fprintf(stderr, "\r%s%*s", line.c_str(), static_cast<int>(pad), "");
  std::fflush(stderr);
  printed_ = line.size();
  last_ns_ = now_ns;
  last_done_ = done;
}

void Progress::Clear() {
  if (!enabled_ || printed_ == 0) return;
  std::fprintf(stderr, "\r%*s\r", static_cast<int>(printed_), "");
  std::fflush(stderr);
  printed_ = 0;
}

}  // namespace cairn::kvbench
