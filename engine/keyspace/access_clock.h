// Access clocks: the 24 bits every entry keeps for eviction and OBJECT.
//
// Under an LRU (or no) eviction policy the bits hold the LRU clock: Unix
// seconds modulo 2^24, so idle time is the clock's distance, wrapping. Under
// an LFU policy they hold 16 bits of Unix minutes (when the counter was last
// decayed) above an 8-bit logarithmic access counter that starts at
// kLfuInitCounter, grows with probability 1/((counter - init) * factor + 1)
// on each access and loses one per `decay_minutes` elapsed. These are Redis's
// rules, so OBJECT IDLETIME / OBJECT FREQ answer as it does.
//
// Pure functions of their inputs: the caller passes the clock and the
// random draw, which keeps the engine deterministic.
#pragma once

#include <cstdint>
#include <string_view>

namespace cairn {

inline constexpr uint32_t kLruClockMax = (1u << 24) - 1;
inline constexpr uint32_t kLfuInitCounter = 5;

// True for the maxmemory policies that count access frequency.
inline bool IsLfuPolicy(std::string_view policy) {
  return policy == "allkeys-lfu" || policy == "volatile-lfu";
}

// The LRU clock at now_ms (seconds, 24 bits).
inline uint32_t LruClockAt(int64_t now_ms) {
  return static_cast<uint32_t>(now_ms / 1000) & kLruClockMax;
}

// Milliseconds since the entry's LRU clock `lru`, given the current clock.
inline uint64_t LruIdleMs(uint32_t lru, uint32_t clock) {
  uint64_t seconds = clock >= lru ? clock - lru : clock + (kLruClockMax - lru);
  return seconds * 1000;
}

// 16 bits of Unix minutes.
inline uint32_t LfuMinutesAt(int64_t now_ms) {
  return static_cast<uint32_t>(now_ms / 1000 / 60) & 0xffff;
}

// The access clock of a new object under an LFU policy.
inline uint32_t LfuFresh(int64_t now_ms) { return (LfuMinutesAt(now_ms) << 8) | kLfuInitCounter; }

// The counter of `bits` after decaying it for the minutes elapsed since it
// was stamped (decay_minutes 0: no decay).
uint32_t LfuDecayedCounter(uint32_t bits, int64_t now_ms, int64_t decay_minutes);

// The access clock after one access: decayed, maybe incremented (random01
// is a uniform draw in [0, 1]), stamped with the current minutes.
uint32_t LfuAccess(uint32_t bits, int64_t now_ms, int64_t log_factor, int64_t decay_minutes,
                   double random01);

}  // namespace cairn
