// kv-cli against the installed redis-cli 7.0, byte for byte: the same
// command line, the same replies, the same stdout, stderr and exit status.
//
//   CliReplyShapes  every RESP2/RESP3 reply shape from a fake server (which
//                   echoes the reply a test asks for), in every output mode
//   CliServers      one-shot, piped, connection flags, -x/-r/-n/-e against
//                   kv-server and redis-server
//   CliUnreachable  no server: redis-cli's message and exit status 1
//
// Under CI=true a missing redis-cli or redis-server fails; elsewhere the
// tests are skipped saying which tool is missing.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/cli/cli_process.h"
#include "tests/support/quote.h"
#include "tests/support/raw_client.h"
#include "tests/support/server_process.h"

namespace cairn::testing {
namespace {

#define REQUIRE_TOOL(var, name)                                            \
  std::string var = FindOnPath(name);                                      \
  if (var.empty()) {                                                       \
    if (UnderCi()) FAIL() << name " not found on PATH (CI=true)";          \
    GTEST_SKIP() << name " not found on PATH: install redis-tools to run"; \
  }

using Env = std::map<std::string, std::string>;

// Runs both clients with the same arguments and input; env_kv / env_redis
// are the environments each one sees (their password variables differ).
void ExpectSame(const std::string& redis_cli, const std::vector<std::string>& args,
                const std::string& input = "", const Env& env_redis = {}, const Env& env_kv = {}) {
  ProcessResult want = RunProcess(redis_cli, args, input, env_redis);
  ProcessResult got = RunProcess(KvCliPath(), args, input, env_kv);
  std::string what;
  for (const auto& a : args) what += " " + QuoteBytes(a, 200);
  ASSERT_FALSE(want.timed_out) << "redis-cli timed out:" << what;
  ASSERT_FALSE(got.timed_out) << "kv-cli timed out:" << what;
  EXPECT_EQ(QuoteBytes(got.out, 4000), QuoteBytes(want.out, 4000)) << "stdout of" << what;
  EXPECT_EQ(QuoteBytes(got.err, 4000), QuoteBytes(want.err, 4000)) << "stderr of" << what;
  EXPECT_EQ(got.code, want.code) << "exit status of" << what;
}

const std::vector<std::vector<std::string>> kModes = {
    {}, {"--no-raw"}, {"--raw"}, {"--csv"}, {"--json"}, {"--quoted-json"}, {"-d", ","},
};

// Replies as a server sends them (the fake server echoes them).
const std::vector<std::string> kShapes = {
    "+OK\r\n",
    "-ERR something went wrong\r\n",
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    ":0\r\n",
    ":-9223372036854775808\r\n",
    "$5\r\nhello\r\n",
    "$0\r\n\r\n",
    "$-1\r\n",
    "$18\r\na\"b\\c\nd\re\tf\x01\x7f\xc3\xa9g\a\b\r\n",
    "*0\r\n",
    "*-1\r\n",
    "*3\r\n$1\r\na\r\n$-1\r\n:7\r\n",
    "*2\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n*1\r\n:1\r\n",
    "*12\r\n:1\r\n:2\r\n:3\r\n:4\r\n:5\r\n:6\r\n:7\r\n:8\r\n:9\r\n:10\r\n*2\r\n+x\r\n*0\r\n:12\r\n",
    "*2\r\n-ERR inner\r\n+fine\r\n",
    // RESP3
    "_\r\n",
    ",3.14\r\n",
    ",-0.5\r\n",
    ",inf\r\n",
    ",-inf\r\n",
    "#t\r\n",
    "#f\r\n",
    "=15\r\ntxt:hello world\r\n",
    "%2\r\n+a\r\n:1\r\n$1\r\nb\r\n*2\r\n:1\r\n:2\r\n",
    "%0\r\n",
    "~2\r\n+a\r\n$1\r\nb\r\n",
    "~0\r\n",
    "*2\r\n%1\r\n+k\r\n~1\r\n+v\r\n_\r\n",
    "%1\r\n+outer\r\n%2\r\n+x\r\n,1.5\r\n+y\r\n#f\r\n",
    "%2\r\n:1\r\n+int key\r\n*1\r\n+agg\r\n+agg key\r\n",
    "%1\r\n$3\r\nq\"\\\r\n$3\r\nv\"\\\r\n",
};

TEST(CliReplyShapes, EveryShapeInEveryModeAsRedisCli) {
  REQUIRE_TOOL(redis_cli, "redis-cli");
  ASSERT_FALSE(KvCliPath().empty()) << "kv-cli not built";
  FakeServer fake;
  std::string port = std::to_string(fake.port());
  for (const auto& shape : kShapes) {
    for (const auto& mode : kModes) {
      std::vector<std::string> args{"-p", port};
      args.insert(args.end(), mode.begin(), mode.end());
      args.push_back("ECHOREPLY");
      args.push_back(shape);
      ExpectSame(redis_cli, args);
    }
    // Terminal formatting as redis-cli picks it on a tty (FAKETTY makes
    // both treat stdout as one).
    ExpectSame(redis_cli, {"-p", port, "ECHOREPLY", shape}, "", {{"FAKETTY", "1"}},
               {{"FAKETTY", "1"}});
  }
}

TEST(CliReplyShapes, TerminalFormattingInAPtyAsRedisCli) {
  REQUIRE_TOOL(redis_cli, "redis-cli");
  ASSERT_FALSE(KvCliPath().empty()) << "kv-cli not built";
  FakeServer fake;
  std::string port = std::to_string(fake.port());
  for (const auto& shape : kShapes) {
    std::vector<std::string> args{"-p", port, "ECHOREPLY", shape};
    ProcessResult want = RunInPty(redis_cli, args);
    ProcessResult got = RunInPty(KvCliPath(), args);
    EXPECT_EQ(QuoteBytes(got.out), QuoteBytes(want.out)) << QuoteBytes(shape);
    EXPECT_EQ(got.code, want.code) << QuoteBytes(shape);
  }
}

class CliServers : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    redis_cli_ = FindOnPath("redis-cli");
    if (redis_cli_.empty()) {
      if (UnderCi()) FAIL() << "redis-cli not found on PATH (CI=true)";
      GTEST_SKIP() << "redis-cli not found on PATH";
    }
    ASSERT_FALSE(KvCliPath().empty()) << "kv-cli not built";
    bool redis = GetParam();
    if (redis && FindOnPath("redis-server").empty()) {
      if (UnderCi()) FAIL() << "redis-server not found on PATH (CI=true)";
      GTEST_SKIP() << "redis-server not found on PATH";
    }
    auto spec = redis ? RedisServerSpec(extra_) : KvServerSpec(extra_);
    if (redis) spec.binary = FindOnPath("redis-server");
    auto s = ServerProcess::Start(spec);
    ASSERT_TRUE(s.ok()) << s.status().message();
    server_ = std::move(s.value());
    port_ = std::to_string(server_->port());
  }
  // Commands run over a raw connection before the comparison.
  void Setup(const std::vector<std::vector<std::string>>& cmds) {
    auto c = RawClient::Connect(server_->port());
    ASSERT_TRUE(c.ok());
    for (const auto& cmd : cmds) ASSERT_TRUE(c.value()->Command(cmd).ok());
  }
  std::vector<std::string> Args(std::vector<std::string> more) {
    std::vector<std::string> a{"-p", port_};
    a.insert(a.end(), more.begin(), more.end());
    return a;
  }

  std::vector<std::string> extra_;
  std::string redis_cli_;
  std::unique_ptr<ServerProcess> server_;
  std::string port_;
};

TEST_P(CliServers, OneShotEveryModeAsRedisCli) {
  Setup({{"FLUSHALL"},
         {"SET", "str", "hello \"world\"\n"},
         {"SET", "n", "42"},
         {"SET", "k1", "v1"},
         {"SELECT", "1"},
         {"SET", "db1key", "in db 1"}});
  const std::vector<std::vector<std::string>> commands = {
      {"GET", "str"},
      {"GET", "missing"},
      {"MGET", "str", "missing", "n"},
      {"SET", "k1", "v1"},
      {"STRLEN", "str"},
      {"EXISTS", "str", "n", "nope"},
      {"TTL", "n"},
      {"TYPE", "n"},
      {"KEYS", "nomatch*"},
      {"GETRANGE", "str", "0", "4"},
      {"NOSUCHCOMMAND", "x"},
      {"GET"},
      {"INCRBY", "str", "x"},
      {"CONFIG", "GET", "maxmemory"},
      {"COMMAND", "INFO", "get"},
      {"SCAN", "0", "MATCH", "k*"},
      {"DBSIZE"},
      {"PING"},
      {"ECHO", "a\tb"},
      {"INFO", "keyspace"},
  };
  std::vector<std::vector<std::string>> modes = kModes;
  modes.push_back({"-3"});
  modes.push_back({"-3", "--no-raw"});
  modes.push_back({"-3", "--csv"});
  modes.push_back({"-2", "--json"});
  modes.push_back({"-n", "1", "--no-raw"});
  modes.push_back({"-e"});
  for (const auto& cmd : commands) {
    for (const auto& mode : modes) {
      auto args = Args(mode);
      args.insert(args.end(), cmd.begin(), cmd.end());
      ExpectSame(redis_cli_, args);
    }
  }
  ExpectSame(redis_cli_, Args({"-n", "1", "GET", "db1key"}));
  ExpectSame(redis_cli_, Args({"-u", "redis://127.0.0.1:" + port_ + "/1", "GET", "db1key"}));
}

TEST_P(CliServers, PipedLinesAsRedisCli) {
  std::string input =
      "SET c 0\n"
      "3 INCR c\n"
      "SET \"a b\" 'it''s'\n"
      "SET 'it\\'s' \"x\\x41\\ny\"\n"
      "GET \"a b\"\n"
      "GET 'it\\'s'\n"
      "SET q \"unbalanced\n"
      "SET q \"closed\"x\n"
      "\n"
      "   \n"
      "MGET c nothing\n"
      "NOSUCH\n"
      "quit\n"
      "PING\n";
  for (const auto& mode : kModes) ExpectSame(redis_cli_, Args(mode), input);
  ExpectSame(redis_cli_, Args({"-3", "--no-raw"}), "HSET\nPING x\nGET c\n");
  ExpectSame(redis_cli_, Args({"-e"}), "SET a 1\nNOSUCH\nGET a\n");
  ExpectSame(redis_cli_, Args({"-D", ";", "-d", ","}), "MGET a c\nPING\n");
}

TEST_P(CliServers, StdinLastArgumentRepeatAndInterval) {
  ExpectSame(redis_cli_, Args({"-x", "SET", "fromstdin"}), "line one\nline two\n");
  ExpectSame(redis_cli_, Args({"GET", "fromstdin"}));
  ExpectSame(redis_cli_, Args({"-r", "3", "PING"}));
  ExpectSame(redis_cli_, Args({"-r", "3", "-i", "0.01", "--no-raw", "ECHO", "x"}));
  ExpectSame(redis_cli_, Args({"-r", "2", "NOSUCH"}));
}

TEST_P(CliServers, SubscribeAsRedisCli) {
  // Subscribers run until stopped (here by the timeout); kv-server has no
  // pub/sub yet, so there both print the same error and exit.
  for (const auto& mode : std::vector<std::vector<std::string>>{
           {"--no-raw"}, {"--raw"}, {"--csv"}, {"-3", "--no-raw"}}) {
    auto args = Args(mode);
    args.insert(args.end(), {"SUBSCRIBE", "news", "sport"});
    ProcessResult want = RunProcess(redis_cli_, args, "", {}, 800);
    ProcessResult got = RunProcess(KvCliPath(), args, "", {}, 800);
    EXPECT_EQ(QuoteBytes(got.out), QuoteBytes(want.out));
    EXPECT_EQ(got.timed_out, want.timed_out);
  }
}

INSTANTIATE_TEST_SUITE_P(Servers, CliServers, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "redis" : "kv"; });

class CliAuth : public CliServers {
 public:
  CliAuth() { extra_ = {"--requirepass", "s3cret"}; }
};

TEST_P(CliAuth, PasswordsAsRedisCli) {
  ExpectSame(redis_cli_, Args({"-a", "s3cret", "PING"}));
  ExpectSame(redis_cli_, Args({"-a", "s3cret", "--no-auth-warning", "PING"}));
  ExpectSame(redis_cli_, Args({"--pass", "wrong", "--no-auth-warning", "PING"}));
  ExpectSame(redis_cli_, Args({"--user", "default", "-a", "s3cret", "PING"}));
  ExpectSame(redis_cli_, Args({"PING"}));
  // redis-cli 7.0 sends an empty user name for redis://:pass@ (and fails);
  // kv-cli authenticates with the password alone.
  EXPECT_EQ(RunProcess(KvCliPath(), Args({"-u", "redis://:s3cret@127.0.0.1:" + port_, "PING"})).out,
            "PONG\n");
  ExpectSame(redis_cli_, Args({"-u", "redis://default:s3cret@127.0.0.1:" + port_ + "/3", "--no-raw",
                               "SELECT", "3"}));
  // The password from the environment, kept out of the process list.
  ExpectSame(redis_cli_, Args({"PING"}), "", {{"REDISCLI_AUTH", "s3cret"}},
             {{"KVCLI_AUTH", "s3cret"}});
  ExpectSame(redis_cli_, Args({"-n", "2", "PING"}), "", {{"REDISCLI_AUTH", "s3cret"}},
             {{"KVCLI_AUTH", "s3cret"}});
}

INSTANTIATE_TEST_SUITE_P(Servers, CliAuth, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "redis" : "kv"; });

TEST(CliCommandLine, RefusedOptionsAsRedisCli) {
  REQUIRE_TOOL(redis_cli, "redis-cli");
  for (const char* bad : {"--nope", "-p", "-n", "-x1"}) ExpectSame(redis_cli, {bad});
}

TEST(CliUnreachable, MessageAndExitStatusOne) {
  REQUIRE_TOOL(redis_cli, "redis-cli");
  auto port = PickFreePort();
  ASSERT_TRUE(port.ok());
  std::string p = std::to_string(port.value());
  // One-shot: exactly redis-cli's message and status.
  ExpectSame(redis_cli, {"-p", p, "PING"});
  ExpectSame(redis_cli, {"-p", p, "--no-raw", "GET", "k"});
  ExpectSame(redis_cli, {"-s", "/nonexistent/kv.sock", "PING"});
  // Piped: the same messages; kv-cli exits 1 where redis-cli exits 0.
  ProcessResult want = RunProcess(redis_cli, {"-p", p}, "PING\nGET a\n");
  ProcessResult got = RunProcess(KvCliPath(), {"-p", p}, "PING\nGET a\n");
  EXPECT_EQ(got.err, want.err);
  EXPECT_EQ(got.out, want.out);
  EXPECT_EQ(got.code, 1);
  std::string msg = "Could not connect to Redis at 127.0.0.1:" + p + ": Connection refused\n";
  EXPECT_EQ(RunProcess(KvCliPath(), {"-p", p, "GET", "k"}).err, msg);
  // Tool modes too.
  for (const char* tool : {"--scan", "--bigkeys", "--stat", "--latency"}) {
    ProcessResult r = RunProcess(KvCliPath(), {"-p", p, tool}, "", {}, 5000);
    EXPECT_EQ(r.code, 1) << tool;
    EXPECT_NE(r.err.find("Could not connect to Redis at 127.0.0.1:" + p), std::string::npos)
        << tool << ": " << r.err;
  }
}

}  // namespace
}  // namespace cairn::testing
