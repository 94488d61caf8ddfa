#include "bench/support/bench_env.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <utility>

#include <stdlib.h>

namespace cairn::bench {

uint64_t FixedSeedRandom::Next64() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

void WarningLogger::Log(LogLevel level, std::string_view message) {
  if (level < LogLevel::kWarning) return;
  std::fprintf(stderr, "engine: %.*s\n", static_cast<int>(message.size()), message.data());
}

// Completions arrive on the sync thread; the engine takes them on its own.
struct InprocEngine::SyncQueue {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::pair<uint64_t, Status>> done;
};

InprocEngine::InprocEngine(const std::vector<std::string>& config_args)
    : syncs_(std::make_unique<SyncQueue>()) {
  env_.posix_fs().set_completion([q = syncs_.get()](uint64_t token, Status status) {
    std::lock_guard<std::mutex> lock(q->mu);
    q->done.emplace_back(token, std::move(status));
    q->cv.notify_one();
  });
  std::vector<std::string> args = config_args;
  if (std::find(args.begin(), args.end(), "--dir") == args.end()) {
    std::string pattern = (std::filesystem::temp_directory_path() / "kv-bench.XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("bench: mkdtemp: " + std::string(std::strerror(errno)));
    }
    own_dir_ = pattern;
    args.insert(args.begin(), {"--dir", own_dir_});
  }
  Config config;
  Status st = config.ApplyArgs(args);
  if (!st.ok()) throw std::runtime_error("bench: config: " + st.message());
  engine_ = std::make_unique<Engine>(env_, std::move(config));
  st = engine_->Start();
  if (!st.ok()) throw std::runtime_error("bench: engine start: " + st.message());
}

InprocEngine::~InprocEngine() {
  // No sync may still be running on a file the engine owns.
  env_.posix_fs().StopSyncs();
  engine_.reset();
  if (!own_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(own_dir_, ec);
  }
}

Session* InprocEngine::NewSession() {
  SessionInfo info;
  info.peer = "127.0.0.1:" + std::to_string(next_port_++);
  info.local = "127.0.0.1:6379";
  return engine_->OpenSession(std::move(info));
}

size_t InprocEngine::Drain(Session* s, std::string* reply) {
  size_t got = 0;
  engine_->TakeReady(ready_);
  for (Session* r : ready_) {
    std::string_view out = engine_->Output(r);
    if (r == s) {
      got += out.size();
      if (reply != nullptr) reply->append(out);
    }
    engine_->ConsumeOutput(r, out.size());
  }
  return got;
}

size_t InprocEngine::RoundTrip(Session* s, std::string_view bytes, std::string* reply) {
  engine_->Feed(s, bytes);
  engine_->EndBatch();
  return Drain(s, reply);
}

size_t InprocEngine::DeliverSyncs(bool wait) {
  std::vector<std::pair<uint64_t, Status>> done;
  {
    std::unique_lock<std::mutex> lock(syncs_->mu);
    if (wait && syncs_->done.empty()) {
      syncs_->cv.wait_for(lock, std::chrono::milliseconds(100));
    }
    done.swap(syncs_->done);
  }
  for (auto& [token, status] : done) engine_->OnSynced(token, status);
  return done.size();
}

size_t InprocEngine::Pump(Session* s, std::string* reply, bool wait) {
  DeliverSyncs(wait);
  engine_->EndBatch();
  return Drain(s, reply);
}

}  // namespace cairn::bench
