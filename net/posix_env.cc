#include "net/posix_env.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include <dirent.h>
#include <fcntl.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace cairn {
namespace {

Status ErrnoStatus(const std::string& what, int err) {
  std::string msg = what + ": " + std::strerror(err);
  if (err == ENOSPC) return Status::NoSpace(msg);
  if (err == ENOENT) return Status::NotFound(msg);
  return Status::Io(msg, err);
}

class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(PosixFileSystem* fs, std::string path, std::shared_ptr<SharedFd> fd,
                    uint64_t size)
      : fs_(fs), path_(std::move(path)), fd_(std::move(fd)), size_(size), zeroed_end_(size) {}
  // The last close of a file already unlinked frees its blocks, which took
  // 12 ms for a rewrite's old 40 MB incr file: the sync thread closes it.
  // Zeros written ahead are cut first, so a cleanly closed log is what
  // redis-server can load; the cut's sync runs on the sync thread too.
  ~PosixWritableFile() override {
    const bool cut = zeroed_end_ > size_ && ::ftruncate(fd_->fd, static_cast<off_t>(size_)) == 0;
    fs_->Retire(std::move(fd_), cut);
  }
  PosixWritableFile(const PosixWritableFile&) = delete;
  PosixWritableFile& operator=(const PosixWritableFile&) = delete;

  Status Append(std::string_view data, size_t* written) override {
    *written = 0;
    if (chunk_ > 0 && size_ + data.size() > zeroed_end_) ExtendZeros(size_ + data.size() + chunk_);
    // pwrite at the end the file object keeps: the file is not opened with
    // O_APPEND once zeros lie past that end (SetPreallocation).
    while (*written < data.size()) {
      ssize_t n = ::pwrite(fd_->fd, data.data() + *written, data.size() - *written,
                           static_cast<off_t>(size_));
      if (n < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus("write " + path_, errno);
      }
      *written += static_cast<size_t>(n);
      size_ += static_cast<uint64_t>(n);
    }
    zeroed_end_ = std::max(zeroed_end_, size_);
    return Status::Ok();
  }
  Status Truncate(uint64_t size) override {
    if (::ftruncate(fd_->fd, static_cast<off_t>(size)) != 0) {
      return ErrnoStatus("ftruncate " + path_, errno);
    }
    size_ = size;
    zeroed_end_ = size;
    return Status::Ok();
  }
  uint64_t Size() const override { return size_; }
  const std::string& path() const override { return path_; }
  void SetPreallocation(uint64_t chunk) override {
    if (chunk > 0 && !positioned_) {
      // Writes go where size_ says from now on, not to the file's end.
      const int flags = ::fcntl(fd_->fd, F_GETFL);
      if (flags < 0 || ::fcntl(fd_->fd, F_SETFL, flags & ~O_APPEND) != 0) return;
      positioned_ = true;
    }
    chunk_ = chunk;
  }
  const std::shared_ptr<SharedFd>& shared_fd() const { return fd_; }

 private:
  // Writes zeros from the end of those already written up to end. A failure
  // (a full disk) only stops the extension: the append that follows reports
  // the disk's state itself.
  void ExtendZeros(uint64_t end) {
    static const std::string kZeros(size_t{1} << 16, '\0');
    uint64_t at = std::max(zeroed_end_, size_);
    while (at < end) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(kZeros.size(), end - at));
      const ssize_t w = ::pwrite(fd_->fd, kZeros.data(), n, static_cast<off_t>(at));
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) break;
      at += static_cast<uint64_t>(w);
    }
    zeroed_end_ = at;
  }

  PosixFileSystem* fs_;
  std::string path_;
  std::shared_ptr<SharedFd> fd_;
  uint64_t size_;            // end of the appended bytes: where the next append goes
  uint64_t zeroed_end_;      // end of the file on disk: zeros between size_ and it
  uint64_t chunk_ = 0;       // SetPreallocation's chunk; 0: no zeros written ahead
  bool positioned_ = false;  // O_APPEND cleared
};

class PosixSequentialFile final : public SequentialFile {
 public:
  PosixSequentialFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixSequentialFile() override { ::close(fd_); }
  Result<size_t> Read(char* buf, size_t n) override {
    while (true) {
      ssize_t r = ::read(fd_, buf, n);
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) return ErrnoStatus("read " + path_, errno);
      return static_cast<size_t>(r);
    }
  }

 private:
  std::string path_;
  int fd_;
};

struct TscRate {
  bool usable = false;
  double us_per_tick = 1.0;
};

int64_t MonotonicNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

#if defined(__x86_64__)
TscRate MeasureTscRate() {
  TscRate rate;
  std::ifstream source("/sys/devices/system/clocksource/clocksource0/current_clocksource");
  std::string name;
  if (!(source >> name) || name != "tsc") return rate;
  // 2 ms against CLOCK_MONOTONIC: a rate within a few parts per million,
  // far below the microsecond the statistics are kept in.
  const int64_t t0 = MonotonicNs();
  const uint64_t c0 = __rdtsc();
  int64_t t1 = t0;
  while (t1 - t0 < 2000000) t1 = MonotonicNs();
  const uint64_t c1 = __rdtsc();
  if (c1 <= c0) return rate;
  rate.usable = true;
  rate.us_per_tick = static_cast<double>(t1 - t0) / 1000.0 / static_cast<double>(c1 - c0);
  return rate;
}
#else
TscRate MeasureTscRate() { return {}; }
#endif

const TscRate& ProcessTscRate() {
  static const TscRate rate = MeasureTscRate();
  return rate;
}

}  // namespace

RealClock::RealClock()
    : tsc_(ProcessTscRate().usable), us_per_tick_(tsc_ ? ProcessTscRate().us_per_tick : 1.0) {}

uint64_t RealClock::Ticks() {
#if defined(__x86_64__)
  if (tsc_) return __rdtsc();
#endif
  return static_cast<uint64_t>(MonotonicUs());
}

int64_t RealClock::WallUs() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

int64_t RealClock::MonotonicUs() { return MonotonicNs() / 1000; }

OsSeededRandom::OsSeededRandom() {
  if (getrandom(s_, sizeof(s_), 0) != static_cast<ssize_t>(sizeof(s_))) {
    // getrandom cannot fail for 32 bytes on Linux >= 3.17; mix the clock in
    // anyway rather than run with a zero state.
    RealClock c;
    s_[0] = static_cast<uint64_t>(c.WallUs());
    s_[1] = static_cast<uint64_t>(c.MonotonicUs());
    s_[2] = static_cast<uint64_t>(getpid());
    s_[3] = 0x9e3779b97f4a7c15ULL;
  }
}

uint64_t OsSeededRandom::Next64() {
  auto rotl = [](uint64_t x, int k) { return (x << k) | (x >> (64 - k)); };
  const uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

SharedFd::~SharedFd() {
  if (fd >= 0) ::close(fd);
}

PosixFileSystem::PosixFileSystem(Completion on_sync_done)
    : on_sync_done_(std::move(on_sync_done)), worker_([this] { Worker(); }) {}

PosixFileSystem::~PosixFileSystem() { StopSyncs(); }

void PosixFileSystem::StopSyncs() {
  RunWaitedSyncs();
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

Result<std::unique_ptr<WritableFile>> PosixFileSystem::OpenAppend(const std::string& path,
                                                                  bool truncate) {
  int flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (truncate ? O_TRUNC : 0);
  int fd = ::open(path.c_str(), flags, 0644);
  if (fd < 0) return ErrnoStatus("open " + path, errno);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return ErrnoStatus("stat " + path, err);
  }
  return std::unique_ptr<WritableFile>(std::make_unique<PosixWritableFile>(
      this, path, std::make_shared<SharedFd>(fd), static_cast<uint64_t>(st.st_size)));
}

Result<std::unique_ptr<SequentialFile>> PosixFileSystem::OpenRead(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("open " + path, errno);
  return std::unique_ptr<SequentialFile>(std::make_unique<PosixSequentialFile>(path, fd));
}

Result<uint64_t> PosixFileSystem::FileSize(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return ErrnoStatus("stat " + path, errno);
  return static_cast<uint64_t>(st.st_size);
}

bool PosixFileSystem::Exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

Status PosixFileSystem::CreateDir(const std::string& path) {
  if (::mkdir(path.c_str(), 0755) == 0 || errno == EEXIST) {
    struct stat st;
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return Status::Ok();
    return Status::Io("mkdir " + path + ": exists and is not a directory");
  }
  return ErrnoStatus("mkdir " + path, errno);
}

Result<std::vector<std::string>> PosixFileSystem::ListDir(const std::string& path) {
  DIR* d = ::opendir(path.c_str());
  if (d == nullptr) return ErrnoStatus("opendir " + path, errno);
  std::vector<std::string> names;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(std::move(name));
  }
  ::closedir(d);
  return names;
}

Status PosixFileSystem::Rename(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) return ErrnoStatus("rename " + from, errno);
  return Status::Ok();
}

// Unlinking the last name of a closed file frees its blocks on the spot (a
// rewrite's old base can be hundreds of megabytes): held open across the
// unlink, the file is freed by the sync thread's close instead.
Status PosixFileSystem::Remove(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (::unlink(path.c_str()) != 0) {
    const int err = errno;
    if (fd >= 0) ::close(fd);
    return ErrnoStatus("unlink " + path, err);
  }
  if (fd >= 0) Retire(std::make_shared<SharedFd>(fd));
  return Status::Ok();
}

Status PosixFileSystem::Truncate(const std::string& path, uint64_t size) {
  if (::truncate(path.c_str(), static_cast<off_t>(size)) != 0) {
    return ErrnoStatus("truncate " + path, errno);
  }
  return Status::Ok();
}

void PosixFileSystem::RequestSync(WritableFile& file, uint64_t token) {
  auto& posix = static_cast<PosixWritableFile&>(file);
  Enqueue(SyncJob{posix.shared_fd(), {}, token});
}

void PosixFileSystem::RequestWaitedSync(WritableFile& file, uint64_t token) {
  if (!on_waited_done_) {
    RequestSync(file, token);
    return;
  }
  auto& posix = static_cast<PosixWritableFile&>(file);
  waited_.push_back(SyncJob{posix.shared_fd(), {}, token});
}

void PosixFileSystem::RunWaitedSyncs() {
  // Swapped out first (a completion may request another sync); the two
  // vectors trade places, so their capacity is kept.
  while (!waited_.empty()) {
    running_.swap(waited_);
    for (SyncJob& job : running_) {
      Status st = RunSync(job);
      job.fd.reset();
      on_waited_done_(job.token, st);
    }
    running_.clear();
  }
}

void PosixFileSystem::RequestDirSync(const std::string& path, uint64_t token) {
  Enqueue(SyncJob{nullptr, path, token});
}

void PosixFileSystem::Retire(std::shared_ptr<SharedFd> fd, bool sync_first) {
  if (!fd) return;
  Enqueue(SyncJob{std::move(fd), {}, 0, /*close_only=*/true, sync_first});
}

void PosixFileSystem::Enqueue(SyncJob job) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    jobs_.push_back(std::move(job));
  }
  cv_.notify_one();
}

void PosixFileSystem::Worker() {
  while (true) {
    SyncJob job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopping, queue drained
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    if (job.close_only) {
      // A cut zero tail: best effort, since a power loss that brings the
      // zeros back leaves a file the loader accepts.
      if (job.sync_first) (void)::fdatasync(job.fd->fd);
      job.fd.reset();  // closes it unless a pending sync still holds it
      continue;
    }
    Status st = RunSync(job);
    job.fd.reset();
    if (on_sync_done_) on_sync_done_(job.token, st);
  }
}

Status PosixFileSystem::RunSync(const SyncJob& job) {
  if (job.fd) {
    if (::fdatasync(job.fd->fd) != 0) return ErrnoStatus("fdatasync", errno);
    return Status::Ok();
  }
  int fd = ::open(job.dir_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("open dir " + job.dir_path, errno);
  Status st;
  if (::fsync(fd) != 0) st = ErrnoStatus("fsync dir " + job.dir_path, errno);
  ::close(fd);
  return st;
}

SpdLogger::SpdLogger(const std::string& file, LogLevel level) : level_(level) {
  Status st = Reopen(file);
  if (!st.ok()) {
    logger_ = std::make_shared<spdlog::logger>("cairn",
                                               std::make_shared<spdlog::sinks::stdout_sink_mt>());
  }
}

SpdLogger::~SpdLogger() = default;

Status SpdLogger::Reopen(const std::string& file) {
  try {
    spdlog::sink_ptr sink;
    if (file.empty()) {
      sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
    } else {
      sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(file, false);
    }
    auto logger = std::make_shared<spdlog::logger>("cairn", sink);
    logger->set_pattern("%P:M %d %b %Y %H:%M:%S.%e %^%L%$ %v");
    logger->flush_on(spdlog::level::trace);
    logger->set_level(spdlog::level::trace);
    logger_ = std::move(logger);
    return Status::Ok();
  } catch (const spdlog::spdlog_ex& e) {
    return Status::Io(std::string("log: ") + e.what());
  }
}

void SpdLogger::Log(LogLevel level, std::string_view message) {
  if (level < level_) return;
  spdlog::level::level_enum l = spdlog::level::info;
  switch (level) {
    case LogLevel::kDebug:
    case LogLevel::kVerbose:  // spdlog has no level between debug and info
      l = spdlog::level::debug;
      break;
    case LogLevel::kNotice:
      l = spdlog::level::info;
      break;
    case LogLevel::kWarning:
      l = spdlog::level::warn;
      break;
  }
  logger_->log(l, "{}", message);
}

LogLevel ParseLogLevel(std::string_view name) {
  if (name == "debug") return LogLevel::kDebug;
  if (name == "verbose") return LogLevel::kVerbose;
  if (name == "warning") return LogLevel::kWarning;
  return LogLevel::kNotice;
}

PosixEnv::PosixEnv(PosixFileSystem::Completion on_sync_done) : fs_(std::move(on_sync_done)) {}

}  // namespace cairn
