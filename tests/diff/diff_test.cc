// The differential suite: every tests/diff/scripts/*.txt is played against
// kv-server and Debian's redis-server, both started from one explicit
// configuration, in RESP2 and RESP3; replies must match byte for byte
// (unless a line asks for a looser comparison). See README.md.
//
// Tests (registered at start-up, in this order):
//   DiffScripts.*          parse every script and coverage.txt (no server)
//   Diff.<script>_resp<N>  one protocol run of one script
//   DiffSummary.Coverage   case counts per script, the coverage report; fails
//                          when an item of coverage.txt no compared case hit
//
// Environment:
//   CAIRN_DIFF_SELFCHECK=1  play redis-server against redis-server, proving
//                           the scripts are deterministic
//   CAIRN_DIFF_VERBOSE=1    print every reference reply
//   CAIRN_KV_SERVER=PATH    the kv-server to test (default: this build's)
//   CI=true                 a missing redis-server fails instead of skipping
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/diff/compare.h"
#include "tests/diff/coverage.h"
#include "tests/diff/runner.h"
#include "tests/diff/script.h"
#include "tests/support/server_process.h"

#ifndef CAIRN_DIFF_DIR
#error "CAIRN_DIFF_DIR must name tests/diff"
#endif

namespace cairn::diff {
namespace {

using testing::ServerProcess;
using testing::ServerSpec;

// Fewer cases than this per protocol run means scripts were lost.
constexpr int kMinCasesPerProto = 1000;

bool EnvIs(const char* name, const char* value) {
  const char* v = std::getenv(name);
  return v != nullptr && std::string(v) == value;
}

struct RunRecord {
  bool ran = false;
  RunOutcome outcome;
};

// Everything the registered tests share: the scripts, the coverage items,
// the servers and the results so far.
class Suite {
 public:
  static Suite& Get() {
    static Suite s;
    return s;
  }

  bool selfcheck = EnvIs("CAIRN_DIFF_SELFCHECK", "1");
  bool verbose = EnvIs("CAIRN_DIFF_VERBOSE", "1");
  std::string dir = CAIRN_DIFF_DIR;
  Status load_status;
  std::vector<Script> scripts;
  Result<Coverage> coverage = Status::Invalid("coverage: not loaded");
  std::map<std::string, RunRecord> runs;  // "<script>/<proto>"
  std::string redis_path = testing::FindOnPath("redis-server");
  std::string kv_path = testing::KvServerPath();

  void Load() {
    Result<std::vector<Script>> s = LoadScripts(dir + "/scripts");
    if (!s.ok()) {
      load_status = s.status();
      return;
    }
    scripts = std::move(s).value();
    coverage = Coverage::Load(dir + "/coverage.txt");
  }

  std::string test_name() const { return selfcheck ? "redisA" : "kv-server"; }
  std::string reference_name() const { return selfcheck ? "redisB" : "redis-server"; }

  ServerSpec TestSpec(const std::vector<std::string>& extra) const {
    ServerSpec spec = selfcheck ? testing::RedisServerSpec(extra) : testing::KvServerSpec(extra);
    spec.name = test_name();
    return spec;
  }
  ServerSpec ReferenceSpec(const std::vector<std::string>& extra) const {
    ServerSpec spec = testing::RedisServerSpec(extra);
    spec.name = reference_name();
    return spec;
  }

  // The shared pair, started on first use; a server found dead is
  // restarted and reported (with its log) once.
  Status SharedPair(ServerProcess** test, ServerProcess** ref, std::string* report) {
    for (int side = 0; side < 2; side++) {
      std::unique_ptr<ServerProcess>& p = shared_[side];
      if (p && !p->Running()) {
        *report += p->name() + " had exited before this script (status " +
                   std::to_string(p->Stop()) + "); restarting it. Its log:\n" + p->Log() + "\n";
        Status st = p->Restart();
        if (!st.ok()) return st;
      }
      if (!p) {
        Result<std::unique_ptr<ServerProcess>> started =
            ServerProcess::Start(side == 0 ? TestSpec({}) : ReferenceSpec({}));
        if (!started.ok()) return started.status();
        p = std::move(started).value();
      }
    }
    *test = shared_[0].get();
    *ref = shared_[1].get();
    return Status::Ok();
  }

  void StopShared() {
    for (auto& p : shared_) p.reset();
  }

 private:
  std::unique_ptr<ServerProcess> shared_[2];
};

// Fails under CI, skips loudly otherwise, when redis-server is missing.
// Returns true when the test should go on.
bool RequireServers(const Suite& s) {
  if (s.kv_path.empty() && !s.selfcheck) {
    ADD_FAILURE() << "kv-server not found (set CAIRN_KV_SERVER or build the kv-server target)";
    return false;
  }
  return !s.redis_path.empty();
}

void RunOne(const Script& script, int proto) {
  Suite& suite = Suite::Get();
  if (!RequireServers(suite)) {
    if (suite.kv_path.empty() && !suite.selfcheck) return;
    if (testing::UnderCi()) {
      FAIL() << "redis-server is not on PATH: under CI=true the differential suite must run";
    }
    GTEST_SKIP() << "redis-server is not on PATH: differential run SKIPPED (not a pass)";
  }
  ServerProcess* test = nullptr;
  ServerProcess* ref = nullptr;
  std::unique_ptr<ServerProcess> dedicated[2];
  if (script.dedicated) {
    Result<std::unique_ptr<ServerProcess>> a =
        ServerProcess::Start(suite.TestSpec(script.server_args));
    ASSERT_TRUE(a.ok()) << a.status().message();
    Result<std::unique_ptr<ServerProcess>> b =
        ServerProcess::Start(suite.ReferenceSpec(script.server_args));
    ASSERT_TRUE(b.ok()) << b.status().message();
    dedicated[0] = std::move(a).value();
    dedicated[1] = std::move(b).value();
    test = dedicated[0].get();
    ref = dedicated[1].get();
  } else {
    std::string report;
    Status st = suite.SharedPair(&test, &ref, &report);
    if (!report.empty()) ADD_FAILURE() << report;
    ASSERT_TRUE(st.ok()) << st.message();
  }
  CaseObserver observe = [&suite](const Step& step, std::string_view reply) {
    if (suite.coverage.ok()) suite.coverage->Record(step.command, reply);
  };
  RunOutcome out = PlayScript(script, proto, Target{test->name(), test->port()},
                              Target{ref->name(), ref->port()}, observe, suite.verbose);
  for (const RunFailure& f : out.failures) {
    if (f.line > 0) {
      ADD_FAILURE_AT(script.path.c_str(), f.line) << f.message;
    } else {
      ADD_FAILURE() << f.message;
    }
  }
  // A server that died during the run is worth its log.
  for (ServerProcess* p : {test, ref}) {
    if (!p->Running()) {
      bool expected = script.dedicated;  // SHUTDOWN scripts stop their own servers
      if (!expected) ADD_FAILURE() << p->name() << " exited during the run. Its log:\n" << p->Log();
    }
  }
  if (::testing::Test::HasFailure()) {
    for (ServerProcess* p : {test, ref}) {
      std::string log = p->Log();
      if (!log.empty() && log.size() < 20000) {
        std::cout << "--- " << p->name() << " log (" << p->CommandLine() << ") ---\n" << log;
      }
    }
  }
  RunRecord& rec = suite.runs[script.name + "/" + std::to_string(proto)];
  rec.ran = true;
  rec.outcome = out;
  std::cout << script.name << " RESP" << proto << ": " << out.compared << " cases compared, "
            << out.compared - out.failed << " same, " << out.failed << " differ, "
            << out.not_reached << " not reached\n";
}

class RunTest : public ::testing::Test {
 public:
  RunTest(const Script* s, int proto) : script_(s), proto_(proto) {}
  void TestBody() override { RunOne(*script_, proto_); }

 private:
  const Script* script_;
  int proto_;
};

TEST(DiffScripts, EveryScriptParses) {
  Suite& s = Suite::Get();
  ASSERT_TRUE(s.load_status.ok()) << s.load_status.message();
  ASSERT_FALSE(s.scripts.empty()) << "no scripts in " << s.dir << "/scripts";
  int per_proto[4] = {0, 0, 0, 0};
  for (const Script& sc : s.scripts) {
    for (int p : sc.protos) per_proto[p] += sc.Cases(p);
  }
  std::cout << s.scripts.size() << " scripts; " << per_proto[2] << " cases in RESP2 runs, "
            << per_proto[3] << " in RESP3 runs\n";
  EXPECT_GE(per_proto[2], kMinCasesPerProto) << "scripts were lost or emptied";
  EXPECT_GE(per_proto[3], kMinCasesPerProto) << "scripts were lost or emptied";
}

TEST(DiffScripts, CoverageListParses) {
  Suite& s = Suite::Get();
  ASSERT_TRUE(s.coverage.ok()) << s.coverage.status().message();
  EXPECT_GT(s.coverage->items().size(), 0u);
}

TEST(DiffTokens, SplitsAsRedisCliDoes) {
  Result<std::vector<Token>> t = SplitLine(R"(SET "a b" 'c\'d' "\x41\r\n" plain "" !x)");
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->size(), 7u);
  EXPECT_EQ((*t)[1].text, "a b");
  EXPECT_TRUE((*t)[1].quoted);
  EXPECT_EQ((*t)[2].text, "c'd");
  EXPECT_EQ((*t)[3].text, "A\r\n");
  EXPECT_EQ((*t)[4].text, "plain");
  EXPECT_FALSE((*t)[4].quoted);
  EXPECT_EQ((*t)[5].text, "");
  EXPECT_TRUE((*t)[5].quoted);
  EXPECT_EQ((*t)[6].text, "!x");
  EXPECT_FALSE(SplitLine(R"(GET "k)").ok());
  EXPECT_FALSE(SplitLine(R"(GET 'k)").ok());
  EXPECT_FALSE(SplitLine(R"(GET "k"x)").ok());
  Result<std::vector<Token>> odd = SplitLine(R"("\q\"\\" "\xZZ")");
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ((*odd)[0].text, "q\"\\");
  EXPECT_EQ((*odd)[1].text, "xZZ");
}

TEST(DiffTokens, ParsesDirectivesAndHeaders) {
  Result<Script> s =
      ParseScript("t.txt",
                  "# comment\n@proto 3\n@server --requirepass x\n@auth x\n"
                  "\n  GET k  \n!sort !resp3 KEYS *\n!raw 2 {3} \"a\" \"PING\\r\\n\"\n"
                  "!match '^\\+' PING\n!approx 2 TTL k\n!close QUIT\n"
                  "!rawclose \"x\"\n!send PING\n!sleep 5\nGET \"!sort\"\n");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->protos, std::vector<int>{3});
  EXPECT_TRUE(s->dedicated);
  EXPECT_EQ(s->server_args, (std::vector<std::string>{"--requirepass", "x"}));
  EXPECT_EQ(s->password, "x");
  ASSERT_EQ(s->steps.size(), 10u);
  EXPECT_EQ(s->steps[0].line, 6);
  EXPECT_EQ(s->steps[0].text, "GET k");
  EXPECT_EQ(s->steps[0].payload, "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n");
  EXPECT_EQ(s->steps[1].mode, CompareMode::kSorted);
  EXPECT_EQ(s->steps[1].only_proto, 3);
  EXPECT_EQ(s->steps[1].command, "KEYS *");
  EXPECT_EQ(s->steps[2].kind, StepKind::kRaw);
  EXPECT_EQ(s->steps[2].replies, 2);
  EXPECT_EQ(s->steps[2].payload, "aaaPING\r\n");
  EXPECT_EQ(s->steps[3].mode, CompareMode::kMatch);
  EXPECT_EQ(s->steps[4].tolerance, 2);
  EXPECT_EQ(s->steps[5].kind, StepKind::kClose);
  EXPECT_EQ(s->steps[6].payload, "x");
  EXPECT_EQ(s->steps[7].kind, StepKind::kSend);
  EXPECT_EQ(s->steps[7].Cases(), 0);
  EXPECT_EQ(s->steps[8].sleep_ms, 5);
  EXPECT_EQ(s->steps[9].payload, "*2\r\n$3\r\nGET\r\n$5\r\n!sort\r\n");
  EXPECT_EQ(s->Cases(3), 1 + 1 + 2 + 1 + 1 + 1 + 1 + 1);
  EXPECT_EQ(s->Cases(2), s->Cases(3) - 1);

  for (const char* bad : {"@proto 4\nPING\n", "PING\n@dedicated\n", "!sort !shape PING\n",
                          "!nosuch PING\n", "!sleep 1 PING\n", "!raw x PING\n", "!sort\n",
                          "!match '(' PING\n", "!rawclose {3}\n", "# nothing\n"}) {
    EXPECT_FALSE(ParseScript("bad.txt", bad).ok()) << bad;
  }
}

TEST(DiffCompare, ModesJudgeAsDocumented) {
  auto step = [](CompareMode m) {
    Step s;
    s.mode = m;
    return s;
  };
  EXPECT_TRUE(CompareReplies(step(CompareMode::kExact), "+OK\r\n", "+OK\r\n").same);
  EXPECT_FALSE(CompareReplies(step(CompareMode::kExact), "+OK\r\n", "$2\r\nOK\r\n").same);

  Step sorted = step(CompareMode::kSorted);
  EXPECT_TRUE(
      CompareReplies(sorted, "*2\r\n$1\r\na\r\n$1\r\nb\r\n", "*2\r\n$1\r\nb\r\n$1\r\na\r\n").same);
  EXPECT_FALSE(
      CompareReplies(sorted, "*2\r\n$1\r\na\r\n$1\r\nb\r\n", "*2\r\n$1\r\nb\r\n$1\r\nb\r\n").same);
  // Map entries sort as pairs: keys keep their values.
  EXPECT_TRUE(
      CompareReplies(sorted, "%2\r\n+a\r\n:1\r\n+b\r\n:2\r\n", "%2\r\n+b\r\n:2\r\n+a\r\n:1\r\n")
          .same);
  EXPECT_FALSE(
      CompareReplies(sorted, "%2\r\n+a\r\n:1\r\n+b\r\n:2\r\n", "%2\r\n+a\r\n:2\r\n+b\r\n:1\r\n")
          .same);
  // Nested: SCAN's cursor array sorted inside.
  EXPECT_TRUE(CompareReplies(sorted, "*2\r\n$1\r\n0\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n",
                             "*2\r\n$1\r\n0\r\n*2\r\n$1\r\ny\r\n$1\r\nx\r\n")
                  .same);

  Step shape = step(CompareMode::kShape);
  EXPECT_TRUE(CompareReplies(shape, "*2\r\n:1\r\n$1\r\na\r\n", "*2\r\n:7\r\n$3\r\nabc\r\n").same);
  EXPECT_FALSE(CompareReplies(shape, "*2\r\n:1\r\n$1\r\na\r\n", "*2\r\n:7\r\n:3\r\n").same);
  EXPECT_FALSE(CompareReplies(shape, "$-1\r\n", "$0\r\n\r\n").same);
  EXPECT_EQ(ReplyShape("*2\r\n$-1\r\n%1\r\n+k\r\n:1\r\n"), "*2[$nil,%2[+,:]]");

  Step match = step(CompareMode::kMatch);
  match.pattern_text = "^:\\d+";
  match.pattern = std::make_shared<const boost::regex>(match.pattern_text, kPatternSyntax);
  EXPECT_TRUE(CompareReplies(match, ":12\r\n", ":99\r\n").same);
  EXPECT_FALSE(CompareReplies(match, ":12\r\n", "+99\r\n").same);

  Step approx = step(CompareMode::kApprox);
  approx.tolerance = 1;
  EXPECT_TRUE(CompareReplies(approx, ":100\r\n", ":99\r\n").same);
  EXPECT_FALSE(CompareReplies(approx, ":100\r\n", ":98\r\n").same);
  EXPECT_FALSE(CompareReplies(approx, ":100\r\n", "$3\r\n100\r\n").same);
}

TEST(DiffCoverageItems, MatchFromTheStartOfTheSubject) {
  EXPECT_EQ(Coverage::Subject("SET k v", "+OK\r\n"), "SET k v => +OK\r\n");
  Suite& s = Suite::Get();
  ASSERT_TRUE(s.coverage.ok());
  // Item regexes must compile and be anchored where they mean to be; this
  // checks the matching rule itself on a copy.
  Result<Coverage> c = Coverage::Load(s.dir + "/coverage.txt");
  ASSERT_TRUE(c.ok());
  int before = c->covered();
  EXPECT_EQ(before, 0);
  c->Record("set k v ex 10", "+OK\r\n");
  EXPECT_GT(c->covered(), before) << "a SET EX case must cover some item";
}

TEST(DiffCoverageItems, LiteralPrefixesNeverRuleOutAMatch) {
  EXPECT_EQ(LiteralPrefix("SET .*\\bEX\\b"), "set ");
  EXPECT_EQ(LiteralPrefix("CLIENT KILL => -ERR"), "client kill => -err");
  EXPECT_EQ(LiteralPrefix("PINGS? =>"), "ping");
  EXPECT_EQ(LiteralPrefix("AB* x"), "a");
  EXPECT_EQ(LiteralPrefix("AB{2} x"), "a");
  EXPECT_EQ(LiteralPrefix("A\\sB"), "a");
  EXPECT_EQ(LiteralPrefix(".* => -ERR"), "");
  EXPECT_EQ(LiteralPrefix("GET|SET"), "");
  EXPECT_EQ(LiteralPrefix("(GET|SET) k"), "");
  EXPECT_EQ(LiteralPrefix("SET (a|b)"), "set ");
  EXPECT_EQ(LiteralPrefix("X\\|Y"), "x");
}

void PrintSummaryAndCoverage() {
  Suite& s = Suite::Get();
  std::ostringstream out;
  int total_compared = 0;
  int total_failed = 0;
  int total_unreached = 0;
  out << "\n=== differential summary (" << s.test_name() << " vs " << s.reference_name()
      << ") ===\n";
  out << std::left << std::setw(36) << "script"
      << "  cases/run  RESP2 same/compared"
      << "   RESP3 same/compared\n";
  for (const Script& sc : s.scripts) {
    out << std::left << std::setw(36) << sc.name << "  " << std::setw(9) << sc.Cases(2);
    for (int proto : {2, 3}) {
      auto it = s.runs.find(sc.name + "/" + std::to_string(proto));
      std::string cell = "-";
      if (it != s.runs.end() && it->second.ran) {
        const RunOutcome& o = it->second.outcome;
        cell = std::to_string(o.compared - o.failed) + "/" + std::to_string(o.compared);
        if (o.not_reached > 0) cell += " (+" + std::to_string(o.not_reached) + " unreached)";
        total_compared += o.compared;
        total_failed += o.failed;
        total_unreached += o.not_reached;
      }
      out << "  " << std::setw(20) << cell;
    }
    out << "\n";
  }
  out << "total: " << total_compared << " cases compared, " << total_compared - total_failed
      << " same, " << total_failed << " differ, " << total_unreached << " not reached\n";
  if (s.coverage.ok()) out << s.coverage->Report(EnvIs("CAIRN_DIFF_COVERAGE_ALL", "1")) << "\n";
  std::cout << out.str();
}

// Registered after every run, so it runs last.
void CheckCoverage() {
  Suite& s = Suite::Get();
  ASSERT_TRUE(s.coverage.ok()) << s.coverage.status().message();
  PrintSummaryAndCoverage();
  bool complete = true;
  for (const Script& sc : s.scripts) {
    for (int p : sc.protos) {
      auto it = s.runs.find(sc.name + "/" + std::to_string(p));
      if (it == s.runs.end() || !it->second.ran) complete = false;
    }
  }
  if (!complete) {
    if (testing::UnderCi() && s.redis_path.empty()) FAIL() << "no differential run happened";
    GTEST_SKIP() << "not every script ran (test filter or no redis-server): coverage not judged";
  }
  EXPECT_EQ(s.coverage->covered(), static_cast<int>(s.coverage->items().size()))
      << s.coverage->items().size() - s.coverage->covered()
      << " coverage items are not hit by any compared case (listed above)";
}

class SummaryTest : public ::testing::Test {
 public:
  void TestBody() override { CheckCoverage(); }
};

}  // namespace
}  // namespace cairn::diff

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  using cairn::diff::Suite;
  Suite& suite = Suite::Get();
  suite.Load();
  if (suite.redis_path.empty()) {
    std::cout << "\n*** redis-server is not on PATH: the differential runs are "
              << (cairn::testing::UnderCi() ? "FAILING (CI=true)" : "SKIPPED -- DIFF SUITE SKIPPED")
              << " ***\n\n";
  }
  std::cout << "differential runs: " << suite.test_name() << " vs " << suite.reference_name()
            << (suite.selfcheck ? " (self-check)" : "") << "\n";
  for (const cairn::diff::Script& sc : suite.scripts) {
    std::string base = sc.name.substr(0, sc.name.size() - 4);
    for (int proto : sc.protos) {
      const cairn::diff::Script* sp = &sc;
      ::testing::RegisterTest("Diff", (base + "_resp" + std::to_string(proto)).c_str(), nullptr,
                              nullptr, sc.path.c_str(), 1, [sp, proto]() -> ::testing::Test* {
                                return new cairn::diff::RunTest(sp, proto);
                              });
    }
  }
  ::testing::RegisterTest("DiffSummary", "EveryCoverageItemIsHitByAComparedCase", nullptr, nullptr,
                          __FILE__, __LINE__,
                          []() -> ::testing::Test* { return new cairn::diff::SummaryTest(); });
  int rc = RUN_ALL_TESTS();
  suite.StopShared();
  return rc;
}
