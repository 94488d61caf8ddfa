// kv-bench's measuring and generating parts: the histogram's buckets and
// percentiles against exact answers, the request stream against the engine's
// own parser, the key distributions, and the printed formats.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bench/kvbench/histogram.h"
#include "bench/kvbench/options.h"
#include "bench/kvbench/report.h"
#include "bench/kvbench/runner.h"
#include "bench/kvbench/workload.h"
#include "bench/support/bench_env.h"
#include "bench/tests/text_match.h"
#include "engine/resp/request_parser.h"

namespace cairn::kvbench {
namespace {

TEST(LatencyHistogram, BucketsCoverEveryValueWithBoundedWidth) {
  Rng rng(3);
  for (int i = 0; i < 200000; ++i) {
    uint64_t v = rng.Next() >> (rng.Next() % 64);
    if (v >= (uint64_t{1} << LatencyHistogram::kMaxBits)) continue;
    size_t idx = LatencyHistogram::IndexOf(v);
    ASSERT_LT(idx, LatencyHistogram::kBuckets);
    ASSERT_LE(LatencyHistogram::LowestOf(idx), v);
    ASSERT_GE(LatencyHistogram::HighestOf(idx), v);
    uint64_t width = LatencyHistogram::HighestOf(idx) - LatencyHistogram::LowestOf(idx) + 1;
    ASSERT_LE(width * 64, std::max<uint64_t>(LatencyHistogram::LowestOf(idx), 64)) << v;
  }
  // Buckets are contiguous and increasing.
  for (size_t i = 1; i + 1 < LatencyHistogram::kBuckets; ++i) {
    ASSERT_EQ(LatencyHistogram::LowestOf(i), LatencyHistogram::HighestOf(i - 1) + 1) << i;
  }
}

TEST(LatencyHistogram, PercentilesWithinResolutionOfExact) {
  Rng rng(11);
  std::vector<uint64_t> values;
  LatencyHistogram h;
  for (int i = 0; i < 100000; ++i) {
    // Log-normal-ish latencies from 10 us to 100 ms.
    uint64_t v = static_cast<uint64_t>(10000.0 * std::pow(10000.0, rng.Unit() * rng.Unit()));
    values.push_back(v);
    h.Record(v);
  }
  std::sort(values.begin(), values.end());
  for (double p : {1.0, 50.0, 90.0, 99.0, 99.9, 100.0}) {
    size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * values.size()));
    uint64_t exact = values[std::max<size_t>(rank, 1) - 1];
    uint64_t got = h.Percentile(p);
    EXPECT_GE(got, exact) << p;
    EXPECT_LE(static_cast<double>(got), static_cast<double>(exact) * (1 + 1.0 / 64) + 1) << p;
  }
  EXPECT_EQ(h.count(), values.size());
  EXPECT_EQ(h.min(), values.front());
  EXPECT_EQ(h.max(), values.back());
  EXPECT_EQ(h.Percentile(100), values.back());
}

TEST(LatencyHistogram, MergeEqualsRecordingEverything) {
  LatencyHistogram a, b, all;
  for (uint64_t v = 1; v < 100000; v += 7) {
    (v % 2 ? a : b).Record(v * 13);
    all.Record(v * 13);
  }
  a.Merge(b);
  EXPECT_EQ(a.count(), all.count());
  EXPECT_EQ(a.min(), all.min());
  EXPECT_EQ(a.max(), all.max());
  EXPECT_DOUBLE_EQ(a.mean(), all.mean());
  for (double p : {10.0, 50.0, 99.0}) EXPECT_EQ(a.Percentile(p), all.Percentile(p));
  LatencyHistogram empty;
  EXPECT_EQ(empty.Percentile(50), 0u);
  EXPECT_EQ(empty.min(), 0u);
}

// Parses a batch with the engine's parser; returns the requests' arguments.
std::vector<std::vector<std::string>> ParseAll(std::string bytes) {
  std::vector<std::vector<std::string>> out;
  RequestParser parser;
  ParserLimits limits;
  std::vector<std::string_view> args;
  size_t at = 0;
  while (at < bytes.size()) {
    size_t consumed = 0;
    auto outcome = parser.Parse(std::span<char>(bytes.data() + at, bytes.size() - at), limits, args,
                                &consumed);
    EXPECT_EQ(outcome, RequestParser::Outcome::kRequest) << bytes.substr(at, 40);
    if (outcome != RequestParser::Outcome::kRequest) break;
    out.emplace_back(args.begin(), args.end());
    at += consumed;
  }
  return out;
}

Options Opts(std::vector<std::string> args) {
  auto o = ParseOptions(args);
  EXPECT_TRUE(o.ok()) << o.status().message();
  return o.value();
}

TEST(Workload, BatchesAreRedisBenchmarksRequests) {
  Options o = Opts({"-r", "1000", "-d", "5", "-t", "ping,set,get,incr,mset"});
  std::atomic<uint64_t> seq{0};
  std::vector<TestSpec> tests = ExpandTests(o);
  ASSERT_EQ(tests.size(), 6u);
  EXPECT_EQ(tests[0].title, "PING_INLINE");
  EXPECT_EQ(tests[1].title, "PING_MBULK");
  EXPECT_EQ(tests[5].title, "MSET (10 keys)");
  for (const TestSpec& t : tests) {
    BatchBuilder b(o, t, 1, &seq);
    for (size_t count : {1u, 7u, 7u, 3u}) {
      auto reqs = ParseAll(b.Next(count));
      ASSERT_EQ(reqs.size(), count) << t.name;
      for (const auto& r : reqs) {
        if (t.name == "ping_inline" || t.name == "ping_mbulk") {
          EXPECT_EQ(r, std::vector<std::string>{"PING"});
        } else if (t.name == "set") {
          ASSERT_EQ(r.size(), 3u);
          EXPECT_EQ(r[0], "SET");
          EXPECT_TRUE(testing::IsNumberedKey(r[1], "key:")) << r[1];
          EXPECT_LT(std::stoll(r[1].substr(4)), 1000);
          EXPECT_EQ(r[2], "xxxxx");
        } else if (t.name == "get") {
          ASSERT_EQ(r.size(), 2u);
          EXPECT_TRUE(testing::IsNumberedKey(r[1], "key:")) << r[1];
        } else if (t.name == "incr") {
          ASSERT_EQ(r.size(), 2u);
          EXPECT_TRUE(testing::IsNumberedKey(r[1], "counter:")) << r[1];
        } else if (t.name == "mset") {
          ASSERT_EQ(r.size(), 21u);
          for (size_t i = 1; i < r.size(); i += 2)
            EXPECT_TRUE(testing::IsNumberedKey(r[i], "key:"));
        }
      }
    }
  }
}

TEST(Workload, WithoutKeyspaceTheKeyIsLiteral) {
  Options o = Opts({"-t", "set"});
  std::atomic<uint64_t> seq{0};
  BatchBuilder b(o, ExpandTests(o)[0], 1, &seq);
  auto reqs = ParseAll(b.Next(2));
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0], (std::vector<std::string>{"SET", "key:__rand_int__", "xxx"}));
}

TEST(Workload, KeysChangeBetweenBatchesAndSeedsRepeat) {
  Options o = Opts({"-r", "1000000", "-t", "get"});
  std::atomic<uint64_t> s1{0}, s2{0};
  BatchBuilder a(o, ExpandTests(o)[0], 5, &s1);
  BatchBuilder b(o, ExpandTests(o)[0], 5, &s2);
  std::string first = a.Next(10);
  std::string second = a.Next(10);
  EXPECT_NE(first, second);
  EXPECT_EQ(b.Next(10), first);
  EXPECT_EQ(b.Next(10), second);
}

TEST(Workload, SequentialWritesEveryKeyOnce) {
  Options o = Opts({"-r", "500", "--dist", "sequential", "-t", "set"});
  std::atomic<uint64_t> seq{0};
  // Two clients share the sequence.
  BatchBuilder a(o, ExpandTests(o)[0], 1, &seq);
  BatchBuilder b(o, ExpandTests(o)[0], 2, &seq);
  std::set<std::string> keys;
  for (int i = 0; i < 25; ++i) {
    for (auto& r : ParseAll(a.Next(10))) keys.insert(r[1]);
    for (auto& r : ParseAll(b.Next(10))) keys.insert(r[1]);
  }
  EXPECT_EQ(keys.size(), 500u);
}

TEST(Workload, ZipfianFavoursLowRanks) {
  std::atomic<uint64_t> seq{0};
  KeyChooser z(KeyDist::kZipfian, 10000, 0.99, &seq);
  Rng rng(9);
  std::map<uint64_t, int> counts;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    uint64_t k = z.Next(rng);
    ASSERT_LT(k, 10000u);
    ++counts[k];
  }
  // Rank 0 holds about 1/zeta(n) of the draws; rank 1 about half of that.
  double expect0 = n / Zeta(10000, 0.99);
  EXPECT_NEAR(counts[0], expect0, expect0 * 0.1);
  EXPECT_NEAR(counts[1], expect0 / std::pow(2, 0.99), expect0 * 0.1);
  EXPECT_GT(counts[0], counts[10] * 5);
  // Uniform, for contrast, is flat.
  KeyChooser u(KeyDist::kUniform, 10, 0, &seq);
  std::map<uint64_t, int> flat;
  for (int i = 0; i < 100000; ++i) ++flat[u.Next(rng)];
  for (auto& [k, c] : flat) EXPECT_NEAR(c, 10000, 600) << k;
}

TEST(Workload, MixedFollowsTheRatioAndValueRangesHold) {
  Options o = Opts({"-r", "100", "--ratio", "1:3", "--value-range", "2-9"});
  std::atomic<uint64_t> seq{0};
  BatchBuilder b(o, ExpandTests(o)[0], 1, &seq);
  int sets = 0, gets = 0;
  std::set<size_t> lengths;
  for (int i = 0; i < 100; ++i) {
    for (auto& r : ParseAll(b.Next(100))) {
      if (r[0] == "SET") {
        ++sets;
        lengths.insert(r[2].size());
      } else {
        ASSERT_EQ(r[0], "GET");
        ++gets;
      }
    }
  }
  EXPECT_NEAR(static_cast<double>(sets) / (sets + gets), 0.25, 0.02);
  EXPECT_EQ(*lengths.begin(), 2u);
  EXPECT_EQ(*lengths.rbegin(), 9u);
  EXPECT_EQ(lengths.size(), 8u);
}

TestResult Sample() {
  TestResult r;
  r.name = "set";
  r.title = "SET";
  r.requests = 1000;
  r.seconds = 0.5;
  for (uint64_t i = 1; i <= 1000; ++i) r.latency.Record(i * 1000);  // 1 us .. 1 ms
  return r;
}

TEST(Report, QuietAndCsvLinesLookLikeRedisBenchmarks) {
  TestResult r = Sample();
  // p50 is 0.5 ms, reported as its bucket's highest value (within 1/64).
  std::string quiet = QuietLine(r);
  ASSERT_FALSE(quiet.empty());
  EXPECT_EQ(quiet.back(), '\n');
  std::string title;
  EXPECT_TRUE(testing::IsQuietLine(std::string_view(quiet).substr(0, quiet.size() - 1), &title))
      << quiet;
  EXPECT_EQ(title, "SET");
  EXPECT_EQ(quiet.rfind("SET: 2000.00 requests per second, p50=0.50", 0), 0u) << quiet;
  EXPECT_EQ(CsvHeader(),
            "\"test\",\"rps\",\"avg_latency_ms\",\"min_latency_ms\",\"p50_latency_ms\","
            "\"p95_latency_ms\",\"p99_latency_ms\",\"max_latency_ms\"\n");
  std::string line = CsvLine(r);
  ASSERT_EQ(line.back(), '\n');
  auto cells = testing::QuotedCells(std::string_view(line).substr(0, line.size() - 1));
  ASSERT_TRUE(cells.has_value()) << line;
  ASSERT_EQ(cells->size(), 8u) << line;
  EXPECT_EQ((*cells)[0], "SET");
  EXPECT_EQ((*cells)[1], "2000.00");
  // avg, min, p50, p95, p99, max in ms with three decimals, each within the
  // histogram's resolution of the exact value.
  const double exact[] = {0.5005, 0.001, 0.5, 0.95, 0.99, 1.0};
  for (size_t i = 2; i < 8; ++i) {
    EXPECT_TRUE(testing::IsFixed((*cells)[i], 3)) << (*cells)[i];
    double v = std::stod((*cells)[i]);
    EXPECT_GE(v, exact[i - 2] - 0.0011) << i << " " << line;
    EXPECT_LE(v, exact[i - 2] * (1 + 1.0 / 64) + 0.0011) << i << " " << line;
  }
}

TEST(Report, FullReportAndJson) {
  Options o = Opts({"-c", "10", "-P", "100", "-d", "16"});
  TestResult r = Sample();
  std::string full = FullReport(r, o);
  EXPECT_NE(full.find("====== SET ======"), std::string::npos);
  EXPECT_NE(full.find("1000 requests completed in 0.50 seconds"), std::string::npos);
  EXPECT_NE(full.find("10 parallel clients"), std::string::npos);
  EXPECT_NE(full.find("16 bytes payload"), std::string::npos);
  EXPECT_NE(full.find("throughput summary: 2000.00 requests per second"), std::string::npos);
  std::string json = JsonDocument({r, r}, o);
  EXPECT_NE(json.find("\"rps\": 2000.00"), std::string::npos);
  EXPECT_NE(json.find("\"p999_ms\": "), std::string::npos);
  EXPECT_NE(json.find("\"pipeline\": 100"), std::string::npos);
  EXPECT_EQ(std::count(json.begin(), json.end(), '{'), std::count(json.begin(), json.end(), '}'));
  EXPECT_EQ(std::count(json.begin(), json.end(), '{'), 4);  // document, config, two tests
}

TEST(InprocRunner, RunsExactlyTheRequestedCount) {
  Options o = Opts(
      {"-c", "4", "-n", "1003", "-P", "10", "-r", "100", "-t", "set,get,incr,mset", "--inproc"});
  bench::InprocEngine engine;
  for (const TestSpec& t : ExpandTests(o)) {
    auto r = RunInProcess(o, t, engine);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->requests, 1003u) << t.title;
    EXPECT_EQ(r->errors, 0u) << t.title << " " << r->first_error;
    EXPECT_GT(r->rps(), 0) << t.title;
  }
  // The keys the stream wrote are in the engine.
  EXPECT_GT(engine.engine().keyspace().db(0).size(), 50u);
}

}  // namespace
}  // namespace cairn::kvbench
