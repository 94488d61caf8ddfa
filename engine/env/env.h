// Env: the only door from the engine to time, randomness, files and logs.
//
// The engine is deterministic: given the same Env behaviour it produces the
// same bytes. Production (net/posix_env) backs these interfaces with the real
// clock, a seeded-from-the-OS generator, POSIX files and spdlog; the simulator
// (sim/) backs them with virtual time, a seeded generator and a crash-injecting
// filesystem. Nothing here blocks on durability: a sync is a request whose
// completion the world reports later through Engine::OnSynced, never inside
// the call, so a slow or failing disk is an event the engine reasons about.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/util/status.h"

namespace cairn {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time: microseconds since the Unix epoch. TTLs are wall-clock
  // in Redis, so expiry reads this; it may jump forward or back.
  virtual int64_t WallUs() = 0;
  // Monotonic microseconds from an arbitrary origin, for durations.
  virtual int64_t MonotonicUs() = 0;
  // A cheap monotonic counter for timing each command (command statistics,
  // the slow log, the latency monitor): only differences mean anything, and
  // UsPerTick converts them. Reading a clock twice per command is a visible
  // share of a GET, so production counts CPU cycles where the kernel trusts
  // them; the default counts MonotonicUs, which keeps simulated runs exact.
  virtual uint64_t Ticks() { return static_cast<uint64_t>(MonotonicUs()); }
  virtual double UsPerTick() const { return 1.0; }
};

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual uint64_t Next64() = 0;
};

// An open file written at its end. Writes are not durable until a sync the
// engine requested through FileSystem::RequestSync has completed.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  // Appends data; returns how many bytes reached the file (a short write
  // returns fewer with OK; an error returns kNoSpace/kIo with what was
  // written so far in *written).
  virtual Status Append(std::string_view data, size_t* written) = 0;
  // Cuts the file to size bytes (to remove a partial record).
  virtual Status Truncate(uint64_t size) = 0;
  virtual uint64_t Size() const = 0;
  virtual const std::string& path() const = 0;
  // Space written ahead (the log under appendfsync always): from now on the
  // file keeps zeros written past its end, extended chunk bytes at a time, so
  // that a sync after an append overwrites blocks the file already has and
  // need not commit a new size or allocation -- on ext4 that commit is a
  // third of an fdatasync. Size() stays the end of the appended bytes; the
  // zeros are cut when the file is closed, but a crash can leave them after
  // the data, which is why loaders take a file's trailing zeros for space,
  // never for records (aof/file_scan.h). 0 stops extending. A file system
  // may ignore it.
  virtual void SetPreallocation(uint64_t /*chunk*/) {}
};

// A file read from start to end.
class SequentialFile {
 public:
  virtual ~SequentialFile() = default;
  // Reads up to n bytes into buf; 0 at end of file.
  virtual Result<size_t> Read(char* buf, size_t n) = 0;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // Opens path for appending; creates it when missing, truncating it when
  // truncate is set.
  virtual Result<std::unique_ptr<WritableFile>> OpenAppend(const std::string& path,
                                                           bool truncate) = 0;
  virtual Result<std::unique_ptr<SequentialFile>> OpenRead(const std::string& path) = 0;
  virtual Result<uint64_t> FileSize(const std::string& path) = 0;
  virtual bool Exists(const std::string& path) = 0;
  virtual Status CreateDir(const std::string& path) = 0;  // OK if it exists
  virtual Result<std::vector<std::string>> ListDir(const std::string& path) = 0;
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  virtual Status Remove(const std::string& path) = 0;
  virtual Status Truncate(const std::string& path, uint64_t size) = 0;

  // Asks for file's written bytes to become durable (fdatasync). The result
  // reaches the engine later as Engine::OnSynced(token, status).
  virtual void RequestSync(WritableFile& file, uint64_t token) = 0;
  // The same, for a sync that replies are waiting on (appendfsync always).
  // A file system may run such a sync on the engine's own thread once the
  // current wake-up is over, instead of handing it to another thread; its
  // result still reaches the engine later, through OnSynced.
  virtual void RequestWaitedSync(WritableFile& file, uint64_t token) { RequestSync(file, token); }
  // Asks for the names in directory path (creates, renames, unlinks) to
  // become durable (fsync of the directory); completes like RequestSync.
  virtual void RequestDirSync(const std::string& path, uint64_t token) = 0;
};

enum class LogLevel : unsigned char { kDebug, kVerbose, kNotice, kWarning };

class Logger {
 public:
  virtual ~Logger() = default;
  virtual void Log(LogLevel level, std::string_view message) = 0;
};

class Env {
 public:
  virtual ~Env() = default;
  virtual Clock& clock() = 0;
  virtual RandomSource& random() = 0;
  virtual FileSystem& fs() = 0;
  virtual Logger& logger() = 0;
};

}  // namespace cairn
