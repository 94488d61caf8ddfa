// Requests through the Engine as a world drives it: Feed (copy into the
// session's input, parse, look up, execute, reply), EndBatch, then the output
// consumed -- the hot path of kv-server minus the socket calls. One request
// per wake-up (pipeline 1), 16 and 100 per wake-up (pipelined), and 16 GETs
// per wake-up over a million keys (lookups that miss the caches).
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench/micro/alloc_meter.h"
#include "bench/support/bench_env.h"
#include "bench/support/request_encoder.h"

namespace cairn::bench {
namespace {

constexpr size_t kKeys = 1024;  // a power of two: the index is masked

std::string KeyName(size_t i) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "key:%012zu", i);
  return buf;
}

// A 16-byte value, as redis-benchmark's default -d 3 is too small to matter
// and the RSS load uses 16 bytes.
const std::string kValue(16, 'x');

// Requests of one kind over kKeys keys, each encoded once.
std::vector<std::string> Requests(std::string_view command) {
  std::vector<std::string> out;
  for (size_t i = 0; i < kKeys; ++i) {
    std::string key = KeyName(i);
    if (command == "SET") {
      out.push_back(EncodeRequest({"SET", key, kValue}));
    } else if (command == "GET") {
      out.push_back(EncodeRequest({"GET", key}));
    } else if (command == "INCR") {
      out.push_back(EncodeRequest({"INCR", "counter:" + std::to_string(i % 16)}));
    } else if (command == "MGET") {
      std::vector<std::string> keys;
      for (size_t k = 0; k < 10; ++k) keys.push_back(KeyName((i + k * 97) % kKeys));
      std::string req;
      std::vector<std::string_view> args = {"MGET"};
      for (const auto& k : keys) args.push_back(k);
      AppendRequest(req, args);
      out.push_back(std::move(req));
    }
  }
  return out;
}

void Populate(InprocEngine& e, Session* s) {
  for (const std::string& req : Requests("SET")) e.RoundTrip(s, req);
}

// Requests of `command` one per wake-up.
void RunOnePerWake(benchmark::State& state, std::string_view command) {
  InprocEngine e;
  Session* s = e.NewSession();
  Populate(e, s);
  std::vector<std::string> reqs = Requests(command);
  // Warm-up: buffers reach their working size, counters exist.
  for (const std::string& r : reqs) e.RoundTrip(s, r);
  size_t i = 0;
  size_t reply_bytes = 0;
  AllocMeter meter;
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores)
    reply_bytes += e.RoundTrip(s, reqs[i++ & (kKeys - 1)]);
  }
  meter.Report(state);
  benchmark::DoNotOptimize(reply_bytes);
  state.SetItemsProcessed(state.iterations());
}

// `depth` requests of `command` per wake-up, as one pipelined read.
void RunPipelined(benchmark::State& state, std::string_view command) {
  const size_t depth = static_cast<size_t>(state.range(0));
  InprocEngine e;
  Session* s = e.NewSession();
  Populate(e, s);
  std::vector<std::string> reqs = Requests(command);
  std::vector<std::string> batches;
  for (size_t b = 0; b < kKeys / depth + 1; ++b) {
    std::string batch;
    for (size_t j = 0; j < depth; ++j) batch += reqs[(b * depth + j) % kKeys];
    batches.push_back(std::move(batch));
  }
  for (const std::string& b : batches) e.RoundTrip(s, b);
  size_t i = 0;
  size_t reply_bytes = 0;
  AllocMeter meter;
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores)
    reply_bytes += e.RoundTrip(s, batches[i++ % batches.size()]);
  }
  meter.Report(state, static_cast<double>(depth));
  benchmark::DoNotOptimize(reply_bytes);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(depth));
}

// `depth` GETs per wake-up over 2^20 keys in a fixed random order: each
// lookup's bucket and entries are in memory, not in a cache, unless
// Engine::PrefetchPipeline asked for them first (as at -P 16 over 100K keys
// in the bench harness, where these misses were a third of the server's time).
void RunPipelinedLarge(benchmark::State& state) {
  constexpr size_t kLargeKeys = size_t{1} << 20;
  constexpr size_t kBatches = 4096;
  const size_t depth = static_cast<size_t>(state.range(0));
  InprocEngine e;
  Session* s = e.NewSession();
  std::string load;
  for (size_t i = 0; i < kLargeKeys; ++i) {
    const std::string key = KeyName(i);
    AppendRequest(load, {"SET", key, kValue});
    if ((i + 1) % 256 == 0) {
      e.RoundTrip(s, load);
      load.clear();
    }
  }
  std::mt19937_64 rng(42);
  std::vector<std::string> batches(kBatches);
  for (std::string& b : batches) {
    for (size_t j = 0; j < depth; ++j) {
      const std::string key = KeyName(rng() % kLargeKeys);
      AppendRequest(b, {"GET", key});
    }
  }
  size_t i = 0;
  size_t reply_bytes = 0;
  AllocMeter meter;
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores)
    reply_bytes += e.RoundTrip(s, batches[i++ % kBatches]);
  }
  meter.Report(state, static_cast<double>(depth));
  benchmark::DoNotOptimize(reply_bytes);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(depth));
}

void BM_EngineGet(benchmark::State& state) { RunOnePerWake(state, "GET"); }
void BM_EngineSet(benchmark::State& state) { RunOnePerWake(state, "SET"); }
void BM_EngineIncr(benchmark::State& state) { RunOnePerWake(state, "INCR"); }
void BM_EngineMget10(benchmark::State& state) { RunOnePerWake(state, "MGET"); }
void BM_EngineGetPipelined(benchmark::State& state) { RunPipelined(state, "GET"); }
void BM_EngineSetPipelined(benchmark::State& state) { RunPipelined(state, "SET"); }
void BM_EngineGetPipelinedMillionKeys(benchmark::State& state) { RunPipelinedLarge(state); }

BENCHMARK(BM_EngineGet);
BENCHMARK(BM_EngineSet);
BENCHMARK(BM_EngineIncr);
BENCHMARK(BM_EngineMget10);
BENCHMARK(BM_EngineGetPipelined)->Arg(16)->Arg(100);
BENCHMARK(BM_EngineSetPipelined)->Arg(16)->Arg(100);
BENCHMARK(BM_EngineGetPipelinedMillionKeys)->Arg(16);

}  // namespace
}  // namespace cairn::bench
