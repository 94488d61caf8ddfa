// cairn_soak: a long mixed load with faults against a real kv-server
// (appendonly yes, everysec), on demand only (ctest label soak, left out of
// CI; `cairn_soak --seconds N`, 600 by default).
//
// Load, all at once for the whole run:
//   - writers: pipelined SETs over their own 5,000 keys and INCRs of their
//     own counter, remembering what was acknowledged;
//   - expiring keys: SET ... PX 50..1000, checked gone once past due;
//   - big values: 1-4 MB SETs read back whole;
//   - slow readers: 100 GETs of a 256 kB value pipelined, replies read a
//     frame at a time with pauses (served, not dropped);
//   - faults every 100-300 ms: CLIENT KILL TYPE normal (every worker's
//     connection dies mid-pipeline, a reconnect storm follows), abrupt
//     closes with RST mid-request, bursts of 100 connect/PING/close, and
//     BGREWRITEAOF.
// At the end: every writer key holds its last acknowledged value (or a
// value whose SET was in flight when its connection died), each counter
// lies between its acknowledged and its attempted increments, past-due
// keys are gone; then the server is stopped (SIGTERM) and restarted from
// its append-only files, and the same checks run on the reloaded data.
// RSS is sampled through the run: growth from the first sample after
// warm-up to the end is bounded. Prints the figures and PASS or FAIL
// (exit 0 or 1).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <netinet/in.h>
#include <sys/socket.h>

#include "tests/support/raw_client.h"
#include "tests/support/server_process.h"

namespace {

using cairn::testing::EncodeMultibulk;
using cairn::testing::RawClient;
using cairn::testing::ServerProcess;
using Clock = std::chrono::steady_clock;

struct Figures {
  std::atomic<uint64_t> ops{0};
  std::atomic<uint64_t> reconnects{0};
  std::atomic<uint64_t> kills{0};
  std::atomic<uint64_t> abrupt{0};
  std::atomic<uint64_t> storms{0};
  std::atomic<uint64_t> rewrites{0};
  std::atomic<uint64_t> big_values{0};
  std::atomic<uint64_t> slow_reads{0};
  std::atomic<uint64_t> expiring{0};
  std::atomic<uint64_t> errors{0};  // anything unexpected: the run fails
};

Figures g;
std::mutex g_err_mu;
std::vector<std::string> g_first_errors;

void Error(const std::string& what) {
  ++g.errors;
  std::lock_guard<std::mutex> lock(g_err_mu);
  if (g_first_errors.size() < 20) g_first_errors.push_back(what);
}

long RssKb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

std::unique_ptr<RawClient> Connect(int port) {
  for (int attempt = 0; attempt < 50; ++attempt) {
    auto c = RawClient::Connect(port, 2000);
    if (c.ok()) return std::move(c.value());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Error("cannot connect");
  return nullptr;
}

std::string Bulk(const std::string& v) {
  return "$" + std::to_string(v.size()) + "\r\n" + v + "\r\n";
}

// One writer's keys: the last acknowledged value and the values sent since
// (in flight when a connection died).
struct Writer {
  int id = 0;
  std::vector<std::string> acked;
  std::vector<std::set<std::string>> in_flight;
  int64_t ctr_acked = 0;
  int64_t ctr_attempted = 0;
  std::string Key(int k) const { return "soak:w" + std::to_string(id) + ":" + std::to_string(k); }
  std::string Counter() const { return "soak:ctr:" + std::to_string(id); }
};

constexpr int kKeysPerWriter = 5000;
constexpr int kPipeline = 16;

void RunWriter(Writer& w, int port, Clock::time_point end) {
  std::mt19937_64 rng(w.id * 7919 + 1);
  w.acked.assign(kKeysPerWriter, "");
  w.in_flight.assign(kKeysPerWriter, {});
  std::unique_ptr<RawClient> c = Connect(port);
  uint64_t seq = 0;
  while (Clock::now() < end && c) {
    std::string batch;
    std::vector<int> keys;  // -1: the INCR
    std::vector<std::string> values;
    for (int i = 0; i < kPipeline; ++i) {
      if (i == kPipeline - 1) {
        batch += EncodeMultibulk({"INCR", w.Counter()});
        ++w.ctr_attempted;
        keys.push_back(-1);
        values.emplace_back();
        continue;
      }
      int k = static_cast<int>(rng() % kKeysPerWriter);
      std::string v =
          std::to_string(w.id) + ":" + std::to_string(++seq) + ":" + std::string(rng() % 200, 'v');
      batch += EncodeMultibulk({"SET", w.Key(k), v});
      w.in_flight[k].insert(v);
      keys.push_back(k);
      values.push_back(std::move(v));
    }
    bool broken = !c->Send(batch, 10000).ok();
    for (size_t i = 0; i < keys.size() && !broken; ++i) {
      auto r = c->ReadFrame(10000);
      if (!r.ok()) {
        if (!c->closed()) Error("writer " + std::to_string(w.id) + ": " + r.status().message());
        broken = true;
        break;
      }
      ++g.ops;
      int k = keys[i];
      if (k < 0) {
        if (r.value()[0] != ':') Error("INCR reply " + r.value());
        ++w.ctr_acked;
        continue;
      }
      if (r.value() != "+OK\r\n") Error("SET reply " + r.value());
    }
    // Acknowledged SETs move their value from in flight to acked, in order.
    {
      // A broken batch stays in flight as a whole (conservative: the final
      // value may be any of its values or the one acknowledged before).
      size_t acked_count = broken ? 0 : keys.size();
      for (size_t i = 0; i < acked_count; ++i) {
        int k = keys[i];
        if (k < 0) continue;
        w.acked[k] = values[i];
        w.in_flight[k].clear();
      }
    }
    if (broken) {
      c->Close();
      c = Connect(port);
      ++g.reconnects;
    }
  }
}

void CheckWriter(const Writer& w, RawClient& c, const std::string& when) {
  for (int k = 0; k < kKeysPerWriter; ++k) {
    auto r = c.Command({"GET", w.Key(k)}, 10000);
    if (!r.ok()) {
      Error(when + ": GET failed: " + r.status().message());
      return;
    }
    const std::string& got = r.value();
    bool ok = false;
    if (w.acked[k].empty() && got == "$-1\r\n") ok = true;
    if (!w.acked[k].empty() && got == Bulk(w.acked[k])) ok = true;
    for (const std::string& v : w.in_flight[k]) ok = ok || got == Bulk(v);
    if (!ok) {
      Error(when + ": lost write: " + w.Key(k) + " is " + got.substr(0, 60) + ", acked " +
            w.acked[k].substr(0, 40));
      return;
    }
  }
  auto r = c.Command({"GET", w.Counter()}, 10000);
  int64_t v = 0;
  if (r.ok() && r.value() != "$-1\r\n") {
    v = std::atoll(r.value().c_str() + r.value().find('\n') + 1);
  }
  if (!r.ok() || v < w.ctr_acked || v > w.ctr_attempted) {
    Error(when + ": counter " + w.Counter() + " = " + std::to_string(v) + ", acked " +
          std::to_string(w.ctr_acked) + ", attempted " + std::to_string(w.ctr_attempted));
  }
}

// Expiring keys: each is set with a deadline; those past due (with a
// margin) must read as missing.
void RunExpiring(int port, Clock::time_point end, std::vector<std::string>* past_due) {
  std::mt19937_64 rng(99);
  auto c = Connect(port);
  uint64_t n = 0;
  std::vector<std::pair<Clock::time_point, std::string>> pending;
  while (Clock::now() < end && c) {
    std::string key = "soak:exp:" + std::to_string(++n);
    int ms = 50 + static_cast<int>(rng() % 950);
    auto r = c->Command({"SET", key, "x", "PX", std::to_string(ms)}, 10000);
    if (!r.ok()) {
      c->Close();
      c = Connect(port);
      ++g.reconnects;
      continue;
    }
    ++g.ops;
    ++g.expiring;
    pending.emplace_back(Clock::now() + std::chrono::milliseconds(ms), key);
    auto now = Clock::now();
    for (auto it = pending.begin(); it != pending.end();) {
      if (it->first + std::chrono::milliseconds(200) < now) {
        auto e = c->Command({"EXISTS", it->second}, 10000);
        if (e.ok() && e.value() != ":0\r\n") Error("expired key still there: " + it->second);
        if (e.ok()) ++g.ops;
        it = pending.erase(it);
      } else {
        ++it;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  for (auto& [t, k] : pending) past_due->push_back(k);
}

void RunBigValues(int port, Clock::time_point end) {
  std::mt19937_64 rng(7);
  auto c = Connect(port);
  while (Clock::now() < end && c) {
    size_t size = (1 + rng() % 4) << 20;
    std::string v(size, static_cast<char>('a' + rng() % 26));
    std::string key = "soak:big:" + std::to_string(rng() % 8);
    auto r = c->Command({"SET", key, v}, 20000);
    auto got = r.ok() ? c->Command({"GET", key}, 20000) : r;
    if (!r.ok() || !got.ok()) {
      c->Close();
      c = Connect(port);
      ++g.reconnects;
      continue;
    }
    g.ops += 2;
    ++g.big_values;
    if (r.value() != "+OK\r\n" || got.value() != Bulk(v)) Error("big value mismatch " + key);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

void RunSlowReader(int port, Clock::time_point end) {
  auto setter = Connect(port);
  if (!setter) return;
  const std::string value(256 * 1024, 's');
  std::mt19937_64 rng(11);
  while (Clock::now() < end) {
    auto ok = setter->Command({"SET", "soak:slow", value}, 10000);
    if (!ok.ok()) {
      setter = Connect(port);
      ++g.reconnects;
      if (!setter) return;
      continue;
    }
    auto c = Connect(port);
    if (!c) return;
    std::string batch;
    for (int i = 0; i < 100; ++i) batch += EncodeMultibulk({"GET", "soak:slow"});
    if (!c->Send(batch, 10000).ok()) continue;
    for (int i = 0; i < 100; ++i) {
      auto r = c->ReadFrame(20000);
      if (!r.ok()) break;  // killed by a fault: fine
      ++g.ops;
      if (r.value() != Bulk(value)) {
        Error("slow reader got a wrong reply");
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5 + rng() % 10));
    }
    ++g.slow_reads;
  }
}

void RunFaults(int port, Clock::time_point end) {
  std::mt19937_64 rng(3);
  auto admin = Connect(port);
  while (Clock::now() < end && admin) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100 + rng() % 200));
    switch (rng() % 4) {
      case 0: {  // every normal client but this one
        auto r = admin->Command({"CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"}, 10000);
        if (!r.ok() || r.value()[0] != ':') Error("CLIENT KILL failed");
        ++g.kills;
        break;
      }
      case 1: {  // half a request, then RST
        auto c = RawClient::Connect(port, 2000);
        if (!c.ok()) break;
        (void)c.value()->Send("*3\r\n$3\r\nSET\r\n$4\r\nhalf\r\n$100\r\nabc", 2000);
        linger l{1, 0};
        ::setsockopt(c.value()->fd(), SOL_SOCKET, SO_LINGER, &l, sizeof l);
        c.value()->Close();
        ++g.abrupt;
        break;
      }
      case 2: {  // a storm of short connections
        std::vector<std::unique_ptr<RawClient>> many;
        for (int i = 0; i < 100; ++i) {
          auto c = RawClient::Connect(port, 2000);
          if (c.ok()) many.push_back(std::move(c.value()));
        }
        for (auto& c : many) (void)c->Send("PING\r\n", 2000);
        for (auto& c : many) {
          auto r = c->ReadFrame(10000);
          if (r.ok()) ++g.ops;
        }
        ++g.storms;
        break;
      }
      default: {
        auto r = admin->Command({"BGREWRITEAOF"}, 10000);
        if (!r.ok()) Error("BGREWRITEAOF failed");
        ++g.rewrites;
        break;
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  int seconds = 600;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--seconds") == 0) seconds = std::atoi(argv[i + 1]);
  }
  if (seconds < 10) seconds = 10;
  auto spec = cairn::testing::KvServerSpec(
      {"--appendonly", "yes", "--appendfsync", "everysec", "--loglevel", "notice"});
  auto started = ServerProcess::Start(spec);
  if (!started.ok()) {
    std::fprintf(stderr, "soak: cannot start kv-server: %s\n", started.status().message().c_str());
    return 1;
  }
  std::unique_ptr<ServerProcess> server = std::move(started.value());
  const int port = server->port();
  std::printf("soak: kv-server pid %d port %d, %d s\n", server->pid(), port, seconds);
  std::fflush(stdout);

  auto t0 = Clock::now();
  auto end = t0 + std::chrono::seconds(seconds);
  constexpr int kWriters = 4;
  std::vector<Writer> writers(kWriters);
  std::vector<std::thread> threads;
  for (int i = 0; i < kWriters; ++i) {
    writers[i].id = i;
    threads.emplace_back(RunWriter, std::ref(writers[i]), port, end);
  }
  std::vector<std::string> past_due;
  threads.emplace_back(RunExpiring, port, end, &past_due);
  threads.emplace_back(RunBigValues, port, end);
  threads.emplace_back(RunSlowReader, port, end);
  threads.emplace_back(RunFaults, port, end);

  long rss_warm = -1;
  long rss_peak = 0;
  long rss_last = 0;
  const auto warm_at = t0 + std::chrono::seconds(std::max(5, seconds / 10));
  while (Clock::now() < end) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    long rss = RssKb(server->pid());
    if (rss < 0) {
      Error("kv-server is gone");
      break;
    }
    rss_last = rss;
    rss_peak = std::max(rss_peak, rss);
    if (rss_warm < 0 && Clock::now() >= warm_at) rss_warm = rss;
    int elapsed = static_cast<int>(
        std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - t0).count());
    if (elapsed % 30 == 0) {
      std::printf("soak: %4d s  ops %llu  rss %ld kB  reconnects %llu  errors %llu\n", elapsed,
                  static_cast<unsigned long long>(g.ops.load()), rss,
                  static_cast<unsigned long long>(g.reconnects.load()),
                  static_cast<unsigned long long>(g.errors.load()));
      std::fflush(stdout);
    }
  }
  for (auto& t : threads) t.join();
  // Big values and the slow reader's value are dropped before the last RSS
  // sample, so it measures what the steady keyspace costs.
  if (auto c = Connect(port)) {
    for (int i = 0; i < 8; ++i) (void)c->Command({"DEL", "soak:big:" + std::to_string(i)});
    (void)c->Command({"DEL", "soak:slow"});
  }
  std::this_thread::sleep_for(std::chrono::seconds(2));
  long rss_end = RssKb(server->pid());

  auto check = [&](const std::string& when) {
    auto c = Connect(port);
    if (!c) return;
    for (const Writer& w : writers) CheckWriter(w, *c, when);
    for (const std::string& k : past_due) {
      auto e = c->Command({"EXISTS", k}, 10000);
      if (!e.ok() || e.value() != ":0\r\n") Error(when + ": past-due key " + k + " is there");
    }
    auto ping = c->Command({"PING"}, 10000);
    if (!ping.ok() || ping.value() != "+PONG\r\n") Error(when + ": no PONG");
  };
  std::this_thread::sleep_for(std::chrono::milliseconds(1300));  // the last PX keys are due
  check("live");
  int stop_code = server->Stop();
  if (stop_code != 0) Error("kv-server exited " + std::to_string(stop_code) + " on SIGTERM");
  auto t_restart = Clock::now();
  cairn::Status st = server->Restart();
  if (!st.ok()) {
    Error("restart failed: " + st.message());
  } else {
    double reload_s = std::chrono::duration<double>(Clock::now() - t_restart).count();
    std::printf("soak: restarted from the append-only files in %.2f s\n", reload_s);
    check("after restart");
  }

  double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  bool rss_ok = rss_warm > 0 && rss_end > 0 && rss_end <= rss_warm * 3 / 2 + 32 * 1024;
  if (!rss_ok)
    Error("RSS grew from " + std::to_string(rss_warm) + " kB to " + std::to_string(rss_end) +
          " kB");
  std::printf(
      "soak: %.0f s, %llu ops (%.0f/s), reconnects %llu, kills %llu, abrupt closes %llu, "
      "connection storms %llu, rewrites %llu, big values %llu, slow-reader rounds %llu, "
      "expiring keys %llu\n",
      secs, static_cast<unsigned long long>(g.ops.load()), g.ops.load() / secs,
      static_cast<unsigned long long>(g.reconnects.load()),
      static_cast<unsigned long long>(g.kills.load()),
      static_cast<unsigned long long>(g.abrupt.load()),
      static_cast<unsigned long long>(g.storms.load()),
      static_cast<unsigned long long>(g.rewrites.load()),
      static_cast<unsigned long long>(g.big_values.load()),
      static_cast<unsigned long long>(g.slow_reads.load()),
      static_cast<unsigned long long>(g.expiring.load()));
  std::printf("soak: RSS warm %ld kB, peak %ld kB, last sample %ld kB, end %ld kB\n", rss_warm,
              rss_peak, rss_last, rss_end);
  for (const std::string& e : g_first_errors) std::printf("soak: error: %s\n", e.c_str());
  bool pass = g.errors.load() == 0;
  std::printf("soak: errors %llu -> %s\n", static_cast<unsigned long long>(g.errors.load()),
              pass ? "PASS" : "FAIL");
  if (!pass) server->KeepDir();
  return pass ? 0 : 1;
}
