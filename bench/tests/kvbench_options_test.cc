// kv-bench's command line: redis-benchmark's flags mean what they mean
// there; Cairn's extras parse and validate; bad input is refused with a
// message naming the option.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bench/kvbench/options.h"

namespace cairn::kvbench {
namespace {

Result<Options> Parse(std::vector<std::string> args) { return ParseOptions(args); }

TEST(KvBenchOptions, DefaultsAreRedisBenchmarks) {
  auto o = Parse({});
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_EQ(o->host, "127.0.0.1");
  EXPECT_EQ(o->port, 6379);
  EXPECT_EQ(o->clients, 50);
  EXPECT_EQ(o->requests, 100000);
  EXPECT_EQ(o->value_min, 3u);
  EXPECT_EQ(o->value_max, 3u);
  EXPECT_EQ(o->pipeline, 1);
  EXPECT_EQ(o->keyspace, 0);
  EXPECT_EQ(o->output, OutputMode::kFull);
  EXPECT_EQ(o->tests, (std::vector<std::string>{"ping", "set", "get", "incr", "mset"}));
}

TEST(KvBenchOptions, TheOriginalLoadInOneLine) {
  auto o = Parse({"-c", "10", "-n", "100000", "-P", "100", "-t", "set,get"});
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_EQ(o->clients, 10);
  EXPECT_EQ(o->requests, 100000);
  EXPECT_EQ(o->pipeline, 100);
  EXPECT_EQ(o->tests, (std::vector<std::string>{"set", "get"}));
}

TEST(KvBenchOptions, EveryRedisBenchmarkFlag) {
  auto o = Parse({"-h", "localhost", "-p", "7000", "-a",        "pw",   "-c",          "3",
                  "-n", "10",        "-d", "16",   "-r",        "1000", "-P",          "8",
                  "-t", "SET,Get",   "-q", "-l",   "--threads", "2",    "--precision", "1"});
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_EQ(o->host, "localhost");
  EXPECT_EQ(o->port, 7000);
  EXPECT_EQ(o->password, "pw");
  EXPECT_EQ(o->clients, 3);
  EXPECT_EQ(o->requests, 10);
  EXPECT_EQ(o->value_min, 16u);
  EXPECT_EQ(o->value_max, 16u);
  EXPECT_EQ(o->keyspace, 1000);
  EXPECT_EQ(o->pipeline, 8);
  EXPECT_EQ(o->tests, (std::vector<std::string>{"set", "get"}));  // lower-cased
  EXPECT_EQ(o->output, OutputMode::kQuiet);
  EXPECT_TRUE(o->loop);
  EXPECT_EQ(o->threads, 2);
  EXPECT_EQ(o->precision, 1);
}

TEST(KvBenchOptions, Extras) {
  auto o = Parse({"--duration", "2.5", "--dist", "zipfian", "--zipf-theta", "0.8", "--value-range",
                  "16-64", "--json", "--inproc", "--seed", "7"});
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_DOUBLE_EQ(o->duration_s, 2.5);
  EXPECT_EQ(o->dist, KeyDist::kZipfian);
  EXPECT_DOUBLE_EQ(o->zipf_theta, 0.8);
  EXPECT_EQ(o->value_min, 16u);
  EXPECT_EQ(o->value_max, 64u);
  EXPECT_EQ(o->output, OutputMode::kJson);
  EXPECT_TRUE(o->inproc);
  EXPECT_EQ(o->seed, 7u);
  EXPECT_EQ(Parse({"--dist", "sequential"})->dist, KeyDist::kSequential);
  EXPECT_EQ(Parse({"--dist", "uniform"})->dist, KeyDist::kUniform);
}

TEST(KvBenchOptions, EngineConfigBecomesArguments) {
  auto o = Parse(
      {"--inproc", "--engine-config", "appendonly yes", "--engine-config", "appendfsync always"});
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_EQ(o->engine_config,
            (std::vector<std::string>{"--appendonly", "yes", "--appendfsync", "always"}));
  EXPECT_FALSE(Parse({"--engine-config", "appendonly"}).ok());
  EXPECT_FALSE(Parse({"--engine-config", " yes"}).ok());
}

TEST(KvBenchOptions, RatioAloneSelectsTheMixedTest) {
  auto o = Parse({"--ratio", "1:10"});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->tests, (std::vector<std::string>{"mixed"}));
  EXPECT_EQ(o->ratio_writes, 1);
  EXPECT_EQ(o->ratio_reads, 10);
  // With -t, -t decides.
  auto t = Parse({"--ratio", "3:1", "-t", "get,mixed"});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->tests, (std::vector<std::string>{"get", "mixed"}));
  EXPECT_EQ(t->ratio_writes, 3);
}

TEST(KvBenchOptions, ThreadsNeverExceedClients) {
  auto o = Parse({"-c", "2", "--threads", "8"});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->threads, 2);
}

TEST(KvBenchOptions, BadInputIsRefusedNamingTheOption) {
  struct Case {
    std::vector<std::string> args;
    std::string mentions;
  };
  const std::vector<Case> cases = {
      {{"-c"}, "-c"},
      {{"-c", "0"}, "-c"},
      {{"-c", "ten"}, "-c"},
      {{"-p", "70000"}, "-p"},
      {{"-n", "-5"}, "-n"},
      {{"-P", "0"}, "-P"},
      {{"-t", "set,nosuch"}, "nosuch"},
      {{"-t", ","}, "-t"},
      {{"-q", "--csv"}, "one of"},
      {{"--duration", "0"}, "--duration"},
      {{"--duration", "x"}, "--duration"},
      {{"--ratio", "1-10"}, "--ratio"},
      {{"--ratio", "0:0"}, "--ratio"},
      {{"--value-range", "64-16"}, "--value-range"},
      {{"--dist", "pareto"}, "--dist"},
      {{"--zipf-theta", "1.5"}, "--zipf-theta"},
      {{"--frobnicate"}, "--frobnicate"},
  };
  for (const Case& c : cases) {
    auto o = Parse(c.args);
    ASSERT_FALSE(o.ok()) << c.args[0];
    EXPECT_NE(o.status().message().find(c.mentions), std::string::npos) << o.status().message();
    EXPECT_EQ(o.status().message().rfind("kv-bench: ", 0), 0u) << o.status().message();
  }
}

TEST(KvBenchOptions, UsageNamesEveryFlag) {
  std::string usage = UsageText();
  for (const char* flag :
       {"-h ",        "-p ",     "-a ",    "-c ",           "-n ",    "-d ",       "-r ",
        "-P ",        "-q ",     "-l ",    "-t ",           "--csv",  "--threads", "--precision",
        "--duration", "--ratio", "--dist", "--value-range", "--json", "--inproc"}) {
    EXPECT_NE(usage.find(flag), std::string::npos) << flag;
  }
}

}  // namespace
}  // namespace cairn::kvbench
