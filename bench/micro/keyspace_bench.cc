// The keyspace's table alone: Dict insert (with the incremental rehash steps
// growth brings), find (hit and miss), and one rehash step of a table in the
// middle of a resize.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench/micro/alloc_meter.h"
#include "engine/keyspace/dict.h"
#include "engine/keyspace/entry.h"

namespace cairn::bench {
namespace {

const SipKey kHashKey = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

std::vector<Entry*> MakeEntries(size_t n, const char* prefix) {
  std::vector<Entry*> out;
  out.reserve(n);
  char key[48];
  for (size_t i = 0; i < n; ++i) {
    int len = std::snprintf(key, sizeof(key), "%s%012zu", prefix, i);
    out.push_back(Entry::NewInline(std::string_view(key, static_cast<size_t>(len)),
                                   "0123456789abcdef", Encoding::kEmbstr, false));
  }
  return out;
}

void FreeEntries(std::vector<Entry*>& entries) {
  for (Entry* e : entries) Entry::Free(e);
  entries.clear();
}

// Inserting n keys into an empty table, growth and rehashing included; the
// time and counters are per inserted key.
void BM_DictInsert(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  std::vector<Entry*> entries = MakeEntries(n, "key:");
  AllocMeter meter;
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores)
    Dict<MainLink> dict(&kHashKey);
    for (Entry* e : entries) dict.Insert(e);
    benchmark::DoNotOptimize(dict.size());
    dict.Clear();
  }
  meter.Report(state, static_cast<double>(n));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));
  FreeEntries(entries);
}

void RunFind(benchmark::State& state, bool hit) {
  const size_t n = static_cast<size_t>(state.range(0));
  std::vector<Entry*> entries = MakeEntries(n, "key:");
  Dict<MainLink> dict(&kHashKey);
  for (Entry* e : entries) dict.Insert(e);
  while (dict.RehashSteps(1000)) {
  }
  std::vector<std::string> probes;
  for (size_t i = 0; i < 4096; ++i) {
    probes.push_back(std::string(entries[(i * 7919) % n]->key()));
    if (!hit) probes.back()[0] = 'K';
  }
  size_t i = 0;
  size_t found = 0;
  AllocMeter meter;
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores)
    found += dict.Find(probes[i++ & 4095]) != nullptr;
  }
  meter.Report(state);
  if (found != (hit ? static_cast<size_t>(state.iterations()) : 0)) {
    state.SkipWithError("dict find returned the wrong answer");
  }
  dict.Clear();
  FreeEntries(entries);
}

void BM_DictFindHit(benchmark::State& state) { RunFind(state, true); }
void BM_DictFindMiss(benchmark::State& state) { RunFind(state, false); }

// One bucket moved from the old table to the new one (Redis's rehash step);
// the table is rebuilt, untimed, each time a resize completes.
void BM_DictRehashStep(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  std::vector<Entry*> entries = MakeEntries(n + 1, "key:");
  auto dict = std::make_unique<Dict<MainLink>>(&kHashKey);
  auto rebuild = [&] {
    dict->Clear();
    for (size_t i = 0; i < n; ++i) dict->Insert(entries[i]);
    while (dict->RehashSteps(1000)) {
    }
    // One more key over a full table starts a resize (and takes a step).
    dict->Insert(entries[n]);
  };
  rebuild();
  AllocMeter meter;
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores)
    if (!dict->RehashSteps(1)) {
      state.PauseTiming();
      rebuild();
      state.ResumeTiming();
    }
  }
  meter.Report(state);
  dict->Clear();
  FreeEntries(entries);
}

BENCHMARK(BM_DictInsert)->Arg(1 << 10)->Arg(1 << 16);
BENCHMARK(BM_DictFindHit)->Arg(1 << 10)->Arg(1 << 20);
BENCHMARK(BM_DictFindMiss)->Arg(1 << 10)->Arg(1 << 20);
BENCHMARK(BM_DictRehashStep)->Arg(1 << 16);

}  // namespace
}  // namespace cairn::bench
