// FakeEnv: a deterministic Env for unit and property tests -- a clock the
// test moves by hand, a seeded generator and an in-memory filesystem whose
// syncs complete only when the test delivers them.
//
// The simulator has its own, fault-injecting Env (sim/); this one is the
// plain, well-behaved world a unit test wants.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/env/env.h"

namespace cairn::testing {

class ManualClock final : public Clock {
 public:
  int64_t WallUs() override { return wall_us_; }
  int64_t MonotonicUs() override { return mono_us_; }
  void AdvanceMs(int64_t ms) {
    wall_us_ += ms * 1000;
    mono_us_ += ms * 1000;
  }
  void SetWallMs(int64_t ms) { wall_us_ = ms * 1000; }

 private:
  int64_t wall_us_ = 1'700'000'000'000'000;  // a fixed date in 2023
  int64_t mono_us_ = 1'000'000;
};

class SplitMix64 final : public RandomSource {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next64() override {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  uint64_t state_;
};

// Files as strings. Every write is immediately visible; "durable" matters
// only to the simulator's CrashFs.
class MemoryFs final : public FileSystem {
 public:
  Result<std::unique_ptr<WritableFile>> OpenAppend(const std::string& path, bool truncate) override;
  Result<std::unique_ptr<SequentialFile>> OpenRead(const std::string& path) override;
  Result<uint64_t> FileSize(const std::string& path) override;
  bool Exists(const std::string& path) override;
  Status CreateDir(const std::string& path) override;
  Result<std::vector<std::string>> ListDir(const std::string& path) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status Remove(const std::string& path) override;
  Status Truncate(const std::string& path, uint64_t size) override;
  void RequestSync(WritableFile& file, uint64_t token) override;
  void RequestWaitedSync(WritableFile& file, uint64_t token) override;
  void RequestDirSync(const std::string& path, uint64_t token) override;

  // Sync requests not yet delivered, oldest first.
  std::deque<uint64_t>& pending_syncs() { return pending_; }
  // Tokens of every sync requested as waited on (RequestWaitedSync).
  const std::vector<uint64_t>& waited_syncs() const { return waited_; }
  std::map<std::string, std::string>& files() { return files_; }
  // Per path, the last chunk a file asked to keep written ahead (files are
  // never padded here: a test appends zeros itself).
  std::map<std::string, uint64_t>& preallocation() { return preallocation_; }

  // Fault switches for tests: while set, appends write at most
  // short_write_bytes and then fail with append_error.
  void FailAppends(Status error, size_t short_write_bytes = 0) {
    append_error_ = std::move(error);
    short_write_bytes_ = short_write_bytes;
  }
  void HealAppends() { append_error_ = Status::Ok(); }
  const Status& append_error() const { return append_error_; }
  size_t short_write_bytes() const { return short_write_bytes_; }

 private:
  Status append_error_;
  size_t short_write_bytes_ = 0;
  std::map<std::string, std::string> files_;
  std::map<std::string, uint64_t> preallocation_;
  std::map<std::string, bool> dirs_;
  std::deque<uint64_t> pending_;
  std::vector<uint64_t> waited_;
};

class CapturingLogger final : public Logger {
 public:
  void Log(LogLevel level, std::string_view message) override {
    lines.emplace_back(level, std::string(message));
  }
  std::vector<std::pair<LogLevel, std::string>> lines;
};

class FakeEnv final : public Env {
 public:
  explicit FakeEnv(uint64_t seed = 1) : random_(seed) {}
  Clock& clock() override { return clock_; }
  RandomSource& random() override { return random_; }
  FileSystem& fs() override { return fs_; }
  Logger& logger() override { return logger_; }
  ManualClock& manual_clock() { return clock_; }
  MemoryFs& memory_fs() { return fs_; }
  CapturingLogger& log() { return logger_; }

 private:
  ManualClock clock_;
  SplitMix64 random_;
  MemoryFs fs_;
  CapturingLogger logger_;
};

}  // namespace cairn::testing
