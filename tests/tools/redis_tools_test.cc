// Unmodified redis-cli and redis-benchmark against kv-server: interactive
// redis-cli in a real pseudo-terminal, `redis-cli --pipe` mass insertion,
// and redis-benchmark at pipeline 1 and 16 with no errors.
//
// Under CI=true a missing tool fails the test; elsewhere it is skipped with a
// message saying which tool is missing.
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/pty_process.h"
#include "tests/support/raw_client.h"
#include "tests/support/server_process.h"

namespace cairn::testing {
namespace {

// The tool's path; fails (CI) or skips (elsewhere) the test when missing.
#define REQUIRE_TOOL(var, name)                                            \
  std::string var = FindOnPath(name);                                      \
  if (var.empty()) {                                                       \
    if (UnderCi()) FAIL() << name " not found on PATH (CI=true)";          \
    GTEST_SKIP() << name " not found on PATH: install redis-tools to run"; \
  }

std::unique_ptr<ServerProcess> StartKv() {
  auto server = ServerProcess::Start(KvServerSpec());
  if (!server.ok()) {
    ADD_FAILURE() << server.status().message();
    return nullptr;
  }
  return std::move(server.value());
}

struct Ran {
  int code = -1;
  std::string output;
};

// Runs a shell command line bounded by `timeout`, capturing stdout+stderr.
Ran Shell(const std::string& command, int timeout_s) {
  Ran r;
  std::string line = "timeout -k 5 " + std::to_string(timeout_s) + " " + command + " 2>&1";
  FILE* p = ::popen(line.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), p)) > 0) r.output.append(buf, n);
  int status = ::pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

TEST(RedisTools, RedisCliInteractiveInAPty) {
  REQUIRE_TOOL(cli, "redis-cli");
  auto server = StartKv();
  ASSERT_TRUE(server);
  PtyProcess pty({cli, "-h", "127.0.0.1", "-p", std::to_string(server->port())},
                 {{"TERM", "dumb"}});
  ASSERT_TRUE(pty.ok());
  std::string prompt = "127.0.0.1:" + std::to_string(server->port()) + "> ";
  ASSERT_TRUE(pty.Expect(prompt)) << pty.seen();
  pty.Type("SET greeting \"hello world\"");
  ASSERT_TRUE(pty.Expect("OK")) << pty.seen();
  ASSERT_TRUE(pty.Expect(prompt)) << pty.seen();
  pty.Type("GET greeting");
  ASSERT_TRUE(pty.Expect("\"hello world\"")) << pty.seen();
  pty.Type("INCR counter");
  ASSERT_TRUE(pty.Expect("(integer) 1")) << pty.seen();
  pty.Type("SELECT 3");
  ASSERT_TRUE(pty.Expect("127.0.0.1:" + std::to_string(server->port()) + "[3]> ")) << pty.seen();
  pty.Type("NOSUCHCOMMAND x");
  ASSERT_TRUE(pty.Expect("(error) ERR unknown command 'NOSUCHCOMMAND'")) << pty.seen();
  pty.Type("MGET a b");
  ASSERT_TRUE(pty.Expect("1) (nil)")) << pty.seen();
  ASSERT_TRUE(pty.Expect("2) (nil)")) << pty.seen();
  // What the session did is visible to any other client.
  auto c = RawClient::Connect(server->port());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c.value()->Command({"GET", "greeting"}).value(), "$11\r\nhello world\r\n");
}

TEST(RedisTools, RedisCliPipeMassInsertion) {
  REQUIRE_TOOL(cli, "redis-cli");
  auto server = StartKv();
  ASSERT_TRUE(server);
  constexpr int kKeys = 100000;
  std::string path = server->dir() + "/mass.txt";
  {
    std::ofstream out(path, std::ios::binary);
    for (int i = 0; i < kKeys; ++i) {
      std::string key = "key:" + std::to_string(i);
      std::string value = "value:" + std::to_string(i);
      out << EncodeMultibulk({"SET", key, value});
    }
  }
  Ran r = Shell(cli + " -p " + std::to_string(server->port()) + " --pipe < " + path, 50);
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("errors: 0, replies: 100000"), std::string::npos) << r.output;
  auto c = RawClient::Connect(server->port());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c.value()->Command({"DBSIZE"}).value(), ":100000\r\n");
  EXPECT_EQ(c.value()->Command({"GET", "key:99999"}).value(), "$11\r\nvalue:99999\r\n");
}

void RunBenchmark(int pipeline) {
  REQUIRE_TOOL(bench, "redis-benchmark");
  auto server = StartKv();
  ASSERT_TRUE(server);
  Ran r = Shell(bench + " -p " + std::to_string(server->port()) +
                    " -t ping,set,get,incr,mset -n 20000 -q -P " + std::to_string(pipeline),
                55);
  ASSERT_EQ(r.code, 0) << r.output;
  // One summary line per test; any error reply makes redis-benchmark print
  // it ("ERR", "Error") instead.
  for (const char* test :
       {"PING_INLINE: ", "PING_MBULK: ", "SET: ", "GET: ", "INCR: ", "MSET (10 keys): "}) {
    EXPECT_NE(r.output.find(test), std::string::npos) << test << " missing:\n" << r.output;
  }
  EXPECT_EQ(r.output.find("ERR"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("rror"), std::string::npos) << r.output;
  EXPECT_TRUE(server->Running());
  EXPECT_EQ(server->Stop(), 0);
}

TEST(RedisTools, RedisBenchmarkPipeline1) { RunBenchmark(1); }
TEST(RedisTools, RedisBenchmarkPipeline16) { RunBenchmark(16); }

}  // namespace
}  // namespace cairn::testing
