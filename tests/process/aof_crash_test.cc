// Crash tests with real processes: kv-server under pipelined write load from
// 8 concurrent clients is killed with SIGKILL and restarted on its files.
//   - appendfsync always: every write whose reply reached a client is there
//     after the restart (three rounds on the same directory).
//   - everysec: writes acknowledged more than 2 s before the kill are there
//     (SIGKILL keeps the page cache, so in practice nothing is lost; power
//     loss is the simulator's business).
//   - kv-check-aof finds the directory valid after every restart.
// Label crash.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "tests/process/aof_process_support.h"

namespace cairn::testing {
namespace {

using Clock = std::chrono::steady_clock;

struct Writer {
  int id = 0;
  int64_t acked = -1;                        // highest n whose SET reply arrived (all below too)
  std::vector<Clock::time_point> ack_times;  // per n
};

// Writes SET w<id>:<n> <round>:<n> in pipelines of 16 until the connection
// fails (the kill), recording acknowledgements in order.
void RunWriter(int port, int round, Writer* w, std::atomic<bool>* stop) {
  auto c = RawClient::Connect(port);
  if (!c.ok()) return;
  int64_t n = 0;
  while (!stop->load()) {
    std::string batch;
    for (int i = 0; i < 16; ++i) {
      std::string k = "w" + std::to_string(w->id) + ":" + std::to_string(n + i);
      std::string v = std::to_string(round) + ":" + std::to_string(n + i);
      batch += EncodeMultibulk({"SET", k, v});
    }
    if (!c.value()->Send(batch, 2000).ok()) return;
    for (int i = 0; i < 16; ++i) {
      auto r = c.value()->ReadFrame(3000);
      if (!r.ok()) return;
      if (r.value() != "+OK\r\n") return;
      w->acked = n + i;
      w->ack_times.push_back(Clock::now());
    }
    n += 16;
  }
}

struct RoundResult {
  int64_t acked_total = 0;
  int64_t missing_acked = 0;
  int64_t missing_older_than_2s = 0;
};

RoundResult KillUnderLoad(ServerProcess& server, int round, int load_ms) {
  std::vector<Writer> writers(8);
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    writers[i].id = i;
    threads.emplace_back(RunWriter, server.port(), round, &writers[i], &stop);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(load_ms));
  Clock::time_point kill_time = Clock::now();
  server.Kill();
  stop = true;
  for (auto& t : threads) t.join();
  RoundResult res;
  Status st = server.Restart();
  EXPECT_TRUE(st.ok()) << st.message() << "\n" << server.Log();
  if (!st.ok()) return res;
  auto c = RawClient::Connect(server.port());
  EXPECT_TRUE(c.ok());
  if (!c.ok()) return res;
  for (const Writer& w : writers) {
    res.acked_total += w.acked + 1;
    // MGET in chunks: one round trip per 256 keys.
    for (int64_t from = 0; from <= w.acked; from += 256) {
      int64_t to = std::min<int64_t>(w.acked + 1, from + 256);
      std::vector<std::string> args = {"MGET"};
      std::string want = "*" + std::to_string(to - from) + "\r\n";
      for (int64_t n = from; n < to; ++n) {
        args.push_back("w" + std::to_string(w.id) + ":" + std::to_string(n));
      }
      std::string got = Call(*c.value(), args);
      std::string_view rest(got);
      if (rest.substr(0, want.size()) != want) {
        ADD_FAILURE() << "MGET reply: " << got.substr(0, 80);
        res.missing_acked += to - from;
        continue;
      }
      rest.remove_prefix(want.size());
      for (int64_t n = from; n < to; ++n) {
        std::string v = std::to_string(round) + ":" + std::to_string(n);
        std::string item = "$" + std::to_string(v.size()) + "\r\n" + v + "\r\n";
        if (rest.substr(0, item.size()) == item) {
          rest.remove_prefix(item.size());
          continue;
        }
        ++res.missing_acked;
        if (kill_time - w.ack_times[static_cast<size_t>(n)] > std::chrono::seconds(2)) {
          ++res.missing_older_than_2s;
        }
        size_t nl = rest.find("\r\n");  // skip this element ($-1 or another value)
        if (!rest.empty() && rest[0] == '$' && rest.substr(0, 4) != "$-1\r") {
          size_t len = std::stoul(std::string(rest.substr(1, nl - 1)));
          rest.remove_prefix(nl + 2 + len + 2);
        } else {
          rest.remove_prefix(nl + 2);
        }
      }
    }
  }
  return res;
}

}  // namespace

namespace {

TEST(AofCrash, AlwaysKeepsEveryAcknowledgedWriteAcrossThreeKills) {
  auto d = TempDir::Create("cairn-aof-crash");
  ASSERT_TRUE(d.ok());
  auto server = ServerProcess::Start(
      OnDir(KvServerSpec(), d.value()->path(), {"--appendonly", "yes", "--appendfsync", "always"}));
  ASSERT_TRUE(server.ok()) << server.status().message();
  for (int round = 1; round <= 3; ++round) {
    RoundResult r = KillUnderLoad(*server.value(), round, 1500);
    std::printf("[ always round %d ] acknowledged writes: %lld, missing after restart: %lld\n",
                round, static_cast<long long>(r.acked_total),
                static_cast<long long>(r.missing_acked));
    EXPECT_GT(r.acked_total, 100);
    EXPECT_EQ(r.missing_acked, 0);
    EXPECT_EQ(CheckAof(d.value()->path(), server.value()->port()), 0);
  }
}

TEST(AofCrash, EverysecLosesNothingOlderThanTwoSeconds) {
  auto d = TempDir::Create("cairn-aof-crash");
  ASSERT_TRUE(d.ok());
  auto server = ServerProcess::Start(OnDir(KvServerSpec(), d.value()->path(),
                                           {"--appendonly", "yes", "--appendfsync", "everysec"}));
  ASSERT_TRUE(server.ok()) << server.status().message();
  RoundResult r = KillUnderLoad(*server.value(), 1, 3000);
  std::printf("[ everysec ] acknowledged writes: %lld, missing after restart: %lld\n",
              static_cast<long long>(r.acked_total), static_cast<long long>(r.missing_acked));
  EXPECT_GT(r.acked_total, 100);
  EXPECT_EQ(r.missing_older_than_2s, 0);
  EXPECT_EQ(CheckAof(d.value()->path(), server.value()->port()), 0);
}

TEST(AofCrash, KillDuringRewritesUnderLoadRecoversEveryAcknowledgedWrite) {
  auto d = TempDir::Create("cairn-aof-crash");
  ASSERT_TRUE(d.ok());
  // A small growth threshold makes automatic rewrites run all the time.
  auto server = ServerProcess::Start(
      OnDir(KvServerSpec(), d.value()->path(),
            {"--appendonly", "yes", "--appendfsync", "always", "--auto-aof-rewrite-min-size",
             "65536", "--auto-aof-rewrite-percentage", "10"}));
  ASSERT_TRUE(server.ok()) << server.status().message();
  RoundResult r = KillUnderLoad(*server.value(), 1, 2000);
  std::printf("[ always + rewrites ] acknowledged writes: %lld, missing after restart: %lld\n",
              static_cast<long long>(r.acked_total), static_cast<long long>(r.missing_acked));
  EXPECT_GT(r.acked_total, 100);
  EXPECT_EQ(r.missing_acked, 0);
  EXPECT_EQ(CheckAof(d.value()->path(), server.value()->port()), 0);
}

}  // namespace
}  // namespace cairn::testing

// Disk faults through the real server (net/fault_env.h: CAIRN_FAULT_FILE).
namespace cairn::testing {
namespace {

class AofFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d = TempDir::Create("cairn-aof-faults");
    ASSERT_TRUE(d.ok());
    data_ = std::move(d).value();
    control_ = data_->path() + "/fault";
    ::setenv("CAIRN_FAULT_FILE", control_.c_str(), 1);
  }
  void TearDown() override { ::unsetenv("CAIRN_FAULT_FILE"); }
  void Fault(const std::string& mode) {
    if (mode.empty()) {
      std::remove(control_.c_str());
      return;
    }
    std::ofstream(control_) << mode;
  }
  std::unique_ptr<ServerProcess> Start(const std::string& policy) {
    auto s = ServerProcess::Start(OnDir(KvServerSpec(), data_->path() + "/data",
                                        {"--appendonly", "yes", "--appendfsync", policy}));
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? std::move(s).value() : nullptr;
  }
  // Repeats cmd until its reply is want (bounded).
  static bool Eventually(RawClient& c, const std::vector<std::string>& cmd,
                         const std::string& want) {
    for (int i = 0; i < 100; ++i) {
      if (Call(c, cmd) == want) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  std::unique_ptr<TempDir> data_;
  std::string control_;
};

TEST_F(AofFaults, WriteErrorsRefuseWritesWithMisconfAndRecover) {
  for (std::string mode : {"enospc", "short", "eio"}) {
    SCOPED_TRACE(mode);
    auto server = Start("everysec");
    ASSERT_NE(server, nullptr);
    auto c = RawClient::Connect(server->port());
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(Call(*c.value(), {"SET", "a", mode}), "+OK\r\n");
    Fault(mode);
    // A write's batch fails when it is written (at once, or after a
    // postponement under everysec); later writes are refused.
    std::string text = mode == "eio" ? "Input/output error" : "No space left on device";
    std::string misconf = "-MISCONF Errors writing to the AOF file: " + text + "\r\n";
    EXPECT_EQ(Call(*c.value(), {"SET", "b", mode}), "+OK\r\n");
    EXPECT_TRUE(Eventually(*c.value(), {"SET", "c", mode}, misconf));
    EXPECT_NE(Call(*c.value(), {"INFO", "persistence"}).find("aof_last_write_status:err"),
              std::string::npos);
    EXPECT_EQ(Call(*c.value(), {"GET", "a"}),
              "$" + std::to_string(mode.size()) + "\r\n" + mode + "\r\n");
    Fault("");
    EXPECT_TRUE(Eventually(*c.value(), {"SET", "c", mode}, "+OK\r\n"));
    EXPECT_EQ(server->Stop(), 0);
    ASSERT_TRUE(server->Restart().ok());
    auto c2 = RawClient::Connect(server->port());
    ASSERT_TRUE(c2.ok());
    std::string v = "$" + std::to_string(mode.size()) + "\r\n" + mode + "\r\n";
    EXPECT_EQ(Call(*c2.value(), {"MGET", "a", "b", "c"}), "*3\r\n" + v + v + v);
    EXPECT_EQ(CheckAof(data_->path() + "/data", server->port()), 0);
    server->Stop();
  }
}

TEST_F(AofFaults, FsyncErrorUnderAlwaysExitsWithoutAcknowledging) {
  auto server = Start("always");
  ASSERT_NE(server, nullptr);
  auto c = RawClient::Connect(server->port());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(Call(*c.value(), {"SET", "a", "1"}), "+OK\r\n");
  Fault("fsync-eio");
  std::string reply = Call(*c.value(), {"SET", "b", "2"});
  EXPECT_EQ(reply.find("+OK"), std::string::npos) << reply;
  auto code = server->WaitExit(5000);
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(code.value(), 1);
  EXPECT_NE(server->Log().find("Can't persist AOF for fsync error when the AOF fsync policy is "
                               "'always'"),
            std::string::npos);
  Fault("");
  ASSERT_TRUE(server->Restart().ok());
  auto c2 = RawClient::Connect(server->port());
  ASSERT_TRUE(c2.ok());
  EXPECT_EQ(Call(*c2.value(), {"GET", "a"}), "$1\r\n1\r\n");
}

TEST_F(AofFaults, FsyncErrorUnderEverysecRefusesWritesUntilARewriteSucceeds) {
  auto server = Start("everysec");
  ASSERT_NE(server, nullptr);
  auto c = RawClient::Connect(server->port());
  ASSERT_TRUE(c.ok());
  Fault("fsync-eio");
  // Writes until the background fsync has failed and writes are refused.
  bool refused = false;
  for (int i = 0; i < 100 && !refused; ++i) {
    refused = Call(*c.value(), {"SET", "k" + std::to_string(i), "v"}).rfind("-MISCONF", 0) == 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(refused);
  EXPECT_EQ(Call(*c.value(), {"GET", "k0"}), "$1\r\nv\r\n");
  Fault("");
  // The repair rewrite (retried each second) makes writes possible again.
  EXPECT_TRUE(Eventually(*c.value(), {"SET", "after", "1"}, "+OK\r\n"));
  EXPECT_EQ(server->Stop(), 0);
  ASSERT_TRUE(server->Restart().ok());
  auto c2 = RawClient::Connect(server->port());
  ASSERT_TRUE(c2.ok());
  EXPECT_EQ(Call(*c2.value(), {"MGET", "k0", "after"}), "*2\r\n$1\r\nv\r\n$1\r\n1\r\n");
}

}  // namespace
}  // namespace cairn::testing

// Ordering seen from outside: kv-server under strace with appendfsync always;
// every "+OK" a client receives was sent after an fdatasync of the AOF file
// that completed after the write carrying that SET's record.
namespace cairn::testing {
namespace {

struct TraceLine {
  double t = 0;
  std::string text;
};

TEST(AofStrace, EveryReplyLeavesAfterTheFdatasyncCoveringIt) {
  std::string strace = FindOnPath("strace");
  if (strace.empty()) {
    if (UnderCi()) FAIL() << "strace not found (CI=true)";
    GTEST_SKIP() << "strace not found";
  }
  auto d = TempDir::Create("cairn-aof-strace");
  ASSERT_TRUE(d.ok());
  std::string trace = d.value()->path() + "/trace";
  std::string data = d.value()->path() + "/data";
  ServerSpec spec = KvServerSpec({"--appendonly", "yes", "--appendfsync", "always", "--dir", data});
  ArgvBuilder inner = spec.argv;
  std::string kv = spec.binary;
  spec.name = "kv-server under strace";
  spec.binary = strace;
  spec.argv = [inner, kv, trace](int port, const std::string& dir) {
    std::vector<std::string> args = {
        "-f", "-ttt", "-s", "200", "-e", "trace=write,pwrite64,sendmsg,sendto,fdatasync,fsync",
        "-o", trace,  kv};
    std::vector<std::string> rest = inner(port, dir);
    args.insert(args.end(), rest.begin(), rest.end());
    return args;
  };
  auto server = ServerProcess::Start(spec);
  ASSERT_TRUE(server.ok()) << server.status().message();
  auto c = RawClient::Connect(server.value()->port());
  ASSERT_TRUE(c.ok());
  constexpr int kWrites = 30;
  for (int i = 0; i < kWrites; ++i) {
    ASSERT_EQ(Call(*c.value(), {"SET", "key" + std::to_string(i), "v"}), "+OK\r\n");
  }
  c.value()->Send(EncodeMultibulk({"SHUTDOWN"}));
  auto code = server.value()->WaitExit(10000);
  ASSERT_TRUE(code.ok());

  std::ifstream in(trace);
  std::vector<TraceLine> lines;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ss(line);
    std::string pid;
    TraceLine tl;
    ss >> pid >> tl.t;
    tl.text = line;
    lines.push_back(tl);
  }
  ASSERT_GT(lines.size(), static_cast<size_t>(kWrites));
  std::vector<double> syncs_done;
  std::vector<double> replies;
  for (const TraceLine& l : lines) {
    bool sync = l.text.find("fdatasync(") != std::string::npos ||
                l.text.find("<... fdatasync resumed>") != std::string::npos;
    if (sync && l.text.find("<unfinished") == std::string::npos &&
        l.text.find(" = 0") != std::string::npos) {
      syncs_done.push_back(l.t);
    }
    if ((l.text.find("sendto(") != std::string::npos ||
         l.text.find("sendmsg(") != std::string::npos) &&
        l.text.find("+OK\\r\\n") != std::string::npos) {
      replies.push_back(l.t);
    }
  }
  // The last kWrites "+OK" replies are the SETs' (start-up checks may add some).
  ASSERT_GE(replies.size(), static_cast<size_t>(kWrites));
  replies.erase(replies.begin(), replies.end() - kWrites);
  for (int i = 0; i < kWrites; ++i) {
    std::string needle = "\\r\\nkey" + std::to_string(i) + "\\r\\n";
    double written = -1;
    for (const TraceLine& l : lines) {
      // The log writes with pwrite64 (its end is kept by the file object).
      const bool write = l.text.find("write(") != std::string::npos ||
                         l.text.find("pwrite64(") != std::string::npos;
      if (write && l.text.find(needle) != std::string::npos) {
        written = l.t;
        break;
      }
    }
    ASSERT_GE(written, 0) << "no AOF write for key" << i;
    bool covered = false;
    for (double t : syncs_done) covered = covered || (t >= written && t <= replies[i]);
    EXPECT_TRUE(covered) << "reply " << i << " at " << replies[i] << " after write at " << written
                         << " with no fdatasync completed in between";
  }
}

}  // namespace
}  // namespace cairn::testing
