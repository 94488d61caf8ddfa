#include "sim/scenarios.h"

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <utility>

#include "engine/aof/file_scan.h"
#include "engine/aof/loader.h"
#include "engine/engine.h"
#include "sim/model.h"
#include "sim/sim_env.h"

namespace cairn::sim {
namespace {

constexpr const char* kDir = "/data";
constexpr const char* kAofDir = "/data/appendonlydir";
constexpr int kDbs = 3;

std::string Encode(const std::vector<std::string>& argv) {
  std::string out = "*" + std::to_string(argv.size()) + "\r\n";
  for (const std::string& a : argv) out += RespBulk(a);
  return out;
}

std::string Show(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& a : argv) {
    if (!out.empty()) out += ' ';
    out += a.size() > 24 ? a.substr(0, 20) + "...(" + std::to_string(a.size()) + "B)" : a;
  }
  return out;
}

std::string InAof(const std::string& name) { return std::string(kAofDir) + "/" + name; }
const std::string kIncr1 = InAof("appendonly.aof.1.incr.aof");
const std::string kIncr2 = InAof("appendonly.aof.2.incr.aof");
const std::string kTempManifest = InAof("temp-appendonly.aof.manifest");

// A scenario's expectation failed: ends the script (caught in RunScenario).
struct ScenarioFailed {
  std::string why;
};

// A reply the model computed, owed to a client (see simulator.h): once the
// client has it whole, under appendfsync always, the state it saw must
// survive any crash.
struct Owed {
  size_t end;
  size_t state;
};

struct Client {
  Session* s = nullptr;
  int db = 0;
  std::string expected;  // the model's replies, in order
  size_t released = 0;   // bytes the engine let go
  std::deque<Owed> owed;
};

// The engine in the simulated world, driven by a script. Every executed
// request goes through the reference model; every released byte is checked
// against the model's reply stream; the prefix rule judges each restart.
class World {
 public:
  World(const std::string& name, uint32_t bugs, bool trace)
      : env_(SimRandom(TagHash(name)), CrashFsFaults::None()), bugs_(bugs), trace_(trace) {}

  // --- Life. ---
  // Starts (or restarts) the engine with appendfsync policy and extra
  // "--name value" arguments; automatic growth rewrites are off so the
  // script decides when a rewrite runs.
  Status Start(const std::string& policy, std::vector<std::string> extra = {}) {
    policy_ = policy;
    extra_ = std::move(extra);
    Config config;
    std::vector<std::string> args = {"--dir",
                                     kDir,
                                     "--hz",
                                     "10",
                                     "--appendonly",
                                     "yes",
                                     "--appendfsync",
                                     policy,
                                     "--auto-aof-rewrite-percentage",
                                     "0",
                                     "--protected-mode",
                                     "no"};
    args.insert(args.end(), extra_.begin(), extra_.end());
    Status st = config.ApplyArgs(args);
    if (!st.ok()) return st;
    engine_ = std::make_unique<Engine>(env_, std::move(config));
    engine_->planted_bugs = bugs_;
    st = engine_->Start();
    Log();
    Trace(std::string("engine starts (appendfsync ") + policy +
          "): " + (st.ok() ? "ok" : st.message()));
    if (!st.ok()) {
      engine_.reset();
      return st;
    }
    next_tick_us_ = Clock().mono_us() + engine_->TickIntervalUs();
    clients_.clear();
    marks_.clear();
    NewClient();
    return st;
  }
  // Starts and requires success, then checks the recovered keyspace by the
  // prefix rule.
  void Restart(const std::string& why) {
    Status st = Start(policy_, extra_);
    Require(st.ok(), "the engine starts after " + why, st.message());
    CheckRecovered(why);
  }
  // Power loss now: the engine is gone; CrashFs keeps what its plans (or
  // the defaults: every tail and name kept) say.
  void Crash(const std::string& why) {
    if (engine_) {
      must_ = std::max(must_, DurableBound());
      if (const aof::AofLog* log = engine_->durability().log()) {
        Trace("log at the crash: written " + std::to_string(log->written()) + ", durable " +
              std::to_string(log->durable()) + "; " + std::to_string(must_) + " of " +
              std::to_string(states_.size() - 1) + " writes must survive");
      }
    }
    trusted_ = env_.crash_fs().TrustedLengths();
    env_.crash_fs().Crash();
    engine_.reset();
    clients_.clear();
    std::string files;
    for (const auto& [path, bytes] : env_.crash_fs().Snapshot()) {
      files += " " + path.substr(path.rfind('/') + 1) + ":" + std::to_string(bytes.size());
    }
    Trace("CRASH (" + why + "); on disk:" + files);
  }

  // --- Clients. ---
  Client& NewClient() {
    SessionInfo info;
    info.peer = "10.0.1." + std::to_string(clients_.size()) + ":5000";
    info.local = "10.0.0.100:6379";
    auto c = std::make_unique<Client>();
    c->s = engine_->OpenSession(std::move(info));
    clients_.push_back(std::move(c));
    return *clients_.back();
  }
  Client& client(size_t i = 0) { return *clients_[i]; }

  // Feeds one request to c (executed at once); the model runs it too.
  void Send(Client& c, const std::vector<std::string>& argv) {
    std::string refusal = engine_->durability().WriteRefusal();
    engine_->Feed(c.s, Encode(argv));
    std::string reply;
    bool refusable = Model::RefusedOnDiskError(argv[0]);
    if (!refusal.empty() && refusable) {
      reply = RespErr(refusal);
    } else {
      reply = model_.Execute(argv, &c.db, NowMs());
      if (refusable && !batch_states_) PushState();
      if (refusable && batch_states_) batch_wrote_ = true;
    }
    c.expected += reply;
    c.owed.push_back(Owed{c.expected.size(), states_.size() - (batch_wrote_ ? 0 : 1)});
    if (trace_)
      Trace("c" + Index(c) + " sends " + Show(argv) + " (model: " + Printable(reply, 60) + ")");
  }
  void Send(const std::vector<std::string>& argv) { Send(client(), argv); }
  // The batch point, then what the engine releases.
  void Batch() {
    if (batch_wrote_) PushState();
    batch_wrote_ = false;
    engine_->EndBatch();
    Mark();
    Collect();
    Log();
  }
  // One request in its own batch; returns what c received from it so far.
  std::string Do(Client& c, const std::vector<std::string>& argv) {
    size_t before = c.released;
    Send(c, argv);
    Batch();
    return c.expected.substr(before, c.released - before);
  }
  std::string Do(const std::vector<std::string>& argv) { return Do(client(), argv); }

  // States per batch instead of per write (for scripts with huge batches:
  // each state is a copy of the keyspace). Sound only where no crash can
  // keep part of a batch -- tails lost or kept whole, no tears.
  void set_batch_states(bool on) { batch_states_ = on; }

  // A command outside the model (BGREWRITEAOF, CONFIG) on its own session;
  // returns what was released at once.
  std::string Admin(const std::vector<std::string>& argv) {
    SessionInfo info;
    info.peer = "10.0.2.9:1";
    Session* s = engine_->OpenSession(info);
    engine_->Feed(s, Encode(argv));
    engine_->EndBatch();
    Mark();
    std::string out(engine_->Output(s));
    engine_->ConsumeOutput(s, out.size());
    engine_->CloseSession(s);
    Collect();
    Log();
    Trace("admin " + Show(argv) + " -> " + Printable(out, 60));
    return out;
  }

  // --- Syncs. ---
  std::vector<CrashFs::PendingSync> Pending() { return env_.crash_fs().PendingSyncs(); }
  // Delivers the pending completions keep() accepts, one at a time in
  // request order (completions they cause included); returns how many.
  size_t Deliver(const std::function<bool(const CrashFs::PendingSync&)>& keep = nullptr) {
    size_t n = 0;
    for (int round = 0; round < 1000; ++round) {
      bool any = false;
      for (const CrashFs::PendingSync& p : Pending()) {
        if (p.lost || (keep && !keep(p))) continue;
        DeliverOne(p);
        ++n;
        any = true;
        break;
      }
      if (!any) break;
    }
    return n;
  }
  // Delivers the first pending completion keep() accepts; false if none.
  bool DeliverFirst(const std::function<bool(const CrashFs::PendingSync&)>& keep = nullptr) {
    for (const CrashFs::PendingSync& p : Pending()) {
      if (p.lost || (keep && !keep(p))) continue;
      DeliverOne(p);
      return true;
    }
    return false;
  }
  void DeliverOne(const CrashFs::PendingSync& p) {
    env_.crash_fs().DeliverOne(p.token, [this, &p](uint64_t token, const Status& st) {
      Trace("sync " + std::to_string(token) + " of " + Short(p.path) +
            (st.ok() ? " ok" : " failed: " + st.message()));
      if (engine_) engine_->OnSynced(token, st);
    });
    if (engine_) Collect();
    Log();
  }

  // --- Time. ---
  // Time passes in steps of the engine's tick; ticks run on time. deliver:
  // sync completions arrive as soon as they are requested.
  void Advance(int64_t ms, bool deliver = false) {
    int64_t end = Clock().mono_us() + ms * 1000;
    while (Clock().mono_us() < end) {
      if (!engine_) {
        Clock().Advance(end - Clock().mono_us());
        break;
      }
      int64_t step = std::min<int64_t>(end - Clock().mono_us(), next_tick_us_ - Clock().mono_us());
      Clock().Advance(std::max<int64_t>(step, 0));
      if (engine_ && Clock().mono_us() >= next_tick_us_) {
        engine_->Tick();
        next_tick_us_ += engine_->TickIntervalUs();
        Collect();
        Log();
      }
      if (deliver && engine_) Deliver();
    }
  }

  // --- Checks. ---
  void Require(bool ok, const std::string& what, const std::string& detail = "") {
    ++checks_;
    if (ok) {
      Trace("check: " + what);
      return;
    }
    std::string d = detail.size() > 600 ? detail.substr(0, 600) + "..." : detail;
    throw ScenarioFailed{what + (d.empty() ? "" : " (" + d + ")")};
  }
  // The recovered keyspace equals the model after some prefix of the
  // executed writes holding every write that had to survive (simulator.h).
  void CheckRecovered(const std::string& why) {
    Model::State got = ReadKeyspace();
    int64_t now = NowMs();
    int64_t passed = Clock().wall_high_ms();
    for (size_t i = states_.size(); i-- > must_;) {
      if (Model::LiveEqual(states_[i], got, now, passed)) {
        Require(true, "after " + why + " the keyspace is the state after " + std::to_string(i) +
                          " of " + std::to_string(states_.size() - 1) + " writes (" +
                          std::to_string(must_) + " had to survive)");
        model_.Restore(got);
        states_.assign(1, model_.Snapshot(kDbs));
        must_ = 0;
        return;
      }
    }
    std::string why_not = "matches no prefix of the executed writes";
    for (size_t i = std::min(must_, states_.size()); i-- > 0;) {
      if (Model::LiveEqual(states_[i], got, now, passed)) {
        why_not = "is the state after " + std::to_string(i) + " writes but " +
                  std::to_string(must_) + " had to survive";
        break;
      }
    }
    Require(false, "after " + why + " the keyspace " + why_not,
            "recovered " + Model::Describe(got, now) + "; newest " +
                Model::Describe(states_.back(), now));
  }
  // A value read through the protocol (RESP bytes).
  std::string Read(const std::vector<std::string>& argv) { return Ask(argv); }

  // --- Access. ---
  Engine& engine() { return *engine_; }
  bool running() const { return engine_ != nullptr; }
  CrashFs& fs() { return env_.crash_fs(); }
  SimClock& Clock() { return env_.sim_clock(); }
  int64_t NowMs() { return Clock().wall_ms(); }
  const aof::AofLog& log() { return *engine_->durability().log(); }
  std::string File(const std::string& path) {
    auto all = env_.crash_fs().Snapshot();
    auto it = all.find(path);
    return it == all.end() ? std::string() : it->second;
  }
  const std::map<std::string, uint64_t>& trusted() const { return trusted_; }
  size_t executed_writes() const { return states_.size() - 1; }
  // The whole trace with --trace, else its last lines (for a failure).
  void Trace(const std::string& line) {
    if (trace_) {
      trace_text_ += line + "\n";
      return;
    }
    tail_.push_back(line);
    if (tail_.size() > 200) tail_.pop_front();
  }
  std::string trace() const {
    if (trace_) return trace_text_;
    std::string out;
    for (const std::string& l : tail_) out += l + "\n";
    return out;
  }
  int checks() const { return checks_; }
  static std::string Short(const std::string& path) { return path.substr(path.rfind('/') + 1); }

 private:
  std::string Index(const Client& c) const {
    for (size_t i = 0; i < clients_.size(); ++i) {
      if (clients_[i].get() == &c) return std::to_string(i);
    }
    return "?";
  }

  // The engine's notices and warnings join the trace.
  void Log() {
    auto& lines = env_.log().lines;
    for (; logged_ < lines.size(); ++logged_) {
      if (lines[logged_].first >= LogLevel::kNotice) Trace("log: " + lines[logged_].second);
    }
  }

  void PushState() {
    Model::State now = model_.Snapshot(kDbs);
    states_.push_back(std::move(now));
  }

  // After a batch point: the log position covering every state so far.
  void Mark() {
    const aof::AofLog* log = engine_->durability().log();
    if (!log) return;
    uint64_t pos = log->written() + log->buffered();
    size_t idx = states_.size() - 1;
    if (pos == 0 || (!marks_.empty() && marks_.back().second == idx)) return;
    marks_.emplace_back(pos, idx);
  }
  // The newest state the log's durable position covers.
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

  // Takes what the engine releases; every byte must be the model's.
  void Collect() {
    std::vector<Session*> ready;
    engine_->TakeReady(ready);
    bool always = engine_->durability().log() &&
                  engine_->durability().log()->policy() == aof::FsyncPolicy::kAlways;
    for (auto& owned : clients_) {
      Client& c = *owned;
      std::string out(engine_->Output(c.s));
      if (out.empty()) continue;
      if (c.released + out.size() > c.expected.size() ||
          c.expected.compare(c.released, out.size(), out) != 0) {
        throw ScenarioFailed{"c" + Index(c) + " was released \"" + Printable(out) +
                             "\" where the model expects \"" +
                             Printable(std::string_view(c.expected).substr(c.released)) + "\""};
      }
      engine_->ConsumeOutput(c.s, out.size());
      c.released += out.size();
      Trace("c" + Index(c) + " released " + Printable(out, 60));
      while (!c.owed.empty() && c.owed.front().end <= c.released) {
        if (always && c.owed.front().state > must_) must_ = c.owed.front().state;
        c.owed.pop_front();
      }
    }
  }

  // A request on a checker session, syncs delivered until it is answered.
  std::string Ask(const std::vector<std::string>& argv) {
    SessionInfo info;
    info.peer = "10.0.2.1:1";
    Session* s = engine_->OpenSession(info);
    engine_->Feed(s, Encode(argv));
    engine_->EndBatch();
    for (int i = 0; i < 20 && engine_->Output(s).empty(); ++i) {
      if (Deliver() == 0) break;
    }
    std::vector<Session*> ready;
    engine_->TakeReady(ready);
    std::string out(engine_->Output(s));
    engine_->ConsumeOutput(s, out.size());
    engine_->CloseSession(s);
    Collect();
    return out;
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
      at = eol + 2 + static_cast<size_t>(n) + 2;
    }
    return out;
  }

  // The keyspace read back through the protocol.
  // One RESP reply at *at (bulk, nil, integer, simple, error; arrays of
  // bulks as KEYS gives them, joined); false when incomplete.
  static bool NextReply(const std::string& r, size_t* at, std::string* out, bool* nil) {
    *nil = false;
    size_t eol = r.find("\r\n", *at);
    if (eol == std::string::npos) return false;
    char kind = r[*at];
    std::string head = r.substr(*at + 1, eol - *at - 1);
    if (kind == '$') {
      long long n = std::strtoll(head.c_str(), nullptr, 10);
      if (n < 0) {
        *nil = true;
        *at = eol + 2;
        return true;
      }
      if (eol + 2 + static_cast<size_t>(n) + 2 > r.size()) return false;
      *out = r.substr(eol + 2, static_cast<size_t>(n));
      *at = eol + 2 + static_cast<size_t>(n) + 2;
      return true;
    }
    *out = head;
    *at = eol + 2;
    return true;
  }

  // The keyspace read back through the protocol: per database one session,
  // KEYS, then GET and PEXPIRETIME of every key pipelined in one batch.
  Model::State ReadKeyspace() {
    Model::State got(kDbs);
    for (int db = 0; db < kDbs; ++db) {
      std::vector<std::string> keys = ParseArray(AskIn(db, {{"KEYS", "*"}}));
      if (keys.empty()) continue;
      std::vector<std::vector<std::string>> reqs;
      for (const std::string& key : keys) {
        reqs.push_back({"GET", key});
        reqs.push_back({"PEXPIRETIME", key});
      }
      std::string out = AskIn(db, reqs);
      size_t at = 0;
      for (const std::string& key : keys) {
        std::string v, t;
        bool nil = false, tnil = false;
        bool ok = NextReply(out, &at, &v, &nil) && !nil && at < out.size() && out[at] == ':' &&
                  NextReply(out, &at, &t, &tnil);
        if (!ok) {
          throw ScenarioFailed{"key " + key + " does not read back as a string with a TTL: " +
                               Printable(out.substr(std::min(at, out.size())))};
        }
        int64_t deadline = std::stoll(t);
        got[static_cast<size_t>(db)][key] = Model::Value{v, deadline > 0 ? deadline : 0};
      }
    }
    return got;
  }
  // Requests in db on a fresh session, one batch; their replies (SELECT's
  // dropped) once syncs have let them go.
  std::string AskIn(int db, const std::vector<std::vector<std::string>>& reqs) {
    SessionInfo info;
    info.peer = "10.0.2.3:1";
    Session* s = engine_->OpenSession(info);
    std::string in = Encode({"SELECT", std::to_string(db)});
    for (const auto& argv : reqs) in += Encode(argv);
    engine_->Feed(s, in);
    engine_->EndBatch();
    for (int i = 0; i < 20; ++i) {
      if (Deliver() == 0) break;
    }
    std::vector<Session*> ready;
    engine_->TakeReady(ready);
    std::string out(engine_->Output(s));
    engine_->ConsumeOutput(s, out.size());
    engine_->CloseSession(s);
    Collect();
    return out.size() >= 5 && out.compare(0, 5, "+OK\r\n") == 0 ? out.substr(5) : out;
  }

  SimEnv env_;
  uint32_t bugs_;
  bool trace_;
  std::string policy_;
  std::vector<std::string> extra_;
  std::unique_ptr<Engine> engine_;
  std::vector<std::unique_ptr<Client>> clients_;
  Model model_;
  std::vector<Model::State> states_ = {Model::State(kDbs)};
  size_t must_ = 0;
  std::vector<std::pair<uint64_t, size_t>> marks_;
  std::map<std::string, uint64_t> trusted_;
  int64_t next_tick_us_ = 0;
  size_t logged_ = 0;
  int checks_ = 0;
  std::string trace_text_;
  std::deque<std::string> tail_;
  bool batch_states_ = false;
  bool batch_wrote_ = false;
};

bool IsPath(const CrashFs::PendingSync& p, const std::string& path) { return p.path == path; }

// --- The scenarios. ---

// redis#948: a crash during a rewrite lost the appends made while it ran.
// The keyspace is large enough that the rewrite's walk spans batches, so
// APPENDs land on keys the walk has not reached; a crash at each step of
// the rewrite (after k sync completions) with every unsynced tail and name
// lost, or with all kept.
void RewriteAppendsLost(World& w, int crash_after, bool keep_all) {
  constexpr int kKeys = 6000;
  w.set_batch_states(true);  // the crashes below keep or lose tails whole
  Status st = w.Start("always");
  w.Require(st.ok(), "the engine starts", st.message());
  for (int i = 0; i < kKeys; i += 200) {
    std::vector<std::string> mset = {"MSET"};
    for (int j = i; j < i + 200; ++j) {
      mset.push_back("k" + std::to_string(j));
      mset.push_back("v");
    }
    w.Send(mset);
  }
  w.Batch();
  w.Deliver();
  w.Admin({"BGREWRITEAOF"});
  w.Require(w.log().rewrite_in_progress(), "BGREWRITEAOF started a rewrite");
  // Every key gets an APPEND while the walk is still going.
  w.Require(w.engine().durability().walking(), "the walk spans batches");
  for (int i = 0; i < kKeys; ++i) w.Send({"APPEND", "k" + std::to_string(i), "+"});
  w.Batch();
  int delivered = 0;
  for (int step = 0; step < 200; ++step) {
    // Appends at every step of the rewrite.
    w.Do({"APPEND", "k1", std::to_string(step)});
    w.Do({"APPEND", "new", std::to_string(step)});
    if (crash_after >= 0 && delivered == crash_after) break;
    if (!w.DeliverFirst()) {
      if (!w.log().rewrite_in_progress()) break;
      w.Advance(100);
      continue;
    }
    ++delivered;
  }
  if (crash_after < 0) {
    w.Require(!w.log().rewrite_in_progress() && w.log().rewrites() == 1,
              "the rewrite finished and swapped in its base");
    w.Deliver();
  }
  if (!keep_all) {
    w.fs().PlanCrashTails(CrashFs::TailPlan{CrashFs::TailPlan::kLost});
    w.fs().PlanCrashNames(CrashFs::kAllDirs, 0);
  }
  w.Crash(crash_after < 0 ? "after the rewrite"
                          : "after " + std::to_string(crash_after) + " completions of the rewrite");
  w.Restart("the crash");
  // The exact value of a key appended to before and during the walk.
  std::string k9 = w.Read({"GET", "k" + std::to_string(kKeys - 1)});
  w.Require(k9 == "$1\r\nv\r\n" || k9 == "$2\r\nv+\r\n",
            "a key appended to during the walk is \"v\" or \"v+\", never doubled", Printable(k9));
}

std::vector<std::pair<std::string, std::function<void(World&)>>> RewriteSweep() {
  std::vector<std::pair<std::string, std::function<void(World&)>>> runs;
  runs.emplace_back("rewrite completes, crash after",
                    [](World& w) { RewriteAppendsLost(w, -1, false); });
  for (int k = 0; k <= 12; ++k) {
    for (bool keep : {false, true}) {
      runs.emplace_back("crash after " + std::to_string(k) + " completions" +
                            (keep ? " (tails kept)" : " (unsynced lost)"),
                        [k, keep](World& w) { RewriteAppendsLost(w, k, keep); });
    }
  }
  return runs;
}

// redis#5177: garbage at the tail after power loss, not a clean cut.
void GarbageTail(World& w, bool load_truncated, uint64_t sector, size_t garbage) {
  Status st = w.Start("everysec");
  w.Require(st.ok(), "the engine starts", st.message());
  w.Deliver();
  w.Advance(1500);
  for (int i = 0; i < 5; ++i) w.Send({"SET", "a" + std::to_string(i), std::string(100, 'a')});
  w.Batch();
  w.Require(w.Deliver() > 0, "the first writes' fsync ran");
  uint64_t synced = w.fs().DurableSize(kIncr1);
  for (int i = 0; i < 20; ++i) w.Do({"SET", "b" + std::to_string(i), std::string(100, 'b')});
  w.Require(w.File(kIncr1).size() > synced + 1024, "more than two sectors are unsynced");
  // Power loss: the tail is cut at a sector boundary and garbage follows.
  w.fs().PlanCrashTail(kIncr1, CrashFs::TailPlan{CrashFs::TailPlan::kGarbage, sector, garbage});
  w.Crash("power loss with a garbage tail");
  uint64_t torn = w.File(kIncr1).size();
  if (!load_truncated) {
    Status refused = w.Start("everysec", {"--aof-load-truncated", "no"});
    w.Require(!refused.ok() && refused.message().find("appendonly.aof.1.incr.aof has a torn tail "
                                                      "at offset") != std::string::npos,
              "with aof-load-truncated no the loader refuses, naming the file and offset",
              refused.message());
    size_t at = refused.message().find("offset ");
    uint64_t offset = std::strtoull(refused.message().c_str() + at + 7, nullptr, 10);
    w.Require(offset >= synced && offset < torn,
              "the refused offset lies after the synced part (" + std::to_string(synced) +
                  ") and before the garbage",
              std::to_string(offset));
    return;
  }
  w.Restart("power loss with a garbage tail");
  uint64_t cut = w.File(kIncr1).size();
  w.Require(cut >= synced && cut <= torn - garbage,
            "the garbage was cut off, the synced part kept (file " + std::to_string(torn) + " -> " +
                std::to_string(cut) + " bytes)");
  w.Require(
      aof::ScanRecords(w.File(kIncr1), 0, nullptr).outcome == aof::ScanResult::Outcome::kClean,
      "what is left of the file scans clean");
}

// redis#8342 / #8347: under always, a failed fsync ignored and the reply sent.
void AlwaysFsyncError(World& w) {
  Status st = w.Start("always");
  w.Require(st.ok(), "the engine starts", st.message());
  w.Deliver();
  w.Require(w.Do({"SET", "a", "1"}).empty(), "a write's reply waits for its fsync");
  w.Deliver();
  w.Require(w.client().released == 5, "a write is acknowledged after its fsync");
  Client& reader = w.NewClient();
  w.fs().FailNextSync(kIncr1);
  w.Require(w.Do({"SET", "a", "2"}).empty(), "no reply is released before its fsync");
  w.Send(reader, {"GET", "a"});
  w.Batch();
  w.Require(reader.released == 0, "a read of the unsynced value is held too");
  w.Deliver();
  w.Advance(500, /*deliver=*/true);
  w.Require(w.client().released == 5,
            "the reply to the write whose fsync failed is never released");
  w.Require(reader.released == 0, "the read that saw it is never released");
  w.Require(w.engine().shutdown_state() == ShutdownState::kDone && w.engine().exit_code() != 0,
            "the engine exits (fsync errors under always are fatal)");
  w.Crash("after the exit");
  w.Restart("the exit");
}

// redis#8111 / #8419: background fsync errors ignored under everysec.
void EverysecFsyncError(World& w) {
  Status st = w.Start("everysec");
  w.Require(st.ok(), "the engine starts", st.message());
  w.Deliver();
  w.Advance(1500);
  w.Do({"SET", "a", "1"});
  w.Deliver();
  for (int i = 0; i < 5; ++i) w.Do({"SET", "b" + std::to_string(i), "x"});
  w.fs().FailNextSync(kIncr1);
  w.Advance(1100);  // the everysec fsync runs in the background
  bool asked = false;
  for (const auto& p : w.Pending()) asked = asked || IsPath(p, kIncr1);
  w.Require(asked, "the background fsync was requested within a period");
  w.Deliver([](const CrashFs::PendingSync& p) { return IsPath(p, kIncr1); });
  std::string misconf = "-MISCONF Errors writing to the AOF file: Input/output error\r\n";
  w.Require(w.Do({"SET", "c", "1"}) == misconf, "writes are refused with -MISCONF", misconf);
  w.Require(w.Do({"PING"}) == misconf, "PING is refused too");
  w.Require(w.Do({"GET", "b0"}) == "$1\r\nx\r\n", "reads go on");
  // The engine repairs with a rewrite (a new base holds the dropped pages).
  int64_t waited = 0;
  while (!w.engine().durability().WriteRefusal().empty() && waited < 10000) {
    w.Advance(100, /*deliver=*/true);
    waited += 100;
  }
  w.Require(w.engine().durability().WriteRefusal().empty(),
            "a repair rewrite lets writes in again (after " + std::to_string(waited) + " ms)");
  w.Require(w.Do({"SET", "c", "2"}) == "+OK\r\n", "a write is accepted after the repair");
  w.fs().PlanCrashTails(CrashFs::TailPlan{CrashFs::TailPlan::kLost});
  w.fs().PlanCrashNames(CrashFs::kAllDirs, 0);
  w.Crash("power loss after the repair");
  w.Restart("the repair and a crash");
  w.Require(w.Read({"GET", "b4"}) == "$1\r\nx\r\n",
            "the writes whose fsync failed are back (from the repair's base)");
}

// redis#5985 / #6053: the tail stayed unsynced after writes stopped.
void TailUnsyncedAfterWritesStop(World& w) {
  Status st = w.Start("everysec");
  w.Require(st.ok(), "the engine starts", st.message());
  w.Deliver();
  w.Advance(1500);
  w.Do({"SET", "a", "1"});  // written; an fsync starts
  bool inflight = w.log().sync_in_progress();
  w.Require(inflight, "the first write's fsync is in flight");
  // Writes while that fsync runs (postponed, then written).
  for (int i = 0; i < 4; ++i) {
    w.Advance(300);
    w.Do({"APPEND", "a", std::to_string(i)});
  }
  w.Deliver();  // the slow fsync completes only now
  int64_t caught_up = -1;
  for (int64_t t = 0; t <= 3000; t += 100) {
    if (w.log().all_durable()) {
      caught_up = t;
      break;
    }
    w.Advance(100, /*deliver=*/true);
  }
  w.Require(caught_up >= 0 && caught_up <= 1100,
            "the synced offset catches up within one everysec period (+ a tick) after writes "
            "stop: " +
                std::to_string(caught_up) + " ms",
            "written " + std::to_string(w.log().written()) + ", durable " +
                std::to_string(w.log().durable()));
  w.fs().PlanCrashTails(CrashFs::TailPlan{CrashFs::TailPlan::kLost});
  w.Crash("power loss after writes stopped");
  w.Restart("the crash");
  w.Require(w.Read({"GET", "a"}) == "$5\r\n10123\r\n", "every write is back: a = \"10123\"");
}

// redis#4066: a short write (or ENOSPC after part of a write) must not stay
// in the file as a partial record.
void ShortWrite(World& w, CrashFs::AppendFault kind) {
  Status st = w.Start("everysec");
  w.Require(st.ok(), "the engine starts", st.message());
  w.Deliver();
  w.Do({"SET", "a", "1"});
  w.Deliver();
  std::string before = w.File(kIncr1);
  w.fs().FailNextAppend(kIncr1, kind, 17);
  w.Require(w.Do({"SET", "b", "2"}) == "+OK\r\n", "the write executes (its batch fails)");
  w.Require(w.File(kIncr1) == before, "the partial batch was cut from the file",
            Printable(w.File(kIncr1).substr(before.size())));
  std::string misconf = "-MISCONF Errors writing to the AOF file: No space left on device\r\n";
  w.Require(w.Do({"SET", "c", "3"}) == misconf, "writes are refused with -MISCONF", misconf);
  w.Advance(1200, /*deliver=*/true);  // the retry writes the kept batch
  w.Require(w.Do({"SET", "c", "4"}) == "+OK\r\n", "writes are accepted after the retry");
  w.Require(
      aof::ScanRecords(w.File(kIncr1), 0, nullptr).outcome == aof::ScanResult::Outcome::kClean,
      "the file holds whole records only");
  w.Advance(1200, /*deliver=*/true);
  w.fs().PlanCrashTails(CrashFs::TailPlan{CrashFs::TailPlan::kLost});
  w.Crash("power loss");
  w.Restart("the crash");
  w.Require(w.Read({"MGET", "a", "b", "c"}) == "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n4\r\n",
            "a, b and c are back with their acknowledged values");
}

// redis#4066 under always: a write error is fatal; the reply never leaves.
void AlwaysWriteError(World& w) {
  Status st = w.Start("always");
  w.Require(st.ok(), "the engine starts", st.message());
  w.Deliver();
  w.Do({"SET", "a", "1"});
  w.Deliver();
  w.Require(w.client().released == 5, "a write is acknowledged after its fsync");
  w.fs().FailNextAppend(kIncr1, CrashFs::AppendFault::kShort, 11);
  w.Require(w.Do({"SET", "a", "2"}).empty(), "the write whose batch was cut short gets no reply");
  w.Advance(2000, /*deliver=*/true);
  w.Require(w.client().released == 5, "its reply is never released");
  w.Require(w.engine().shutdown_state() == ShutdownState::kDone && w.engine().exit_code() != 0,
            "the engine exits (write errors under always are fatal)");
  w.Crash("after the exit");
  w.Restart("the exit");
  std::string a = w.Read({"GET", "a"});
  w.Require(a == "$1\r\n1\r\n" || a == "$1\r\n2\r\n", "a is 1 or 2, nothing else", a);
}

// redis#4952: many keys missing after a reboot under everysec. Writes over
// several seconds with fsyncs on time; a power loss keeps exactly what an
// fsync covered, and a second restart finds the same keyspace (digest
// across restarts).
void EverysecRebootKeysMissing(World& w) {
  Status st = w.Start("everysec");
  w.Require(st.ok(), "the engine starts", st.message());
  w.Deliver();
  for (int i = 0; i < 400; ++i) {
    w.Do({"SET", "k" + std::to_string(i % 97), std::to_string(i)});
    if (i % 7 == 0) w.Do({"INCR", "n"});
    w.Advance(15, /*deliver=*/true);
  }
  // The last writes, no fsync yet: a reboot may lose them.
  for (int i = 0; i < 5; ++i) w.Do({"SET", "tail" + std::to_string(i), "x"});
  w.fs().PlanCrashTails(CrashFs::TailPlan{CrashFs::TailPlan::kLost});
  w.fs().PlanCrashNames(CrashFs::kAllDirs, 0);
  w.Crash("reboot losing every unsynced byte and name");
  w.Restart("the reboot");
  std::string digest = w.Read({"MGET", "k0", "k50", "k96", "n"});
  w.Require(w.Read({"DBSIZE"}) == ":98\r\n", "all 98 keys are there, the unsynced ones gone",
            w.Read({"DBSIZE"}));
  w.Crash("a second reboot");
  w.Restart("the second reboot");
  w.Require(w.Read({"MGET", "k0", "k50", "k96", "n"}) == digest,
            "the second reboot finds the same values", digest);
}

// redis#10737: the manifest renamed without a directory fsync.
void ManifestNoDirFsync(World& w) {
  Status st = w.Start("always");
  w.Require(st.ok(), "the engine starts", st.message());
  w.Deliver();
  w.Do({"SET", "a", "1"});
  w.Admin({"BGREWRITEAOF"});
  for (int i = 0; i < 50 && w.log().rewrite_in_progress(); ++i) {
    w.Do({"APPEND", "a", "+"});
    w.DeliverFirst();
  }
  w.Require(!w.log().rewrite_in_progress() && w.log().rewrites() == 1, "the rewrite finished");
  for (int i = 0; i < 3; ++i) w.Do({"APPEND", "a", "!"});
  w.Deliver();
  w.Require(w.client().released == w.client().expected.size(), "every reply was released");
  // Every name operation not made durable by a directory fsync is undone.
  w.fs().PlanCrashNames(CrashFs::kAllDirs, 0);
  w.Crash("power loss undoing unsynced names");
  w.Restart("the crash");
  std::string a = w.Read({"GET", "a"});
  w.Require(a.find("+!!!") != std::string::npos, "a holds every acknowledged APPEND", a);
}

// redis#10616 / #10649: a new incr file named in the manifest before it
// exists durably. A crash at each step of a rewrite keeps each prefix of
// the directory's unsynced name operations in turn.
void IncrNamedBeforeDurable(World& w, int crash_after, size_t keep_names) {
  Status st = w.Start("always");
  w.Require(st.ok(), "the engine starts", st.message());
  w.Deliver();
  w.Do({"SET", "a", "1"});
  w.Deliver();
  w.Admin({"BGREWRITEAOF"});
  for (int i = 0; i < crash_after && w.log().rewrite_in_progress(); ++i) {
    w.Do({"APPEND", "a", std::to_string(i % 10)});
    if (!w.DeliverFirst()) w.Advance(100);
  }
  w.Do({"APPEND", "a", "z"});
  size_t ops = w.fs().unsynced_name_ops(kAofDir);
  w.fs().PlanCrashNames(kAofDir, keep_names);
  w.Crash("at step " + std::to_string(crash_after) + " (rewrite " +
          (w.log().rewrite_in_progress() ? "running" : "done") + "), keeping " +
          std::to_string(std::min(keep_names, ops)) + " of " + std::to_string(ops) +
          " unsynced name operations");
  w.Restart("the crash");
}

std::vector<std::pair<std::string, std::function<void(World&)>>> NamesSweep() {
  std::vector<std::pair<std::string, std::function<void(World&)>>> runs;
  for (int k = 0; k <= 8; ++k) {
    for (size_t keep = 0; keep <= 6; ++keep) {
      runs.emplace_back("crash after " + std::to_string(k) + " completions keeping " +
                            std::to_string(keep) + " names",
                        [k, keep](World& w) { IncrNamedBeforeDurable(w, k, keep); });
    }
  }
  return runs;
}

// redis#8419: a background fsync error racing with a rewrite -- the fsync
// of the old incr file at the rewrite's cut fails.
void FsyncErrorDuringRewrite(World& w) {
  Status st = w.Start("everysec");
  w.Require(st.ok(), "the engine starts", st.message());
  w.Deliver();
  w.Advance(1500);
  for (int i = 0; i < 3; ++i) w.Send({"SET", "a" + std::to_string(i), "1"});
  w.Batch();
  w.Deliver();
  for (int i = 0; i < 3; ++i) w.Do({"SET", "b" + std::to_string(i), "1"});  // unsynced
  w.fs().FailNextSync(kIncr1);
  w.Admin({"BGREWRITEAOF"});
  for (int i = 0; i < 3; ++i) w.Do({"SET", "c" + std::to_string(i), "1"});
  w.Deliver();
  std::string misconf = "-MISCONF Errors writing to the AOF file: Input/output error\r\n";
  w.Require(w.Do({"SET", "d", "1"}) == misconf,
            "the failed fsync at the cut refuses writes with -MISCONF");
  int64_t waited = 0;
  while (!w.engine().durability().WriteRefusal().empty() && waited < 10000) {
    w.Advance(100, /*deliver=*/true);
    waited += 100;
  }
  w.Require(w.engine().durability().WriteRefusal().empty(),
            "a repair rewrite lets writes in again (after " + std::to_string(waited) + " ms)");
  w.Require(w.Do({"SET", "d", "2"}) == "+OK\r\n", "a write is accepted after the repair");
  w.Advance(1200, /*deliver=*/true);
  w.fs().PlanCrashTails(CrashFs::TailPlan{CrashFs::TailPlan::kLost});
  w.fs().PlanCrashNames(CrashFs::kAllDirs, 0);
  w.Crash("power loss after the repair");
  w.Restart("the crash");
  w.Require(w.Read({"MGET", "b2", "c2", "d"}) == "*3\r\n$1\r\n1\r\n$1\r\n1\r\n$1\r\n2\r\n",
            "the writes around the failed fsync and after the repair are all back");
}

// redis#10649: the manifest write of a rewrite fails (its temp file's fsync
// fails), leaving a new incr file no manifest names. Writes are refused
// until a repair; nothing acknowledged under everysec's promise is lost and
// the loader never meets the orphan.
void ManifestWriteFails(World& w) {
  Status st = w.Start("everysec");
  w.Require(st.ok(), "the engine starts", st.message());
  w.Deliver();
  w.Advance(1500);
  w.Do({"SET", "a", "1"});
  w.Deliver();
  w.fs().FailNextSync(kTempManifest);
  w.Admin({"BGREWRITEAOF"});
  w.Do({"SET", "b", "1"});
  w.Deliver();
  w.Require(!w.engine().durability().WriteRefusal().empty(),
            "the failed manifest write refuses writes");
  int64_t waited = 0;
  while (!w.engine().durability().WriteRefusal().empty() && waited < 10000) {
    w.Advance(100, /*deliver=*/true);
    waited += 100;
  }
  w.Require(w.engine().durability().WriteRefusal().empty(),
            "a repair rewrite lets writes in again (after " + std::to_string(waited) + " ms)");
  w.Do({"SET", "c", "1"});
  w.Advance(1200, /*deliver=*/true);
  w.Require(w.log().all_durable(), "everything written is durable again");
  w.fs().PlanCrashTails(CrashFs::TailPlan{CrashFs::TailPlan::kLost});
  w.fs().PlanCrashNames(CrashFs::kAllDirs, 0);
  w.Crash("power loss after the repair");
  w.Restart("the crash");
  w.Require(w.Read({"MGET", "a", "b", "c"}) == "*3\r\n$1\r\n1\r\n$1\r\n1\r\n$1\r\n1\r\n",
            "a, b and c are back");
}

// Sync completions arriving in reverse request order at every step of a
// rewrite under always: no reply leaves before everything it depends on is
// durable (a file sync completing before an earlier directory sync does not
// count), so a crash losing every unsynced byte and name keeps them all.
void ReorderedCompletions(World& w, int crash_after) {
  Status st = w.Start("always");
  w.Require(st.ok(), "the engine starts", st.message());
  w.Deliver();
  w.Do({"SET", "a", "1"});
  w.Deliver();
  w.Admin({"BGREWRITEAOF"});
  for (int i = 0; i < crash_after; ++i) {
    w.Do({"APPEND", "a", std::to_string(i % 10)});
    std::vector<CrashFs::PendingSync> pending = w.Pending();
    if (pending.empty()) {
      w.Advance(100);
      continue;
    }
    w.DeliverOne(pending.back());  // the newest request completes first
  }
  w.fs().PlanCrashTails(CrashFs::TailPlan{CrashFs::TailPlan::kLost});
  w.fs().PlanCrashNames(CrashFs::kAllDirs, 0);
  w.Crash("after " + std::to_string(crash_after) + " completions, newest first (rewrite " +
          (w.log().rewrite_in_progress() ? "running" : "done") + ")");
  w.Restart("the crash");
}

std::vector<std::pair<std::string, std::function<void(World&)>>> ReorderedSweep() {
  std::vector<std::pair<std::string, std::function<void(World&)>>> runs;
  for (int k = 0; k <= 14; ++k) {
    runs.emplace_back("crash after " + std::to_string(k) + " reordered completions",
                      [k](World& w) { ReorderedCompletions(w, k); });
  }
  return runs;
}

// The old incr file's tail lost while the new one survives: the manifest
// naming the new file must wait for the old file's fsync.
void OldIncrTailLost(World& w) {
  Status st = w.Start("everysec");
  w.Require(st.ok(), "the engine starts", st.message());
  w.Deliver();
  w.Advance(1500);
  for (int i = 0; i < 3; ++i) w.Send({"SET", "a" + std::to_string(i), "1"});
  w.Batch();
  w.Deliver();
  for (int i = 0; i < 3; ++i) w.Do({"SET", "b" + std::to_string(i), "1"});  // unsynced
  w.Admin({"BGREWRITEAOF"});
  // The disk is slow for the old incr file and the rewrite's base: their
  // fsyncs never complete. The manifest, the directory and the new incr
  // file sync at once.
  auto not_old = [](const CrashFs::PendingSync& p) {
    return p.dir || p.path == kTempManifest || p.path == kIncr2;
  };
  w.Deliver(not_old);
  for (int i = 0; i < 3; ++i) w.Do({"SET", "c" + std::to_string(i), "1"});
  for (int i = 0; i < 20; ++i) {
    w.Advance(100);
    w.Deliver(not_old);
  }
  w.fs().PlanCrashTail(kIncr1, CrashFs::TailPlan{CrashFs::TailPlan::kLost});
  w.Crash("power loss: the old incr file's tail lost, the new one kept");
  w.Restart("the crash");
}

// redis#5686: loading must have no side effects -- nothing logged, no
// relative expiry re-armed, no key expired into the log.
void LoadSideEffects(World& w) {
  Status st = w.Start("everysec");
  w.Require(st.ok(), "the engine starts", st.message());
  w.Deliver();
  w.Do({"SET", "x", "1000"});
  w.Do({"INCR", "x"});
  w.Do({"SET", "k", "v"});
  w.Do({"EXPIRE", "k", "100"});
  int64_t deadline = w.NowMs() + 100000;
  w.Do({"SET", "y", "v", "PX", "5000"});
  w.Do({"APPEND", "y", "w"});
  w.Advance(2500, /*deliver=*/true);
  w.Require(w.log().all_durable(), "everything is durable before the restart");
  std::string before = w.File(kIncr1);
  w.Crash("power loss");
  w.Clock().Advance(30'000'000);  // the machine is down for 30 s: y is due at load
  Status restarted = w.Start("everysec");
  w.Require(restarted.ok(), "the engine starts again", restarted.message());
  w.Batch();  // a batch point writes whatever the load left buffered
  w.Deliver();
  w.Require(
      w.File(kIncr1) == before, "loading logged nothing: the incr file did not grow",
      std::to_string(before.size()) + " -> " + std::to_string(w.File(kIncr1).size()) + " bytes");
  std::string ttl = w.Read({"PEXPIRETIME", "k"});
  w.Require(ttl == ":" + std::to_string(deadline) + "\r\n",
            "the TTL is absolute after reload (deadline " + std::to_string(deadline) + ")", ttl);
  w.Require(w.Read({"GET", "x"}) == "$4\r\n1001\r\n", "x = 1001 (SET then INCR replayed whole)");
  w.Require(w.Read({"GET", "y"}) == "$-1\r\n", "y, due while the server was down, is gone now");
  w.CheckRecovered("the restart");
}

// Damage in the middle of a file is refused, never skipped: bit rot inside
// bytes a successful fsync made durable.
void MiddleDamageRefused(World& w, bool middle_file) {
  Status st = w.Start("always");
  w.Require(st.ok(), "the engine starts", st.message());
  w.Deliver();
  for (int i = 0; i < 6; ++i) {
    w.Do({"SET", "k" + std::to_string(i), "value" + std::to_string(i)});
    w.Deliver();
  }
  w.Require(w.log().all_durable(), "every batch is durable");
  if (middle_file) {
    // A rewrite names a second incr file; its base's fsync never completes,
    // so the manifest keeps naming both incr files.
    w.Admin({"BGREWRITEAOF"});
    auto not_base = [](const CrashFs::PendingSync& p) {
      return p.path.find("temp-rewriteaof") == std::string::npos;
    };
    w.Deliver(not_base);
    for (int i = 0; i < 3; ++i) {
      w.Do({"SET", "n" + std::to_string(i), "x"});
      w.Deliver(not_base);
    }
    w.Require(w.File(InAof("appendonly.aof.manifest")).find("appendonly.aof.2.incr.aof") !=
                  std::string::npos,
              "the manifest names a second incr file after the damaged one");
  }
  std::string file = w.File(kIncr1);
  size_t at = file.find("value2");
  w.Require(at != std::string::npos, "the third batch is in the file");
  Status rot = w.fs().Corrupt(kIncr1, at, "VALUE");
  w.Require(rot.ok(), "bit rot in the third batch", rot.message());
  w.Crash("power loss; the disk rotted a synced batch");
  Status refused = w.Start("always");
  w.Require(!refused.ok(), "the loader refuses the damaged file");
  std::string name = "appendonly.aof.1.incr.aof is damaged at offset ";
  size_t named = refused.message().find(name);
  w.Require(named != std::string::npos, "the refusal names the file and the offset",
            refused.message());
  uint64_t offset = std::strtoull(refused.message().c_str() + named + name.size(), nullptr, 10);
  w.Require(offset > 0 && offset <= at, "the offset (" + std::to_string(offset) +
                                            ") is at or before the rotted bytes (" +
                                            std::to_string(at) + ")");
}

// Pages of an unsynced tail reach the disk out of order: a hole of zeros in
// the middle with whole batches after it. The loader must refuse (past the
// synced offset); a cut at the refused offset leaves a prefix.
void ReorderedPagesHole(World& w, uint64_t pages) {
  Status st = w.Start("everysec");
  w.Require(st.ok(), "the engine starts", st.message());
  w.Deliver();
  w.Advance(1500);
  w.Do({"SET", "a", "1"});
  w.Deliver();
  uint64_t synced = w.fs().DurableSize(kIncr1);
  for (int i = 0; i < 30; ++i) w.Do({"SET", "p" + std::to_string(i), std::string(400, 'p')});
  w.Require(w.File(kIncr1).size() > synced + 3 * 4096, "the unsynced tail spans four pages");
  // Some pages reach the disk, an earlier one does not.
  w.fs().PlanCrashTail(kIncr1, CrashFs::TailPlan{CrashFs::TailPlan::kPages, 0, 0, pages});
  w.Crash("power loss; the tail's pages reached the disk out of order");
  Status refused = w.Start("everysec");
  w.Require(!refused.ok() && refused.message().find("damaged at offset") != std::string::npos,
            "the loader refuses the hole", refused.message());
  size_t at = refused.message().find("offset ");
  uint64_t offset = std::strtoull(refused.message().c_str() + at + 7, nullptr, 10);
  w.Require(offset >= synced, "the damage lies past the synced offset (" + std::to_string(offset) +
                                  " >= " + std::to_string(synced) + ")");
  // kv-check-aof --fix's cut.
  Status cut = w.fs().Truncate(kIncr1, offset);
  w.Require(cut.ok(), "the file is cut at the damage", cut.message());
  w.Restart("the cut");
}

struct Scenario {
  ScenarioInfo info;
  // One script, or several runs of it (a sweep), each on a fresh world.
  std::function<std::vector<std::pair<std::string, std::function<void(World&)>>>()> runs;
};

std::vector<std::pair<std::string, std::function<void(World&)>>> One(
    std::function<void(World&)> f) {
  return {{"", std::move(f)}};
}

const std::vector<Scenario>& All() {
  static const std::vector<Scenario> all = {
      {{"rewrite-appends-lost", "redis#948: appends made during a rewrite lost by a crash",
        "every acknowledged APPEND is back after a crash at each step of a rewrite (walk spanning "
        "batches), exact values, prefix rule",
        "rewrite-without-cut"},
       RewriteSweep},
      {{"garbage-tail", "redis#5177: garbage, not a clean cut, at the tail after power loss",
        "the loader cuts the garbage at the last valid batch and keeps the synced part; the rest "
        "is a prefix",
        ""},
       [] {
         std::vector<std::pair<std::string, std::function<void(World&)>>> runs;
         for (uint64_t sector : {0, 1, 2, 3, 5}) {
           for (size_t garbage : {1, 300, 700}) {
             runs.emplace_back(
                 "cut at sector " + std::to_string(sector) + ", " + std::to_string(garbage) +
                     " garbage bytes",
                 [sector, garbage](World& w) { GarbageTail(w, true, sector, garbage); });
           }
         }
         return runs;
       }},
      {{"garbage-tail-refused", "redis#5177 with aof-load-truncated no",
        "the loader refuses, naming the file and an offset between the synced part and the "
        "garbage",
        ""},
       [] { return One([](World& w) { GarbageTail(w, false, 2, 300); }); }},
      {{"always-fsync-error", "redis#8342/#8347: an fsync error ignored under always",
        "no reply (nor a read of the value) released before its fsync, never after a failed one; "
        "the engine exits; prefix rule after restart",
        "ack-before-fsync, ignore-failed-fsync"},
       [] { return One(AlwaysFsyncError); }},
      {{"everysec-fsync-error", "redis#8111/#8419: background fsync errors ignored under everysec",
        "writes and PING refused with -MISCONF after a failed background fsync; a repair rewrite "
        "lets writes in; the failed writes survive a crash",
        "ignore-failed-fsync"},
       [] { return One(EverysecFsyncError); }},
      {{"tail-unsynced-after-writes-stop",
        "redis#5985/#6053: the tail stayed unsynced after writes stopped",
        "the synced offset catches up within one everysec period (+ a tick) after writes stop "
        "behind a slow fsync; all writes survive a crash losing unsynced tails",
        ""},
       [] { return One(TailUnsyncedAfterWritesStop); }},
      {{"short-write", "redis#4066: a short write left in the file",
        "the partial batch is cut, writes refused with -MISCONF until the retry succeeds, the "
        "file holds whole records, acknowledged values survive",
        ""},
       [] { return One([](World& w) { ShortWrite(w, CrashFs::AppendFault::kShort); }); }},
      {{"enospc-partial-write", "redis#4066: ENOSPC after part of a write",
        "as short-write, for a write that fails after writing part", ""},
       [] { return One([](World& w) { ShortWrite(w, CrashFs::AppendFault::kNoSpace); }); }},
      {{"always-write-error", "redis#4066 under always: a short write",
        "the write whose batch was cut short is never acknowledged, the engine exits, the "
        "recovered value is the old or the new one",
        "ack-before-fsync"},
       [] { return One(AlwaysWriteError); }},
      {{"everysec-reboot-keys-missing", "redis#4952: keys missing after a reboot under everysec",
        "after 6 s of writes with fsyncs on time and a reboot losing every unsynced byte, every "
        "write covered by an fsync is back (prefix rule); a second reboot finds the same values",
        "no-dir-fsync"},
       [] { return One(EverysecRebootKeysMissing); }},
      {{"manifest-no-dir-fsync", "redis#10737: a manifest renamed without a directory fsync",
        "after a rewrite and a crash undoing every unsynced name, every acknowledged APPEND is "
        "back",
        "no-dir-fsync"},
       [] { return One(ManifestNoDirFsync); }},
      {{"incr-named-before-durable",
        "redis#10616/#10649: a new incr file named in the manifest before it exists durably",
        "a crash at each step of a rewrite keeping each prefix of the unsynced name operations: "
        "the loader never finds a missing file, acknowledged writes are back",
        "no-dir-fsync"},
       NamesSweep},
      {{"fsync-error-during-rewrite",
        "redis#8419: a background fsync error racing with a rewrite (the old incr file's fsync "
        "at the cut fails)",
        "writes refused with -MISCONF, a repair rewrite lets them in, writes around the failure "
        "survive a crash losing every unsynced byte and name",
        ""},
       [] { return One(FsyncErrorDuringRewrite); }},
      {{"manifest-write-fails",
        "redis#10649: a rewrite's manifest write fails, leaving an incr file no manifest names",
        "writes refused until a repair rewrite, everything durable again after it, all writes "
        "back after a crash losing every unsynced byte and name",
        "no-dir-fsync"},
       [] { return One(ManifestWriteFails); }},
      {{"reordered-completions", "sync completions arriving newest first during a rewrite",
        "under always, at each step of a rewrite with completions reordered, a crash losing "
        "every unsynced byte and name keeps every acknowledged write",
        "no-dir-fsync, ack-before-fsync"},
       ReorderedSweep},
      {{"old-incr-tail-lost", "the old incr file's tail lost while the new one survives",
        "with the old file's fsync withheld and its tail lost at the crash, the recovered state "
        "is a prefix (no hole)",
        "no-old-incr-sync"},
       [] { return One(OldIncrTailLost); }},
      {{"load-side-effects", "redis#5686: side effects while loading",
        "the log does not grow on reload, the TTL is absolute after reload, SET+INCR replays "
        "whole, a key due at load time is not expired into the log",
        "replay-logs, relative-ttl"},
       [] { return One(LoadSideEffects); }},
      {{"middle-damage-refused",
        "bit rot in a synced batch in the middle of the last incr file, or of an incr file "
        "another follows",
        "the loader refuses, naming the file and the offset", "loader-skips-damage"},
       [] {
         return std::vector<std::pair<std::string, std::function<void(World&)>>>{
             {"the last incr file", [](World& w) { MiddleDamageRefused(w, false); }},
             {"an incr file before another", [](World& w) { MiddleDamageRefused(w, true); }}};
       }},
      {{"reordered-pages-hole", "unsynced pages reaching the disk out of order",
        "the loader refuses the hole past the synced offset; a cut there recovers a prefix",
        "loader-skips-damage"},
       [] {
         std::vector<std::pair<std::string, std::function<void(World&)>>> runs;
         for (uint64_t pages : {0b101, 0b110, 0b1001, 0b1011, 0b1100}) {
           runs.emplace_back("pages kept (bit per page) " + std::to_string(pages),
                             [pages](World& w) { ReorderedPagesHole(w, pages); });
         }
         return runs;
       }},
  };
  return all;
}

}  // namespace

const std::vector<ScenarioInfo>& Scenarios() {
  static const std::vector<ScenarioInfo> infos = [] {
    std::vector<ScenarioInfo> out;
    for (const Scenario& s : All()) out.push_back(s.info);
    return out;
  }();
  return infos;
}

ScenarioResult RunScenario(const std::string& name, uint32_t planted_bugs, bool trace) {
  ScenarioResult result;
  const Scenario* found = nullptr;
  for (const Scenario& s : All()) {
    if (name == s.info.name) found = &s;
  }
  if (found == nullptr) {
    result.ok = false;
    result.failure = "no scenario named " + name;
    return result;
  }
  for (const auto& [label, script] : found->runs()) {
    World w(name, planted_bugs, trace);
    if (!label.empty()) w.Trace("--- " + label);
    try {
      script(w);
    } catch (const ScenarioFailed& f) {
      result.ok = false;
      result.failure = (label.empty() ? "" : label + ": ") + f.why;
      w.Trace("FAILED: " + f.why);
    }
    result.checks += w.checks();
    if (trace || !result.ok) result.trace += w.trace();
    if (!result.ok) break;
  }
  return result;
}

}  // namespace cairn::sim
