// Connection commands against Redis 7.0's replies: PING, ECHO, QUIT, HELLO,
// AUTH, RESET, and the dispatcher's NOAUTH / unknown-command paths.
#include <string>

#include <gtest/gtest.h>

#include "tests/support/engine_harness.h"

namespace cairn::testing {
namespace {

std::string HelloReply(int proto, uint64_t id) {
  std::string id_text = std::to_string(id);
  std::string head = proto == 3 ? "%7\r\n" : "*14\r\n";
  return head + "$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:" +
         std::to_string(proto) + "\r\n$2\r\nid\r\n:" + id_text +
         "\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*"
         "0\r\n";
}

constexpr char kNoPasswordConfigured[] =
    "-ERR AUTH <password> called without any password configured for the default user. Are you "
    "sure your configuration is correct?\r\n";
constexpr char kWrongPass[] = "-WRONGPASS invalid username-password pair or user is disabled.\r\n";

TEST(Ping, RepliesPongOrTheMessage) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"PING"}), "+PONG\r\n");
  EXPECT_EQ(h.Run({"ping", "hello"}), "$5\r\nhello\r\n");
  EXPECT_EQ(h.Run({"PING", std::string_view("\0\xff\r\n", 4)}),
            std::string("$4\r\n\0\xff\r\n\r\n", 10));
  EXPECT_EQ(h.Run({"PING", "a", "b"}), "-ERR wrong number of arguments for 'ping' command\r\n");
}

TEST(Echo, RepliesTheArgumentAndChecksArity) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"ECHO", ""}), "$0\r\n\r\n");
  EXPECT_EQ(h.Run({"ECHO", "line\r\nbreak"}), "$11\r\nline\r\nbreak\r\n");
  EXPECT_EQ(h.Run({"ECHO"}), "-ERR wrong number of arguments for 'echo' command\r\n");
  EXPECT_EQ(h.Run({"ECHO", "a", "b"}), "-ERR wrong number of arguments for 'echo' command\r\n");
}

TEST(Quit, RepliesOkClosesAndRunsNothingAfter) {
  EngineHarness h;
  EXPECT_EQ(h.Send("PING\r\nQUIT extra args\r\nPING\r\n"), "+PONG\r\n+OK\r\n");
  EXPECT_TRUE(h.engine().ShouldClose(h.session()));
}

TEST(Hello, WithoutArgumentsDescribesTheConnection) {
  EngineHarness h;
  uint64_t id = h.session()->id;
  EXPECT_EQ(h.Run({"HELLO"}), HelloReply(2, id));
  EXPECT_EQ(h.Run({"HELLO", "3"}), HelloReply(3, id));
  EXPECT_EQ(h.session()->resp, 3);
  EXPECT_EQ(h.Run({"GET", "missing"}), "_\r\n");
  EXPECT_EQ(h.Run({"HELLO"}), HelloReply(3, id));  // stays in RESP3
  EXPECT_EQ(h.Run({"HELLO", "2"}), HelloReply(2, id));
  EXPECT_EQ(h.Run({"GET", "missing"}), "$-1\r\n");
}

TEST(Hello, RefusesBadProtocolVersions) {
  EngineHarness h;
  for (std::string_view v : {"4", "1", "0", "-1"}) {
    EXPECT_EQ(h.Run({"HELLO", v}), "-NOPROTO unsupported protocol version\r\n") << v;
  }
  for (std::string_view v : {"abc", "3.0", "", "99999999999999999999", " 3"}) {
    EXPECT_EQ(h.Run({"HELLO", v}), "-ERR Protocol version is not an integer or out of range\r\n")
        << v;
  }
  EXPECT_EQ(h.session()->resp, 2);
  EXPECT_EQ(h.engine().stats().errors.at("NOPROTO"), 4u);
}

TEST(Hello, OptionErrorsNameTheOption) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"HELLO", "2", "FOO"}), "-ERR Syntax error in HELLO option 'FOO'\r\n");
  EXPECT_EQ(h.Run({"HELLO", "3", "SETNAME"}), "-ERR Syntax error in HELLO option 'SETNAME'\r\n");
  EXPECT_EQ(h.Run({"HELLO", "3", "AUTH", "default"}),
            "-ERR Syntax error in HELLO option 'AUTH'\r\n");
  EXPECT_EQ(h.Run({"HELLO", "4", "SETNAME", "x"}), "-NOPROTO unsupported protocol version\r\n");
  EXPECT_EQ(h.session()->resp, 2);
  EXPECT_TRUE(h.session()->name.empty());
}

TEST(Hello, SetnameAppliesAsSoonAsItIsRead) {
  EngineHarness h;
  uint64_t id = h.session()->id;
  EXPECT_EQ(h.Run({"hello", "3", "setname", "myname"}), HelloReply(3, id));
  EXPECT_EQ(h.Run({"CLIENT", "GETNAME"}), "$6\r\nmyname\r\n");
  // A later bad option still leaves the earlier name in place (Redis 7.0).
  EXPECT_EQ(h.Run({"HELLO", "2", "SETNAME", "a", "FOO"}),
            "-ERR Syntax error in HELLO option 'FOO'\r\n");
  EXPECT_EQ(h.session()->name, "a");
  EXPECT_EQ(h.session()->resp, 3);  // the failed HELLO did not switch
  EXPECT_EQ(h.Run({"HELLO", "2", "SETNAME", "bad name"}),
            "-ERR Client names cannot contain spaces, newlines or special characters.\r\n");
  EXPECT_EQ(h.session()->name, "a");
  EXPECT_EQ(h.Run({"HELLO", "3", "SETNAME", ""}), HelloReply(3, id));
  EXPECT_EQ(h.session()->name, "");
}

TEST(Hello, AuthWithoutPasswordConfiguredAcceptsAnyPasswordForDefault) {
  EngineHarness h;
  uint64_t id = h.session()->id;
  EXPECT_EQ(h.Run({"HELLO", "3", "AUTH", "default", "anything"}), HelloReply(3, id));
  EXPECT_EQ(h.Run({"HELLO", "3", "AUTH", "nosuchuser", "pass"}), kWrongPass);
}

TEST(Auth, WithoutPasswordConfigured) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"AUTH"}), "-ERR wrong number of arguments for 'auth' command\r\n");
  EXPECT_EQ(h.Run({"AUTH", "foo"}), kNoPasswordConfigured);
  EXPECT_EQ(h.Run({"AUTH", "default", "foo"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"AUTH", "nosuchuser", "foo"}), kWrongPass);
  EXPECT_EQ(h.Run({"AUTH", "a", "b", "c"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"PING"}), "+PONG\r\n");
}

TEST(Auth, RequirepassGatesCommandsUntilAuthenticated) {
  EngineHarness h({"--requirepass", "secret"});
  const std::string noauth = "-NOAUTH Authentication required.\r\n";
  EXPECT_EQ(h.Run({"PING"}), noauth);
  EXPECT_EQ(h.Run({"GET", "k"}), noauth);
  EXPECT_EQ(h.Run({"ECHO", "x"}), noauth);
  // Unknown commands and arity errors are reported before authentication.
  EXPECT_EQ(h.Run({"NOSUCHCOMMAND"}),
            "-ERR unknown command 'NOSUCHCOMMAND', with args beginning with: \r\n");
  EXPECT_EQ(h.Run({"GET"}), "-ERR wrong number of arguments for 'get' command\r\n");
  EXPECT_EQ(h.Run({"HELLO", "3"}),
            "-NOAUTH HELLO must be called with the client already authenticated, otherwise the "
            "HELLO AUTH <user> <pass> option can be used to authenticate the client and select "
            "the RESP protocol version at the same time\r\n");
  EXPECT_EQ(h.session()->resp, 2);
  EXPECT_EQ(h.Run({"AUTH", "wrong"}), kWrongPass);
  EXPECT_EQ(h.Run({"AUTH", "default", "wrong"}), kWrongPass);
  EXPECT_EQ(h.Run({"AUTH", "nosuchuser", "secret"}), kWrongPass);
  EXPECT_EQ(h.Run({"HELLO", "2", "AUTH", "default", "wrong"}), kWrongPass);
  EXPECT_EQ(h.Run({"GET", "k"}), noauth);
  EXPECT_EQ(h.Run({"AUTH", "secret"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"GET", "k"}), "$-1\r\n");
  // A failed attempt keeps the earlier authentication.
  EXPECT_EQ(h.Run({"AUTH", "wrong"}), kWrongPass);
  EXPECT_EQ(h.Run({"GET", "k"}), "$-1\r\n");
  EXPECT_EQ(h.engine().stats().errors.at("NOAUTH"), 5u);
  EXPECT_EQ(h.engine().stats().errors.at("WRONGPASS"), 5u);
}

TEST(Auth, HelloAuthAuthenticatesAndSwitches) {
  EngineHarness h({"--requirepass", "secret"});
  uint64_t id = h.session()->id;
  EXPECT_EQ(h.Run({"HELLO", "3", "AUTH", "default", "secret"}), HelloReply(3, id));
  EXPECT_TRUE(h.session()->authenticated);
  EXPECT_EQ(h.Run({"GET", "k"}), "_\r\n");
}

TEST(Auth, RejectedCommandsCountAsRejectedCalls) {
  EngineHarness h({"--requirepass", "secret"});
  h.Run({"GET", "k"});
  h.Run({"GET"});
  const Command* get = h.engine().commands().Find("get");
  EXPECT_EQ(get->stats.rejected_calls, 2u);
  EXPECT_EQ(get->stats.calls, 0u);
}

TEST(Auth, UnauthenticatedClientCannotPileUpReplies) {
  EngineHarness h({"--requirepass", "secret"});
  // 481 NOAUTH replies (34 bytes each) fit in 16 KiB; the 482nd does not.
  std::string pipeline;
  for (int i = 0; i < 481; ++i) pipeline += "GET sentinel\r\n";
  std::string out = h.Send(pipeline);
  EXPECT_EQ(out.size(), 481u * 34);
  EXPECT_FALSE(h.session()->close_asap);

  Session* s = h.NewSession();
  std::string more = pipeline + "GET sentinel\r\nPING\r\n";
  EXPECT_EQ(h.Send(s, more), "");
  EXPECT_TRUE(s->close_asap);
  EXPECT_EQ(h.engine().stats().client_outbuf_limit_disconnections, 1u);

  // Authenticated clients are not limited this way.
  Session* a = h.NewSession();
  EXPECT_EQ(h.Run(a, {"AUTH", "secret"}), "+OK\r\n");
  EXPECT_EQ(h.Send(a, more).size(), 482u * 5 + 7);
  EXPECT_FALSE(a->close_asap);
}

TEST(Reset, RestoresTheInitialConnectionState) {
  EngineHarness h({"--requirepass", "secret"});
  Session* s = h.session();
  EXPECT_EQ(h.Run({"AUTH", "secret"}), "+OK\r\n");
  h.Run({"HELLO", "3", "SETNAME", "temp"});
  EXPECT_EQ(h.Run({"CLIENT", "NO-EVICT", "on"}), "+OK\r\n");
  s->db = 5;  // SELECT belongs to the key commands
  EXPECT_EQ(h.Run({"RESET"}), "+RESET\r\n");
  EXPECT_EQ(s->db, 0);
  EXPECT_EQ(s->resp, 2);
  EXPECT_EQ(s->name, "");
  EXPECT_FALSE(s->no_evict);
  EXPECT_FALSE(s->authenticated);
  EXPECT_EQ(h.Run({"GET", "k"}), "-NOAUTH Authentication required.\r\n");
  EXPECT_EQ(h.Run({"reset"}), "+RESET\r\n");  // allowed without authentication
  EXPECT_EQ(h.Run({"RESET", "extra"}), "-ERR wrong number of arguments for 'reset' command\r\n");
}

TEST(Reset, StaysAuthenticatedWithoutPassword) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"RESET"}), "+RESET\r\n");
  EXPECT_EQ(h.Run({"GET", "k"}), "$-1\r\n");
}

TEST(Reset, RepliesUnderReplyOffButNotWhenSkipped) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"CLIENT", "REPLY", "OFF"}), "");
  EXPECT_EQ(h.Run({"RESET"}), "+RESET\r\n");
  EXPECT_EQ(h.Run({"PING"}), "+PONG\r\n");
  EXPECT_EQ(h.Run({"CLIENT", "REPLY", "SKIP"}), "");
  EXPECT_EQ(h.Run({"RESET"}), "");
  EXPECT_EQ(h.Run({"PING"}), "+PONG\r\n");
}

TEST(Reset, EndsMonitoring) {
  EngineHarness h;
  Session* other = h.NewSession("127.0.0.1:40000");
  EXPECT_EQ(h.Run({"MONITOR"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"RESET"}), "+RESET\r\n");
  EXPECT_FALSE(h.session()->monitor);
  h.Run(other, {"SET", "k", "v"});
  EXPECT_EQ(h.TakeOutput(h.session()), "");
  EXPECT_EQ(h.Run({"GET", "k"}), "$1\r\nv\r\n");  // a normal client again
}

TEST(UnknownCommand, QuotesArgumentsUpTo128Bytes) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"FOO", "a", "b"}),
            "-ERR unknown command 'FOO', with args beginning with: 'a' 'b' \r\n");
  EXPECT_EQ(h.Run({"FOO", "line\r\nbreak"}),
            "-ERR unknown command 'FOO', with args beginning with: 'line  break' \r\n");
  std::string long_arg(140, 'x');
  EXPECT_EQ(h.Run({"FOO", long_arg}), "-ERR unknown command 'FOO', with args beginning with: '" +
                                          std::string(128, 'x') + "' \r\n");
  EXPECT_EQ(h.Run({std::string_view("\0", 1)}),
            "-ERR unknown command '', with args beginning with: \r\n");
  EXPECT_EQ(h.Run({"CLIENT", "FOO"}), "-ERR unknown subcommand 'FOO'. Try CLIENT HELP.\r\n");
  EXPECT_EQ(h.Run({"client", "foo"}), "-ERR unknown subcommand 'foo'. Try CLIENT HELP.\r\n");
  EXPECT_EQ(h.Run({"CLIENT"}), "-ERR wrong number of arguments for 'client' command\r\n");
  EXPECT_EQ(h.Run({"CLIENT", "SETNAME"}),
            "-ERR wrong number of arguments for 'client|setname' command\r\n");
}

TEST(UnknownCommand, LeavesNoLastCommand) {
  EngineHarness h;
  h.Run({"PING"});
  EXPECT_NE(h.session()->last_command, nullptr);
  h.Run({"FOO"});
  EXPECT_EQ(h.session()->last_command, nullptr);
  h.Run({"GET"});  // rejected, but looked up: CLIENT LIST shows cmd=get
  ASSERT_NE(h.session()->last_command, nullptr);
  EXPECT_EQ(h.session()->last_command->fullname, "get");
  h.Run({"CLIENT", "FOO"});
  EXPECT_EQ(h.session()->last_command, nullptr);
}

}  // namespace
}  // namespace cairn::testing

namespace cairn::testing {
namespace {

// Feeds bytes without consuming the replies, as for a client that does
// not read.
void Hold(EngineHarness& h, std::string_view bytes) {
  h.engine().Feed(h.session(), bytes);
  h.engine().EndBatch();
}

std::string EchoPipeline(int n, size_t value_size) {
  std::string value(value_size, 'v');
  std::string out;
  for (int i = 0; i < n; ++i) out += "ECHO " + value + "\r\n";
  return out;
}

TEST(OutputLimit, HardLimitClosesAtOnceAndDropsReplies) {
  EngineHarness h({"--client-output-buffer-limit", "normal 10000 0 0"});
  Session* s = h.session();
  Hold(h, EchoPipeline(10, 900));  // about 9 KB held
  EXPECT_FALSE(s->close_asap);
  Hold(h, EchoPipeline(2, 900));  // past 10000 bytes
  EXPECT_TRUE(s->close_asap);
  EXPECT_TRUE(s->output.empty());
  EXPECT_TRUE(h.engine().ShouldClose(s));
  EXPECT_EQ(h.engine().stats().client_outbuf_limit_disconnections, 1u);
}

TEST(OutputLimit, SoftLimitNeedsItsGracePeriod) {
  EngineHarness h({"--client-output-buffer-limit", "normal 0 5000 2"});
  Session* s = h.session();
  Hold(h, EchoPipeline(10, 900));  // over the soft limit: the clock starts
  EXPECT_FALSE(s->close_asap);
  h.AdvanceMs(1500);
  h.engine().Tick();
  EXPECT_FALSE(s->close_asap);
  h.AdvanceMs(1000);  // 2.5 s over the soft limit
  h.engine().Tick();  // no new reply: the tick judges it
  EXPECT_TRUE(s->close_asap);
}

TEST(OutputLimit, FallingUnderTheSoftLimitResetsTheClock) {
  EngineHarness h({"--client-output-buffer-limit", "normal 0 5000 2"});
  Session* s = h.session();
  Hold(h, EchoPipeline(10, 900));
  h.AdvanceMs(1500);
  h.engine().ConsumeOutput(s, s->output.size());  // the client read it all
  Hold(h, "PING\r\n");
  EXPECT_EQ(s->output_soft_since_ms, 0);
  Hold(h, EchoPipeline(10, 900));  // over again: a new period starts
  h.AdvanceMs(1500);
  h.engine().Tick();
  EXPECT_FALSE(s->close_asap);
}

TEST(OutputLimit, ClientsThatReadAreNeverCut) {
  EngineHarness h({"--client-output-buffer-limit", "normal 10000 0 0"});
  Session* s = h.session();
  for (int i = 0; i < 50; ++i) {
    Hold(h, EchoPipeline(5, 900));
    h.engine().ConsumeOutput(s, s->output.size());
  }
  EXPECT_FALSE(s->close_asap);
}

}  // namespace
}  // namespace cairn::testing
