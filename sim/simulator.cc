#include "sim/simulator.h"

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "engine/aof/file_scan.h"
#include "engine/aof/loader.h"
#include "engine/aof/manifest.h"
#include "engine/engine.h"
#include "sim/model.h"
#include "sim/sim_env.h"
#include "sim/workload.h"

namespace cairn::sim {
namespace {

std::string Encode(const std::vector<std::string>& argv) {
  std::string out = "*" + std::to_string(argv.size()) + "\r\n";
  for (const std::string& a : argv) out += RespBulk(a);
  return out;
}

std::string Show(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& a : argv) {
    if (!out.empty()) out += ' ';
    out += a.empty() ? "\"\"" : a;
  }
  return out;
}

struct Request {
  size_t end;  // offset in the connection's byte stream just past it
  std::vector<std::string> argv;
};

// A reply the model computed, owed to the client: once the world has
// released the bytes up to end, and the request ran under appendfsync always
// with no policy change since, every write before it must survive a crash.
struct Owed {
  size_t end;      // offset in the client's expected stream just past the reply
  size_t state;    // index of the model state the request saw (or made)
  uint64_t epoch;  // policy epoch at execution
};

struct Client {
  int id = 0;
  uint64_t conn = 0;  // reconnections
  Session* s = nullptr;
  std::string sent;  // bytes the client wrote on this connection
  size_t fed = 0;    // bytes the engine was fed
  std::deque<Request> unexecuted;
  std::string expected;  // the model's reply stream for this connection
  size_t released = 0;   // bytes of output the world wrote
  int db = 0;
  int pipeline = 1;
  std::deque<Owed> owed;
};

const char* const kFaultNames[] = {"enospc",        "short_write",  "sync_eio",  "sync_lost",
                                   "sync_reorder",  "tail_lost",    "tail_torn", "tail_garbage",
                                   "pages_reorder", "names_undone", "zero_tail"};

uint32_t* FaultField(CrashFsFaults& f, const std::string& name) {
  if (name == "enospc") return &f.enospc;
  if (name == "short_write") return &f.short_write;
  if (name == "sync_eio") return &f.sync_eio;
  if (name == "sync_lost") return &f.sync_lost;
  if (name == "sync_reorder") return &f.sync_reorder;
  if (name == "tail_lost") return &f.tail_lost;
  if (name == "tail_torn") return &f.tail_torn;
  if (name == "tail_garbage") return &f.tail_garbage;
  if (name == "pages_reorder") return &f.pages_reorder;
  if (name == "names_undone") return &f.names_undone;
  if (name == "zero_tail") return &f.zero_tail;
  return nullptr;
}

std::string DescribeFaults(CrashFsFaults& f) {
  std::string out;
  for (const char* n : kFaultNames) {
    uint32_t v = *FaultField(f, n);
    if (v) out += std::string(out.empty() ? "" : ",") + n + "=" + std::to_string(v);
  }
  return out.empty() ? "none" : out;
}

class Run {
 public:
  explicit Run(const SimOptions& o)
      : opt_(o),
        root_(o.seed),
        world_(root_.Fork("world")),
        net_(root_.Fork("network")),
        load_(root_.Fork("workload")) {
    SimRandom mix = root_.Fork("swarm");
    faults_ = CrashFsFaults::Swarm(mix);
    n_clients_ = o.clients > 0 ? o.clients : static_cast<int>(mix.Range(1, 8));
    drop_permille_ = static_cast<uint32_t>(mix.Range(0, 8));
    jump_permille_ = static_cast<uint32_t>(mix.Range(0, 10));
    chunky_ = static_cast<uint32_t>(mix.Range(0, 1000));
    feed_permille_ = static_cast<uint32_t>(mix.Range(200, 1000));
    write_all_permille_ = static_cast<uint32_t>(mix.Range(300, 1000));
    max_pipeline_ = static_cast<int>(mix.Range(1, 16));
    static const char* const kPolicies[] = {"always", "everysec", "no", "mixed"};
    policy_ = o.policy.empty() ? kPolicies[mix.Below(4)] : o.policy;
    if (!o.faults.empty()) {
      CrashFsFaults only = CrashFsFaults::None();
      only.max_sync_delay_us = faults_.max_sync_delay_us;
      if (o.faults != "none") {
        size_t at = 0;
        while (at <= o.faults.size()) {
          size_t comma = o.faults.find(',', at);
          if (comma == std::string::npos) comma = o.faults.size();
          std::string name = o.faults.substr(at, comma - at);
          uint32_t* field = FaultField(only, name);
          if (field) {
            uint32_t swarm = *FaultField(faults_, name);
            *field = swarm ? swarm : static_cast<uint32_t>(mix.Range(5, 60));
          } else {
            bad_faults_ = name;
          }
          at = comma + 1;
        }
      }
      faults_ = only;
    }
    env_ = std::make_unique<SimEnv>(root_, faults_);
  }

  SimResult Go() {
    result_.policy = policy_;
    if (!bad_faults_.empty()) return Fail("unknown fault kind " + bad_faults_);
    Trace("seed " + std::to_string(opt_.seed) + " policy " + policy_ + " clients " +
          std::to_string(n_clients_) + " pipeline<=" + std::to_string(max_pipeline_) +
          " drop/1000 " + std::to_string(drop_permille_) + " jump/1000 " +
          std::to_string(jump_permille_) + " faults " + DescribeFaults(faults_));
    states_.push_back(model_.Snapshot(kDbs));
    Status st = StartEngine();
    if (!st.ok()) return Fail("start: " + st.message());
    clients_.resize(static_cast<size_t>(n_clients_));
    for (int i = 0; i < n_clients_; ++i) {
      clients_[i].id = i;
      Connect(clients_[i]);
    }
    next_tick_us_ = Clock().mono_us() + engine_->TickIntervalUs();
    for (step_ = 0; step_ < opt_.steps && result_.ok; ++step_) {
      Step(/*calm=*/false);
      if (result_.ok) Operate();
      CapFaults();
    }
    // Calm phase: faults off, no new requests, no drops, no jumps; everything
    // flows. A sync lost before the calm never completes: a power loss (and
    // restart) is the only way out, as it would be for a hung disk.
    env_->crash_fs().faults() = CrashFsFaults::None();
    Trace("calm phase");
    // Syncs requested in the faulty phase complete now (failures decided at
    // their request included); what they break must heal in the calm.
    if (result_.ok) {
      env_->crash_fs().DeliverAll([this](uint64_t token, const Status& st) {
        Trace("sync " + std::to_string(token) + (st.ok() ? " ok" : " failed: " + st.message()));
        engine_->OnSynced(token, st);
      });
    }
    if (result_.ok && env_->crash_fs().lost_syncs_pending() > 0) {
      CrashAndRestart("power loss: a lost sync hangs the disk", false);
    }
    if (result_.ok && !engine_->durability().log()) {
      Trace("CONFIG SET appendonly yes -> " +
            Printable(Admin({"CONFIG", "SET", "appendonly", "yes"})));
      marks_.clear();
      ++epoch_;
    }
    for (int calm = 0; calm < 6000 && result_.ok && !Quiet(); ++calm, ++step_) {
      Step(true);
      if (calm == 3000 && result_.ok && !Quiet()) CrashAndRestart("power loss in the calm", false);
    }
    if (result_.ok && !Quiet()) StuckFailure();
    if (result_.ok) AcceptsWrites();
    if (result_.ok) CheckKeyspace();
    // The end: a clean shutdown must keep every executed write.
    if (result_.ok) {
      uint64_t clean = result_.clean_shutdowns;
      Shutdown();
      if (result_.ok && result_.clean_shutdowns == clean) {
        Fail("the final SHUTDOWN (faults off) did not finish cleanly: " + LastWarning(), true);
      }
    }
    if (result_.ok) CheckKeyspace();
    FillStats();
    result_.simulated_ms = (Clock().mono_us() - 5'000'000) / 1000;
    result_.trace_hash = hash_;
    result_.trace = TraceText();
    return result_;
  }

 private:
  SimClock& Clock() { return env_->sim_clock(); }
  int64_t NowMs() { return Clock().wall_ms(); }

  // The engine's log lines (notices and warnings) join the trace.
  void TraceLog() {
    auto& lines = env_->log().lines;
    for (; logged_ < lines.size(); ++logged_) {
      if (lines[logged_].first >= LogLevel::kNotice) Trace("log: " + lines[logged_].second);
    }
  }

  void Trace(const std::string& line) {
    std::string full = "[" + std::to_string(step_) + "] " + line;
    for (char c : full) hash_ = (hash_ ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    hash_ = (hash_ ^ '\n') * 1099511628211ULL;
    if (opt_.trace) {
      all_trace_ += full + "\n";
    } else {
      tail_.push_back(full);
      if (tail_.size() > 80) tail_.pop_front();
    }
  }
  std::string TraceText() {
    if (opt_.trace) return all_trace_;
    std::string out;
    for (const std::string& l : tail_) out += l + "\n";
    return out;
  }

  void Fail(std::string why, bool) {
    if (!result_.ok) return;
    result_.ok = false;
    result_.failed_step = step_;
    result_.failure = std::move(why);
    Trace("FAIL: " + result_.failure);
  }
  SimResult Fail(std::string why) {
    Fail(std::move(why), true);
    result_.trace = TraceText();
    return result_;
  }

  void Connect(Client& c) {
    SessionInfo info;
    info.peer = "10.0.0." + std::to_string(c.id) + ":" + std::to_string(40000 + c.conn);
    info.local = "10.0.0.100:6379";
    info.fd = 10 + c.id;
    c.s = engine_->OpenSession(std::move(info));
    c.sent.clear();
    c.fed = 0;
    c.unexecuted.clear();
    c.expected.clear();
    c.released = 0;
    c.db = 0;
    c.owed.clear();
    c.pipeline = static_cast<int>(world_.Range(1, max_pipeline_));
    Trace("c" + std::to_string(c.id) + " connects (session " + std::to_string(c.s->id) + ")");
  }

  void Drop(Client& c) {
    Trace("c" + std::to_string(c.id) + " dropped: fed " + std::to_string(c.fed) + "/" +
          std::to_string(c.sent.size()) + "B, released " + std::to_string(c.released) + "/" +
          std::to_string(c.expected.size()) + "B");
    ++result_.drops;
    carried_.erase(c.s);
    engine_->CloseSession(c.s);
    writable_.erase(c.id);
    ++c.conn;
    Connect(c);
  }

  void DeliverSyncs(int64_t now_us) {
    env_->crash_fs().DeliverDue(now_us, [this](uint64_t token, const Status& st) {
      Trace("sync " + std::to_string(token) + (st.ok() ? " ok" : " failed: " + st.message()));
      engine_->OnSynced(token, st);
    });
  }

  void Step(bool calm) {
    StepInner(calm);
    TraceLog();
    CheckEverysecBound();
    if (result_.ok && engine_->shutdown_state() == ShutdownState::kDone) {
      CrashAndRestart("the engine exited (" + LastWarning() + ")", false);
    }
  }

  void StepInner(bool calm) {
    // Time passes; the wall clock may jump forward or back.
    Clock().Advance(world_.Range(0, 3000));
    if (!calm && jump_permille_ && world_.Chance(jump_permille_)) {
      int64_t ms = world_.Range(-3000, 8000);
      // Going back, a key already past its deadline is gone or not depending
      // on whether anything touched it: settle that first (touching every
      // key expires it lazily in the engine and in the model alike).
      if (ms < 0) SettleExpired();
      Clock().JumpWall(ms * 1000);
      ++result_.wall_jumps;
      Trace("wall clock jumps " + std::to_string(ms) + "ms");
    }
    DeliverSyncs(Clock().mono_us());
    while (Clock().mono_us() >= next_tick_us_) {
      engine_->Tick();
      next_tick_us_ += engine_->TickIntervalUs();
    }
    if (engine_->shutdown_state() == ShutdownState::kDone) return;
    // Production runs background work (a rewrite's walk) when no input waits;
    // --no-background leaves the walk to the ticks alone.
    if (opt_.background && engine_->HasBackgroundWork() && world_.Chance(500)) {
      engine_->BackgroundStep();
    }
    // Clients write requests.
    if (!calm) {
      for (Client& c : clients_) {
        if (c.unexecuted.size() >= static_cast<size_t>(c.pipeline) || !world_.Chance(400)) continue;
        int n = static_cast<int>(world_.Range(1, c.pipeline));
        for (int i = 0; i < n; ++i) {
          std::vector<std::string> argv = load_.Next(NowMs());
          c.sent += Encode(argv);
          c.unexecuted.push_back(Request{c.sent.size(), std::move(argv)});
        }
      }
    }
    // The network delivers some bytes of some clients; the engine executes.
    for (Client& c : clients_) {
      if (c.fed == c.sent.size() || engine_->ReadPaused(c.s)) continue;
      if (!calm && !net_.Chance(feed_permille_)) continue;
      size_t left = c.sent.size() - c.fed;
      size_t k = net_.Chance(chunky_) ? 1 + net_.Below(std::min<size_t>(left, 24)) : left;
      // MISCONF is the log's state, constant while a Feed runs (it changes
      // only at the batch point, ticks and sync completions).
      std::string refusal = engine_->durability().WriteRefusal();
      engine_->Feed(c.s, std::string_view(c.sent).substr(c.fed, k));
      c.fed += k;
      std::string line = "c" + std::to_string(c.id) + " feed " + std::to_string(k) + "B";
      while (!c.unexecuted.empty() && c.unexecuted.front().end <= c.fed) {
        Request r = std::move(c.unexecuted.front());
        c.unexecuted.pop_front();
        std::string reply = ModelExecute(r.argv, &c.db, refusal);
        line += " | " + Show(r.argv) + " -> " + Printable(reply, 60);
        c.expected += reply;
        c.owed.push_back(Owed{c.expected.size(), states_.size() - 1, epoch_});
        ++result_.requests_executed;
      }
      Trace(line);
      writable_.insert(c.id);
    }
    engine_->EndBatch();
    Mark();
    if (engine_->shutdown_state() == ShutdownState::kDone) return;
    DeliverSyncs(Clock().mono_us());
    // Production's write side: ready sessions and those with output left.
    engine_->TakeReady(ready_);
    std::set<Session*> ready(ready_.begin(), ready_.end());
    ready.insert(carried_.begin(), carried_.end());
    carried_.clear();
    for (Client& c : clients_) {
      bool is_ready = ready.count(c.s) > 0;
      if (!is_ready && !leftover_.count(c.id)) continue;
      leftover_.erase(c.id);
      std::string_view out = engine_->Output(c.s);
      if (!out.empty()) {
        if (c.released + out.size() > c.expected.size() ||
            c.expected.compare(c.released, out.size(), out) != 0) {
          size_t have = c.expected.size() > c.released ? c.expected.size() - c.released : 0;
          Fail("c" + std::to_string(c.id) + " released \"" + Printable(out) +
                   "\" where the model expects \"" +
                   Printable(std::string_view(c.expected).substr(c.released, have)) + "\"",
               true);
          return;
        }
        size_t k = world_.Chance(write_all_permille_) ? out.size() : 1 + world_.Below(out.size());
        Trace("c" + std::to_string(c.id) + " released " + Printable(out.substr(0, k), 60));
        engine_->ConsumeOutput(c.s, k);
        c.released += k;
        Released(c);
        result_.replies_checked += k;
        if (!engine_->Output(c.s).empty()) leftover_.insert(c.id);
      }
      if (engine_->ShouldClose(c.s)) {
        Fail("c" + std::to_string(c.id) + " closed by the engine (the workload never asks it)",
             true);
        return;
      }
    }
    if (!calm && drop_permille_ && world_.Chance(drop_permille_)) {
      Drop(clients_[world_.Below(clients_.size())]);
    }
  }

  bool Quiet() {
    for (const Client& c : clients_) {
      if (c.fed != c.sent.size() || c.released != c.expected.size()) return false;
    }
    return true;
  }

  void StuckFailure() {
    for (const Client& c : clients_) {
      if (c.released != c.expected.size()) {
        Fail("c" + std::to_string(c.id) + " stuck: the engine executed requests whose replies (" +
                 std::to_string(c.expected.size() - c.released) +
                 "B) were never released after the calm phase",
             true);
        return;
      }
      if (c.fed != c.sent.size()) {
        Fail("c" + std::to_string(c.id) + " stuck: input never read", true);
        return;
      }
    }
  }

  // Runs one request on a fresh checker session; returns its reply.
  // settle: deliver every sync until the reply is released (faults off).
  std::string Ask(Session* s, const std::vector<std::string>& argv, bool settle = false) {
    engine_->Feed(s, Encode(argv));
    engine_->EndBatch();
    Mark();
    for (int i = 0; settle && i < 20 && engine_->Output(s).empty(); ++i) {
      if (env_->crash_fs().DeliverAll(
              [this](uint64_t token, const Status& st) { engine_->OnSynced(token, st); }) == 0) {
        break;
      }
    }
    engine_->TakeReady(ready_);
    // Other sessions made ready meanwhile stay ready for the next step.
    for (Session* other : ready_) {
      if (other != s) carried_.insert(other);
    }
    std::string out(engine_->Output(s));
    engine_->ConsumeOutput(s, out.size());
    return out;
  }

  // Under everysec, bytes written are handed to an fsync within one period
  // (plus the tick that notices it), unless an fsync is already running:
  // then within a period of its completion.
  void CheckEverysecBound() {
    const aof::AofLog* log = engine_ ? engine_->durability().log() : nullptr;
    if (!result_.ok || log == nullptr || log->fatal()) return;
    const int64_t now_ms = Clock().mono_us() / 1000;
    if (log->sync_in_progress()) {
      last_sync_busy_ms_ = now_ms;
      return;
    }
    if (log->written() <= log->sync_requested()) {
      unsynced_since_ms_ = -1;
      return;
    }
    if (unsynced_since_ms_ < 0) unsynced_since_ms_ = now_ms;
    if (log->policy() != aof::FsyncPolicy::kEverysec) {
      other_policy_ms_ = now_ms;  // the period starts when everysec does
      return;
    }
    const int64_t from = std::max({unsynced_since_ms_, last_sync_busy_ms_, other_policy_ms_});
    const int64_t bound = log->everysec_ms() + 2 * engine_->TickIntervalUs() / 1000 + 10;
    if (now_ms - from > bound) {
      Fail("everysec: bytes written " + std::to_string(now_ms - unsynced_since_ms_) +
               " ms ago and no fsync requested (bound " + std::to_string(bound) + " ms)",
           false);
    }
  }

  void SettleExpired() {
    SessionInfo info;
    info.peer = "10.0.0.201:1";
    Session* s = engine_->OpenSession(info);
    for (int db = 0; db < 3; ++db) {
      Ask(s, {"SELECT", std::to_string(db)});
      for (const std::string& key : Universe()) Ask(s, {"EXISTS", key});
      model_.Live(db, NowMs());
    }
    engine_->CloseSession(s);
    // Expired keys were dropped: a state the prefix search may need.
    PushState();
  }

  // The keyspace read back through the protocol equals the model's.
  void CheckKeyspace() {
    SessionInfo info;
    info.peer = "10.0.0.200:1";
    Session* s = engine_->OpenSession(info);
    for (int db = 0; db < 3 && result_.ok; ++db) {
      Ask(s, {"SELECT", std::to_string(db)}, true);
      const Model::Db& live = model_.Live(db, NowMs());
      std::string want = "*" + std::to_string(live.size()) + "\r\n";
      // KEYS' order is the table's: compare as a set.
      std::string got = Ask(s, {"KEYS", "*"}, true);
      std::set<std::string> keys;
      size_t pos = got.find("\r\n");
      if (got.compare(0, pos + 2, want) != 0) {
        Fail("final check db " + std::to_string(db) + ": engine has " + Printable(got) +
                 ", model has " + std::to_string(live.size()) + " keys",
             true);
        break;
      }
      for (const auto& [key, value] : live) {
        std::string g = Ask(s, {"GET", key}, true);
        std::string t = Ask(s, {"PTTL", key}, true);
        std::string wt =
            RespInt(value.deadline_ms ? std::max<int64_t>(0, value.deadline_ms - NowMs()) : -1);
        if (g != RespBulk(value.bytes) || t != wt) {
          Fail("final check db " + std::to_string(db) + " key " + key + ": engine " + Printable(g) +
                   " pttl " + Printable(t) + ", model " + Printable(RespBulk(value.bytes)) +
                   " pttl " + Printable(wt),
               true);
          break;
        }
      }
    }
    engine_->CloseSession(s);
    Trace("final keyspace check done");
  }

  static constexpr int kDbs = 3;  // the workload's databases

  // --- Durability: the engine's life, crashes, restarts, the prefix rule. ---

  Status StartEngine() {
    Config config;
    std::string policy = policy_;
    if (policy == "mixed") policy = PickPolicy();
    std::vector<std::string> args = {"--dir", "/data", "--hz", "10", "--appendonly", "yes",
                                     "--appendfsync", policy, "--auto-aof-rewrite-min-size", "4096",
                                     "--auto-aof-rewrite-percentage", "100",
                                     // The simulated clients come from 10.0.0.x
                                     // without a password: protected mode would
                                     // refuse them all.
                                     "--protected-mode", "no"};
    Status st = config.ApplyArgs(args);
    if (!st.ok()) return st;
    engine_ = std::make_unique<Engine>(*env_, std::move(config));
    engine_->planted_bugs = opt_.planted_bugs;
    Trace("engine starts (appendfsync " + policy + ")");
    return engine_->Start();
  }

  std::string PickPolicy() {
    static const char* const kFsync[] = {"always", "everysec", "no"};
    return kFsync[ops_.Below(3)];
  }

  static std::vector<std::string> Universe() {
    std::vector<std::string> keys;
    for (int i = 0; i < 8; ++i) {
      keys.push_back("k" + std::to_string(i));
      keys.push_back("k" + std::to_string(i) + "x");
    }
    return keys;
  }

  static bool SameState(const Model::State& a, const Model::State& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (a[i].size() != b[i].size()) return false;
      for (auto x = a[i].begin(), y = b[i].begin(); x != a[i].end(); ++x, ++y) {
        if (x->first != y->first || x->second.bytes != y->second.bytes ||
            x->second.deadline_ms != y->second.deadline_ms) {
          return false;
        }
      }
    }
    return true;
  }

  // Records the model's state after a write, when it changed: states_[i] is
  // the state after the i-th change since the last restart.
  void PushState() {
    Model::State now = model_.Snapshot(kDbs);
    if (!SameState(now, states_.back())) states_.push_back(std::move(now));
  }

  std::string ModelExecute(const std::vector<std::string>& argv, int* db,
                           const std::string& refusal) {
    bool refusable = Model::RefusedOnDiskError(argv[0]);
    if (!refusal.empty() && refusable) {
      ++result_.misconf_replies;
      return RespErr(refusal);  // refused: the write did not happen
    }
    std::string reply = model_.Execute(argv, db, NowMs());
    if (refusable) PushState();
    return reply;
  }

  // After a batch point: the log position that covers every state so far.
  void Mark() {
    const aof::AofLog* log = engine_->durability().log();
    if (!log) return;
    uint64_t pos = log->written() + log->buffered();
    size_t idx = states_.size() - 1;
    if (pos == 0 || (!marks_.empty() && marks_.back().second == idx)) return;
    marks_.emplace_back(pos, idx);
  }

  // The newest state the log's durable() position covers.
  size_t DurableBound() const {
    const aof::AofLog* log = engine_->durability().log();
    if (!log) return 0;
    size_t bound = 0;
    for (const auto& [pos, idx] : marks_) {
      if (!log->Covers(pos)) break;
      bound = idx;
    }
    return bound;
  }

  bool AlwaysNow() const {
    const aof::AofLog* log = engine_->durability().log();
    return log && log->policy() == aof::FsyncPolicy::kAlways;
  }

  // The world wrote c's output up to c.released: under always, whatever a
  // fully released reply saw must survive any crash from now on.
  void Released(Client& c) {
    while (!c.owed.empty() && c.owed.front().end <= c.released) {
      const Owed& o = c.owed.front();
      if (o.epoch == epoch_ && AlwaysNow() && o.state > must_) must_ = o.state;
      c.owed.pop_front();
    }
  }

  std::string LastWarning() const {
    const auto& lines = env_->log().lines;
    for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
      if (it->first == LogLevel::kWarning) return it->second;
    }
    return "no warning logged";
  }

  std::string Admin(const std::vector<std::string>& argv) {
    SessionInfo info;
    info.peer = "10.0.0.202:1";
    Session* s = engine_->OpenSession(info);
    std::string out = Ask(s, argv);
    engine_->CloseSession(s);
    return out;
  }

  // Operations between steps: power loss, rewrites, policy and appendonly
  // changes, clean shutdowns.
  void Operate() {
    const aof::AofLog* log = engine_->durability().log();
    bool rewriting = log && log->rewrite_in_progress();
    uint32_t crash = opt_.crash_permille;
    if (rewriting && crash) crash = std::max<uint32_t>(crash * 10, 20);
    if (crash && ops_.Chance(crash)) {
      CrashAndRestart("power loss", false);
      return;
    }
    if (ops_.Chance(4)) {
      Trace("BGREWRITEAOF -> " + Printable(Admin({"BGREWRITEAOF"}), 60));
    }
    if (policy_ == "mixed" && ops_.Chance(3)) {
      std::string p = PickPolicy();
      Admin({"CONFIG", "SET", "appendfsync", p});
      ++epoch_;
      ++result_.policy_changes;
      Trace("CONFIG SET appendfsync " + p);
    }
    if (ops_.Chance(1)) {
      if (log) {
        size_t bound = DurableBound();
        if (bound > must_) must_ = bound;
        rewrites_done_ += log->rewrites();
        Admin({"CONFIG", "SET", "appendonly", "no"});
      } else {
        Admin({"CONFIG", "SET", "appendonly", "yes"});
      }
      marks_.clear();
      ++epoch_;
      Trace(std::string("CONFIG SET appendonly ") +
            (engine_->settings().appendonly ? "yes" : "no"));
    }
    if (ops_.Chance(1)) Shutdown();
  }

  void Shutdown() {
    Status st = engine_->RequestShutdown(ShutdownOptions{});
    if (!st.ok()) {
      Trace("SHUTDOWN refused: " + st.message());
      return;
    }
    for (int i = 0; i < 5000 && engine_->shutdown_state() != ShutdownState::kDone; ++i) {
      Clock().Advance(1000);
      engine_->EndBatch();  // the world's loop runs on while the log drains
      DeliverSyncs(Clock().mono_us());
      while (Clock().mono_us() >= next_tick_us_) {
        engine_->Tick();
        next_tick_us_ += engine_->TickIntervalUs();
      }
    }
    const aof::AofLog* log = engine_->durability().log();
    // With appendonly no nothing after the switch was logged: not a clean
    // shutdown for the log (Redis would save a snapshot instead).
    bool clean = engine_->shutdown_state() == ShutdownState::kDone && engine_->exit_code() == 0 &&
                 log && log->all_durable() && !log->sync_failed();
    if (clean) ++result_.clean_shutdowns;
    if (!clean && log) {
      Trace("shutdown state " + std::to_string(static_cast<int>(engine_->shutdown_state())) +
            " exit " + std::to_string(engine_->exit_code()) + ", log written " +
            std::to_string(log->written()) + " buffered " + std::to_string(log->buffered()) +
            " durable " + std::to_string(log->durable()) + " sync failed " +
            std::to_string(log->sync_failed()) + " rewriting " +
            std::to_string(log->rewrite_in_progress()));
    }
    CrashAndRestart(clean ? "clean SHUTDOWN" : "SHUTDOWN that could not finish cleanly", clean);
  }

  void CrashAndRestart(const std::string& why, bool clean) {
    if (!result_.ok) return;
    const aof::AofLog* log = engine_->durability().log();
    size_t released = must_;
    if (clean) {
      must_ = states_.size() - 1;
    } else {
      must_ = std::max(must_, DurableBound());
    }
    if (log) {
      Trace("log at the crash: written " + std::to_string(log->written()) + ", durable " +
            std::to_string(log->durable()) + ", sync failed " + std::to_string(log->sync_failed()) +
            "; states released " + std::to_string(released) + ", durable " +
            std::to_string(DurableBound()));
    }
    if (log) {
      rewrites_done_ += log->rewrites();
      if (log->rewrite_in_progress()) {
        ++result_.crashes_in_rewrite;
        SimResult::RewriteCrashes& c = result_.rewrite_crashes;
        aof::AofLog::RewriteSteps steps = log->rewrite_steps();
        bool walking = engine_->durability().walking();
        c.walk += walking;
        c.cut += steps.old_incr_unsynced;
        c.unlisted += steps.new_incr_unlisted;
        c.base_sync += steps.base_unsynced && !walking;
        c.final_swap += steps.final_swap;
        c.manifest_temp += log->manifest_swap_step() == 1;
        c.manifest_rename += log->manifest_swap_step() == 2;
      }
    }
    TraceLog();
    Trace("CRASH (" + why + "): " + std::to_string(states_.size() - 1) +
          " states since the last start, " + std::to_string(must_) + " must survive");
    std::map<std::string, uint64_t> trusted = env_->crash_fs().TrustedLengths();
    env_->crash_fs().Crash();
    ++result_.crashes;
    carried_.clear();
    leftover_.clear();
    writable_.clear();
    ready_.clear();
    engine_.reset();
    lost_seen_ = env_->crash_fs().stats().syncs_lost;
    {
      std::string files;
      for (const auto& [path, bytes] : env_->crash_fs().Snapshot()) {
        size_t slash = path.rfind('/');
        files += " " + path.substr(slash + 1) + ":" + std::to_string(bytes.size());
        size_t ck = bytes.rfind("#cairn:");
        files += "(last checksum at " +
                 (ck == std::string::npos ? std::string("none") : std::to_string(ck)) + ")";
      }
      Trace("after the crash:" + files);
      for (const auto& [path, bytes] : env_->crash_fs().Snapshot()) {
        if (path.ends_with(".manifest")) Trace("  " + path + ": " + Printable(bytes, 400));
      }
    }
    CrashFsFaults saved = env_->crash_fs().faults();
    env_->crash_fs().faults() = CrashFsFaults::None();
    Status st = StartEngine();
    TraceLog();
    if (!st.ok() && !Repair(trusted, st)) return;
    ++result_.restarts;
    CheckRecovered();
    env_->crash_fs().faults() = saved;
    if (!result_.ok) return;
    for (Client& c : clients_) {
      ++c.conn;
      Connect(c);
    }
    next_tick_us_ = Clock().mono_us() + engine_->TickIntervalUs();
    marks_.clear();
    ++epoch_;
  }

  // The loader refused the files: acceptable only for damage past what a
  // successful sync made durable before the crash. Then kv-check-aof
  // --fix's cut (and, for damage before the last file, a manifest that drops
  // the files after it: keeping them would leave a hole) and a second start;
  // the prefix rule judges what is left.
  bool Repair(const std::map<std::string, uint64_t>& trusted, const Status& refusal) {
    Trace("load refused: " + refusal.message());
    aof::AofPaths paths{"/data", "appendonlydir", "appendonly.aof"};
    FileSystem& fs = env_->fs();
    auto text = aof::ReadWholeFile(fs, paths.ManifestPath());
    if (!text.ok()) {
      Fail("load refused (" + refusal.message() + ") and the manifest is unreadable", true);
      return false;
    }
    auto parsed = aof::Manifest::Parse(text.value());
    if (!parsed.ok()) {
      Fail("load refused: the manifest is damaged: " + parsed.status().message(), true);
      return false;
    }
    aof::Manifest m = parsed.value();
    std::vector<std::string> names;
    if (m.base) names.push_back(m.base->name);
    for (const aof::ManifestFile& f : m.incrs) names.push_back(f.name);
    for (size_t i = 0; i < names.size(); ++i) {
      std::string path = paths.InAofDir(names[i]);
      auto data = aof::ReadWholeFile(fs, path);
      if (!data.ok()) {
        Fail("load refused: the manifest names " + names[i] +
                 " which cannot be read: " + data.status().message(),
             true);
        return false;
      }
      aof::ScanResult r = aof::ScanRecords(data.value(), 0, nullptr);
      if (r.outcome == aof::ScanResult::Outcome::kClean) continue;
      auto d = trusted.find(path);
      uint64_t trusted_len = d == trusted.end() ? 0 : d->second;
      bool is_base = m.base && i == 0;
      if (r.offset < trusted_len || (is_base && i + 1 != names.size())) {
        Fail("load refused: " + names[i] + " damaged at offset " + std::to_string(r.offset) + " (" +
                 r.reason + ") but " + std::to_string(trusted_len) +
                 " bytes of it were durable; it starts " + Printable(data.value(), 3000),
             true);
        return false;
      }
      Status st = fs.Truncate(path, r.offset);
      if (st.ok()) {
        // kv-check-aof's cut is made durable before the server starts.
        auto cut = fs.OpenAppend(path, /*truncate=*/false);
        st = cut.ok() ? Status::Ok() : cut.status();
        if (st.ok()) {
          fs.RequestSync(*cut.value(), 3);
          env_->crash_fs().DeliverAll([](uint64_t, const Status&) {});
        }
      }
      if (st.ok() && i + 1 != names.size()) {
        size_t keep_incrs = i + 1 - (m.base ? 1 : 0);
        m.incrs.resize(keep_incrs);
        auto f = fs.OpenAppend(paths.ManifestPath(), /*truncate=*/true);
        st = f.ok() ? Status::Ok() : f.status();
        std::string manifest = m.Print();
        size_t written = 0;
        if (st.ok()) st = f.value()->Append(manifest, &written);
        if (st.ok()) {
          // kv-check-aof's own write is made durable before the server starts.
          fs.RequestSync(*f.value(), 1);
          fs.RequestDirSync(paths.AofDir(), 2);
          env_->crash_fs().DeliverAll([](uint64_t, const Status&) {});
        }
        ++result_.repairs_dropping_files;
      }
      if (st.ok()) st = StartEngine();
      if (!st.ok()) {
        Fail("start after the repair of " + names[i] + " failed: " + st.message(), true);
        return false;
      }
      ++result_.load_refusals_repaired;
      Trace("repaired: " + names[i] + " cut at " + std::to_string(r.offset) +
            (i + 1 != names.size() ? ", later files dropped" : ""));
      return true;
    }
    Fail("load refused but no file is damaged: " + refusal.message(), true);
    return false;
  }

  static std::vector<std::string> ParseArray(const std::string& r) {
    std::vector<std::string> out;
    size_t at = r.find("\r\n");
    if (r.empty() || r[0] != '*' || at == std::string::npos) return out;
    at += 2;
    while (at < r.size() && r[at] == '$') {
      size_t eol = r.find("\r\n", at);
      if (eol == std::string::npos) break;
      long long n = std::strtoll(r.substr(at + 1, eol - at - 1).c_str(), nullptr, 10);
      if (n < 0) return {};
      out.push_back(r.substr(eol + 2, static_cast<size_t>(n)));
      at = eol + 2 + n + 2;
    }
    return out;
  }

  // The recovered keyspace must be the model after some prefix of the
  // executed writes that holds every write that must survive.
  void CheckRecovered() {
    SessionInfo info;
    info.peer = "10.0.0.203:1";
    Session* s = engine_->OpenSession(info);
    Model::State got(kDbs);
    for (int db = 0; db < kDbs; ++db) {
      Ask(s, {"SELECT", std::to_string(db)}, true);
      for (const std::string& key : ParseArray(Ask(s, {"KEYS", "*"}, true))) {
        std::string v = Ask(s, {"GET", key}, true);
        std::string t = Ask(s, {"PEXPIRETIME", key}, true);
        std::vector<std::string> one = ParseArray("*1\r\n" + v);
        if (one.size() != 1 || t.size() < 3 || t[0] != ':') {
          Fail(
              "after restart: key " + key + " reads back as " + Printable(v) + " / " + Printable(t),
              true);
          return;
        }
        int64_t deadline = std::stoll(t.substr(1));
        got[static_cast<size_t>(db)][key] = Model::Value{one[0], deadline > 0 ? deadline : 0};
      }
    }
    engine_->CloseSession(s);
    int64_t now = NowMs();
    int64_t passed = Clock().wall_high_ms();
    for (size_t i = states_.size(); i-- > must_;) {
      if (Model::LiveEqual(states_[i], got, now, passed)) {
        Trace("recovered state " + std::to_string(i) + " of " + std::to_string(states_.size() - 1) +
              " (" + std::to_string(must_) + " required)");
        result_.writes_verified += must_;
        model_.Restore(got);
        states_.assign(1, model_.Snapshot(kDbs));
        must_ = 0;
        return;
      }
    }
    std::string why = "matches no prefix of the executed writes";
    {
      // The nearest prefix and how it differs (a hole or a reordering shows).
      size_t best = 0, best_diff = SIZE_MAX;
      std::string diff_text;
      for (size_t i = 0; i < states_.size(); ++i) {
        std::string d;
        size_t n = 0;
        for (int db = 0; db < kDbs; ++db) {
          std::set<std::string> keys;
          for (const auto& [k, v] : states_[i][db]) keys.insert(k);
          for (const auto& [k, v] : got[db]) keys.insert(k);
          for (const std::string& k : keys) {
            Model::State a(kDbs), b(kDbs);
            if (auto it = states_[i][db].find(k); it != states_[i][db].end()) a[db][k] = it->second;
            if (auto it = got[db].find(k); it != got[db].end()) b[db][k] = it->second;
            if (!Model::LiveEqual(a, b, now, passed)) {
              ++n;
              d += " db" + std::to_string(db) + ":" + k + " model " + Model::Describe(a, now) +
                   " engine " + Model::Describe(b, now) + ";";
            }
          }
        }
        if (n < best_diff) {
          best_diff = n;
          best = i;
          diff_text = d;
        }
      }
      why += " (nearest: state " + std::to_string(best) + " of " +
             std::to_string(states_.size() - 1) + ", differing in" + diff_text + ")";
    }
    for (size_t i = std::min(must_, states_.size()); i-- > 0;) {
      if (Model::LiveEqual(states_[i], got, now, passed)) {
        why = "is the state after " + std::to_string(i) + " writes but " + std::to_string(must_) +
              " had to survive (acknowledged or durable)";
        break;
      }
    }
    Fail("after restart the keyspace " + why + ": recovered " + Model::Describe(got, now) +
             "; required " + Model::Describe(states_[std::min(must_, states_.size() - 1)], now) +
             "; newest " + Model::Describe(states_.back(), now),
         true);
  }

  // After the calm phase the server must take writes again (a restart or a
  // rewrite clears MISCONF).
  void AcceptsWrites() {
    for (int i = 0; i < 4000 && result_.ok && !engine_->durability().WriteRefusal().empty(); ++i) {
      Step(true);
    }
    if (!result_.ok) return;
    SessionInfo info;
    info.peer = "10.0.0.204:1";
    Session* s = engine_->OpenSession(info);
    int db = 0;
    std::vector<std::string> argv = {"SET", "k0", "after-the-calm"};
    std::string refusal = engine_->durability().WriteRefusal();
    std::string got = Ask(s, argv, true);
    std::string want = ModelExecute(argv, &db, "");
    engine_->CloseSession(s);
    if (got != want) {
      Fail("after the calm phase a write gets " + Printable(got) + " (refusal: " + refusal + ")",
           true);
    }
  }

  void CapFaults() {
    if (opt_.max_faults < 0) return;
    const CrashFsStats& st = env_->crash_fs().stats();
    uint64_t n = st.enospc + st.short_writes + st.sync_eio + st.syncs_lost + st.crashes;
    if (n >= static_cast<uint64_t>(opt_.max_faults))
      env_->crash_fs().faults() = CrashFsFaults::None();
  }

  void FillStats() {
    const CrashFsStats& st = env_->crash_fs().stats();
    result_.enospc = st.enospc;
    result_.short_writes = st.short_writes;
    result_.sync_eio = st.sync_eio;
    result_.syncs_lost = st.syncs_lost;
    result_.tails_lost = st.tails_lost;
    result_.tails_torn = st.tails_torn;
    result_.tails_garbage = st.tails_garbage;
    result_.pages_reordered = st.pages_reordered;
    result_.names_undone = st.names_undone;
    result_.zero_tails = st.zero_tails;
    result_.rewrites = rewrites_done_;
    if (engine_ && engine_->durability().log())
      result_.rewrites += engine_->durability().log()->rewrites();
  }

  const SimOptions& opt_;
  SimRandom root_, world_, net_;
  Workload load_;
  SimRandom ops_ = root_.Fork("operations");
  CrashFsFaults faults_;
  std::string policy_, bad_faults_;
  std::vector<Model::State> states_;
  size_t must_ = 0;  // index of the newest state a crash now must keep
  std::vector<std::pair<uint64_t, size_t>> marks_;  // (log position, state index)
  uint64_t epoch_ = 0;                              // bumped by policy changes and restarts
  size_t logged_ = 0;
  uint64_t rewrites_done_ = 0, lost_seen_ = 0;
  int64_t last_sync_busy_ms_ = 0;   // monotonic ms a file sync was last seen running
  int64_t unsynced_since_ms_ = -1;  // since when the log holds bytes no sync was asked for
  int64_t other_policy_ms_ = 0;     // monotonic ms the log was last seen not under everysec
  int n_clients_ = 1;
  uint32_t drop_permille_ = 0, jump_permille_ = 0, chunky_ = 0, feed_permille_ = 500,
           write_all_permille_ = 500;
  int max_pipeline_ = 1;
  std::unique_ptr<SimEnv> env_;
  std::unique_ptr<Engine> engine_;
  Model model_;
  std::vector<Client> clients_;
  std::vector<Session*> ready_;
  std::set<Session*> carried_;
  std::set<int> writable_, leftover_;
  int64_t next_tick_us_ = 0;
  int step_ = 0;
  uint64_t hash_ = 1469598103934665603ULL;
  std::deque<std::string> tail_;
  std::string all_trace_;
  SimResult result_;
};

}  // namespace

SimResult RunSimulation(const SimOptions& options) {
  Run run(options);
  return run.Go();
}

}  // namespace cairn::sim
