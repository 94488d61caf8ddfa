#include "engine/command/latency_monitor.h"

namespace cairn {

void LatencyMonitor::AddSample(std::string_view event, int64_t time_sec, int64_t latency_ms) {
  auto it = events_.find(event);
  if (it == events_.end()) it = events_.emplace(std::string(event), LatencyEvent{}).first;
  LatencyEvent& ev = it->second;
  if (latency_ms > ev.max_ms) ev.max_ms = latency_ms;
  if (!ev.samples.empty() && ev.samples.back().time_sec == time_sec) {
    if (latency_ms > ev.samples.back().latency_ms) ev.samples.back().latency_ms = latency_ms;
    return;
  }
  ev.samples.push_back({time_sec, latency_ms});
  if (ev.samples.size() > kMaxSamples) ev.samples.erase(ev.samples.begin());
}

size_t LatencyMonitor::Reset(const std::vector<std::string_view>& events) {
  if (events.empty()) {
    size_t n = events_.size();
    events_.clear();
    return n;
  }
  size_t n = 0;
  for (std::string_view name : events) {
    auto it = events_.find(name);
    if (it != events_.end()) {
      events_.erase(it);
      ++n;
    }
  }
  return n;
}

}  // namespace cairn
