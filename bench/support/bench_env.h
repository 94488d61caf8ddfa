// BenchEnv: the Env an engine runs on inside a benchmark process (the
// micro-benchmarks and kv-bench --inproc).
//
// The real clock and POSIX files, as kv-server has them, so what is measured
// includes the clock reads a command really makes; but a fixed-seed generator
// (the keyspace hash key, and so the table layout, is the same on every run)
// and a logger that prints only warnings to stderr, so log lines never land in
// a benchmark's output.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/env/env.h"
#include "net/posix_env.h"

namespace cairn::bench {

class FixedSeedRandom final : public RandomSource {
 public:
  explicit FixedSeedRandom(uint64_t seed) : state_(seed) {}
  uint64_t Next64() override;  // splitmix64

 private:
  uint64_t state_;
};

class WarningLogger final : public Logger {
 public:
  void Log(LogLevel level, std::string_view message) override;
};

class BenchEnv final : public Env {
 public:
  explicit BenchEnv(uint64_t seed = 42) : random_(seed), fs_(nullptr) {}
  Clock& clock() override { return clock_; }
  RandomSource& random() override { return random_; }
  FileSystem& fs() override { return fs_; }
  Logger& logger() override { return logger_; }
  PosixFileSystem& posix_fs() { return fs_; }

 private:
  RealClock clock_;
  FixedSeedRandom random_;
  WarningLogger logger_;
  PosixFileSystem fs_;
};

// An engine on a BenchEnv with one open session, started with the given
// "--name value" arguments. Without a "--dir" of its own it works in a fresh
// temporary directory, removed with it: two benchmark processes in one
// working directory must never share (and corrupt) one append-only file. Syncs the engine requests
// complete on the sync thread and are handed back on the next Pump().
class InprocEngine {
 public:
  explicit InprocEngine(const std::vector<std::string>& config_args = {});
  ~InprocEngine();
  InprocEngine(const InprocEngine&) = delete;
  InprocEngine& operator=(const InprocEngine&) = delete;

  Engine& engine() { return *engine_; }
  Session* NewSession();

  // One wake-up of a world: feeds bytes to s, ends the batch, and consumes
  // every releasable output. Returns how many reply bytes s received; when
  // reply is given they are appended to it.
  size_t RoundTrip(Session* s, std::string_view bytes, std::string* reply = nullptr);
  // Delivers completed syncs to the engine (AOF always/everysec), then
  // consumes what they released like RoundTrip; returns s's bytes.
  size_t Pump(Session* s, std::string* reply = nullptr, bool wait = false);
  // Hands completed syncs to the engine; with wait, first waits up to 100 ms
  // for one when none is there. Returns how many were delivered.
  size_t DeliverSyncs(bool wait);

 private:
  struct SyncQueue;
  std::string own_dir_;  // the temporary directory, when the engine has one
  BenchEnv env_;
  std::unique_ptr<SyncQueue> syncs_;
  std::unique_ptr<Engine> engine_;
  size_t Drain(Session* s, std::string* reply);
  std::vector<Session*> ready_;
  uint16_t next_port_ = 40000;
};

}  // namespace cairn::bench
