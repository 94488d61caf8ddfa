// kv-bench against a real kv-server on a free port: every test of the
// default list and the original load run without errors, and the output has
// the shape redis-benchmark's has (one CSV line per test, numbers that add
// up). Label tools.
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bench/tests/text_match.h"
#include "tests/support/server_process.h"

namespace cairn::testing {
namespace {

// Runs a command line; returns its stdout and sets *code to its exit status.
std::string RunCapture(const std::string& command, int* code) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  int status = ::pclose(p);
  *code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

class KvBenchTools : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = ServerProcess::Start(KvServerSpec());
    ASSERT_TRUE(server.ok()) << server.status().message();
    server_ = std::move(server).value();
  }
  std::string Bench(const std::string& args) {
    return std::string(CAIRN_KV_BENCH_PATH) + " -p " + std::to_string(server_->port()) + " " +
           args + " 2>&1";
  }
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(KvBenchTools, EveryDefaultTestRunsCleanAsCsv) {
  int code = -1;
  std::string out = RunCapture(Bench("-c 4 -n 2000 -r 1000 --csv"), &code);
  ASSERT_EQ(code, 0) << out;
  auto lines = Lines(out);
  ASSERT_EQ(lines.size(), 7u) << out;  // header + 6 tests
  EXPECT_EQ(lines[0].rfind("\"test\",\"rps\"", 0), 0u);
  std::vector<std::string> titles;
  for (size_t i = 1; i < lines.size(); ++i) {
    auto cells = kvbench::testing::QuotedCells(lines[i]);
    ASSERT_TRUE(cells.has_value()) << lines[i];
    ASSERT_EQ(cells->size(), 8u) << lines[i];
    titles.push_back((*cells)[0]);
    EXPECT_TRUE(kvbench::testing::IsFixed((*cells)[1], 2)) << lines[i];
    for (size_t c = 2; c < 8; ++c) EXPECT_TRUE(kvbench::testing::IsFixed((*cells)[c], 3));
    double rps = std::stod((*cells)[1]);
    double min = std::stod((*cells)[3]), p50 = std::stod((*cells)[4]), p99 = std::stod((*cells)[6]),
           max = std::stod((*cells)[7]);
    EXPECT_GT(rps, 100) << lines[i];
    EXPECT_LE(min, p50) << lines[i];
    EXPECT_LE(p50, p99) << lines[i];
    EXPECT_LE(p99, max) << lines[i];
  }
  EXPECT_EQ(titles, (std::vector<std::string>{"PING_INLINE", "PING_MBULK", "SET", "GET", "INCR",
                                              "MSET (10 keys)"}));
}

TEST_F(KvBenchTools, TheOriginalLoadAndTheExtras) {
  int code = -1;
  std::string out = RunCapture(Bench("-c 10 -n 20000 -P 100 -t set,get -q"), &code);
  ASSERT_EQ(code, 0) << out;
  auto lines = Lines(out);
  ASSERT_EQ(lines.size(), 2u) << out;
  std::string title;
  EXPECT_TRUE(kvbench::testing::IsQuietLine(lines[0], &title)) << lines[0];
  EXPECT_EQ(title, "SET");
  EXPECT_TRUE(kvbench::testing::IsQuietLine(lines[1], &title)) << lines[1];
  EXPECT_EQ(title, "GET");

  out = RunCapture(Bench("-c 5 --duration 0.3 -r 10000 --ratio 1:10 --dist zipfian "
                         "--value-range 8-64 --threads 2 --json"),
                   &code);
  ASSERT_EQ(code, 0) << out;
  EXPECT_NE(out.find("\"title\": \"MIXED (1:10 SET:GET)\""), std::string::npos) << out;
  EXPECT_NE(out.find("\"errors\": 0,"), std::string::npos) << out;
  size_t at = out.find("\"requests\": ", out.find("\"tests\""));
  ASSERT_NE(at, std::string::npos) << out;
  EXPECT_GT(std::stoll(out.substr(at + 12)), 100) << out;
}

TEST_F(KvBenchTools, PipelinesLargerThanTheSocketBufferArriveWhole) {
  // 5000 SETs of 1 KiB per write: the socket takes them in parts (EPOLLOUT).
  int code = -1;
  std::string out = RunCapture(Bench("-c 2 -n 20000 -P 5000 -d 1000 -r 100 -t set --csv"), &code);
  ASSERT_EQ(code, 0) << out;
  auto lines = Lines(out);
  ASSERT_EQ(lines.size(), 2u) << out;
  auto cells = kvbench::testing::QuotedCells(lines[1]);
  ASSERT_TRUE(cells.has_value()) << lines[1];
  EXPECT_EQ((*cells)[0], "SET");
  EXPECT_GT(std::stod((*cells)[1]), 100);
}

TEST_F(KvBenchTools, ErrorsAreReportedNotHidden) {
  int code = -1;
  // A server that refuses connections: kv-bench says so and fails.
  std::string out = RunCapture(std::string(CAIRN_KV_BENCH_PATH) + " -p 1 -n 10 -q 2>&1", &code);
  EXPECT_NE(code, 0);
  EXPECT_NE(out.find("Could not connect"), std::string::npos) << out;
  // A wrong password: the server's error is shown.
  out = RunCapture(Bench("-a wrong -n 10 -t get -q"), &code);
  EXPECT_NE(code, 0);
  EXPECT_NE(out.find("AUTH failed"), std::string::npos) << out;
}

}  // namespace
}  // namespace cairn::testing
