// kv-cli's interactive shell in a real pseudo-terminal: prompt with [db],
// libedit history (Up key, the history file without password lines), Tab
// completion of commands and subcommands, help, clear, unbalanced quotes,
// "N CMD" repeats, and reconnecting after the server restarts, with the
// same database.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/cli/cli_process.h"
#include "tests/support/pty_process.h"
#include "tests/support/raw_client.h"
#include "tests/support/server_process.h"

namespace cairn::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(CliShell, PromptHistoryCompletionHelpQuotesReconnect) {
  ASSERT_FALSE(KvCliPath().empty()) << "kv-cli not built";
  auto started = ServerProcess::Start(KvServerSpec());
  ASSERT_TRUE(started.ok()) << started.status().message();
  auto& server = started.value();
  std::string hist = server->dir() + "/history";
  PtyProcess sh({KvCliPath(), "-p", std::to_string(server->port())},
                {{"TERM", "xterm"}, {"KVCLI_HISTFILE", hist}});
  ASSERT_TRUE(sh.ok());
  std::string prompt = "127.0.0.1:" + std::to_string(server->port());
  ASSERT_TRUE(sh.Expect(prompt + "> ")) << sh.seen();

  sh.Type("SET greeting \"hello world\"");
  ASSERT_TRUE(sh.Expect("OK")) << sh.seen();
  sh.Type("GET greeting");
  ASSERT_TRUE(sh.Expect("\"hello world\"")) << sh.seen();
  sh.Type("MGET greeting nothing");
  ASSERT_TRUE(sh.Expect("1) \"hello world\"\r\n2) (nil)")) << sh.seen();

  // Unbalanced quotes: redis-cli's message, nothing sent.
  sh.Type("SET broken \"no end");
  ASSERT_TRUE(sh.Expect("Invalid argument(s)")) << sh.seen();

  // N CMD repeats.
  sh.Type("3 INCR counter");
  ASSERT_TRUE(sh.Expect("(integer) 3")) << sh.seen();

  // History: Up twice brings back the ECHO line.
  sh.Type("ECHO fromhistory");
  ASSERT_TRUE(sh.Expect("\"fromhistory\"")) << sh.seen();
  sh.Type("PING");
  ASSERT_TRUE(sh.Expect("PONG")) << sh.seen();
  ASSERT_TRUE(sh.Expect(prompt + "> ")) << sh.seen();
  sh.Keys("\x1b[A\x1b[A\r");
  ASSERT_TRUE(sh.Expect("\"fromhistory\"")) << sh.seen();

  // A password never reaches the history.
  sh.Type("AUTH notmypassword");
  ASSERT_TRUE(sh.Expect("(error)")) << sh.seen();

  // Tab completes command and subcommand names (from COMMAND DOCS).
  sh.Keys("ECH\t");
  sh.Type(" tabbed");
  ASSERT_TRUE(sh.Expect("\"tabbed\"")) << sh.seen();
  sh.Keys("config ge\t");
  sh.Type(" maxmemory");
  ASSERT_TRUE(sh.Expect("1) \"maxmemory\"")) << sh.seen();

  // help <command> and help @group.
  sh.Type("help GET");
  ASSERT_TRUE(sh.Expect("GET key")) << sh.seen();
  ASSERT_TRUE(sh.Expect("summary:")) << sh.seen();
  sh.Type("help @string");
  ASSERT_TRUE(sh.Expect("APPEND key value")) << sh.seen();

  // The database shows in the prompt and survives a restart of the server.
  sh.Type("SELECT 2");
  ASSERT_TRUE(sh.Expect(prompt + "[2]> ")) << sh.seen();
  ASSERT_EQ(server->Stop(), 0);
  sh.Type("PING");
  ASSERT_TRUE(sh.Expect("Could not connect to Redis at " + prompt)) << sh.seen();
  ASSERT_TRUE(sh.Expect("not connected> ")) << sh.seen();
  ASSERT_TRUE(server->Restart().ok());
  sh.Type("SET indb2 yes");
  ASSERT_TRUE(sh.Expect("OK")) << sh.seen();
  ASSERT_TRUE(sh.Expect(prompt + "[2]> ")) << sh.seen();
  auto c = RawClient::Connect(server->port());
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(c.value()->Command({"SELECT", "2"}).ok());
  EXPECT_EQ(c.value()->Command({"GET", "indb2"}).value(), "$3\r\nyes\r\n");

  sh.Type("quit");
  EXPECT_EQ(sh.WaitExit(), 0);
  std::string history = ReadFile(hist);
  EXPECT_NE(history.find("fromhistory"), std::string::npos) << history;
  EXPECT_EQ(history.find("notmypassword"), std::string::npos) << history;
  EXPECT_EQ(history.find("AUTH"), std::string::npos) << history;
  if (std::getenv("CAIRN_SHOW_PTY")) std::fprintf(stderr, "%s\n", sh.seen().c_str());
}

TEST(CliShell, NotConnectedAtStartThenConnectAndMulti) {
  ASSERT_FALSE(KvCliPath().empty()) << "kv-cli not built";
  auto port = PickFreePort();
  ASSERT_TRUE(port.ok());
  PtyProcess sh({KvCliPath(), "-p", std::to_string(port.value())},
                {{"TERM", "xterm"}, {"KVCLI_HISTFILE", ""}});
  ASSERT_TRUE(sh.ok());
  ASSERT_TRUE(sh.Expect("Could not connect to Redis at 127.0.0.1:" + std::to_string(port.value()) +
                        ": Connection refused"))
      << sh.seen();
  ASSERT_TRUE(sh.Expect("not connected> ")) << sh.seen();
  sh.Type("PING");
  ASSERT_TRUE(sh.Expect("not connected> ")) << sh.seen();
  // connect <host> <port> switches to a running server: redis-server here,
  // for MULTI (kv-server has no transactions yet).
  std::string redis = FindOnPath("redis-server");
  if (redis.empty()) {
    if (UnderCi()) FAIL() << "redis-server not found on PATH (CI=true)";
    GTEST_SKIP() << "redis-server not found on PATH";
  }
  ServerSpec spec = RedisServerSpec();
  spec.binary = redis;
  auto started = ServerProcess::Start(spec);
  ASSERT_TRUE(started.ok()) << started.status().message();
  std::string addr = "127.0.0.1:" + std::to_string(started.value()->port());
  sh.Type("connect 127.0.0.1 " + std::to_string(started.value()->port()));
  ASSERT_TRUE(sh.Expect(addr + "> ")) << sh.seen();
  sh.Type("MULTI");
  ASSERT_TRUE(sh.Expect(addr + "(TX)> ")) << sh.seen();
  sh.Type("INCR x");
  ASSERT_TRUE(sh.Expect("QUEUED")) << sh.seen();
  sh.Type("EXEC");
  ASSERT_TRUE(sh.Expect("1) (integer) 1")) << sh.seen();
  ASSERT_TRUE(sh.Expect(addr + "> ")) << sh.seen();
  sh.Type("exit");
  EXPECT_EQ(sh.WaitExit(), 0);
}

}  // namespace
}  // namespace cairn::testing
