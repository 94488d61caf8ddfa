#include "engine/engine.h"

#include <algorithm>
#include <cstdio>

#include "engine/command/context.h"
#include "engine/command/latency_monitor.h"
#include "engine/command/slowlog.h"
#include "engine/database_cron.h"
#include "engine/keyspace/access_clock.h"
#include "engine/output_limit.h"
#include "engine/protected_mode.h"
#include "engine/resp/request_peek.h"
#include "engine/util/planted_bugs.h"
#include "engine/util/repr.h"
#include "engine/util/strconv.h"

namespace cairn {
namespace {

SipKey DrawHashKey(RandomSource& random) {
  SipKey key{};
  for (size_t i = 0; i < key.size(); i += 8) {
    uint64_t v = random.Next64();
    for (size_t j = 0; j < 8; ++j) key[i + j] = static_cast<uint8_t>(v >> (8 * j));
  }
  return key;
}

std::string DrawRunId(RandomSource& random) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(40, '0');
  uint64_t v = 0;
  for (size_t i = 0; i < id.size(); ++i) {
    if (i % 16 == 0) v = random.Next64();
    id[i] = kHex[v & 0xf];
    v >>= 4;
  }
  return id;
}

constexpr std::string_view kNoAuth = "NOAUTH Authentication required.";
// The reply buffer an unauthenticated client may fill (Redis's static
// per-client buffer).
constexpr size_t kUnauthenticatedOutputLimit = 16 * 1024;

}  // namespace

Engine::Engine(Env& env, Config config, EngineHost* host)
    : env_(env),
      host_(host ? host : &default_host_),
      config_(std::move(config)),
      slowlog_(std::make_unique<SlowLog>()),
      latency_(std::make_unique<LatencyMonitor>()),
      us_per_tick_(env_.clock().UsPerTick()),
      clock_(env_.clock()) {
  keyspace_ = std::make_unique<Keyspace>(static_cast<int>(settings().databases),
                                         DrawHashKey(env_.random()));
  db_cron_ = std::make_unique<DatabaseCron>(*this);
  durability_ = std::make_unique<Durability>(*this);
  run_id_ = DrawRunId(env_.random());
}

Engine::~Engine() = default;

Status Engine::Start() {
  auto table = CommandTable::Build();
  if (!table.ok()) return table.status();
  table_ = std::move(table).value();
  for (const auto& [from, to] : config_.renamed_commands()) {
    Status st = table_->Rename(from, to);
    if (!st.ok()) return Status::Invalid("rename-command " + from + ": " + st.message());
  }
  RefreshNow();
  start_time_ms_ = now_ms_;
  start_monotonic_us_ = env_.clock().MonotonicUs();
  last_save_time_sec_ = now_ms_ / 1000;
  last_tick_ms_ = now_ms_;
  Status st = env_.fs().CreateDir(settings().dir);
  if (!st.ok()) return st.Prefixed("server: cannot create dir " + settings().dir);
  st = durability_->Start();
  if (!st.ok()) return st;
  started_ = true;
  return Status::Ok();
}

int64_t Engine::RefreshNow() {
  now_ms_ = env_.clock().WallUs() / 1000;
  // New objects get the access clock of now (LRU, or LFU under an LFU
  // policy), whoever stores them.
  keyspace_->set_fresh_access(IsLfuPolicy(settings().maxmemory_policy) ? LfuFresh(now_ms_)
                                                                       : LruClockAt(now_ms_));
  return now_ms_;
}

uint32_t Engine::LruClock() const { return static_cast<uint32_t>(now_ms_ / 1000) & Entry::kLruMax; }

bool Engine::AuthRequired(const Session* s) const {
  return !settings().requirepass.empty() && !s->authenticated;
}

Session* Engine::OpenSession(SessionInfo info) {
  RefreshNow();
  auto owned = std::make_unique<Session>();
  Session* s = owned.get();
  s->id = next_session_id_++;
  s->info = std::move(info);
  s->created_ms = now_ms_;
  s->last_interaction_ms = now_ms_;
  s->authenticated = settings().requirepass.empty();
  sessions_.emplace(s->id, std::move(owned));
  ++stats_.total_connections_received;
  if (static_cast<int64_t>(sessions_.size()) > settings().maxclients) {
    ++stats_.rejected_connections;
    s->output.Append("-ERR max number of clients reached\r\n");
    s->close_after_reply = true;
    MarkReady(s);
  } else if (DeniedByProtectedMode(settings(), s->info)) {
    // Refused at connect, before reading anything, as Redis does.
    ++stats_.rejected_connections;
    s->output.Append(kProtectedModeDenied);
    s->close_after_reply = true;
    MarkReady(s);
  }
  return s;
}

std::string_view Engine::Output(Session* s) const {
  return s->output.readable().substr(0, durability_->Releasable(s));
}

Status Engine::Replay(std::span<const std::string_view> args) {
  if (!loader_session_) {
    loader_session_ = std::make_unique<Session>();
    loader_session_->authenticated = true;
  }
  Session* s = loader_session_.get();
  Command* cmd = table_->Find(args[0]);
  const Command* run = cmd;
  if (cmd != nullptr && cmd->is_container() && args.size() >= 2) run = cmd->FindSubcommand(args[1]);
  if (cmd == nullptr || run == nullptr) {
    return Status::Corruption("Unknown command '" + std::string(args[0].substr(0, 128)) +
                              "' reading the append only file (a type or command Cairn does "
                              "not have yet)" +
                              (args.size() > 1
                                   ? " for key '" + std::string(args[1].substr(0, 128)) + "'"
                                   : std::string()));
  }
  int arity = run->arity();
  if ((arity > 0 && static_cast<int>(args.size()) != arity) ||
      static_cast<int>(args.size()) < -arity) {
    return Status::Corruption("wrong number of arguments for '" + run->fullname +
                              "' reading the append only file");
  }
  s->argv.assign(args.begin(), args.end());
  discard_.Clear();
  ReplyWriter w(discard_, 2, nullptr);
  CommandContext ctx(*this, *s, *run, w);
  run->handler(ctx);
  discard_.Clear();
  s->argv.clear();
  return Status::Ok();
}

void Engine::ResetLoaderSession() { loader_session_.reset(); }

void Engine::CloseSession(Session* s) {
  if (s->monitor) {
    monitors_.erase(std::remove(monitors_.begin(), monitors_.end(), s), monitors_.end());
  }
  ready_.erase(std::remove(ready_.begin(), ready_.end(), s), ready_.end());
  sessions_.erase(s->id);
}

Session* Engine::FindSession(uint64_t id) {
  auto it = sessions_.find(id);
  return it == sessions_.end() ? nullptr : it->second.get();
}

std::span<char> Engine::InputSpace(Session* s, size_t min_free) {
  size_t want = min_free;
  size_t hint = s->parser.NeedHint();
  if (hint > s->input.size() && hint - s->input.size() > want) want = hint - s->input.size();
  return s->input.PrepareWrite(want);
}

void Engine::OnInput(Session* s, size_t n) {
  s->input.CommitWrite(n);
  s->net_input_bytes += n;
  ++stats_.total_reads_processed;
  stats_.total_net_input_bytes += n;
  RefreshNow();
  s->last_interaction_ms = now_ms_;
  ProcessInput(s);
  if (!s->closing() &&
      static_cast<int64_t>(s->input.size()) > settings().client_query_buffer_limit) {
    env_.logger().Log(LogLevel::kWarning,
                      "Closing client that reached max query buffer length (id=" +
                          std::to_string(s->id) + " addr=" + s->info.peer + ")");
    ++stats_.client_qbuf_limit_disconnections;
    KillSession(s);
  }
}

void Engine::Feed(Session* s, std::string_view bytes) {
  auto span = InputSpace(s, bytes.size());
  std::copy(bytes.begin(), bytes.end(), span.begin());
  OnInput(s, bytes.size());
}

void Engine::ProcessInput(Session* s) {
  s->executing = true;
  PrefetchPipeline(s);
  ParserLimits limits;
  limits.max_bulk_len = settings().proto_max_bulk_len;
  command_ticks_ = clock_.Ticks();
  // Nothing runs once the shutdown is decided: Redis exits before it reads
  // the rest of a pipeline. (While it is still kRequested, SHUTDOWN ABORT
  // must be able to run.)
  while (!s->closing() && !s->input.empty() && shutdown_state_ != ShutdownState::kDone) {
    limits.auth_required = AuthRequired(s);
    size_t consumed = 0;
    auto outcome = s->parser.Parse(std::span<char>(s->input.data(), s->input.size()), limits,
                                   s->argv, &consumed);
    if (outcome == RequestParser::Outcome::kIncomplete) break;
    if (outcome == RequestParser::Outcome::kError) {
      // The error reply follows the replies of the requests before it; the
      // connection closes once they are written. Redis logs the reason.
      ReplyWriter w(s->output, s->resp, &stats_);
      w.Error("ERR " + s->parser.error());
      env_.logger().Log(LogLevel::kVerbose, "Protocol error (" + s->parser.error() +
                                                ") from client: id=" + std::to_string(s->id) +
                                                " addr=" + s->info.peer);
      s->input.Clear();
      s->parser.Reset();
      s->close_after_reply = true;
      MarkReady(s);
      break;
    }
    if (outcome == RequestParser::Outcome::kRequest) Execute(s);
    s->input.Consume(consumed);
    if (Planted(planted_bugs, kBugStalledPipeline) && s->commands_processed % 7 == 3) break;
  }
  s->argv.clear();
  s->executing = false;
}

// A pipeline's keys are looked up one after another, each lookup waiting for
// its bucket and then its entry to come from memory; with the whole
// pipeline's lines requested first, those waits overlap (at -P 16 with 100K
// keys the two misses were a third of the server's time).
void Engine::PrefetchPipeline(Session* s) {
  if (s->input.size() < kMinPrefetchInput) return;
  std::string_view keys[Database::kMaxPrefetch];
  const size_t n = PeekSecondArgs(std::string_view(s->input.data(), s->input.size()), keys,
                                  Database::kMaxPrefetch);
  if (n < 2) return;
  keyspace_->db(s->db).Prefetch(std::span<const std::string_view>(keys, n));
}

void Engine::Execute(Session* s) {
  ByteBuffer& target = (s->reply_mode == ReplyMode::kOff || s->reply_mode == ReplyMode::kSkipThis)
                           ? discard_
                           : s->output;
  ReplyWriter w(target, s->resp, &stats_);
  const auto& argv = s->argv;
  Command* cmd = table_->Find(argv[0]);
  const Command* run = cmd;

  auto finish = [&] {
    discard_.Clear();
    if (s->output.size() > s->output_peak) s->output_peak = s->output.size();
    if (s->reply_mode == ReplyMode::kSkipThis) {
      s->reply_mode = ReplyMode::kOn;
    } else if (s->reply_mode == ReplyMode::kSkipNext) {
      s->reply_mode = ReplyMode::kSkipThis;
    }
    // A client that has not authenticated may not make the server hold
    // replies for it: once its unsent replies outgrow one reply buffer it is
    // closed and they are dropped (redis-server 7.0.15 as Debian 12 ships it).
    if (s->output.size() > kUnauthenticatedOutputLimit && AuthRequired(s)) {
      env_.logger().Log(LogLevel::kWarning,
                        "Closing unauthenticated client over the output buffer limit (id=" +
                            std::to_string(s->id) + " addr=" + s->info.peer + ")");
      ++stats_.client_outbuf_limit_disconnections;
      KillSession(s);
    }
    CheckOutputLimit(s);
    if (!s->output.empty() || s->closing()) MarkReady(s);
  };

  if (cmd == nullptr) {
    s->last_command = nullptr;
    // Redis prints C strings here: text stops at a NUL byte.
    auto cstr = [](std::string_view a) { return a.substr(0, a.find('\0')); };
    std::string args;
    for (size_t i = 1; i < argv.size() && args.size() < 128; ++i) {
      size_t room = 128 - args.size();
      args += '\'';
      args += cstr(argv[i]).substr(0, room);
      args += "' ";
    }
    w.Error("ERR unknown command '" + std::string(cstr(argv[0]).substr(0, 128)) +
            "', with args beginning with: " + args);
    finish();
    return;
  }
  if (cmd->is_container() && argv.size() >= 2) {
    const Command* sub = cmd->FindSubcommand(argv[1]);
    if (sub == nullptr) {
      s->last_command = nullptr;
      std::string upper(argv[0].substr(0, argv[0].find('\0')));
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      std::string_view name = argv[1].substr(0, argv[1].find('\0'));
      w.Error("ERR unknown subcommand '" + std::string(name.substr(0, 128)) + "'. Try " + upper +
              " HELP.");
      finish();
      return;
    }
    run = sub;
  }
  auto* mutable_run = const_cast<Command*>(run);
  // CLIENT LIST's cmd= names the last command looked up, even a rejected one.
  s->last_command = run;
  int arity = run->arity();
  if ((arity > 0 && static_cast<int>(argv.size()) != arity) ||
      static_cast<int>(argv.size()) < -arity) {
    ++mutable_run->stats.rejected_calls;
    w.Error("ERR wrong number of arguments for '" + run->fullname + "' command");
    finish();
    return;
  }
  if (!run->has(kCmdNoAuth) && AuthRequired(s)) {
    ++mutable_run->stats.rejected_calls;
    w.Error(kNoAuth);
    finish();
    return;
  }
  if (s->monitor && !run->has(kCmdNoAuth) && run->fullname != "monitor" &&
      (run->has(kCmdWrite) || run->has(kCmdReadonly) || run->has(kCmdMayReplicate))) {
    ++mutable_run->stats.rejected_calls;
    w.Error("ERR Replica can't interact with the keyspace");
    finish();
    return;
  }

  if (run->refused_with_writes) {
    std::string refusal = durability_->WriteRefusal();
    if (!refusal.empty()) {
      ++mutable_run->stats.rejected_calls;
      w.Error(refusal);
      finish();
      return;
    }
  }

  // A running rewrite writes the keys this command names at their cut
  // value before the command changes them (durability.h).
  if (run->has(kCmdWrite) && durability_->walking()) durability_->BeforeWrite(s->db, *run, argv);

  CommandContext ctx(*this, *s, *run, w);
  uint64_t errors_before = stats_.total_error_replies;
  run->handler(ctx);
  const uint64_t t0 = command_ticks_;
  const uint64_t t1 = clock_.Ticks();
  command_ticks_ = t1;
  const auto duration = static_cast<int64_t>(static_cast<double>(t1 - t0) * us_per_tick_);
  ++mutable_run->stats.calls;
  mutable_run->stats.usec += static_cast<uint64_t>(duration);
  if (stats_.total_error_replies > errors_before || ctx.failed()) {
    ++mutable_run->stats.failed_calls;
  }
  ++stats_.total_commands_processed;
  ++s->commands_processed;

  // MONITOR and the slow log show secrets (AUTH's password) as "(redacted)".
  std::span<const std::string_view> shown = argv;
  std::vector<std::string_view> redacted_argv;
  if (ctx.redacted() != 0) {
    redacted_argv.assign(argv.begin(), argv.end());
    for (size_t i = 0; i < redacted_argv.size() && i < 64; ++i) {
      if ((ctx.redacted() >> i) & 1) redacted_argv[i] = "(redacted)";
    }
    shown = redacted_argv;
  }
  if (!monitors_.empty() && !run->has(kCmdAdmin) && !run->has(kCmdSkipMonitor)) {
    FeedMonitors(s, shown);
  }
  if (!run->has(kCmdSkipSlowlog)) {
    slowlog_->MaybeAdd(settings().slowlog_log_slower_than, settings().slowlog_max_len, duration,
                       now_ms_ / 1000, shown, s->info.peer, s->name);
  }
  int64_t threshold = settings().latency_monitor_threshold;
  if (threshold > 0 && duration / 1000 >= threshold) {
    latency_->AddSample(run->has(kCmdFast) ? "fast-command" : "command", now_ms_ / 1000,
                        duration / 1000);
  }
  finish();
}

void Engine::FeedMonitors(Session* s, std::span<const std::string_view> argv) {
  int64_t us = env_.clock().WallUs();
  char head[64];
  std::snprintf(head, sizeof(head), "+%lld.%06lld [%d ", static_cast<long long>(us / 1000000),
                static_cast<long long>(us % 1000000), s->db);
  std::string line = head;
  // Redis names a unix-socket client by the server's socket path.
  line += s->info.unix_socket ? "unix:" + settings().unixsocket : s->info.peer;
  line += ']';
  for (std::string_view a : argv) {
    line += ' ';
    AppendRepr(line, a);
  }
  line += "\r\n";
  for (Session* m : monitors_) {
    // A monitor under CLIENT REPLY OFF, or whose current command's reply is
    // being skipped, misses the lines meanwhile, as in Redis.
    if (m->closing() || m->reply_mode == ReplyMode::kOff || m->reply_mode == ReplyMode::kSkipThis) {
      continue;
    }
    m->output.Append(line);
    CheckOutputLimit(m);
    MarkReady(m);
  }
}

void Engine::AddMonitor(Session* s) {
  if (s->monitor) return;
  s->monitor = true;
  monitors_.push_back(s);
}

void Engine::RemoveMonitor(Session* s) {
  if (!s->monitor) return;
  s->monitor = false;
  monitors_.erase(std::remove(monitors_.begin(), monitors_.end(), s), monitors_.end());
}

void Engine::MarkReady(Session* s) {
  if (s->in_ready_list) return;
  if (Planted(planted_bugs, kBugLostWakeup) && s->commands_processed % 13 == 5) return;
  s->in_ready_list = true;
  ready_.push_back(s);
}

void Engine::KillSession(Session* s) {
  s->close_asap = true;
  s->output.Clear();
  durability_->Forget(s);
  MarkReady(s);
}

void Engine::EndBatch() {
  // Redis runs its fast expiry cycle before it writes the append-only file.
  db_cron_->FastExpire();
  // The batch goes to the append-only file with one write; under always the
  // replies of the batch are held until a sync covers it (group commit).
  durability_->EndBatch(ready_);
  CheckDurabilityFatal();
}

void Engine::CheckDurabilityFatal() {
  if (durability_->fatal() && shutdown_state_ != ShutdownState::kDone) {
    env_.logger().Log(LogLevel::kWarning, durability_->log()->fatal_error());
    shutdown_state_ = ShutdownState::kDone;
    exit_code_ = 1;
  }
}

void Engine::TakeReady(std::vector<Session*>& out) {
  out.clear();
  out.swap(ready_);
  for (Session* s : out) s->in_ready_list = false;
}

void Engine::ConsumeOutput(Session* s, size_t n) {
  s->output.Consume(n);
  s->net_output_bytes += n;
  ++stats_.total_writes_processed;
  stats_.total_net_output_bytes += n;
  if (s->output.empty()) s->output.ShrinkIfEmpty(64 * 1024);
}

bool Engine::ReadPaused(const Session* s) const {
  return s->closing() || durability_->HoldsTooMuch(s);
}

int64_t Engine::TickIntervalUs() const {
  int64_t hz = settings().hz;
  if (hz < 1) hz = 1;
  return 1000000 / hz;
}

bool Engine::HasBackgroundWork() const { return durability_->walking(); }

void Engine::BackgroundStep() {
  RefreshNow();
  durability_->BackgroundStep();
}

void Engine::Tick() {
  // A finished shutdown's log is final: no expiry may add to it.
  if (shutdown_state_ == ShutdownState::kDone) return;
  RefreshNow();
  stats_.ops_sec.Sample(now_ms_, static_cast<int64_t>(stats_.total_commands_processed));
  stats_.input_kbps.Sample(now_ms_, static_cast<int64_t>(stats_.total_net_input_bytes));
  stats_.output_kbps.Sample(now_ms_, static_cast<int64_t>(stats_.total_net_output_bytes));

  // Active expiry and the tables' resizing (database_cron.h).
  db_cron_->Tick();
  durability_->Tick();
  CheckDurabilityFatal();
  CloseIdleSessions();
  // A client over the soft limit is closed once its grace period ends, even
  // if it gets no new replies meanwhile.
  for (auto& [id, s] : sessions_) {
    if (s->output_soft_since_ms != 0) CheckOutputLimit(s.get());
  }
  last_tick_ms_ = now_ms_;
}

void Engine::CheckOutputLimit(Session* s) {
  if (s->close_asap || !OutputLimitReached(*s, settings(), now_ms_)) return;
  env_.logger().Log(LogLevel::kWarning, "Client id=" + std::to_string(s->id) +
                                            " addr=" + s->info.peer +
                                            " closed for overcoming of output buffer limits.");
  ++stats_.client_outbuf_limit_disconnections;
  KillSession(s);
}

void Engine::CloseIdleSessions() {
  int64_t timeout = settings().timeout;
  if (timeout <= 0) return;
  for (auto& [id, s] : sessions_) {
    if (s->monitor || s->closing()) continue;
    if (now_ms_ - s->last_interaction_ms > timeout * 1000) {
      env_.logger().Log(LogLevel::kVerbose, "Closing idle client");
      KillSession(s.get());
    }
  }
}

void Engine::OnSynced(uint64_t token, const Status& status) {
  RefreshNow();
  durability_->OnSynced(token, status);
  CheckDurabilityFatal();
  if (shutdown_state_ == ShutdownState::kRequested && durability_->ShutdownDone()) {
    shutdown_state_ = ShutdownState::kDone;
  }
}

void Engine::RequestShutdown(bool from_signal) {
  ShutdownOptions options;
  options.from_signal = from_signal;
  (void)RequestShutdown(options);
}

Status Engine::RequestShutdown(const ShutdownOptions& options) {
  env_.logger().Log(LogLevel::kWarning, options.from_signal
                                            ? "Received shutdown signal, scheduling shutdown..."
                                            : "User requested shutdown...");
  // The append-only file's last batch is written and synced before the
  // server exits; the world keeps running until that sync completes.
  RefreshNow();
  Status st = durability_->BeginShutdown(options.force);
  if (!st.ok()) return st;
  exit_code_ = 0;
  shutdown_state_ = durability_->ShutdownDone() ? ShutdownState::kDone : ShutdownState::kRequested;
  return Status::Ok();
}

bool Engine::AbortShutdown() {
  if (shutdown_state_ != ShutdownState::kRequested) return false;
  env_.logger().Log(LogLevel::kWarning, "Shutdown manually aborted.");
  shutdown_state_ = ShutdownState::kRunning;
  return true;
}

void Engine::Propagate(int db, std::span<const std::string_view> args) {
  // Replay never logs (durability.h; a planted bug may make it).
  if (durability_->loading()) {
    durability_->OnEffect(db, args);
    return;
  }
  ++propagated_count_;
  durability_->OnEffect(db, args);
  if (effect_observer_ != nullptr) effect_observer_->OnEffect(db, args);
}

Status Engine::OnConfigChanged(const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    if (name == "port" || name == "bind" || name == "unixsocket") {
      Status st = host_->ApplyListenerConfig(settings());
      if (!st.ok()) return st;
    } else if (name == "loglevel" || name == "logfile") {
      host_->ApplyLogConfig(settings());
    } else if (name == "slowlog-max-len") {
      slowlog_->Trim(settings().slowlog_max_len);
    } else if (name == "appendonly" || name == "appendfsync" || name == "appendfsync-everysec-ms" ||
               name == "aof-timestamp-enabled") {
      Status st = durability_->OnConfigChanged(name);
      if (!st.ok()) return st;
    }
  }
  return Status::Ok();
}

void Engine::ResetStats() {
  uint64_t dirty = stats_.dirty;
  stats_.ResetCounters();
  stats_.dirty = dirty;
  // The rate samplers restart from now, over counters that restart at zero.
  stats_.ops_sec.last_time_ms = now_ms_;
  stats_.input_kbps.last_time_ms = now_ms_;
  stats_.output_kbps.last_time_ms = now_ms_;
  table_->ResetStats();
}

}  // namespace cairn
