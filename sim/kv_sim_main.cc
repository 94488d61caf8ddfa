// kv-sim: runs seeded simulations of the engine (sim/simulator.h).
//
//   kv-sim --seed N [--steps S] [--clients C] [--trace] [--plant BUG]
//   kv-sim --seeds A:B (or A..B)   one line per failure and a total
//   kv-sim --determinism N         runs seed N twice, compares trace hashes
// Exit status 0 when every run passed.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "engine/util/planted_bugs.h"
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

int Usage() {
  std::fprintf(stderr,
               "usage: kv-sim (--seed N | --seeds A:B | --determinism N) [--steps S] "
               "[--clients C] [--trace] [--plant BUG] [--expect-fail]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  cairn::sim::SimOptions opt;
  uint64_t first = 1, last = 1;
  bool determinism = false, have_seed = false, expect_fail = false;
  std::string plant;
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
    } else if (a == "--steps") {
      opt.steps = std::atoi(next().c_str());
    } else if (a == "--clients") {
      opt.clients = std::atoi(next().c_str());
    } else if (a == "--trace") {
      opt.trace = true;
    } else if (a == "--plant") {
      plant = next();
    } else if (a == "--expect-fail") {
      expect_fail = true;
    } else {
      return Usage();
    }
  }
  if (!have_seed) return Usage();
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
  uint64_t runs = 0, failures = 0, executed = 0, checked = 0, drops = 0, jumps = 0;
  int64_t sim_ms = 0;
  uint64_t first_failure = 0;
  for (uint64_t seed = first; seed <= last; ++seed) {
    opt.seed = seed;
    auto r = cairn::sim::RunSimulation(opt);
    ++runs;
    executed += r.requests_executed;
    checked += r.replies_checked;
    drops += r.drops;
    jumps += r.wall_jumps;
    sim_ms += r.simulated_ms;
    if (first == last) {
      std::printf(
          "seed %llu: %s, %llu requests executed, %llu reply bytes checked, %llu drops, %lld ms "
          "simulated, trace %016llx\n",
          static_cast<unsigned long long>(seed), r.ok ? "ok" : "FAILED",
          static_cast<unsigned long long>(r.requests_executed),
          static_cast<unsigned long long>(r.replies_checked),
          static_cast<unsigned long long>(r.drops), static_cast<long long>(r.simulated_ms),
          static_cast<unsigned long long>(r.trace_hash));
    }
    if (r.ok && opt.trace && first == last) std::printf("%s", r.trace.c_str());
    if (!r.ok) {
      ++failures;
      if (!first_failure) first_failure = seed;
      std::printf(
          "FAIL seed %llu step %d: %s\n  replay: kv-sim --seed %llu --steps %d%s%s --trace\n",
          static_cast<unsigned long long>(seed), r.failed_step, r.failure.c_str(),
          static_cast<unsigned long long>(seed), opt.steps, plant.empty() ? "" : " --plant ",
          plant.c_str());
      if (first == last || (!expect_fail && failures <= 1)) std::printf("%s", r.trace.c_str());
      if (expect_fail) break;
    }
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "kv-sim: %llu runs, %llu failed, %llu requests executed, %llu reply bytes checked, %llu "
      "drops, %llu wall jumps, %lld s simulated, %.1f s (%.1f seeds/s)\n",
      static_cast<unsigned long long>(runs), static_cast<unsigned long long>(failures),
      static_cast<unsigned long long>(executed), static_cast<unsigned long long>(checked),
      static_cast<unsigned long long>(drops), static_cast<unsigned long long>(jumps),
      static_cast<long long>(sim_ms / 1000), secs, runs / (secs > 0 ? secs : 1));
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
