// kv-sim: runs seeded simulations of the engine (sim/simulator.h).
//
//   kv-sim --seed N [--steps S] [--clients C] [--policy always|everysec|no|mixed]
//          [--faults LIST|none] [--max-faults N] [--crash-permille P] [--trace]
//          [--no-background] [--plant BUG] [--shrink]
//   kv-sim --seeds A:B (or A..B)   one line per failure and a total (runs,
//                                  simulated time, crashes, restarts, rewrites,
//                                  faults injected by kind, writes verified)
//   kv-sim --determinism N         runs seed N twice, compares trace hashes
//   --print-hashes                 one line per seed with its trace hash (two
//                                  builds' lines must be equal: sim/tests/
//                                  compare_builds.sh)
//   kv-sim --scenario NAME [--trace] [--plant BUG] [--expect-fail]
//                                  runs one named fault scenario (sim/scenarios.h)
//   kv-sim --scenarios             runs every scenario: one line each and a total
//   kv-sim --scenario-determinism  runs every scenario twice, compares full traces
// --shrink: a failing seed is rerun with fewer steps, clients and faults
// while it still fails; the smallest failing options are printed with their
// replay command and trace.
// Exit status 0 when every run passed.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "engine/util/planted_bugs.h"
#include "sim/scenarios.h"
#include "sim/simulator.h"

namespace {

bool ParseRange(const std::string& s, uint64_t* a, uint64_t* b) {
  size_t sep = s.find(':');
  size_t len = 1;
  if (sep == std::string::npos) {
    sep = s.find("..");
    len = 2;
  }
  if (sep == std::string::npos) return false;
  *a = std::strtoull(s.substr(0, sep).c_str(), nullptr, 10);
  *b = std::strtoull(s.substr(sep + len).c_str(), nullptr, 10);
  return *a <= *b;
}

// --scenario / --scenarios: named scripted fault schedules. With
// expect_fail the run passes only if a scenario fails (a planted bug caught).
int RunScenarios(const std::string& only, uint32_t bugs, bool trace, bool expect_fail,
                 const std::string& plant) {
  auto start = std::chrono::steady_clock::now();
  int runs = 0, failed = 0, checks = 0;
  for (const cairn::sim::ScenarioInfo& info : cairn::sim::Scenarios()) {
    if (!only.empty() && only != info.name) continue;
    ++runs;
    cairn::sim::ScenarioResult r = cairn::sim::RunScenario(info.name, bugs, trace);
    checks += r.checks;
    if (trace || (!r.ok && !expect_fail)) std::printf("%s", r.trace.c_str());
    if (r.ok) {
      std::printf("%-34s ok      %3d checks: %s\n", info.name, r.checks, info.checks);
    } else {
      ++failed;
      std::printf("%-34s FAILED  %s\n", info.name, r.failure.c_str());
    }
  }
  if (runs == 0) {
    std::fprintf(stderr, "kv-sim: no scenario named %s; there are:\n", only.c_str());
    for (const cairn::sim::ScenarioInfo& info : cairn::sim::Scenarios()) {
      std::fprintf(stderr, "  %-34s %s\n", info.name, info.models);
    }
    return 2;
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("kv-sim: %d scenarios, %d failed, %d checks, %.1f s\n", runs, failed, checks, secs);
  if (expect_fail) {
    std::printf("planted bug %s %s\n", plant.c_str(),
                failed ? "caught by the scenario" : "NOT caught by the scenario");
    return failed ? 0 : 1;
  }
  return failed ? 1 : 0;
}

// --scenario-determinism: every scenario twice with full traces; they must
// be equal byte for byte (a script is a pure function of its name and bugs).
int ScenarioDeterminism() {
  int differ = 0;
  for (const cairn::sim::ScenarioInfo& info : cairn::sim::Scenarios()) {
    cairn::sim::ScenarioResult a = cairn::sim::RunScenario(info.name, 0, true);
    cairn::sim::ScenarioResult b = cairn::sim::RunScenario(info.name, 0, true);
    bool same = a.trace == b.trace && a.ok == b.ok;
    differ += same ? 0 : 1;
    std::printf("%-34s %s (%zu trace bytes)\n", info.name, same ? "same" : "DIFFERENT",
                a.trace.size());
  }
  return differ ? 1 : 0;
}

int Usage() {
  std::fprintf(stderr,
               "usage: kv-sim (--seed N | --seeds A:B | --determinism N | --scenario NAME | "
               "--scenarios) [--steps S] "
               "[--clients C] [--policy always|everysec|no|mixed] [--faults LIST|none] "
               "[--max-faults N] [--crash-permille P] [--no-background] [--trace] [--plant BUG] "
               "[--expect-fail] [--shrink] [--print-hashes] [--min-crashes N] "
               "[--min-verified N] [--min-faults-each N]\n");
  return 2;
}

unsigned long long U(uint64_t v) { return static_cast<unsigned long long>(v); }

std::string ReplayCommand(const cairn::sim::SimOptions& o, const std::string& plant) {
  std::string cmd =
      "kv-sim --seed " + std::to_string(o.seed) + " --steps " + std::to_string(o.steps);
  if (o.clients) cmd += " --clients " + std::to_string(o.clients);
  if (!o.policy.empty()) cmd += " --policy " + o.policy;
  if (!o.faults.empty()) cmd += " --faults " + o.faults;
  if (o.max_faults >= 0) cmd += " --max-faults " + std::to_string(o.max_faults);
  if (o.crash_permille != 2) cmd += " --crash-permille " + std::to_string(o.crash_permille);
  if (!o.background) cmd += " --no-background";
  if (!plant.empty()) cmd += " --plant " + plant;
  return cmd + " --trace";
}

// Reduces a failing run: fewer steps (halving, then trimming), fewer
// clients, fewer injected faults -- each kept only if the run still fails.
void Shrink(cairn::sim::SimOptions o, const std::string& plant) {
  auto fails = [&](const cairn::sim::SimOptions& x) { return !cairn::sim::RunSimulation(x).ok; };
  o.trace = false;
  int tries = 0;
  for (int step = o.steps / 2; step >= 1 && tries < 60; step /= 2) {
    while (o.steps - step >= 1 && tries++ < 60) {
      cairn::sim::SimOptions x = o;
      x.steps -= step;
      if (!fails(x)) break;
      o = x;
    }
  }
  for (int c = 1; c < 8 && tries++ < 80; ++c) {
    cairn::sim::SimOptions x = o;
    x.clients = c;
    if (fails(x)) {
      o = x;
      break;
    }
  }
  for (int f = 0; f < 64 && tries++ < 120; f = f ? f * 2 : 1) {
    cairn::sim::SimOptions x = o;
    x.max_faults = f;
    if (fails(x)) {
      o = x;
      break;
    }
  }
  o.trace = true;
  auto r = cairn::sim::RunSimulation(o);
  std::printf("shrunk to %d steps, %d clients, max faults %d: %s\n  replay: %s\n%s", o.steps,
              o.clients, o.max_faults, r.failure.c_str(), ReplayCommand(o, plant).c_str(),
              r.trace.c_str());
}

struct Totals {
  uint64_t runs = 0, failures = 0, executed = 0, checked = 0, drops = 0, jumps = 0;
  uint64_t crashes = 0, restarts = 0, clean = 0, rewrites = 0, in_rewrite = 0, repaired = 0,
           misconf = 0, verified = 0, policy_changes = 0;
  uint64_t writes_verified = 0;
  int64_t sim_ms = 0;
  std::map<std::string, uint64_t> policies;
  cairn::sim::SimResult kinds;  // fault counters summed
  void Add(const cairn::sim::SimResult& r) {
    ++runs;
    if (!r.ok) ++failures;
    executed += r.requests_executed;
    checked += r.replies_checked;
    drops += r.drops;
    jumps += r.wall_jumps;
    sim_ms += r.simulated_ms;
    crashes += r.crashes;
    restarts += r.restarts;
    clean += r.clean_shutdowns;
    rewrites += r.rewrites;
    in_rewrite += r.crashes_in_rewrite;
    auto& c = kinds.rewrite_crashes;
    c.walk += r.rewrite_crashes.walk;
    c.cut += r.rewrite_crashes.cut;
    c.unlisted += r.rewrite_crashes.unlisted;
    c.base_sync += r.rewrite_crashes.base_sync;
    c.final_swap += r.rewrite_crashes.final_swap;
    c.manifest_temp += r.rewrite_crashes.manifest_temp;
    c.manifest_rename += r.rewrite_crashes.manifest_rename;
    repaired += r.load_refusals_repaired;
    misconf += r.misconf_replies;
    writes_verified += r.writes_verified;
    policy_changes += r.policy_changes;
    ++policies[r.policy];
    kinds.enospc += r.enospc;
    kinds.short_writes += r.short_writes;
    kinds.sync_eio += r.sync_eio;
    kinds.syncs_lost += r.syncs_lost;
    kinds.tails_lost += r.tails_lost;
    kinds.tails_torn += r.tails_torn;
    kinds.tails_garbage += r.tails_garbage;
    kinds.pages_reordered += r.pages_reordered;
    kinds.names_undone += r.names_undone;
    kinds.zero_tails += r.zero_tails;
  }
  std::vector<std::pair<std::string, uint64_t>> Kinds() const {
    return {{"enospc", kinds.enospc},
            {"short_write", kinds.short_writes},
            {"sync_eio", kinds.sync_eio},
            {"sync_lost", kinds.syncs_lost},
            {"tail_lost", kinds.tails_lost},
            {"tail_torn", kinds.tails_torn},
            {"tail_garbage", kinds.tails_garbage},
            {"pages_reorder", kinds.pages_reordered},
            {"names_undone", kinds.names_undone},
            {"zero_tail", kinds.zero_tails},
            {"crash_in_rewrite_walk", kinds.rewrite_crashes.walk},
            {"crash_in_rewrite_cut", kinds.rewrite_crashes.cut},
            {"crash_in_rewrite_unlisted", kinds.rewrite_crashes.unlisted},
            {"crash_in_rewrite_base_sync", kinds.rewrite_crashes.base_sync},
            {"crash_in_rewrite_final_swap", kinds.rewrite_crashes.final_swap},
            {"crash_in_manifest_temp", kinds.rewrite_crashes.manifest_temp},
            {"crash_in_manifest_rename", kinds.rewrite_crashes.manifest_rename}};
  }
  void Print(double secs) const {
    std::printf(
        "kv-sim: %llu runs, %llu failed, %.1f s (%.1f seeds/s); %lld s simulated; %llu requests "
        "executed, %llu reply bytes checked, %llu drops, %llu wall jumps\n",
        U(runs), U(failures), secs, runs / (secs > 0 ? secs : 1),
        static_cast<long long>(sim_ms / 1000), U(executed), U(checked), U(drops), U(jumps));
    std::string pol;
    for (const auto& [p, n] : policies) pol += " " + p + "=" + std::to_string(n);
    std::printf(
        "  durability: %llu crashes (%llu during a rewrite), %llu restarts, %llu clean shutdowns, "
        "%llu rewrites, %llu policy changes, %llu refused loads repaired, %llu MISCONF replies, "
        "%llu writes verified after restarts; policies:%s\n",
        U(crashes), U(in_rewrite), U(restarts), U(clean), U(rewrites), U(policy_changes),
        U(repaired), U(misconf), U(writes_verified), pol.c_str());
    std::string k;
    for (const auto& [name, n] : Kinds()) k += " " + name + "=" + std::to_string(n);
    std::printf("  faults injected:%s\n", k.c_str());
  }
};

}  // namespace

int main(int argc, char** argv) {
  cairn::sim::SimOptions opt;
  uint64_t first = 1, last = 1;
  bool determinism = false, have_seed = false, expect_fail = false, shrink = false;
  bool print_hashes = false;
  uint64_t min_crashes = 0, min_verified = 0, min_each = 0;
  std::string plant, scenario;
  bool scenarios = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--seed") {
      first = last = std::strtoull(next().c_str(), nullptr, 10);
      have_seed = true;
    } else if (a == "--seeds") {
      if (!ParseRange(next(), &first, &last)) return Usage();
      have_seed = true;
    } else if (a == "--determinism") {
      first = last = std::strtoull(next().c_str(), nullptr, 10);
      determinism = have_seed = true;
    } else if (a == "--scenario") {
      scenario = next();
      scenarios = true;
    } else if (a == "--scenarios") {
      scenarios = true;
    } else if (a == "--scenario-determinism") {
      return ScenarioDeterminism();
    } else if (a == "--steps") {
      opt.steps = std::atoi(next().c_str());
    } else if (a == "--clients") {
      opt.clients = std::atoi(next().c_str());
    } else if (a == "--trace") {
      opt.trace = true;
    } else if (a == "--plant") {
      plant = next();
    } else if (a == "--policy") {
      opt.policy = next();
      if (opt.policy != "always" && opt.policy != "everysec" && opt.policy != "no" &&
          opt.policy != "mixed") {
        return Usage();
      }
    } else if (a == "--faults") {
      opt.faults = next();
    } else if (a == "--max-faults") {
      opt.max_faults = std::atoi(next().c_str());
    } else if (a == "--crash-permille") {
      opt.crash_permille = std::atoi(next().c_str());
    } else if (a == "--no-background") {
      opt.background = false;
    } else if (a == "--shrink") {
      shrink = true;
    } else if (a == "--min-crashes") {
      min_crashes = std::strtoull(next().c_str(), nullptr, 10);
    } else if (a == "--min-verified") {
      min_verified = std::strtoull(next().c_str(), nullptr, 10);
    } else if (a == "--min-faults-each") {
      min_each = std::strtoull(next().c_str(), nullptr, 10);
    } else if (a == "--print-hashes") {
      print_hashes = true;
    } else if (a == "--expect-fail") {
      expect_fail = true;
    } else {
      return Usage();
    }
  }
  if (!have_seed && !scenarios) return Usage();
  if (!plant.empty()) {
#ifdef CAIRN_PLANTED_BUGS
    opt.planted_bugs = cairn::PlantedBugByName(plant);
    if (!opt.planted_bugs) {
      std::fprintf(stderr, "kv-sim: unknown planted bug %s\n", plant.c_str());
      return 2;
    }
#else
    std::fprintf(stderr, "kv-sim: built without CAIRN_PLANTED_BUGS\n");
    return 2;
#endif
  }
  if (scenarios) return RunScenarios(scenario, opt.planted_bugs, opt.trace, expect_fail, plant);
  if (determinism) {
    opt.seed = first;
    auto r1 = cairn::sim::RunSimulation(opt);
    auto r2 = cairn::sim::RunSimulation(opt);
    std::printf("seed %llu: trace hashes %016llx %016llx\n", static_cast<unsigned long long>(first),
                static_cast<unsigned long long>(r1.trace_hash),
                static_cast<unsigned long long>(r2.trace_hash));
    return r1.trace_hash == r2.trace_hash && r1.ok == r2.ok ? 0 : 1;
  }
  auto start = std::chrono::steady_clock::now();
  Totals t;
  uint64_t first_failure = 0;
  for (uint64_t seed = first; seed <= last; ++seed) {
    opt.seed = seed;
    auto r = cairn::sim::RunSimulation(opt);
    t.Add(r);
    if (first == last) {
      std::printf(
          "seed %llu: %s, policy %s, %llu requests executed, %llu reply bytes checked, %llu "
          "crashes, %llu writes verified, %lld ms simulated, trace %016llx\n",
          U(seed), r.ok ? "ok" : "FAILED", r.policy.c_str(), U(r.requests_executed),
          U(r.replies_checked), U(r.crashes), U(r.writes_verified),
          static_cast<long long>(r.simulated_ms), U(r.trace_hash));
    }
    if (print_hashes) {
      std::printf("seed %llu %s trace %016llx\n", U(seed), r.ok ? "ok" : "FAILED", U(r.trace_hash));
    }
    if (r.ok && opt.trace && first == last) std::printf("%s", r.trace.c_str());
    if (!r.ok) {
      if (!first_failure) first_failure = seed;
      std::printf("FAIL seed %llu (policy %s) step %d: %s\n  replay: %s\n", U(seed),
                  r.policy.c_str(), r.failed_step, r.failure.c_str(),
                  ReplayCommand(opt, plant).c_str());
      if (first == last || (!expect_fail && t.failures <= 1)) std::printf("%s", r.trace.c_str());
      if (shrink) Shrink(opt, plant);
      if (expect_fail) break;
    }
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  t.Print(secs);
  uint64_t failures = t.failures;
  if (!expect_fail && !failures) {
    // Coverage floors (the sim ctest asserts them: a run that injected
    // nothing proves nothing).
    std::string missing;
    if (t.crashes < min_crashes) missing += " crashes";
    if (t.writes_verified < min_verified) missing += " writes-verified";
    if (min_each) {
      for (const auto& [name, n] : t.Kinds()) {
        // With --faults, only the kinds named there (and the rewrite steps
        // every crash mix reaches) must have been injected.
        bool wanted = opt.faults.empty() || name.starts_with("crash_in_") ||
                      ("," + opt.faults + ",").find("," + name + ",") != std::string::npos;
        // Only the log under always writes zeros ahead.
        if (name == "zero_tail" && (opt.policy == "everysec" || opt.policy == "no")) wanted = false;
        if (wanted && n < min_each) missing += " " + name;
      }
    }
    if (!missing.empty()) {
      std::printf("kv-sim: coverage below the floor:%s\n", missing.c_str());
      return 1;
    }
  }
  if (expect_fail) {
    if (failures) {
      std::printf("planted bug %s caught by seed %llu\n", plant.c_str(),
                  static_cast<unsigned long long>(first_failure));
      return 0;
    }
    std::printf("planted bug %s NOT caught in seeds %llu:%llu\n", plant.c_str(),
                static_cast<unsigned long long>(first), static_cast<unsigned long long>(last));
    return 1;
  }
  return failures ? 1 : 0;
}
