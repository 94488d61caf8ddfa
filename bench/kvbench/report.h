// What a test measured, and its printed forms: redis-benchmark's full report,
// -q line and --csv line, and kv-bench's JSON document.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/kvbench/histogram.h"
#include "bench/kvbench/options.h"

namespace cairn::kvbench {

struct TestResult {
  std::string name;       // "set"
  std::string title;      // "SET"
  uint64_t requests = 0;  // completed
  uint64_t errors = 0;    // error replies
  std::string first_error;
  double seconds = 0;
  LatencyHistogram latency;  // per request, nanoseconds

  double rps() const { return seconds > 0 ? static_cast<double>(requests) / seconds : 0; }
};

// "SET: 155000.00 requests per second, p50=0.703 msec\n"
std::string QuietLine(const TestResult& r);
// redis-benchmark's CSV header and one line per test.
std::string CsvHeader();
std::string CsvLine(const TestResult& r);
// The multi-line report redis-benchmark prints without -q/--csv.
std::string FullReport(const TestResult& r, const Options& o);
// {"config": {...}, "tests": [{...}, ...]}
std::string JsonDocument(const std::vector<TestResult>& results, const Options& o);
// A progress line (without the leading '\r').
std::string ProgressLine(const std::string& title, uint64_t done, double elapsed_s, double rps_now,
                         uint64_t p99_ns);

// Latency in milliseconds from nanoseconds.
inline double Ms(uint64_t ns) { return static_cast<double>(ns) / 1e6; }

}  // namespace cairn::kvbench
