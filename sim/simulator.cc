#include "sim/simulator.h"

#include <algorithm>
#include <deque>
#include <memory>
#include <set>
#include <vector>

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

std::string Printable(std::string_view bytes, size_t max = 120) {
  std::string out;
  for (char c : bytes.substr(0, max)) {
    if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) < 32 || static_cast<unsigned char>(c) > 126) {
      out += '?';
    } else {
      out += c;
    }
  }
  if (bytes.size() > max) out += "...";
  return out;
}

struct Request {
  size_t end;  // offset in the connection's byte stream just past it
  std::vector<std::string> argv;
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
};

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
    env_ = std::make_unique<SimEnv>(root_, faults_);
  }

  SimResult Go() {
    Config config;
    // Durability joins the simulation with its own workload (crashes and
    // restarts); until then the log is off so write faults stay out of replies.
    // The simulated clients come from 10.0.0.x without a password: protected
    // mode would refuse them all.
    std::vector<std::string> args = {
        "--dir", "/data", "--hz", "10", "--appendonly", "no", "--protected-mode", "no"};
    Status st = config.ApplyArgs(args);
    if (!st.ok()) return Fail("config: " + st.message());
    engine_ = std::make_unique<Engine>(*env_, std::move(config));
#ifdef CAIRN_PLANTED_BUGS
    engine_->planted_bugs = opt_.planted_bugs;
#endif
    st = engine_->Start();
    if (!st.ok()) return Fail("start: " + st.message());
    Trace("seed " + std::to_string(opt_.seed) + " clients " + std::to_string(n_clients_) +
          " pipeline<=" + std::to_string(max_pipeline_) + " drop/1000 " +
          std::to_string(drop_permille_) + " jump/1000 " + std::to_string(jump_permille_));
    clients_.resize(static_cast<size_t>(n_clients_));
    for (int i = 0; i < n_clients_; ++i) {
      clients_[i].id = i;
      Connect(clients_[i]);
    }
    next_tick_us_ = Clock().mono_us() + engine_->TickIntervalUs();
    for (step_ = 0; step_ < opt_.steps && result_.ok; ++step_) Step(/*calm=*/false);
    // Calm phase: no new requests, no drops, no jumps; everything flows.
    for (int calm = 0; calm < 5000 && result_.ok && !Quiet(); ++calm, ++step_) Step(true);
    if (result_.ok && !Quiet()) StuckFailure();
    if (result_.ok) CheckKeyspace();
    result_.simulated_ms = (Clock().mono_us() - 5'000'000) / 1000;
    result_.trace_hash = hash_;
    result_.trace = TraceText();
    return result_;
  }

 private:
  SimClock& Clock() { return env_->sim_clock(); }
  int64_t NowMs() { return Clock().wall_ms(); }

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
      engine_->Feed(c.s, std::string_view(c.sent).substr(c.fed, k));
      c.fed += k;
      std::string line = "c" + std::to_string(c.id) + " feed " + std::to_string(k) + "B";
      while (!c.unexecuted.empty() && c.unexecuted.front().end <= c.fed) {
        Request r = std::move(c.unexecuted.front());
        c.unexecuted.pop_front();
        std::string reply = model_.Execute(r.argv, &c.db, NowMs());
        line += " | " + Show(r.argv) + " -> " + Printable(reply, 60);
        c.expected += reply;
        ++result_.requests_executed;
      }
      Trace(line);
      writable_.insert(c.id);
    }
    engine_->EndBatch();
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
  std::string Ask(Session* s, const std::vector<std::string>& argv) {
    engine_->Feed(s, Encode(argv));
    engine_->EndBatch();
    engine_->TakeReady(ready_);
    // Other sessions made ready meanwhile stay ready for the next step.
    for (Session* other : ready_) {
      if (other != s) carried_.insert(other);
    }
    std::string out(engine_->Output(s));
    engine_->ConsumeOutput(s, out.size());
    return out;
  }

  void SettleExpired() {
    SessionInfo info;
    info.peer = "10.0.0.201:1";
    Session* s = engine_->OpenSession(info);
    for (int db = 0; db < 3; ++db) {
      Ask(s, {"SELECT", std::to_string(db)});
      for (const std::string& key : model_.StoredKeys(db)) Ask(s, {"EXISTS", key});
      model_.Live(db, NowMs());
    }
    engine_->CloseSession(s);
  }

  // The keyspace read back through the protocol equals the model's.
  void CheckKeyspace() {
    SessionInfo info;
    info.peer = "10.0.0.200:1";
    Session* s = engine_->OpenSession(info);
    for (int db = 0; db < 3 && result_.ok; ++db) {
      Ask(s, {"SELECT", std::to_string(db)});
      const Model::Db& live = model_.Live(db, NowMs());
      std::string want = "*" + std::to_string(live.size()) + "\r\n";
      // KEYS' order is the table's: compare as a set.
      std::string got = Ask(s, {"KEYS", "*"});
      std::set<std::string> keys;
      size_t pos = got.find("\r\n");
      if (got.compare(0, pos + 2, want) != 0) {
        Fail("final check db " + std::to_string(db) + ": engine has " + Printable(got) +
                 ", model has " + std::to_string(live.size()) + " keys",
             true);
        break;
      }
      for (const auto& [key, value] : live) {
        std::string g = Ask(s, {"GET", key});
        std::string t = Ask(s, {"PTTL", key});
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

  const SimOptions& opt_;
  SimRandom root_, world_, net_;
  Workload load_;
  CrashFsFaults faults_;
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
