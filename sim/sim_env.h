// SimEnv: the Env the simulator hands the engine -- virtual clock, a seeded
// generator forked for the engine, CrashFs and a logger that keeps lines
// (they go into the trace).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "engine/env/env.h"
#include "sim/crash_fs.h"
#include "sim/sim_clock.h"
#include "sim/sim_random.h"

namespace cairn::sim {

class SimLogger final : public Logger {
 public:
  void Log(LogLevel level, std::string_view message) override {
    lines.emplace_back(level, std::string(message));
  }
  std::vector<std::pair<LogLevel, std::string>> lines;
};

class SimEnv final : public Env {
 public:
  SimEnv(const SimRandom& root, CrashFsFaults faults)
      : random_(root.Fork("engine")), fs_(root.Fork("crashfs"), faults) {}
  Clock& clock() override { return clock_; }
  RandomSource& random() override { return random_; }
  FileSystem& fs() override { return fs_; }
  Logger& logger() override { return logger_; }
  SimClock& sim_clock() { return clock_; }
  CrashFs& crash_fs() { return fs_; }
  SimLogger& log() { return logger_; }

 private:
  SimClock clock_;
  SimRandom random_;
  CrashFs fs_;
  SimLogger logger_;
};

}  // namespace cairn::sim
