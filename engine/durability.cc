#include "engine/durability.h"

#include <algorithm>
#include <cstdio>

#include "engine/aof/record.h"
#include "engine/command/command.h"
#include "engine/engine.h"
#include "engine/util/ascii.h"
#include "engine/util/planted_bugs.h"
#include "engine/util/strconv.h"

namespace cairn {
namespace {

constexpr uint64_t kMaxHeldOutputBytes = 64ull << 20;  // per session
constexpr uint64_t kMaxUnsyncedBytes = 512ull << 20;
// How long a rewrite walk step may run. Every request that arrives during a
// step waits for it, so steps are short: 50 us between wake-ups (net/ runs
// those after each turn's replies, back to back while nothing else is ready,
// so an idle server still walks at full speed), 25 us at each batch's end
// where the host does not step after every batch (the simulator; there the
// batch's replies wait for it), a quarter millisecond per tick -- and longer
// on a tick when no batch ran since the last one (nobody waits on an idle
// server). With them a GET load's p99 during a 1M-key rewrite is about
// Redis's (bench/compare); with 2 ms steps it was 16 times Redis's. Entry
// caps bound a step where the clock does not move (the simulator's).
constexpr int64_t kWalkBatchUs = 25;
constexpr int64_t kWalkTickUs = 250;
constexpr int64_t kWalkIdleTickUs = 50000;
constexpr int64_t kWalkBackgroundUs = 50;
constexpr size_t kWalkBatchEntries = 5000;
constexpr size_t kWalkTickEntries = 400000;
// The base is written in chunks this big: one write of it stays well under a
// walk step.
constexpr size_t kBaseChunkBytes = 64 << 10;

aof::FsyncPolicy PolicyOf(const std::string& name) {
  if (name == "always") return aof::FsyncPolicy::kAlways;
  if (name == "no") return aof::FsyncPolicy::kNo;
  return aof::FsyncPolicy::kEverysec;
}

// Replays records through the engine: no logging, no expiry (loading()).
class EngineReplayer final : public aof::Replayer {
 public:
  explicit EngineReplayer(Engine& e) : engine_(e) {}
  Status Apply(std::span<const std::string_view> args) override { return engine_.Replay(args); }
  void BeginFile() override { engine_.ResetLoaderSession(); }
  void SizeHint(int db, uint64_t keys, uint64_t expiring) override {
    Keyspace& ks = engine_.keyspace();
    if (db < 0 || db >= ks.count()) return;
    ks.db(db).Reserve(keys, expiring);
  }

 private:
  Engine& engine_;
};

class EngineRdbSink final : public aof::RdbSink {
 public:
  explicit EngineRdbSink(Engine& e) : engine_(e) {}
  Status SelectDb(int db) override {
    char buf[24];
    std::string_view args[] = {"SELECT", std::string_view(buf, FormatInt64(db, buf))};
    return engine_.Replay(args);
  }
  Status SetString(std::string_view key, std::string_view value, int64_t expire_ms) override {
    std::string_view args[] = {"SET", key, value};
    Status st = engine_.Replay(args);
    if (!st.ok() || expire_ms <= 0) return st;
    char buf[24];
    std::string_view exp[] = {"PEXPIREAT", key, std::string_view(buf, FormatInt64(expire_ms, buf))};
    return engine_.Replay(exp);
  }

 private:
  Engine& engine_;
};

}  // namespace

struct Durability::Walk {
  int db = 0;
  uint64_t cursor = 0;
  bool in_db = false;        // the scan of db has begun
  std::vector<bool> hinted;  // the base has a size hint for the database
  std::string buf;           // base records not yet appended to the temp file
  int buf_db = -1;           // the SELECT in effect in the base
  uint64_t emitted = 0;
};

Durability::Durability(Engine& engine) : engine_(engine) {}
Durability::~Durability() = default;

aof::LogOptions Durability::Options() {
  const Settings& s = engine_.settings();
  aof::LogOptions o;
  o.paths = aof::AofPaths{s.dir, s.appenddirname, s.appendfilename};
  o.policy = PolicyOf(s.appendfsync);
  o.timestamps = s.aof_timestamp_enabled;
  o.everysec_ms = s.appendfsync_everysec_ms;
  o.pid = engine_.host().Facts().pid;
  o.token_base = ++generation_ << 40;
  o.bugs = &engine_.planted_bugs;
  return o;
}

Status Durability::Start() {
  if (!engine_.settings().appendonly) return Status::Ok();
  aof::LogOptions options = Options();
  EngineReplayer replayer(engine_);
  EngineRdbSink rdb(engine_);
  loading_ = true;
  int64_t t0 = engine_.env().clock().MonotonicUs();
  auto loaded =
      aof::LoadAof(engine_.env().fs(), engine_.env().logger(), options.paths,
                   engine_.settings().aof_load_truncated, replayer, rdb, &engine_.planted_bugs);
  loading_ = false;
  engine_.ResetLoaderSession();
  if (!loaded.ok()) return loaded.status();
  if (loaded.value().found) {
    int64_t t1 = engine_.env().clock().MonotonicUs();
    char secs[32];
    std::snprintf(secs, sizeof(secs), "%.3f", static_cast<double>(t1 - t0) / 1e6);
    engine_.env().logger().Log(
        LogLevel::kNotice, "DB loaded from append only file: " + std::string(secs) + " seconds (" +
                               std::to_string(loaded.value().records) + " records)");
  }
  log_ = std::make_unique<aof::AofLog>(engine_.env(), options);
  Status st = log_->Open(loaded.value());
  if (!st.ok()) {
    log_.reset();
    return st;
  }
  for (const auto& [db, args] : relogged_) {  // the planted replay_logs bug
    std::vector<std::string_view> views(args.begin(), args.end());
    log_->Append(db, views, engine_.now_ms());
  }
  relogged_.clear();
  last_rewrite_end_ms_ = engine_.now_ms();
  // Compact on restart: growth over the loaded base counts as growth since
  // the last rewrite (the walk runs in steps once the server serves).
  log_->set_rewrite_base_size(loaded.value().base_size);
  MaybeAutoRewrite();
  return Status::Ok();
}

void Durability::OnEffect(int db, std::span<const std::string_view> args) {
  if (loading_) {
    if (Planted(engine_.planted_bugs, kBugReplayLogs)) {
      relogged_.emplace_back(db, std::vector<std::string>(args.begin(), args.end()));
    }
    return;
  }
  if (log_) log_->Append(db, args, engine_.now_ms());
}

bool Durability::Holding() const {
  if (Planted(engine_.planted_bugs, kBugAckBeforeFsync)) return false;
  return log_ && log_->policy() == aof::FsyncPolicy::kAlways;
}

void Durability::EndBatch(const std::vector<Session*>& ready) {
  if (log_) {
    ++batches_since_tick_;
    if (!engine_.host().StepsAfterEveryBatch()) StepWalk(kWalkBatchEntries, kWalkBatchUs);
    log_->Flush();
    MaybeAutoRewrite();
  }
  bool holding = Holding();
  // A batch the log could not write yet (a write error) is still owed: its
  // replies wait for a position past it.
  uint64_t position = log_ ? log_->written() + log_->buffered() : 0;
  auto durable = [this](uint64_t pos) { return !log_ || log_->Covers(pos); };
  for (Session* s : ready) {
    uint64_t end = s->output_total();
    // Only output produced since the last hold (or release) needs one: a
    // session can be ready because its earlier output was just released.
    uint64_t covered = s->holds.empty() ? s->release_end : s->holds.back().first;
    if (end <= covered) continue;
    bool read_only = s->last_command != nullptr && !s->last_command->has(kCmdWrite);
    if (!holding || durable(position) ||
        (read_only && Planted(engine_.planted_bugs, kBugReadBeforeDurable))) {
      if (s->holds.empty()) {
        s->release_end = end;
      } else {
        s->holds.emplace_back(end, position);
      }
      continue;
    }
    if (!s->holds.empty() && s->holds.back().second == position) {
      s->holds.back().first = end;
    } else {
      s->holds.emplace_back(end, position);
    }
  }
  // Holds already covered (written at a durable position) go at once.
  for (Session* s : ready) {
    while (!s->holds.empty() && (!holding || durable(s->holds.front().second))) {
      s->release_end = std::max(s->release_end, s->holds.front().first);
      s->holds.pop_front();
    }
  }
}

void Durability::ReleaseHolds() {
  bool holding = Holding();
  for (const auto& [id, owned] : engine_.sessions()) {
    Session* s = owned.get();
    bool released = false;
    while (!s->holds.empty() && (!holding || !log_ || log_->Covers(s->holds.front().second))) {
      s->release_end = std::max(s->release_end, s->holds.front().first);
      s->holds.pop_front();
      released = true;
    }
    if (released) engine_.MarkReady(s);
  }
}

size_t Durability::Releasable(const Session* s) const {
  size_t n = s->output.size();
  if (!Holding() && s->holds.empty()) return n;
  uint64_t consumed = s->net_output_bytes;
  uint64_t allowed = s->release_end > consumed ? s->release_end - consumed : 0;
  return allowed < n ? static_cast<size_t>(allowed) : n;
}

bool Durability::HoldsTooMuch(const Session* s) const {
  if (s->holds.empty() || !log_) return false;
  uint64_t held = s->output_total() - s->release_end;
  return held > kMaxHeldOutputBytes || log_->written() - log_->durable() > kMaxUnsyncedBytes;
}

void Durability::Forget(Session* s) {
  s->holds.clear();
  s->release_end = s->output_total();
}

void Durability::Tick() {
  if (!log_) return;
  StepWalk(kWalkTickEntries, batches_since_tick_ == 0 ? kWalkIdleTickUs : kWalkTickUs);
  batches_since_tick_ = 0;
  log_->Tick();
  MaybeAutoRewrite();
}

void Durability::BackgroundStep() { StepWalk(kWalkTickEntries, kWalkBackgroundUs); }

void Durability::OnSynced(uint64_t token, const Status& status) {
  if (!log_) return;
  log_->OnSynced(token, status);
  ReleaseHolds();
}

std::string Durability::WriteRefusal() const { return log_ ? log_->RefusalText() : ""; }

void Durability::WriteBase(std::string& out) {
  Keyspace& ks = engine_.keyspace();
  char num[kInt64Chars];
  char when[kInt64Chars];
  for (int i = 0; i < ks.count(); ++i) {
    Database& db = ks.db(i);
    if (db.size() == 0) continue;
    aof::AppendSelect(out, i);
    aof::AppendSizeHint(out, i, db.size(), db.expires().size());
    db.main().ForEach([&](Entry* e) {
      std::string_view set[] = {"SET", e->key(), e->StringValue(num)};
      aof::AppendRecord(out, set);
      if (e->expire_at() > 0) {
        std::string_view exp[] = {"PEXPIREAT", e->key(),
                                  std::string_view(when, FormatInt64(e->expire_at(), when))};
        aof::AppendRecord(out, exp);
      }
    });
  }
}

Status Durability::StartRewrite() {
  if (!log_) {
    return Status::Invalid(
        "ERR Background append only file rewriting is not possible while "
        "appendonly is no (Cairn)");
  }
  if (log_->rewrite_in_progress()) {
    return Status::Invalid("ERR Background append only file rewriting already in progress");
  }
  rewrite_scheduled_ = false;
  Status st = log_->BeginRewrite(engine_.now_ms());
  if (!st.ok()) return Status::Invalid("ERR " + st.message());
  walk_ = std::make_unique<Walk>();
  // The cut: every entry now differs from the mark (durability.h).
  engine_.keyspace().FlipWalkMark();
  walk_->hinted.resize(static_cast<size_t>(engine_.keyspace().count()));
  return Status::Ok();
}

void Durability::EmitEntry(int db, const Entry* e) {
  Walk& w = *walk_;
  if (w.buf_db != db) {
    aof::AppendSelect(w.buf, db);
    w.buf_db = db;
    if (!w.hinted[static_cast<size_t>(db)]) {
      // The database's size as the walk meets it: a hint, not a count.
      w.hinted[static_cast<size_t>(db)] = true;
      const Database& d = engine_.keyspace().db(db);
      aof::AppendSizeHint(w.buf, db, d.size(), d.expires().size());
    }
  }
  char num[kInt64Chars];
  char when[kInt64Chars];
  std::string_view set[] = {"SET", e->key(), e->StringValue(num)};
  aof::AppendRecord(w.buf, set);
  if (e->expire_at() > 0) {
    std::string_view exp[] = {"PEXPIREAT", e->key(),
                              std::string_view(when, FormatInt64(e->expire_at(), when))};
    aof::AppendRecord(w.buf, exp);
  }
  ++w.emitted;
  if (w.buf.size() >= kBaseChunkBytes) {
    log_->AppendBase(w.buf);
    w.buf.clear();
  }
}

void Durability::StepWalk(size_t budget, int64_t budget_us) {
  if (!walk_ || !log_) return;
  Walk& w = *walk_;
  Keyspace& ks = engine_.keyspace();
  const bool mark = ks.walk_mark();
  Clock& clock = engine_.env().clock();
  int64_t start_us = clock.MonotonicUs();
  size_t visited = 0;
  // The clock every 64 entries: about 25 us of walking here, so a step
  // overruns its budget by no more than that.
  size_t next_clock_check = 64;
  while (w.db < ks.count() && visited < budget) {
    if (visited >= next_clock_check) {
      next_clock_check = visited + 64;
      if (clock.MonotonicUs() - start_us >= budget_us) break;
    }
    Database& db = ks.db(w.db);
    if (!w.in_db) {
      w.in_db = true;
      w.cursor = 0;
      if (db.size() == 0) {
        ++w.db;
        w.in_db = false;
        continue;
      }
    }
    int index = w.db;
    w.cursor = db.main().Scan(w.cursor, [&](Entry* e) {
      ++visited;
      if (e->walk_mark() == mark) return;  // handled, or stored after the cut
      EmitEntry(index, e);
      e->set_walk_mark(mark);
    });
    ++visited;  // an empty bucket costs too
    if (w.cursor == 0) {
      ++w.db;
      w.in_db = false;
    }
  }
  if (w.db >= ks.count()) {
    log_->AppendBase(w.buf);
    log_->EndBase();
    walk_.reset();
  }
}

void Durability::FinishWalk() {
  while (walk_) StepWalk(SIZE_MAX, INT64_MAX);
}

void Durability::HandleKey(int db, std::string_view key) {
  // Absent: a key stored from now on is born after the cut (and marked so).
  Entry* e = engine_.keyspace().db(db).main().Peek(key);
  const bool mark = engine_.keyspace().walk_mark();
  if (e == nullptr || e->walk_mark() == mark) return;
  EmitEntry(db, e);
  e->set_walk_mark(mark);
}

// Entries the walk did not reach keep the old mark; the next cut's flip
// would make them look handled. Marking them keeps the rule that no walk
// means every entry has the current mark.
void Durability::DropWalk() {
  if (!walk_) return;
  Keyspace& ks = engine_.keyspace();
  const bool mark = ks.walk_mark();
  for (int i = 0; i < ks.count(); ++i) {
    ks.db(i).main().ForEach([mark](Entry* e) { e->set_walk_mark(mark); });
  }
  walk_.reset();
}

void Durability::BeforeWrite(int db, const Command& cmd, std::span<const std::string_view> argv) {
  if (!walk_ || Planted(engine_.planted_bugs, kBugRewriteWithoutCut)) return;
  std::string_view name = cmd.fullname;
  if (name == "flushdb" || name == "flushall" || name == "swapdb") {
    FinishWalk();
    return;
  }
  const CommandSpec& spec = *cmd.spec;
  int argc = static_cast<int>(argv.size());
  if (spec.first_key > 0) {
    int last = spec.last_key < 0 ? argc + spec.last_key : spec.last_key;
    int step = spec.key_step > 0 ? spec.key_step : 1;
    for (int i = spec.first_key; i <= last && i < argc; i += step) {
      HandleKey(db, argv[static_cast<size_t>(i)]);
    }
  }
  // Keys in another database: MOVE key db, COPY src dst DB n.
  auto other_db = [&](std::string_view text) -> int {
    auto v = ParseInt64(text);
    if (!v || *v < 0 || *v >= engine_.keyspace().count()) return -1;
    return static_cast<int>(*v);
  };
  if (name == "move" && argc >= 3) {
    if (int d = other_db(argv[2]); d >= 0) HandleKey(d, argv[1]);
  } else if (name == "copy") {
    for (int i = 3; i + 1 < argc; ++i) {
      if (AsciiEqualsIgnoreCase(argv[static_cast<size_t>(i)], "db")) {
        if (int d = other_db(argv[static_cast<size_t>(i) + 1]); d >= 0) HandleKey(d, argv[2]);
      }
    }
  }
}

void Durability::MaybeAutoRewrite() {
  if (!log_) return;
  int64_t now = engine_.now_ms();
  // Failed automatic rewrites back off: 1 minute, doubling, up to an hour.
  if (log_->rewrite_failures() != seen_failures_) {
    seen_failures_ = log_->rewrite_failures();
    ++consecutive_failures_;
    int64_t wait = 60000;
    for (int i = 1; i < consecutive_failures_ && wait < 3600000; ++i) wait *= 2;
    next_auto_ms_ = now + std::min<int64_t>(wait, 3600000);
  }
  if (log_->rewrites() != seen_rewrites_) {
    seen_rewrites_ = log_->rewrites();
    consecutive_failures_ = 0;
    last_rewrite_end_ms_ = now;
  }
  if (log_->rewrite_in_progress() || !log_->write_ok()) return;
  // After a failed fsync only a new base makes the log whole again: retry
  // each second, whatever the growth rules' backoff says.
  if (log_->sync_failed()) {
    if (now < next_sync_repair_ms_) return;
    next_sync_repair_ms_ = now + 1000;
    engine_.env().logger().Log(LogLevel::kNotice,
                               "Starting automatic rewriting of AOF after a failed fsync");
    (void)StartRewrite();
    return;
  }
  if (now < next_auto_ms_) return;
  const Settings& s = engine_.settings();
  std::string why;
  if (s.auto_aof_rewrite_percentage > 0) {
    uint64_t size = log_->current_size();
    uint64_t base = log_->rewrite_base_size() ? log_->rewrite_base_size() : 1;
    if (size > static_cast<uint64_t>(s.auto_aof_rewrite_min_size) && size > base &&
        (size - base) * 100 / base >= static_cast<uint64_t>(s.auto_aof_rewrite_percentage)) {
      why = "on " + std::to_string((size - base) * 100 / base) + "% growth";
    }
  }
  if (why.empty() && s.auto_aof_rewrite_interval_sec > 0 &&
      now - last_rewrite_end_ms_ >= s.auto_aof_rewrite_interval_sec * 1000) {
    why = "on its timer (auto-aof-rewrite-interval-sec)";
  }
  if (why.empty()) return;
  engine_.env().logger().Log(LogLevel::kNotice, "Starting automatic rewriting of AOF " + why);
  (void)StartRewrite();
}

Status Durability::OnConfigChanged(const std::string& name) {
  const Settings& s = engine_.settings();
  if (name == "appendonly") {
    if (s.appendonly && !log_) {
      // Turning the log on writes the data set as a new base first, as Redis
      // does; the log is opened on the files found (or fresh ones).
      aof::LogOptions options = Options();
      aof::Manifest previous;
      auto text = aof::ReadWholeFile(engine_.env().fs(), options.paths.ManifestPath());
      if (text.ok()) {
        auto m = aof::Manifest::Parse(text.value());
        if (m.ok()) previous = m.value();
      }
      auto log = std::make_unique<aof::AofLog>(engine_.env(), options);
      Status st = log->OpenFresh(previous, [this](std::string& out) { WriteBase(out); });
      if (!st.ok()) return st;
      log_ = std::move(log);
      if (Holding()) {
        for (const auto& [id, owned] : engine_.sessions()) Forget(owned.get());
      }
    } else if (!s.appendonly && log_) {
      log_->Flush(/*force=*/true);
      log_->SyncNow();
      for (const auto& [id, owned] : engine_.sessions()) Forget(owned.get());
      DropWalk();
      // The log object stays until its syncs complete? Completions for a
      // dropped log are ignored (their tokens are unknown).
      log_.reset();
      ReleaseHolds();
    }
  } else if (name == "appendfsync" && log_) {
    bool was = Holding();
    log_->set_policy(PolicyOf(s.appendfsync));
    if (Holding() && !was) {
      for (const auto& [id, owned] : engine_.sessions()) Forget(owned.get());
    }
    if (log_->policy() == aof::FsyncPolicy::kAlways) log_->SyncNow();
    ReleaseHolds();
  } else if (name == "appendfsync-everysec-ms" && log_) {
    log_->set_everysec_ms(s.appendfsync_everysec_ms);
  } else if (name == "aof-timestamp-enabled" && log_) {
    log_->set_timestamps(s.aof_timestamp_enabled);
  }
  return Status::Ok();
}

Status Durability::BeginShutdown(bool force) {
  if (!log_) return Status::Ok();
  log_->Flush(/*force=*/true);
  if (!log_->write_ok() && !force) {
    engine_.env().logger().Log(
        LogLevel::kWarning, "Error trying to save the DB, can't exit: the AOF cannot be written");
    return Status::Io("aof: the final write failed");
  }
  log_->set_shutting_down();
  log_->SyncNow();
  engine_.env().logger().Log(LogLevel::kNotice, "Calling fsync() on the AOF file.");
  return Status::Ok();
}

}  // namespace cairn
