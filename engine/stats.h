// ServerStats: the counters INFO stats / INFO errorstats report.
//
// Plain counters owned by the engine thread; commands bump them through the
// engine. Instantaneous rates are sampled by Engine::Tick (Redis samples
// every 100 ms into a 16-slot ring and averages).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "engine/resp/reply_writer.h"

namespace cairn {

struct RateSampler {
  static constexpr int kSamples = 16;
  std::array<int64_t, kSamples> samples{};
  int index = 0;
  int64_t last_time_ms = 0;
  int64_t last_value = 0;
  void Sample(int64_t now_ms, int64_t value) {
    int64_t dt = now_ms - last_time_ms;
    int64_t dv = value - last_value;
    samples[static_cast<size_t>(index)] = dt > 0 ? dv * 1000 / dt : 0;
    index = (index + 1) % kSamples;
    last_time_ms = now_ms;
    last_value = value;
  }
  int64_t Average() const {
    int64_t sum = 0;
    for (int64_t s : samples) sum += s;
    return sum / kSamples;
  }
};

struct ServerStats final : public ErrorSink {
  uint64_t total_connections_received = 0;
  uint64_t total_commands_processed = 0;
  uint64_t rejected_connections = 0;
  uint64_t total_net_input_bytes = 0;
  uint64_t total_net_output_bytes = 0;
  uint64_t expired_keys = 0;
  // Running estimate of the share (0..1) of keys with a TTL that are
  // expired but not yet reclaimed; INFO prints it as a percentage ("%.2f").
  double expired_stale_perc = 0;
  uint64_t expired_time_cap_reached_count = 0;
  uint64_t expire_cycle_time_used_us = 0;
  uint64_t expire_cycle_cpu_milliseconds = 0;  // expire_cycle_time_used_us / 1000
  uint64_t evicted_keys = 0;
  uint64_t keyspace_hits = 0;
  uint64_t keyspace_misses = 0;
  uint64_t total_error_replies = 0;
  uint64_t unexpected_error_replies = 0;
  uint64_t dirty = 0;  // changes since the last save
  uint64_t client_qbuf_limit_disconnections = 0;
  uint64_t client_outbuf_limit_disconnections = 0;
  // Input events (Engine::OnInput) and output writes (ConsumeOutput).
  uint64_t total_reads_processed = 0;
  uint64_t total_writes_processed = 0;
  // used_memory_peak: raised whenever INFO measures memory.
  uint64_t peak_memory = 0;
  std::map<std::string, uint64_t, std::less<>> errors;  // errorstats by code

  RateSampler ops_sec;
  RateSampler input_kbps;
  RateSampler output_kbps;

  void OnErrorReply(std::string_view code) override {
    ++total_error_replies;
    auto it = errors.find(code);
    if (it == errors.end()) {
      // Redis stops tracking new codes past 128 distinct ones.
      if (errors.size() >= 128) return;
      it = errors.emplace(std::string(code), 0).first;
    }
    ++it->second;
  }

  void ResetCounters() {
    ServerStats fresh;
    *this = fresh;
  }
};

}  // namespace cairn
