// Running one test: over TCP against a server (epoll, one event loop per
// --threads thread, each owning a share of the clients), or through an Engine
// in this process with the same request stream.
//
// Both runners follow redis-benchmark's model: every client keeps one
// pipeline of -P requests in flight and sends the next when every reply of
// the previous has arrived; requests are claimed from a shared count (-n) or
// until --duration has passed. A request's latency runs from its pipeline's
// send to the read that completed its reply. Timing starts once every client
// is connected.
#pragma once

#include "bench/kvbench/options.h"
#include "bench/kvbench/report.h"
#include "bench/kvbench/workload.h"
#include "engine/util/status.h"

namespace cairn::bench {
class InprocEngine;
}

namespace cairn::kvbench {

Result<TestResult> RunOverNetwork(const Options& o, const TestSpec& test);
Result<TestResult> RunInProcess(const Options& o, const TestSpec& test,
                                bench::InprocEngine& engine);

// Monotonic nanoseconds.
int64_t NowNs();

}  // namespace cairn::kvbench
