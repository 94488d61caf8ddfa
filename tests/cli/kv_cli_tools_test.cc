// kv-cli's tool modes against kv-server and redis-server: --scan, --bigkeys
// and --pipe byte for byte with redis-cli; --latency, --latency-history and
// --stat (whose figures change from run to run) by their format, with
// --stat's header compared with redis-cli's.
#include <algorithm>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/cli/cli_process.h"
#include "tests/support/quote.h"
#include "tests/support/raw_client.h"
#include "tests/support/server_process.h"

namespace cairn::testing {
namespace {

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string line;
  while (std::getline(ss, line)) out.push_back(line);
  return out;
}

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// --bigkeys with the per-type summary lines sorted: redis-cli prints them
// in its hash table's order, which changes from run to run. The progress
// percentages are masked: they depend on how SCAN batches the keys, and
// redis-server's batches change while its table rehashes (each command,
// the clients' own included, moves the rehash along).
std::vector<std::string> BigKeysCanonical(const std::string& s) {
  std::vector<std::string> lines = Lines(s);
  for (auto& l : lines) {
    if (l.size() > 8 && l[0] == '[' && l[7] == ']') l.replace(1, 6, "xx.xx%");
  }
  auto is_type_line = [](const std::string& l) { return l.find("% of keys, avg size") != l.npos; };
  auto first = std::find_if(lines.begin(), lines.end(), is_type_line);
  std::sort(first, std::find_if_not(first, lines.end(), is_type_line));
  return lines;
}

class CliTools : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    redis_cli_ = FindOnPath("redis-cli");
    if (redis_cli_.empty() || (GetParam() && FindOnPath("redis-server").empty())) {
      if (UnderCi()) FAIL() << "redis-cli / redis-server not found on PATH (CI=true)";
      GTEST_SKIP() << "redis-cli / redis-server not found on PATH";
    }
    ASSERT_FALSE(KvCliPath().empty()) << "kv-cli not built";
    auto spec = GetParam() ? RedisServerSpec() : KvServerSpec();
    if (GetParam()) spec.binary = FindOnPath("redis-server");
    auto s = ServerProcess::Start(spec);
    ASSERT_TRUE(s.ok()) << s.status().message();
    server_ = std::move(s.value());
    port_ = std::to_string(server_->port());
    auto c = RawClient::Connect(server_->port());
    ASSERT_TRUE(c.ok());
    client_ = std::move(c.value());
  }
  // n keys "key:1" ..., values of i % 97 bytes, or (flat) all empty but
  // key:7 (so the order of SCAN cannot change which keys --bigkeys reports).
  void Fill(int n, bool flat = false) {
    std::string batch;
    for (int i = 1; i <= n; i++) {
      size_t len = flat ? (i == 7 ? 300 : 0) : static_cast<size_t>(i % 97);
      batch += EncodeMultibulk({"SET", "key:" + std::to_string(i), std::string(len, 'x')});
    }
    batch += EncodeMultibulk({"SET", "odd \"key\"\n", flat ? "" : "v"});
    ASSERT_TRUE(client_->Send(batch).ok());
    for (int i = 0; i <= n; i++) ASSERT_TRUE(client_->ReadFrame().ok());
  }
  std::vector<std::string> Args(std::vector<std::string> more) {
    std::vector<std::string> a{"-p", port_};
    a.insert(a.end(), more.begin(), more.end());
    return a;
  }

  std::string redis_cli_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<RawClient> client_;
  std::string port_;
};

TEST_P(CliTools, ScanAsRedisCli) {
  Fill(250);
  for (const auto& extra : std::vector<std::vector<std::string>>{
           {}, {"--no-raw"}, {"--pattern", "key:1*"}, {"--pattern", "nomatch"}}) {
    auto args = Args({"--scan"});
    args.insert(args.end(), extra.begin(), extra.end());
    ProcessResult want = RunProcess(redis_cli_, args);
    ProcessResult got = RunProcess(KvCliPath(), args);
    // SCAN's order may change between the two runs while the server's
    // table rehashes: the same lines, in any order.
    EXPECT_EQ(Sorted(Lines(got.out)), Sorted(Lines(want.out)));
    EXPECT_EQ(got.err, want.err);
    EXPECT_EQ(got.code, want.code);
  }
  // 251 keys, one of which holds a newline (printed raw: two lines).
  EXPECT_EQ(Lines(RunProcess(KvCliPath(), Args({"--scan"})).out).size(), 252u);
}

TEST_P(CliTools, BigKeysAsRedisCli) {
  ProcessResult empty_want = RunProcess(redis_cli_, Args({"--bigkeys"}));
  ProcessResult empty_got = RunProcess(KvCliPath(), Args({"--bigkeys"}));
  EXPECT_EQ(BigKeysCanonical(empty_got.out), BigKeysCanonical(empty_want.out));
  // Both servers may be rehashing their tables after the fill, so SCAN's
  // order can differ between the two runs: with one non-empty key the
  // report cannot depend on it.
  Fill(300, true);
  ProcessResult want = RunProcess(redis_cli_, Args({"--bigkeys"}));
  ProcessResult got = RunProcess(KvCliPath(), Args({"--bigkeys"}));
  EXPECT_EQ(BigKeysCanonical(got.out), BigKeysCanonical(want.out)) << got.out << "\n" << want.out;
  EXPECT_EQ(got.code, want.code);
  EXPECT_NE(got.out.find("Sampled 301 keys in the keyspace!"), std::string::npos) << got.out;
  EXPECT_NE(got.out.find("Biggest string found '\"key:7\"' has 300 bytes"), std::string::npos)
      << got.out;
}

TEST_P(CliTools, PipeAsRedisCli) {
  std::string input =
      "SET a 1\r\nGET a\r\nNOSUCH\r\n" + EncodeMultibulk({"INCR", "a"}) + EncodeMultibulk({"PING"});
  ASSERT_TRUE(client_->Command({"SET", "a", "1"}).ok());
  ProcessResult want = RunProcess(redis_cli_, Args({"--pipe"}), input);
  ASSERT_TRUE(client_->Command({"SET", "a", "1"}).ok());
  ProcessResult got = RunProcess(KvCliPath(), Args({"--pipe"}), input);
  EXPECT_EQ(got.out, want.out);
  EXPECT_EQ(got.err, want.err);
  EXPECT_EQ(got.code, want.code);
  EXPECT_EQ(got.code, 1);  // one error reply

  // Mass insertion.
  std::string mass;
  for (int i = 0; i < 20000; i++) {
    mass += EncodeMultibulk({"SET", "mass:" + std::to_string(i), std::to_string(i)});
  }
  ASSERT_TRUE(client_->Command({"FLUSHALL"}).ok());
  got = RunProcess(KvCliPath(), Args({"--pipe"}), mass, {}, 30000);
  EXPECT_EQ(got.code, 0) << got.err;
  EXPECT_EQ(got.out,
            "All data transferred. Waiting for the last reply...\n"
            "Last reply received from server.\n"
            "errors: 0, replies: 20000\n");
  EXPECT_EQ(client_->Command({"DBSIZE"}).value(), ":20000\r\n");
  EXPECT_EQ(client_->Command({"GET", "mass:19999"}).value(), "$5\r\n19999\r\n");
}

TEST_P(CliTools, LatencyFormats) {
  ProcessResult raw = RunProcess(KvCliPath(), Args({"--latency", "-i", "0.3"}));
  EXPECT_EQ(raw.code, 0);
  EXPECT_TRUE(std::regex_match(raw.out, std::regex("[0-9]+ [0-9]+ [0-9]+\\.[0-9]{2} [0-9]+\n")))
      << raw.out;
  ProcessResult csv = RunProcess(KvCliPath(), Args({"--latency", "--csv", "-i", "0.2"}));
  EXPECT_TRUE(std::regex_match(csv.out, std::regex("[0-9]+,[0-9]+,[0-9]+\\.[0-9]{2},[0-9]+\n")))
      << csv.out;
  ProcessResult json = RunProcess(KvCliPath(), Args({"--latency", "--json", "-i", "0.2"}));
  EXPECT_TRUE(std::regex_match(
      json.out, std::regex("\\{\"min\": [0-9]+, \"max\": [0-9]+, \"avg\": [0-9]+\\.[0-9]{2}, "
                           "\"count\": [0-9]+\\}\n")))
      << json.out;
  // History: one line per sample, a range line per window; runs until
  // stopped (here by the timeout).
  ProcessResult hist =
      RunProcess(KvCliPath(), Args({"--latency-history", "-i", "0.2"}), "", {}, 1000);
  EXPECT_TRUE(hist.timed_out);
  EXPECT_TRUE(std::regex_search(hist.out, std::regex("\n -- 0\\.2[0-9] seconds range\n")))
      << hist.out;
}

TEST_P(CliTools, StatRowsUnderRedisCliHeader) {
  Fill(10);
  ProcessResult want =
      RunProcess(redis_cli_, Args({"--stat", "-i", "0.2"}), "", {{"FAKETTY", "1"}}, 700);
  ProcessResult got = RunProcess(KvCliPath(), Args({"--stat", "-i", "0.2"}), "", {}, 700);
  EXPECT_TRUE(got.timed_out);
  std::vector<std::string> lines = Lines(got.out);
  ASSERT_GE(lines.size(), 4u) << got.out;
  // redis-cli buffers its output when it is not a terminal, so its header
  // may not have been flushed: compare when it was.
  std::vector<std::string> want_lines = Lines(want.out);
  if (want_lines.size() >= 2) {
    EXPECT_EQ(lines[0], want_lines[0]);
    EXPECT_EQ(lines[1], want_lines[1]);
  }
  EXPECT_EQ(lines[0],
            "------- data ------ --------------------- load -------------------- - child -");
  std::regex row("11 {9}[0-9.]+[BKMG] +[0-9]+ +[0-9]+ +[0-9]+ \\(\\+[0-9]+\\) +[0-9]+ +");
  for (size_t i = 2; i < lines.size(); i++) {
    EXPECT_TRUE(std::regex_match(lines[i], row)) << QuoteBytes(lines[i]);
    EXPECT_EQ(lines[i].size(), lines[2].size()) << QuoteBytes(lines[i]);
  }
}

INSTANTIATE_TEST_SUITE_P(Servers, CliTools, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "redis" : "kv"; });

}  // namespace
}  // namespace cairn::testing
