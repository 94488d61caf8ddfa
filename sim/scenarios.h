// Scenarios: named, scripted fault schedules for real AOF failures seen in
// the field (SIMULATION-NOTES.md, "Real failures to turn into named,
// fixed-seed scenarios"), run over the real Engine, SimEnv/CrashFs and
// SimClock.
//
// A seed stops reproducing a failure as soon as the code changes what it
// draws; a script does not. Each scenario drives client commands through
// sessions as the simulator does (Feed, EndBatch, releasable Output), and
// places every fault at an exact point with CrashFs's scripted hooks: fail
// the next fsync or append of a file, deliver, withhold or reorder sync
// completions, crash with a chosen tail outcome per file and chosen name
// operations undone, crash at a given step of a rewrite; then restarts and
// checks one precise expectation (an acknowledged write is back with the
// exact value, the loader refuses naming file and offset, a TTL is absolute
// after reload, ...). The recovered keyspace is always judged by the prefix
// rule against the reference model (model.h): it equals the model after
// some prefix of the executed writes holding every write that had to
// survive.
//
// Invariants: a scenario is deterministic (its one SimRandom seed is
// fixed), passes on a correct engine, and fails with the planted bug it
// names (engine/util/planted_bugs.h) switched on.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cairn::sim {

struct ScenarioInfo {
  const char* name;
  const char* models;   // the real failure it replays
  const char* checks;   // what must hold
  const char* catches;  // the planted bug(s) it catches, "" if none
};

// Every scenario, in a fixed order.
const std::vector<ScenarioInfo>& Scenarios();

struct ScenarioResult {
  bool ok = true;
  std::string failure;  // what went wrong, when !ok
  std::string trace;    // the readable script trace (all of it with trace)
  int checks = 0;       // expectations verified
};

// Runs one scenario; an unknown name fails. planted_bugs: PlantedBug bits.
ScenarioResult RunScenario(const std::string& name, uint32_t planted_bugs, bool trace);

}  // namespace cairn::sim
