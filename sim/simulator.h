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
  // appendfsync: "always", "everysec", "no", "mixed" (CONFIG SET at runtime
  // too) or "" (the seed picks one of the four).
  std::string policy;
  // Storage faults: "" (the seed's swarm mix), "none", or a comma list of
  // CrashFs fault names (enospc, short_write, sync_eio, sync_lost,
  // sync_reorder, tail_lost, tail_torn, tail_garbage, pages_reorder,
  // names_undone, zero_tail) -- only those, at the seed's rates.
  std::string faults;
  int max_faults = -1;     // the shrinker: at most this many injected faults (-1: no cap)
  int crash_permille = 2;  // chance per step of a power loss (0: none)
  bool background = true;  // call Engine::BackgroundStep between inputs, as net/ does
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
  std::string policy;  // the policy the run started with
  // Durability figures.
  uint64_t crashes = 0, restarts = 0, clean_shutdowns = 0, rewrites = 0, policy_changes = 0;
  uint64_t repairs_dropping_files = 0, crashes_in_rewrite = 0, load_refusals_repaired = 0,
           misconf_replies = 0;
  // Crashes during a rewrite, by the step that was open (steps overlap, so
  // one crash may count under several).
  struct RewriteCrashes {
    uint64_t walk = 0;             // the base still being written from the keyspace
    uint64_t cut = 0;              // the old incr file's fsync pending
    uint64_t unlisted = 0;         // the new incr file not yet named on disk
    uint64_t base_sync = 0;        // the walk done, the base's fsync pending
    uint64_t final_swap = 0;       // the base renamed in, its manifest not yet durable
    uint64_t manifest_temp = 0;    // a manifest swap's temp file awaiting its fsync
    uint64_t manifest_rename = 0;  // a manifest renamed, the directory's fsync pending
  } rewrite_crashes;
  uint64_t writes_verified = 0;  // writes a restart had to find (acknowledged or durable)
  uint64_t enospc = 0, short_writes = 0, sync_eio = 0, syncs_lost = 0, tails_lost = 0,
           tails_torn = 0, tails_garbage = 0, pages_reordered = 0, names_undone = 0, zero_tails = 0;
};

SimResult RunSimulation(const SimOptions& options);

}  // namespace cairn::sim
