// LatencyMonitor: latency spikes per event ("command", "fast-command", ...)
// for LATENCY LATEST/HISTORY/RESET.
//
// Samples at or above latency-monitor-threshold milliseconds are recorded; a
// sample in the same second as the previous one keeps the larger value, and
// each event keeps its last 160 samples, as Redis does.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cairn {

struct LatencySample {
  int64_t time_sec = 0;
  int64_t latency_ms = 0;
};

struct LatencyEvent {
  std::vector<LatencySample> samples;  // oldest first, at most kMaxSamples
  int64_t max_ms = 0;                  // all-time maximum
};

class LatencyMonitor {
 public:
  static constexpr size_t kMaxSamples = 160;

  void AddSample(std::string_view event, int64_t time_sec, int64_t latency_ms);
  // Resets the named events (all when empty); returns how many were reset.
  size_t Reset(const std::vector<std::string_view>& events);
  // Events by name (sorted: deterministic output).
  const std::map<std::string, LatencyEvent, std::less<>>& events() const { return events_; }

 private:
  std::map<std::string, LatencyEvent, std::less<>> events_;
};

}  // namespace cairn
