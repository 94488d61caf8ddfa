// Engine: the deterministic core both worlds drive.
//
// The engine owns the keyspace, the configuration, the command table and the
// sessions. It never touches a socket, a thread, the clock or a file except
// through its Env, so the same sequence of calls with the same Env behaviour
// gives the same bytes -- which is what lets the simulator (sim/) prove what
// production (net/) runs.
//
// A world drives it like this, once per wake-up:
//   1. For every session with input: read into InputSpace(), then
//      OnInput(session, n). Every complete request is parsed and executed at
//      once; replies are appended to the session's output.
//   2. EndBatch(): the batch point. Effects of the batch's writes go to the
//      append-only file here (durability issue), and sessions whose output
//      can be released are queued.
//   3. TakeReady(): sessions with releasable output or a close decision; the
//      world writes Output() and calls ConsumeOutput(), closes sessions whose
//      ShouldClose() says so and then calls CloseSession().
//   4. Tick() every TickIntervalUs(): active expiry, timeouts, statistics.
//
// Invariants:
//   - Requests of one session execute in arrival order; replies appear in the
//     same order. Requests after a protocol error, QUIT or a kill never run.
//   - A session pointer stays valid until CloseSession(session).
//   - No iteration that reaches a reply or a file depends on addresses.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/command/command.h"
#include "engine/config/config.h"
#include "engine/durability.h"
#include "engine/effect_sink.h"
#include "engine/env/env.h"
#include "engine/host.h"
#include "engine/keyspace/keyspace.h"
#include "engine/resp/reply_writer.h"
#include "engine/session.h"
#include "engine/stats.h"

namespace cairn {

class SlowLog;
class LatencyMonitor;
class DatabaseCron;

enum class ShutdownState : uint8_t {
  kRunning,
  kRequested,  // SHUTDOWN or a signal: finishing (flushing the log)
  kDone,       // the world should stop and exit with exit_code()
};

// SHUTDOWN's modifiers, as Redis 7.0 takes them. Cairn has no replicas to
// wait for (NOW changes nothing) and no snapshots (SAVE/NOSAVE change
// nothing); the append-only file is flushed and synced on every shutdown.
struct ShutdownOptions {
  bool from_signal = false;
  bool save = false;
  bool nosave = false;
  bool now = false;
  bool force = false;  // exit even if the final flush fails
};

class Engine {
 public:
  Engine(Env& env, Config config, EngineHost* host = nullptr);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Prepares the data directory and loads persisted data. Must succeed
  // before any session opens.
  Status Start();

  // Sessions.
  Session* OpenSession(SessionInfo info);
  void CloseSession(Session* s);
  size_t session_count() const { return sessions_.size(); }

  // Input: read up to span.size() bytes into InputSpace, then OnInput.
  std::span<char> InputSpace(Session* s, size_t min_free = 16 * 1024);
  void OnInput(Session* s, size_t n);
  // Copies bytes in and processes them (tests, the simulator).
  void Feed(Session* s, std::string_view bytes);

  // The batch point: call after feeding everything that was ready.
  void EndBatch();

  // Sessions that need the world: releasable output or a close decision.
  // Each is returned once per change.
  void TakeReady(std::vector<Session*>& out);
  // Releasable output and its consumption after a (partial) write.
  // Under appendfsync always, replies whose log position is not durable yet
  // are held back (durability.h).
  std::string_view Output(Session* s) const;
  void ConsumeOutput(Session* s, size_t n);
  // The world should close the connection now (after writing what
  // Output() holds, unless close_asap dropped it).
  bool ShouldClose(const Session* s) const {
    return s->close_asap || (s->close_after_reply && s->output.empty());
  }
  // Back-pressure: the world should not read this session now.
  bool ReadPaused(const Session* s) const;
  // Some of s's replies wait for their log position to become durable
  // (appendfsync always). A client waiting for its reply sends nothing
  // before it, so a world may leave the session unread until the replies are
  // released (net/server.cc: a read tried then finds the next request).
  bool OutputHeld(const Session* s) const { return !s->holds.empty(); }

  // Timers.
  void Tick();
  int64_t TickIntervalUs() const;

  // Work the engine does between requests (a rewrite's walk of the
  // keyspace): while HasBackgroundWork() holds, the world calls
  // BackgroundStep() whenever no input is waiting, instead of sleeping until
  // the next event. Each step is bounded (a couple of milliseconds), so a
  // request arriving meanwhile waits at most that long.
  bool HasBackgroundWork() const;
  void BackgroundStep();

  // Durability events from the world (see env.h).
  void OnSynced(uint64_t token, const Status& status);

  // Shutdown: SHUTDOWN, SIGTERM/SIGINT (from_signal). An error means the
  // server keeps running (SHUTDOWN replies "Errors trying to SHUTDOWN").
  void RequestShutdown(bool from_signal);
  Status RequestShutdown(const ShutdownOptions& options);
  // SHUTDOWN ABORT: cancels a shutdown still in kRequested; false when
  // there is none.
  bool AbortShutdown();
  ShutdownState shutdown_state() const { return shutdown_state_; }
  int exit_code() const { return exit_code_; }

  // --- For the command layer. ---
  Env& env() { return env_; }
  EngineHost& host() { return *host_; }
  Config& config() { return config_; }
  const Settings& settings() const { return config_.settings(); }
  Keyspace& keyspace() { return *keyspace_; }
  CommandTable& commands() { return *table_; }
  ServerStats& stats() { return stats_; }
  SlowLog& slowlog() { return *slowlog_; }
  LatencyMonitor& latency() { return *latency_; }
  const std::map<uint64_t, std::unique_ptr<Session>>& sessions() const { return sessions_; }
  Session* FindSession(uint64_t id);
  const std::string& run_id() const { return run_id_; }
  int64_t start_time_ms() const { return start_time_ms_; }
  int64_t start_monotonic_us() const { return start_monotonic_us_; }
  int64_t last_save_time_sec() const { return last_save_time_sec_; }
  // The wall clock in ms, read once per input batch / tick / command.
  int64_t now_ms() const { return now_ms_; }
  int64_t RefreshNow();
  // Redis's 24-bit LRU clock (seconds).
  uint32_t LruClock() const;

  // Marks a session for the world's attention (output or close).
  void MarkReady(Session* s);
  // Closes a session as soon as the world sees it (CLIENT KILL, timeouts).
  void KillSession(Session* s);
  // MONITOR; RESET ends it.
  void AddMonitor(Session* s);
  void RemoveMonitor(Session* s);
  // Whether the session must authenticate before running commands.
  bool AuthRequired(const Session* s) const;
  // Records the effect of a write command in db, in execution order (the
  // append-only file's input). args[0] is the command name.
  void Propagate(int db, std::span<const std::string_view> args);
  uint64_t propagated_count() const { return propagated_count_; }
  // Observes every effect (tests); nullptr to stop.
  void set_effect_observer(EffectSink* sink) { effect_observer_ = sink; }

  // The append-only file (durability.h).
  Durability& durability() { return *durability_; }
  const Durability& durability() const { return *durability_; }
  // While the AOF loads: nothing is logged, nothing expires.
  bool loading() const { return durability_->loading(); }
  // Runs one record of the AOF as the loader's client: no reply, no
  // statistics; an unknown command or a wrong arity is an error.
  Status Replay(std::span<const std::string_view> args);
  void ResetLoaderSession();

  // The simulator's planted-bug bits (engine/util/planted_bugs.h); they act
  // only in CAIRN_PLANTED_BUGS builds.
  uint32_t planted_bugs = 0;

  // Called after CONFIG SET changed these parameters.
  Status OnConfigChanged(const std::vector<std::string>& names);
  // CONFIG RESETSTAT: zeroes the statistics INFO reports (server counters,
  // command and error statistics); the count of changes since the last save
  // is not a statistic and stays.
  void ResetStats();

 private:
  void ProcessInput(Session* s);
  // Prefetches the keys of the requests waiting in s's input (engine.cc).
  void PrefetchPipeline(Session* s);
  // Less input than this holds at most one small request: nothing to overlap.
  static constexpr size_t kMinPrefetchInput = 64;
  void Execute(Session* s);
  void FeedMonitors(Session* s, std::span<const std::string_view> argv);
  void ReleaseSession(Session* s);
  void CloseIdleSessions();
  void CheckDurabilityFatal();
  // Closes s when its unsent replies pass client-output-buffer-limit.
  void CheckOutputLimit(Session* s);

  Env& env_;
  EngineHost default_host_;
  EngineHost* host_;
  Config config_;
  std::unique_ptr<Keyspace> keyspace_;
  std::unique_ptr<CommandTable> table_;
  std::unique_ptr<SlowLog> slowlog_;
  std::unique_ptr<LatencyMonitor> latency_;
  std::unique_ptr<DatabaseCron> db_cron_;  // active expiry, table upkeep
  std::unique_ptr<Durability> durability_;
  std::unique_ptr<Session> loader_session_;  // the AOF loader's client
  ServerStats stats_;
  std::map<uint64_t, std::unique_ptr<Session>> sessions_;  // by id: creation order
  std::vector<Session*> ready_;
  std::vector<Session*> monitors_;
  EffectSink* effect_observer_ = nullptr;
  ByteBuffer discard_;  // replies of CLIENT REPLY OFF/SKIP land here
  uint64_t next_session_id_ = 1;
  uint64_t propagated_count_ = 0;
  std::string run_id_;
  int64_t now_ms_ = 0;
  int64_t start_time_ms_ = 0;
  int64_t start_monotonic_us_ = 0;
  // Clock::Ticks to microseconds, for each command's duration.
  double us_per_tick_ = 1.0;
  // Each command's duration (INFO commandstats, SLOWLOG, LATENCY) runs from
  // the end of the command before it in the same input, or from when the
  // input was taken up, to its own end: it includes parsing its request (tens
  // of nanoseconds), and a command costs one clock read rather than two (the
  // two were 8% of the server's time at the original GET load).
  Clock& clock_;
  uint64_t command_ticks_ = 0;
  int64_t last_save_time_sec_ = 0;
  int64_t last_tick_ms_ = 0;
  ShutdownState shutdown_state_ = ShutdownState::kRunning;
  int exit_code_ = 0;
  bool started_ = false;
};

}  // namespace cairn
