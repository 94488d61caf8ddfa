// AllocMeter: turns the allocation counts around a benchmark's timed loop
// into its allocs/op (operator new) and mallocs/op (malloc & co., where the
// engine keeps entries and buffers) counters.
#pragma once

#include <benchmark/benchmark.h>

#include "bench/support/alloc_counter.h"

namespace cairn::bench {

class AllocMeter {
 public:
  AllocMeter() : start_(AllocCounts()) {}
  // Call after the timed loop.
  void Report(benchmark::State& state, double ops_per_iteration = 1.0) const {
    AllocSnapshot end = AllocCounts();
    double ops = static_cast<double>(state.iterations()) * ops_per_iteration;
    if (ops <= 0) return;
    state.counters["allocs/op"] = static_cast<double>(end.news - start_.news) / ops;
    if (MallocCounted()) {
      state.counters["mallocs/op"] = static_cast<double>(end.mallocs - start_.mallocs) / ops;
    }
  }

 private:
  AllocSnapshot start_;
};

}  // namespace cairn::bench
