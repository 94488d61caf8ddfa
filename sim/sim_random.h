// SimRandom: the simulator's one source of randomness.
//
// Everything the simulator decides (workload, network chunking, delays,
// faults, the engine's own Env::random) comes from generators forked from one
// seed, so a run is a pure function of its seed and options. The helpers are
// our own (no std:: distributions, whose results differ between standard
// libraries). Fork(tag) derives an independent stream from the seed and a tag,
// so adding draws in one subsystem does not reshuffle the others.
#pragma once

#include <cstdint>
#include <string_view>

#include "engine/env/env.h"

namespace cairn::sim {

inline uint64_t SplitMix(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// FNV-1a: names a forked stream.
inline uint64_t TagHash(std::string_view tag) {
  uint64_t h = 1469598103934665603ULL;
  for (char c : tag) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return h;
}

// xoshiro256**, seeded through SplitMix64.
class SimRandom final : public RandomSource {
 public:
  explicit SimRandom(uint64_t seed) : seed_(seed) {
    uint64_t st = seed;
    for (uint64_t& w : s_) w = SplitMix(st);
  }
  uint64_t Next64() override {
    uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // An independent stream for a subsystem.
  SimRandom Fork(std::string_view tag) const { return SimRandom(seed_ ^ TagHash(tag)); }
  // Uniform in [0, n); n > 0. Multiply-shift (bias below 2^-32 for our n).
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next64()) * n) >> 64);
  }
  // Uniform in [lo, hi].
  int64_t Range(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }
  // True with probability permille/1000.
  bool Chance(uint32_t permille) { return Below(1000) < permille; }
  template <class T, size_t N>
  const T& Pick(const T (&items)[N]) {
    return items[Below(N)];
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t seed_;
  uint64_t s_[4];
};

}  // namespace cairn::sim
