// Server: kv-server's event loop -- Boost.Asio sockets around one Engine.
//
// One thread owns the io_context, the Engine and every client socket, as
// Redis's main thread does. A wake-up is bounded explicitly: run_one() waits
// for the first ready event, poll() runs every other one already ready; each
// readable connection is read once (an async_read_some straight into the
// engine's input buffer, which parses and executes every complete request;
// bytes read just as back-pressure began wait unparsed until it ends).
// Then the batch ends (Engine::EndBatch, the group-commit point; under
// appendfsync always the batch's fdatasync runs right there, on this
// thread), every session with releasable output is written with one
// non-blocking write, and reads are re-armed. A socket that cannot take all its output waits for
// writability without holding up anyone else.
//
// Threads other than this one only post completions (background fdatasync
// results) onto the io_context.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio.hpp>

#include "engine/engine.h"
#include "engine/host.h"

namespace cairn {

class PosixEnv;

class Server final : public EngineHost {
 public:
  Server(boost::asio::io_context& io, PosixEnv& env);
  ~Server() override;

  // Binds the listeners of settings (port 0: no TCP listener).
  Status Listen(const Settings& settings);
  void set_engine(Engine* engine) { engine_ = engine; }
  // Runs until the engine's shutdown completes; returns the exit code.
  int Run();
  // A sync requested through the PosixEnv finished (on this thread).
  void OnSyncDone(uint64_t token, const Status& status) { engine_->OnSynced(token, status); }

  // INFO's mem_allocator (kv-server's main knows which malloc it linked).
  void set_allocator_name(std::string name) { allocator_name_ = std::move(name); }

  // The first bound TCP port (after Listen), or 0.
  uint16_t bound_port() const { return bound_port_; }

  // EngineHost.
  ProcessFacts Facts() override;
  CpuTimes Cpu() override;
  uint64_t RssBytes() override;
  Status ApplyListenerConfig(const Settings& settings) override;
  void ApplyLogConfig(const Settings& settings) override;
  // Run() steps a rewrite's walk after every batch's replies.
  bool StepsAfterEveryBatch() const override { return true; }

 private:
  struct Connection;
  struct Listener;

  using ConnectionPtr = std::shared_ptr<Connection>;

  void Accept(const std::shared_ptr<Listener>& l);
  void ArmRead(const ConnectionPtr& c);
  void OnRead(const ConnectionPtr& c, size_t n);
  void Resume(const ConnectionPtr& c);
  void Rearm(const ConnectionPtr& c);
  void AfterWake();
  void Flush(const ConnectionPtr& c);
  void ArmWrite(const ConnectionPtr& c);
  void Close(const ConnectionPtr& c);
  void ScheduleTick();
  void WaitForHangup();
  void CloseListeners();

  boost::asio::io_context& io_;
  PosixEnv& env_;
  Engine* engine_ = nullptr;
  std::vector<std::shared_ptr<Listener>> listeners_;
  // Handlers hold a reference too, so a closed connection lives until its
  // cancelled handlers have run.
  std::unordered_map<Session*, ConnectionPtr> connections_;
  std::vector<ConnectionPtr> to_rearm_;
  // Read-paused connections (no read armed), checked after every wake-up.
  std::vector<ConnectionPtr> paused_;
  // Connections left unread while their replies wait for a sync (always),
  // and the previous wake-up's list while it is checked again.
  std::vector<ConnectionPtr> held_;
  std::vector<ConnectionPtr> rechecked_;
  std::vector<Session*> ready_;
  boost::asio::steady_timer tick_timer_;
  boost::asio::signal_set signals_;
  // SIGHUP reopens the logfile (log rotation: the rotator renames the file,
  // then signals; later lines go to a new file under the configured name).
  boost::asio::signal_set hup_signals_;
  std::string allocator_name_ = "libc";
  uint16_t bound_port_ = 0;
  bool stopping_ = false;
};

}  // namespace cairn
