// Interop with Debian's redis-server 7.0 in both directions: a directory
// kv-server wrote (AOF base after a rewrite, incr files with Cairn's checksum
// annotations) loads in redis-server with the same data, and kv-server loads
// what redis-server wrote -- an AOF base, an RDB-preamble base (.base.rdb:
// strings, LZF-compressed values, expiry) -- and a Redis 6 single
// appendonly.aof, which it adopts into a manifest redis-server then reads.
// Label tools: needs redis-server (missing: skipped, or failed under CI=true).
#include <chrono>
#include <fstream>
#include <iterator>
#include <thread>

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/aof/record.h"
#include "tests/process/aof_process_support.h"

namespace cairn::testing {
namespace {

std::string BigValue() {
  std::string v;
  for (int i = 0; i < 400; ++i) v += "compressible-" + std::to_string(i % 7);
  return v;
}

bool RedisAvailable() {
  if (!FindOnPath("redis-server").empty()) return true;
  if (UnderCi()) ADD_FAILURE() << "redis-server not found (CI=true)";
  return false;
}

// Writes the same workload to any server: strings of every encoding,
// binary bytes, counters, appends, ranges, expiry, several databases,
// renames, moves, a rewrite in the middle and writes after it.
void Workload(int port) {
  auto cr = RawClient::Connect(port);
  ASSERT_TRUE(cr.ok());
  RawClient& c = *cr.value();
  auto ok = [&](std::vector<std::string> args) {
    std::string r = Call(c, args);
    ASSERT_NE(r[0], '-') << args[0] << ": " << r;
  };
  ok({"SET", "s1", "hello"});
  ok({"SET", "bin", std::string("\0\r\n\xff", 4)});
  ok({"SET", "n", "10"});
  ok({"INCRBY", "n", "5"});
  ok({"APPEND", "s1", " world"});
  ok({"SET", "e", "v", "PX", "500000"});
  ok({"PEXPIRE", "s1", "900000"});
  ok({"SET", "big", BigValue()});
  ok({"SELECT", "3"});
  ok({"SET", "in3", "x"});
  ok({"SETRANGE", "in3", "5", "y"});
  ok({"SELECT", "0"});
  ok({"MSET", "a", "1", "b", "2"});
  ok({"DEL", "b"});
  ok({"RENAME", "a", "a2"});
  ok({"BGREWRITEAOF"});
  WaitRewriteDone(port);
  ok({"INCR", "n"});
  ok({"SET", "after", "rewrite"});
  ok({"MOVE", "after", "2"});
  ok({"APPEND", "big", "-tail"});
}

void ExpectSameData(const Dump& a, const Dump& b) {
  EXPECT_EQ(a.size(), b.size());
  for (const auto& [k, v] : a) {
    auto it = b.find(k);
    if (it == b.end()) {
      ADD_FAILURE() << "missing db " << k.first << " key " << k.second;
      continue;
    }
    EXPECT_EQ(it->second, v) << "db " << k.first << " key " << k.second;
  }
}

std::vector<std::string> AofArgs(bool rdb_preamble) {
  return {"--appendonly", "yes", "--aof-use-rdb-preamble", rdb_preamble ? "yes" : "no"};
}

class AofInterop : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d = TempDir::Create("cairn-aof-interop");
    ASSERT_TRUE(d.ok());
    data_ = std::move(d).value();
  }
  std::string dir() const { return data_->path(); }
  std::unique_ptr<TempDir> data_;
};

TEST_F(AofInterop, RedisServerLoadsADirectoryKvServerWrote) {
  if (!RedisAvailable()) GTEST_SKIP() << "redis-server not found";
  auto kv = ServerProcess::Start(OnDir(KvServerSpec(), dir(), AofArgs(false)));
  ASSERT_TRUE(kv.ok()) << kv.status().message();
  Workload(kv.value()->port());
  std::string err;
  Dump before = DumpServer(kv.value()->port(), &err);
  ASSERT_TRUE(err.empty()) << err;
  ASSERT_EQ(before.size(), 8u);  // s1 bin n e big a2, in3 (db 3), after (db 2)
  EXPECT_EQ(kv.value()->Stop(), 0);
  auto redis = ServerProcess::Start(OnDir(RedisServerSpec(), dir(), AofArgs(false)));
  ASSERT_TRUE(redis.ok()) << redis.status().message();
  Dump after = DumpServer(redis.value()->port(), &err);
  ASSERT_TRUE(err.empty()) << err;
  ExpectSameData(before, after);
}

void KvLoadsWhatRedisWrote(const std::string& dir, bool rdb_preamble) {
  auto redis = ServerProcess::Start(OnDir(RedisServerSpec(), dir, AofArgs(rdb_preamble)));
  ASSERT_TRUE(redis.ok()) << redis.status().message();
  Workload(redis.value()->port());
  std::string err;
  Dump before = DumpServer(redis.value()->port(), &err);
  ASSERT_TRUE(err.empty()) << err;
  EXPECT_EQ(redis.value()->Stop(), 0);
  bool has_rdb_base = std::ifstream(dir + "/appendonlydir/appendonly.aof.2.base.rdb").good();
  EXPECT_EQ(has_rdb_base, rdb_preamble);
  auto kv = ServerProcess::Start(OnDir(KvServerSpec(), dir, AofArgs(false)));
  ASSERT_TRUE(kv.ok()) << kv.status().message();
  Dump after = DumpServer(kv.value()->port(), &err);
  ASSERT_TRUE(err.empty()) << err;
  ExpectSameData(before, after);
}

TEST_F(AofInterop, KvServerLoadsARedisDirectoryWithAnAofBase) {
  if (!RedisAvailable()) GTEST_SKIP() << "redis-server not found";
  KvLoadsWhatRedisWrote(dir(), false);
}

TEST_F(AofInterop, KvServerLoadsARedisDirectoryWithAnRdbPreambleBase) {
  if (!RedisAvailable()) GTEST_SKIP() << "redis-server not found";
  KvLoadsWhatRedisWrote(dir(), true);
}

TEST_F(AofInterop, ARedis6SingleFileIsAdoptedAndRedisReadsTheResult) {
  if (!RedisAvailable()) GTEST_SKIP() << "redis-server not found";
  std::string data;
  auto rec = [&](std::vector<std::string_view> args) { aof::AppendRecord(data, args); };
  rec({"SELECT", "0"});
  rec({"set", "k1", "v1"});
  rec({"MULTI"});
  rec({"incr", "ctr"});
  rec({"incr", "ctr"});
  rec({"EXEC"});
  rec({"SELECT", "5"});
  rec({"set", "k5", "five"});
  rec({"pexpireat", "k5", "4102444800000"});
  {
    std::ofstream out(dir() + "/appendonly.aof", std::ios::binary);
    out << data;
  }
  auto kv = ServerProcess::Start(OnDir(KvServerSpec(), dir(), AofArgs(false)));
  ASSERT_TRUE(kv.ok()) << kv.status().message();
  std::string err;
  Dump loaded = DumpServer(kv.value()->port(), &err);
  ASSERT_TRUE(err.empty()) << err;
  Dump want = {{{0, "k1"}, {"$2\r\nv1\r\n", ":-1\r\n"}},
               {{0, "ctr"}, {"$1\r\n2\r\n", ":-1\r\n"}},
               {{5, "k5"}, {"$4\r\nfive\r\n", ":4102444800000\r\n"}}};
  EXPECT_EQ(loaded, want);
  EXPECT_EQ(kv.value()->Stop(), 0);
  EXPECT_FALSE(std::ifstream(dir() + "/appendonly.aof").good());
  auto redis = ServerProcess::Start(OnDir(RedisServerSpec(), dir(), AofArgs(false)));
  ASSERT_TRUE(redis.ok()) << redis.status().message();
  Dump seen = DumpServer(redis.value()->port(), &err);
  ASSERT_TRUE(err.empty()) << err;
  EXPECT_EQ(seen, want);
}

}  // namespace
}  // namespace cairn::testing

namespace cairn::testing {
namespace {

struct ToolRun {
  int code = -1;
  std::string out;
};

ToolRun RunTool(const std::string& cmd) {
  ToolRun r;
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), p)) > 0) r.out.append(buf, n);
  int status = ::pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string CheckTool() {
  std::string kv = KvServerPath();
  return kv.substr(0, kv.rfind('/')) + "/kv-check-aof";
}

class AofCheckTool : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d = TempDir::Create("cairn-aof-check");
    ASSERT_TRUE(d.ok());
    data_ = std::move(d).value();
    manifest_ = data_->path() + "/appendonlydir/appendonly.aof.manifest";
  }
  // A directory kv-server wrote: a rewrite and writes after it.
  void WriteDirectory() {
    auto kv = ServerProcess::Start(OnDir(KvServerSpec(), data_->path(),
                                         {"--appendonly", "yes", "--aof-use-rdb-preamble", "no"}));
    ASSERT_TRUE(kv.ok()) << kv.status().message();
    auto c = RawClient::Connect(kv.value()->port());
    ASSERT_TRUE(c.ok());
    Call(*c.value(), {"SET", "a", "1"});
    Call(*c.value(), {"BGREWRITEAOF"});
    WaitRewriteDone(kv.value()->port());
    Call(*c.value(), {"SET", "b", "2"});
    Call(*c.value(), {"APPEND", "b", "3"});
    EXPECT_EQ(kv.value()->Stop(), 0);
  }
  std::unique_ptr<TempDir> data_;
  std::string manifest_;
};

TEST_F(AofCheckTool, UsageWithoutAFile) {
  ToolRun r = RunTool(CheckTool());
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("Usage: kv-check-aof [--fix|--truncate-to-timestamp $timestamp]"),
            std::string::npos)
      << r.out;
}

TEST_F(AofCheckTool, AValidDirectoryIsReportedValidByBothTools) {
  WriteDirectory();
  ToolRun r = RunTool(CheckTool() + " " + manifest_);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("Start checking Multi Part AOF"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Start to check BASE AOF (RESP format)."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("INCR AOF appendonly.aof.2.incr.aof is valid"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("All AOF files and manifest are valid"), std::string::npos) << r.out;
  if (!FindOnPath("redis-check-aof").empty()) {
    ToolRun redis = RunTool("redis-check-aof " + manifest_);
    EXPECT_EQ(redis.code, 0) << redis.out;
    // Both count the same bytes and lines (Cairn's # annotations skipped).
    auto analyzed = [](const std::string& out) {
      std::string lines;
      size_t p = 0;
      while ((p = out.find("AOF analyzed:", p)) != std::string::npos) {
        size_t e = out.find('\n', p);
        lines += out.substr(p, e - p) + "\n";
        p = e;
      }
      return lines;
    };
    EXPECT_EQ(analyzed(r.out), analyzed(redis.out));
  }
}

TEST_F(AofCheckTool, ATornTailIsReportedAndFixedAfterAsking) {
  WriteDirectory();
  std::string incr = data_->path() + "/appendonlydir/appendonly.aof.2.incr.aof";
  {
    std::ofstream out(incr, std::ios::binary | std::ios::app);
    out << "*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$4\r\nab";
  }
  ToolRun r = RunTool(CheckTool() + " " + manifest_);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("AOF appendonly.aof.2.incr.aof is not valid. Use the --fix option to try "
                       "fixing it."),
            std::string::npos)
      << r.out;
  if (!FindOnPath("redis-check-aof").empty()) {
    EXPECT_EQ(RunTool("redis-check-aof " + manifest_).code, 1);
  }
  r = RunTool("echo n | " + CheckTool() + " --fix " + manifest_);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("Continue? [y/N]: Aborting..."), std::string::npos) << r.out;
  r = RunTool(CheckTool() + " --fix --yes " + manifest_);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("Successfully truncated AOF appendonly.aof.2.incr.aof"), std::string::npos)
      << r.out;
  EXPECT_EQ(RunTool(CheckTool() + " " + manifest_).code, 0);
  auto kv = ServerProcess::Start(
      OnDir(KvServerSpec(), data_->path(), {"--appendonly", "yes", "--aof-load-truncated", "no"}));
  ASSERT_TRUE(kv.ok()) << kv.status().message();
  auto c = RawClient::Connect(kv.value()->port());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(Call(*c.value(), {"MGET", "a", "b", "c"}), "*3\r\n$1\r\n1\r\n$2\r\n23\r\n$-1\r\n");
}

// Under appendfsync always the incr file keeps zeros written ahead of its
// records. A clean stop cuts them (redis-server loads the directory as it
// is); SIGKILL leaves them, kv-server loads the file as it is, and
// kv-check-aof --fix cuts them for redis-server, which refuses them.
TEST_F(AofCheckTool, ZerosReservedUnderAlwaysAreCutByAStopOrByFix) {
  const std::vector<std::string> always = {
      "--appendonly", "yes", "--appendfsync", "always", "--aof-use-rdb-preamble", "no"};
  const std::string incr = data_->path() + "/appendonlydir/appendonly.aof.1.incr.aof";
  auto file_size = [&incr]() {
    std::ifstream in(incr, std::ios::binary | std::ios::ate);
    return static_cast<size_t>(in.tellg());
  };
  auto trailing_zeros = [&incr]() {
    std::ifstream in(incr, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    size_t end = bytes.find_last_not_of('\0');
    return bytes.size() - (end == std::string::npos ? 0 : end + 1);
  };
  auto write_keys = [](int port, int from, int to) {
    auto c = RawClient::Connect(port);
    ASSERT_TRUE(c.ok());
    for (int i = from; i < to; ++i) {
      ASSERT_EQ(Call(*c.value(), {"SET", "k" + std::to_string(i), "v"}), "+OK\r\n");
    }
  };
  {
    auto kv = ServerProcess::Start(OnDir(KvServerSpec(), data_->path(), always));
    ASSERT_TRUE(kv.ok()) << kv.status().message();
    write_keys(kv.value()->port(), 0, 100);
    // Running: the file is its records plus zeros written ahead.
    EXPECT_GE(trailing_zeros(), size_t{1} << 19);
    EXPECT_EQ(kv.value()->Stop(), 0);
  }
  EXPECT_EQ(trailing_zeros(), 0u);  // the clean stop cut them
  const size_t stopped_size = file_size();
  {
    auto kv = ServerProcess::Start(OnDir(KvServerSpec(), data_->path(), always));
    ASSERT_TRUE(kv.ok()) << kv.status().message();
    write_keys(kv.value()->port(), 100, 200);
    kv.value()->Kill();  // every reply seen was durable: all 200 must load
  }
  const size_t zeros = trailing_zeros();
  EXPECT_GE(zeros, size_t{1} << 19);
  ASSERT_GT(file_size(), stopped_size + zeros);
  ToolRun r = RunTool(CheckTool() + " " + manifest_);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("AOF appendonly.aof.1.incr.aof ends in " + std::to_string(zeros) +
                       " zero bytes after offset " + std::to_string(file_size() - zeros)),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("All AOF files and manifest are valid"), std::string::npos) << r.out;
  const bool have_redis = RedisAvailable();
  if (have_redis) {
    auto redis = ServerProcess::Start(OnDir(RedisServerSpec(), data_->path(), always));
    EXPECT_FALSE(redis.ok()) << "redis-server loaded a file that ends in zeros";
  }
  r = RunTool(CheckTool() + " --fix " + manifest_);  // no question: nothing is lost
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("Successfully truncated AOF appendonly.aof.1.incr.aof (" +
                       std::to_string(zeros) + " zero bytes cut)"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(trailing_zeros(), 0u);
  auto check = [](int port) {
    auto c = RawClient::Connect(port);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(Call(*c.value(), {"DBSIZE"}), ":200\r\n");
    EXPECT_EQ(Call(*c.value(), {"GET", "k199"}), "$1\r\nv\r\n");
  };
  if (have_redis) {
    auto redis = ServerProcess::Start(OnDir(RedisServerSpec(), data_->path(), always));
    ASSERT_TRUE(redis.ok()) << redis.status().message();
    check(redis.value()->port());
    EXPECT_EQ(redis.value()->Stop(), 0);
  }
  // And kv-server, after a kill that left zeros, loads them as space with
  // aof-load-truncated no.
  {
    auto kv = ServerProcess::Start(OnDir(KvServerSpec(), data_->path(), always));
    ASSERT_TRUE(kv.ok()) << kv.status().message();
    write_keys(kv.value()->port(), 200, 210);
    kv.value()->Kill();
  }
  ASSERT_GT(trailing_zeros(), 0u);
  std::vector<std::string> strict = always;
  strict.insert(strict.end(), {"--aof-load-truncated", "no"});
  auto kv = ServerProcess::Start(OnDir(KvServerSpec(), data_->path(), strict));
  ASSERT_TRUE(kv.ok()) << kv.status().message();
  auto c = RawClient::Connect(kv.value()->port());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(Call(*c.value(), {"DBSIZE"}), ":210\r\n");
}

TEST_F(AofCheckTool, TruncateToTimestampCutsAtTheFirstLaterAnnotation) {
  std::string file = data_->path() + "/appendonly.aof";
  std::string head = "#TS:100\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n";
  {
    std::ofstream out(file, std::ios::binary);
    out << head << "#TS:200\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n";
  }
  ToolRun r = RunTool(CheckTool() + " --truncate-to-timestamp 150 " + file);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("Successfully truncated AOF " + file + " to timestamp 150"),
            std::string::npos)
      << r.out;
  std::ifstream in(file, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(data, head);
}

}  // namespace
}  // namespace cairn::testing
