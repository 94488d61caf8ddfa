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
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/cli/cli_process.h"
#include "tests/support/raw_client.h"
#include "tests/support/server_process.h"

namespace cairn::testing {
namespace {

class PtyShell {
 public:
  PtyShell(const std::string& cli, int port, const std::string& histfile) {
    pid_ = ::forkpty(&master_, nullptr, nullptr, nullptr);
    if (pid_ == 0) {
      std::string p = std::to_string(port);
      ::setenv("TERM", "xterm", 1);
      ::setenv("KVCLI_HISTFILE", histfile.c_str(), 1);
      ::execl(cli.c_str(), cli.c_str(), "-p", p.c_str(), nullptr);
      _exit(127);
    }
  }
  ~PtyShell() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      int st;
      ::waitpid(pid_, &st, 0);
    }
    if (master_ >= 0) ::close(master_);
  }
  bool ok() const { return pid_ > 0 && master_ >= 0; }
  void Keys(const std::string& bytes) { (void)!::write(master_, bytes.data(), bytes.size()); }
  void Type(const std::string& line) { Keys(line + "\r"); }
  // Reads until `want` appears after the last match (10 s at most).
  bool Expect(const std::string& want) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (true) {
      size_t at = seen_.find(want, cursor_);
      if (at != std::string::npos) {
        cursor_ = at + want.size();
        return true;
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                      deadline - std::chrono::steady_clock::now())
                      .count();
      if (left <= 0) return false;
      pollfd pfd{master_, POLLIN, 0};
      if (::poll(&pfd, 1, static_cast<int>(left)) <= 0) continue;
      char buf[4096];
      ssize_t n = ::read(master_, buf, sizeof(buf));
      if (n <= 0) return false;
      seen_.append(buf, static_cast<size_t>(n));
    }
  }
  // Waits for the shell to exit; its status, or -1 on timeout.
  int WaitExit() {
    for (int i = 0; i < 500; i++) {
      char buf[4096];
      pollfd pfd{master_, POLLIN, 0};
      // After the child is gone the master reports hang-up at once: sleep
      // so the loop really waits 5 s.
      if (::poll(&pfd, 1, 10) > 0 && ::read(master_, buf, sizeof(buf)) <= 0) ::usleep(10000);
      int st;
      if (::waitpid(pid_, &st, WNOHANG) == pid_) {
        pid_ = -1;
        if (!WIFEXITED(st)) std::fprintf(stderr, "shell ended by signal %d\n", WTERMSIG(st));
        return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
      }
    }
    return -1;
  }
  const std::string& seen() const { return seen_; }

 private:
  pid_t pid_ = -1;
  int master_ = -1;
  std::string seen_;
  size_t cursor_ = 0;
};

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
  PtyShell sh(KvCliPath(), server->port(), hist);
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
  PtyShell sh(KvCliPath(), port.value(), "");
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
