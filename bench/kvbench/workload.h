// The request stream of one test: which commands, which keys, which values --
// built into pipeline batches that the network and in-process runners send
// unchanged, so both see the same stream.
//
// Keys follow redis-benchmark: "key:__rand_int__" (counters
// "counter:__rand_int__"); with -r N the placeholder becomes a 12-digit
// zero-padded number in [0, N) drawn from the chosen distribution, without
// -r it stays literal (one key). Values are 'x' bytes of -d length (or a
// length drawn uniformly from --value-range).
//
// When every request of a test has the same shape (fixed command and value
// size), a client's batch is encoded once and only the 12 key digits are
// rewritten per batch, as redis-benchmark does; otherwise the batch is
// re-encoded into the same string (no allocation once it has grown).
//
// Determinism: everything drawn comes from the generator seeded by the
// caller; the same seed gives the same stream.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bench/kvbench/options.h"

namespace cairn::kvbench {

// splitmix64: the workload's own generator (not a std:: distribution, so the
// stream is the same with every standard library).
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n), n > 0.
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
  }
  // Uniform in [0, 1).
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

 private:
  uint64_t state_;
};

// Draws key numbers in [0, n) by the chosen distribution. Zipfian is YCSB's
// generator (Gray et al.): rank 0 is the most popular key. Sequential takes
// the next number of a counter every client of the run shares, so a load of
// n requests over n keys writes each key once.
class KeyChooser {
 public:
  KeyChooser(KeyDist dist, uint64_t n, double theta, std::atomic<uint64_t>* sequence);
  uint64_t Next(Rng& rng);

 private:
  KeyDist dist_;
  uint64_t n_;
  std::atomic<uint64_t>* sequence_;
  double theta_ = 0, alpha_ = 0, zetan_ = 0, eta_ = 0, half_pow_theta_ = 0;
};

// Zipfian's normalising constant: the sum of 1/i^theta for i in [1, n]
// (exact up to ten million terms, an integral beyond).
double Zeta(uint64_t n, double theta);

// What one test sends. Title is redis-benchmark's ("SET", "MSET (10 keys)").
struct TestSpec {
  std::string name;   // as given to -t: "set", "ping_inline", ...
  std::string title;  // as printed
};

// The tests -t names expand to, in run order ("ping" is PING_INLINE then
// PING_MBULK, as redis-benchmark runs it).
std::vector<TestSpec> ExpandTests(const Options& o);

// Builds the batches of one client for one test.
class BatchBuilder {
 public:
  BatchBuilder(const Options& o, const TestSpec& test, uint64_t seed,
               std::atomic<uint64_t>* sequence);

  // The next `count` requests, valid until the next call.
  const std::string& Next(size_t count);

 private:
  void AppendOne(std::string& out);
  void AppendKey(std::string& out, std::string_view prefix);
  void AppendValue(std::string& out);
  void Fill12(char* at);

  const Options& o_;
  std::string test_;
  Rng rng_;
  KeyChooser keys_;
  std::string value_;       // max-size value of 'x'
  bool templated_;          // every request has the same shape
  size_t batch_count_ = 0;  // requests batch_ holds (templated tests)
  std::string batch_;
  std::vector<size_t> slots_;  // offsets of 12-digit key numbers in batch_
};

}  // namespace cairn::kvbench
