// Server commands against Redis 7.0's replies: TIME, LASTSAVE, SHUTDOWN,
// MONITOR, SLOWLOG, LATENCY, FUNCTION FLUSH/HELP, SCRIPT FLUSH/HELP.
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/command/latency_monitor.h"
#include "engine/command/slowlog.h"
#include "tests/support/engine_harness.h"

namespace cairn::testing {
namespace {

TEST(Time, RepliesSecondsAndMicrosecondsFromTheClock) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"TIME"}), "*2\r\n$10\r\n1700000000\r\n$1\r\n0\r\n");
  h.AdvanceMs(1234);
  EXPECT_EQ(h.Run({"TIME"}), "*2\r\n$10\r\n1700000001\r\n$6\r\n234000\r\n");
  EXPECT_EQ(h.Run({"TIME", "extra"}), "-ERR wrong number of arguments for 'time' command\r\n");
}

TEST(LastSave, IsTheStartTimeUntilASave) {
  EngineHarness h;
  h.AdvanceMs(5000);
  EXPECT_EQ(h.Run({"LASTSAVE"}), ":1700000000\r\n");
  EXPECT_EQ(h.Run({"LASTSAVE", "extra"}),
            "-ERR wrong number of arguments for 'lastsave' command\r\n");
}

TEST(Shutdown, SucceedsWithoutAReplyAndRunsNothingAfter) {
  EngineHarness h;
  h.ClearEffects();
  EXPECT_EQ(h.Send("*1\r\n$8\r\nSHUTDOWN\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"), "");
  EXPECT_EQ(h.engine().shutdown_state(), ShutdownState::kDone);
  EXPECT_EQ(h.engine().exit_code(), 0);
  EXPECT_TRUE(h.Effects().empty());
  // Other sessions run nothing either.
  Session* other = h.NewSession();
  EXPECT_EQ(h.Run(other, {"PING"}), "");
}

TEST(Shutdown, AcceptsEveryModifierCombinationRedisDoes) {
  for (std::vector<std::string_view> args : {std::vector<std::string_view>{"SHUTDOWN", "NOSAVE"},
                                             {"shutdown", "save", "now", "force"},
                                             {"SHUTDOWN", "NOW", "NOW", "FORCE"},
                                             {"SHUTDOWN", "nosave", "nosave"}}) {
    EngineHarness h;
    EXPECT_EQ(h.Run(h.session(), args), "") << args[1];
    EXPECT_EQ(h.engine().shutdown_state(), ShutdownState::kDone) << args[1];
  }
}

TEST(Shutdown, ErrorsLeaveTheServerRunning) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"SHUTDOWN", "ABORT"}), "-ERR No shutdown in progress.\r\n");
  EXPECT_EQ(h.Run({"SHUTDOWN", "ABORT", "ABORT"}), "-ERR No shutdown in progress.\r\n");
  EXPECT_EQ(h.Run({"SHUTDOWN", "FOO"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"SHUTDOWN", "ABORT", "NOW"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"SHUTDOWN", "NOSAVE", "ABORT"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"SHUTDOWN", "SAVE", "NOSAVE"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.engine().shutdown_state(), ShutdownState::kRunning);
  EXPECT_EQ(h.Run({"PING"}), "+PONG\r\n");
}

TEST(Monitor, ShowsEachExecutedCommandInRedisFormat) {
  EngineHarness h;
  Session* client = h.NewSession("10.1.2.3:4567");
  EXPECT_EQ(h.Run({"MONITOR"}), "+OK\r\n");
  h.Run(client, {"SET", "k", "v"});
  EXPECT_EQ(h.TakeOutput(h.session()),
            "+1700000000.000000 [0 10.1.2.3:4567] \"SET\" \"k\" \"v\"\r\n");
  h.AdvanceMs(1234);
  client->db = 3;
  h.Run(client, {"GET", std::string_view("a \"b\"\\\n\r\t\a\b\x01\xff\0", 14)});
  EXPECT_EQ(h.TakeOutput(h.session()),
            "+1700000001.234000 [3 10.1.2.3:4567] \"GET\" "
            "\"a \\\"b\\\"\\\\\\n\\r\\t\\a\\b\\x01\\xff\\x00\"\r\n");
}

TEST(Monitor, LeavesOutAdminAndRejectedCommands) {
  EngineHarness h;
  Session* client = h.NewSession("10.1.2.3:4567");
  h.Run({"MONITOR"});
  h.Run(client, {"SLOWLOG", "GET"});  // admin
  h.Run(client, {"CLIENT", "KILL", "ID", "999"});
  h.Run(client, {"NOSUCH"});
  h.Run(client, {"GET"});
  h.Run(client, {"CLIENT", "FOO"});
  EXPECT_EQ(h.TakeOutput(h.session()), "");
  h.Run(client, {"CLIENT", "ID"});               // not admin
  h.Run(client, {"SCRIPT", "FLUSH", "a", "b"});  // an error reply still ran
  EXPECT_EQ(h.TakeOutput(h.session()),
            "+1700000000.000000 [0 10.1.2.3:4567] \"CLIENT\" \"ID\"\r\n"
            "+1700000000.000000 [0 10.1.2.3:4567] \"SCRIPT\" \"FLUSH\" \"a\" \"b\"\r\n");
}

TEST(Monitor, HidesSecrets) {
  EngineHarness h;
  Session* client = h.NewSession("10.1.2.3:4567");
  h.Run({"MONITOR"});
  h.Run(client, {"AUTH", "default", "pw"});
  h.Run(client, {"AUTH", "pw"});
  h.Run(client, {"AUTH", "a", "b", "c"});  // malformed: Redis shows it as is
  h.Run(client, {"HELLO", "3", "AUTH", "default", "pw", "SETNAME", "n"});
  EXPECT_EQ(h.TakeOutput(h.session()),
            "+1700000000.000000 [0 10.1.2.3:4567] \"AUTH\" \"(redacted)\" \"(redacted)\"\r\n"
            "+1700000000.000000 [0 10.1.2.3:4567] \"AUTH\" \"(redacted)\"\r\n"
            "+1700000000.000000 [0 10.1.2.3:4567] \"AUTH\" \"a\" \"b\" \"c\"\r\n"
            "+1700000000.000000 [0 10.1.2.3:4567] \"HELLO\" \"3\" \"AUTH\" \"(redacted)\" "
            "\"(redacted)\" \"SETNAME\" \"n\"\r\n");
}

TEST(Monitor, MonitorSessionRules) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"MONITOR"}), "+OK\r\n");
  EXPECT_TRUE(h.session()->monitor);
  EXPECT_EQ(h.Run({"MONITOR"}), "");  // Redis ignores a second MONITOR
  EXPECT_EQ(h.Run({"GET", "x"}), "-ERR Replica can't interact with the keyspace\r\n");
  // A monitor sees its own commands, after their replies.
  EXPECT_EQ(h.Run({"PING"}), "+PONG\r\n+1700000000.000000 [0 127.0.0.1:50000] \"PING\"\r\n");
  EXPECT_EQ(h.Run({"MONITOR", "extra"}),
            "-ERR wrong number of arguments for 'monitor' command\r\n");
}

TEST(Monitor, ReplyOffAndSkipHoldBackLines) {
  EngineHarness h;
  Session* client = h.NewSession("10.1.2.3:4567");
  h.Run({"MONITOR"});
  h.Run({"CLIENT", "REPLY", "OFF"});
  h.Run(client, {"PING"});
  EXPECT_EQ(h.Run({"CLIENT", "REPLY", "ON"}),
            "+OK\r\n+1700000000.000000 [0 127.0.0.1:50000] \"CLIENT\" \"REPLY\" \"ON\"\r\n");
  EXPECT_EQ(h.Run({"CLIENT", "REPLY", "SKIP"}),
            "+1700000000.000000 [0 127.0.0.1:50000] \"CLIENT\" \"REPLY\" \"SKIP\"\r\n");
  h.Run(client, {"PING", "1"});
  EXPECT_EQ(h.TakeOutput(h.session()), "");  // the skipped command is still pending
  EXPECT_EQ(h.Run({"PING"}), "");
  h.Run(client, {"PING", "2"});
  EXPECT_EQ(h.TakeOutput(h.session()), "+1700000000.000000 [0 10.1.2.3:4567] \"PING\" \"2\"\r\n");
}

TEST(Monitor, ClosedMonitorIsForgotten) {
  EngineHarness h;
  Session* monitor = h.NewSession();
  h.Run(monitor, {"MONITOR"});
  h.engine().CloseSession(monitor);
  EXPECT_EQ(h.Run({"SET", "k", "v"}), "+OK\r\n");
}

// An Env whose monotonic clock moves 20 ms at every read, so every command
// "takes" 20 ms -- over the slow log's default threshold of 10 ms.
class SlowCommandsEnv final : public Env {
 public:
  class SteppingClock final : public Clock {
   public:
    int64_t WallUs() override { return 1'700'000'000'000'000; }
    int64_t MonotonicUs() override { return mono_ += 20'000; }

   private:
    int64_t mono_ = 0;
  };
  Clock& clock() override { return clock_; }
  RandomSource& random() override { return base_.random(); }
  FileSystem& fs() override { return base_.fs(); }
  Logger& logger() override { return base_.logger(); }

 private:
  FakeEnv base_;
  SteppingClock clock_;
};

class SlowEngine {
 public:
  SlowEngine() {
    Config config;
    // Remote-looking peers without a password: protected mode must be off.
    std::vector<std::string> args = {"--dir", "/data", "--protected-mode", "no"};
    EXPECT_TRUE(config.ApplyArgs(args).ok());
    engine_ = std::make_unique<Engine>(env_, std::move(config));
    EXPECT_TRUE(engine_->Start().ok());
    session_ = NewSession("10.0.0.1:1000");
  }
  Session* NewSession(std::string peer) {
    return engine_->OpenSession(SessionInfo{std::move(peer), "127.0.0.1:6379", 9, false});
  }
  std::string Run(Session* s, const std::vector<std::string_view>& args) {
    engine_->Feed(s, EncodeCommand(args));
    std::string out(engine_->Output(s));
    engine_->ConsumeOutput(s, out.size());
    return out;
  }
  std::string Run(const std::vector<std::string_view>& args) { return Run(session_, args); }
  Engine& engine() { return *engine_; }

 private:
  SlowCommandsEnv env_;
  std::unique_ptr<Engine> engine_;
  Session* session_;
};

TEST(Slowlog, RecordsSlowCommandsNewestFirst) {
  SlowEngine e;
  Session* b = e.NewSession("10.0.0.2:2000");
  EXPECT_EQ(e.Run({"SET", "k", "v"}), "+OK\r\n");
  EXPECT_EQ(e.Run(b, {"CLIENT", "SETNAME", "bee"}), "+OK\r\n");
  EXPECT_EQ(e.Run({"SLOWLOG", "LEN"}), ":2\r\n");
  // The LEN just run is logged too.
  EXPECT_EQ(
      e.Run({"SLOWLOG", "GET", "2"}),
      "*2\r\n"
      "*6\r\n:2\r\n:1700000000\r\n:20000\r\n*2\r\n$7\r\nSLOWLOG\r\n$3\r\nLEN\r\n"
      "$13\r\n10.0.0.1:1000\r\n$0\r\n\r\n"
      "*6\r\n:1\r\n:1700000000\r\n:20000\r\n*3\r\n$6\r\nCLIENT\r\n$7\r\nSETNAME\r\n$3\r\nbee\r\n"
      "$13\r\n10.0.0.2:2000\r\n$3\r\nbee\r\n");
  EXPECT_EQ(e.Run({"SLOWLOG", "GET", "0"}), "*0\r\n");
  std::string all = e.Run({"SLOWLOG", "GET", "-1"});
  EXPECT_EQ(all.rfind("*5\r\n", 0), 0u);  // SET, SETNAME, LEN, GET 2, GET 0
  std::string dflt = e.Run({"SLOWLOG", "GET"});
  EXPECT_EQ(dflt.rfind("*6\r\n", 0), 0u);
  EXPECT_EQ(e.Run({"SLOWLOG", "RESET"}), "+OK\r\n");
  // Ids keep counting after a reset; RESET itself is logged.
  EXPECT_EQ(e.Run({"SLOWLOG", "GET"}).rfind("*1\r\n*6\r\n:7\r\n:1700000000\r\n", 0), 0u);
}

TEST(Slowlog, ArgumentErrors) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"SLOWLOG", "GET", "-2"}),
            "-ERR count should be greater than or equal to -1\r\n");
  EXPECT_EQ(h.Run({"SLOWLOG", "GET", "abc"}),
            "-ERR count should be greater than or equal to -1\r\n");
  EXPECT_EQ(
      h.Run({"slowlog", "get", "1", "2"}),
      "-ERR unknown subcommand or wrong number of arguments for 'get'. Try SLOWLOG HELP.\r\n");
  EXPECT_EQ(h.Run({"SLOWLOG", "LEN", "extra"}),
            "-ERR wrong number of arguments for 'slowlog|len' command\r\n");
  EXPECT_EQ(h.Run({"SLOWLOG", "RESET", "extra"}),
            "-ERR wrong number of arguments for 'slowlog|reset' command\r\n");
  EXPECT_EQ(h.Run({"SLOWLOG", "FOO"}), "-ERR unknown subcommand 'FOO'. Try SLOWLOG HELP.\r\n");
  EXPECT_EQ(h.Run({"SLOWLOG"}), "-ERR wrong number of arguments for 'slowlog' command\r\n");
  // Nothing is slow under the harness's still clock.
  EXPECT_EQ(h.Run({"SLOWLOG", "GET"}), "*0\r\n");
  EXPECT_EQ(h.Run({"SLOWLOG", "LEN"}), ":0\r\n");
}

TEST(Slowlog, HidesSecretsAndTruncatesHugeRequests) {
  SlowEngine e;
  e.Run({"AUTH", "default", "pw"});
  std::vector<std::string_view> many = {"ECHO"};
  std::vector<std::string> storage(40, "a");
  for (const std::string& s : storage) many.push_back(s);
  e.Run(many);  // an arity error: rejected commands are not logged
  std::string big(200, 'b');
  e.Run({"ECHO", big});
  const auto& entries = e.engine().slowlog().entries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1].args, (std::vector<std::string>{"AUTH", "(redacted)", "(redacted)"}));
  EXPECT_EQ(entries[0].args,
            (std::vector<std::string>{"ECHO", std::string(128, 'b') + "... (72 more bytes)"}));
  std::vector<std::string_view> info = {"INFO"};
  for (const std::string& s : storage) info.push_back(s);
  e.Run(info);
  const SlowLogEntry& last = e.engine().slowlog().entries()[0];
  ASSERT_EQ(last.args.size(), 32u);
  EXPECT_EQ(last.args[31], "... (10 more arguments)");
}

TEST(Slowlog, HelpHasRedisShape) {
  EngineHarness h;
  std::string reply = h.Run({"SLOWLOG", "HELP"});
  EXPECT_EQ(
      reply.rfind("*12\r\n+SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
                  "+GET [<count>]\r\n",
                  0),
      0u);
  EXPECT_TRUE(reply.ends_with("+HELP\r\n+    Print this help.\r\n"));
}

TEST(Latency, LatestHistoryReset) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"LATENCY", "LATEST"}), "*0\r\n");
  LatencyMonitor& lm = h.engine().latency();
  lm.AddSample("command", 1700000000, 15);
  lm.AddSample("command", 1700000001, 40);
  lm.AddSample("command", 1700000002, 20);
  lm.AddSample("fast-command", 1700000003, 12);
  EXPECT_EQ(h.Run({"LATENCY", "LATEST"}),
            "*2\r\n"
            "*4\r\n$7\r\ncommand\r\n:1700000002\r\n:20\r\n:40\r\n"
            "*4\r\n$12\r\nfast-command\r\n:1700000003\r\n:12\r\n:12\r\n");
  EXPECT_EQ(h.Run({"LATENCY", "HISTORY", "command"}),
            "*3\r\n*2\r\n:1700000000\r\n:15\r\n*2\r\n:1700000001\r\n:40\r\n"
            "*2\r\n:1700000002\r\n:20\r\n");
  EXPECT_EQ(h.Run({"LATENCY", "HISTORY", "nosuch"}), "*0\r\n");
  EXPECT_EQ(h.Run({"LATENCY", "RESET", "nosuch", "command", "command"}), ":1\r\n");
  EXPECT_EQ(h.Run({"LATENCY", "RESET"}), ":1\r\n");
  EXPECT_EQ(h.Run({"LATENCY", "LATEST"}), "*0\r\n");
  EXPECT_EQ(h.Run({"LATENCY", "HISTORY"}),
            "-ERR wrong number of arguments for 'latency|history' command\r\n");
  EXPECT_EQ(h.Run({"LATENCY", "LATEST", "extra"}),
            "-ERR wrong number of arguments for 'latency|latest' command\r\n");
  EXPECT_EQ(h.Run({"LATENCY", "FOO"}), "-ERR unknown subcommand 'FOO'. Try LATENCY HELP.\r\n");
  std::string help = h.Run({"LATENCY", "HELP"});
  EXPECT_EQ(help.rfind("*10\r\n+LATENCY <subcommand>", 0), 0u);
}

TEST(FunctionAndScript, FlushChecksItsModeAndSucceeds) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"FUNCTION", "FLUSH"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"FUNCTION", "FLUSH", "sync"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"FUNCTION", "FLUSH", "aSyNc"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"FUNCTION", "FLUSH", "bad"}),
            "-ERR FUNCTION FLUSH only supports SYNC|ASYNC option\r\n");
  EXPECT_EQ(h.Run({"FUNCTION", "FLUSH", "SYNC", "ASYNC"}),
            "-ERR unknown subcommand or wrong number of arguments for 'FLUSH'. Try FUNCTION "
            "HELP.\r\n");
  EXPECT_EQ(h.Run({"SCRIPT", "FLUSH"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"SCRIPT", "FLUSH", "ASYNC"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"SCRIPT", "FLUSH", "bad"}),
            "-ERR SCRIPT FLUSH only support SYNC|ASYNC option\r\n");
  EXPECT_EQ(h.Run({"SCRIPT", "FLUSH", "SYNC", "ASYNC"}),
            "-ERR SCRIPT FLUSH only support SYNC|ASYNC option\r\n");
  EXPECT_EQ(h.Run({"FUNCTION"}), "-ERR wrong number of arguments for 'function' command\r\n");
  EXPECT_EQ(h.Run({"SCRIPT", "FOO"}), "-ERR unknown subcommand 'FOO'. Try SCRIPT HELP.\r\n");
  EXPECT_EQ(h.Run({"FUNCTION", "HELP"}).rfind("*9\r\n+FUNCTION <subcommand>", 0), 0u);
  EXPECT_EQ(h.Run({"SCRIPT", "HELP"}).rfind("*9\r\n+SCRIPT <subcommand>", 0), 0u);
}

}  // namespace
}  // namespace cairn::testing
