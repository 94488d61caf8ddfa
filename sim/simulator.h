// Simulator: one seeded run of the engine in the simulated world.
//
// The world: a SimEnv (virtual clock, CrashFs), many clients each with a
// pipeline of requests, a network that delivers each client's bytes in
// random chunks after random delays and may drop a connection mid-request or
// mid-reply, and a driver that runs production's batch logic (feed what
// arrived, EndBatch, TakeReady, write a random part of the released output,
// keep the rest held, close after flush, respect ReadPaused, Tick on time).
//
// The checker judges by what the engine executed and released, never by
// what a client happened to receive: the simulator logs every Feed; the
// requests a Feed completes are the ones the engine executed, in that order,
// and the reference model (model.h) gives each one's exact reply. Every byte
// the engine releases must equal the model's reply stream for that session;
// at the end, after a calm phase, every executed request's reply must have
// been released (nothing stuck) and the keyspace read back must equal the
// model's.
//
// A run is a pure function of its options: trace_hash covers the event order
// and every released byte.
#pragma once

#include <cstdint>
#include <string>

namespace cairn::sim {

struct SimOptions {
  uint64_t seed = 1;
  int steps = 2000;
  int clients = 0;  // 0: the seed picks 1-8
  bool trace = false;
  uint32_t planted_bugs = 0;  // PlantedBug bits (CAIRN_PLANTED_BUGS builds)
};

struct SimResult {
  bool ok = true;
  std::string failure;  // what went wrong, with the step
  int failed_step = -1;
  std::string trace;  // the readable trace (last events; all with trace)
  uint64_t trace_hash = 0;
  uint64_t requests_executed = 0;
  uint64_t replies_checked = 0;
  uint64_t drops = 0;
  uint64_t wall_jumps = 0;
  int64_t simulated_ms = 0;
};

SimResult RunSimulation(const SimOptions& options);

}  // namespace cairn::sim
