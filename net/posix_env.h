// PosixEnv: the engine's Env in production -- the real clock, a generator
// seeded from the OS, POSIX files with fdatasync on a background thread, and
// spdlog.
//
// Background syncs never block the engine thread: RequestSync queues the
// file's descriptor to one worker thread, which runs fdatasync (fsync for
// directories) in request order and hands each result to the completion
// callback -- in kv-server a post back onto the engine's io_context, so the
// engine sees OnSynced as an event, exactly as in the simulator. The same
// thread closes retired files: the close that frees a large unlinked file's
// blocks takes milliseconds, which the engine thread must not spend.
//
// A sync replies wait on (appendfsync always, RequestWaitedSync) can instead
// run on the engine thread itself, as Redis runs it: kv-server sets a
// completion for such syncs and calls RunWaitedSyncs at its batch point,
// after EndBatch and before the replies are written, so the replies leave
// as soon as their sync returns. Measured on two shared cores (README,
// Performance), handing that sync to the worker cost more than the overlap
// gained: the worker's wake-ups and the fdatasync's own CPU then compete
// with the engine thread and the clients for the same two cores, and the
// clients split into two groups taking turns, each paying for its own
// fdatasync. The completion reaches the engine outside any engine call, so
// it is an event like any other.
//
// Thread-safety: everything but the sync queue is used from the engine thread
// only; the queue is guarded by a mutex and the worker touches nothing else.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/env/env.h"

namespace spdlog {
class logger;
}

namespace cairn {

// Ticks are the CPU's time-stamp counter when the kernel itself keeps time
// with it (clocksource "tsc": invariant and synchronised across CPUs), read
// in a third of clock_gettime's time; otherwise MonotonicUs. The counter's
// rate is measured once per process against CLOCK_MONOTONIC.
class RealClock final : public Clock {
 public:
  RealClock();
  int64_t WallUs() override;
  int64_t MonotonicUs() override;
  uint64_t Ticks() override;
  double UsPerTick() const override { return us_per_tick_; }

 private:
  bool tsc_;
  double us_per_tick_;
};

// xoshiro256** seeded from getrandom(2).
class OsSeededRandom final : public RandomSource {
 public:
  OsSeededRandom();
  uint64_t Next64() override;

 private:
  uint64_t s_[4];
};

// A file descriptor shared by the file object and pending syncs, closed
// when the last of them lets go.
struct SharedFd {
  explicit SharedFd(int f) : fd(f) {}
  ~SharedFd();
  SharedFd(const SharedFd&) = delete;
  SharedFd& operator=(const SharedFd&) = delete;
  int fd;
};

class PosixFileSystem final : public FileSystem {
 public:
  using Completion = std::function<void(uint64_t token, Status status)>;

  explicit PosixFileSystem(Completion on_sync_done);
  ~PosixFileSystem() override;  // joins the sync thread after draining it

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
  // Kept for RunWaitedSyncs when a waited completion is set, else the same
  // as RequestSync.
  void RequestWaitedSync(WritableFile& file, uint64_t token) override;
  void RequestDirSync(const std::string& path, uint64_t token) override;
  // A closed WritableFile's descriptor, closed on the sync thread after the
  // syncs queued before it (files must not outlive their file system);
  // sync_first: fdatasync it before (a cut of zeros written ahead).
  void Retire(std::shared_ptr<SharedFd> fd, bool sync_first = false);

  // Runs the waited syncs left and the queued ones, delivers their
  // completions and joins the worker; no completion comes after it returns.
  // kv-server calls it while the engine and the io_context the completions
  // reach still exist.
  void StopSyncs();

  // Replaces the completion callback (before any sync is requested).
  void set_completion(Completion c) { on_sync_done_ = std::move(c); }

  // From now on waited syncs run in RunWaitedSyncs, on the calling thread,
  // and report to on_done there (set before any sync is requested; the
  // caller must then call RunWaitedSyncs before it next sleeps, whenever it
  // may have requested one).
  void set_waited_completion(Completion on_done) { on_waited_done_ = std::move(on_done); }
  // Runs the waited syncs requested so far, in request order, delivering
  // each result; those a completion requests run too.
  void RunWaitedSyncs();

 private:
  struct SyncJob {
    std::shared_ptr<SharedFd> fd;  // null: open path as a directory
    std::string dir_path;
    uint64_t token;
    bool close_only = false;  // a retired file: drop fd, report nothing
    bool sync_first = false;  // close_only: fdatasync before dropping fd
  };
  void Worker();
  void Enqueue(SyncJob job);
  static Status RunSync(const SyncJob& job);

  Completion on_sync_done_;
  // Waited syncs for RunWaitedSyncs (engine thread only).
  Completion on_waited_done_;
  std::vector<SyncJob> waited_;
  std::vector<SyncJob> running_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<SyncJob> jobs_;
  bool stopping_ = false;
  std::thread worker_;
};

class SpdLogger final : public Logger {
 public:
  // Logs to stdout when file is empty, else appends to file.
  explicit SpdLogger(const std::string& file = "", LogLevel level = LogLevel::kNotice);
  ~SpdLogger() override;
  void Log(LogLevel level, std::string_view message) override;
  void set_level(LogLevel level) { level_ = level; }
  Status Reopen(const std::string& file);

 private:
  std::shared_ptr<spdlog::logger> logger_;
  LogLevel level_;
};

class PosixEnv final : public Env {
 public:
  explicit PosixEnv(PosixFileSystem::Completion on_sync_done = nullptr);
  Clock& clock() override { return clock_; }
  RandomSource& random() override { return random_; }
  FileSystem& fs() override { return fs_; }
  Logger& logger() override { return logger_; }
  PosixFileSystem& posix_fs() { return fs_; }
  SpdLogger& spd_logger() { return logger_; }

 private:
  RealClock clock_;
  OsSeededRandom random_;
  SpdLogger logger_;
  PosixFileSystem fs_;
};

LogLevel ParseLogLevel(std::string_view name);

}  // namespace cairn
