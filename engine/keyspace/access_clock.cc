#include "engine/keyspace/access_clock.h"

namespace cairn {

uint32_t LfuDecayedCounter(uint32_t bits, int64_t now_ms, int64_t decay_minutes) {
  uint32_t stamped = (bits >> 8) & 0xffff;
  uint32_t counter = bits & 0xff;
  if (decay_minutes <= 0) return counter;
  uint32_t now = LfuMinutesAt(now_ms);
  // The minutes wrap at 2^16; an older stamp is taken as one lap behind.
  uint64_t elapsed = now >= stamped ? now - stamped : 65535 - stamped + now;
  uint64_t periods = elapsed / static_cast<uint64_t>(decay_minutes);
  if (periods == 0) return counter;
  return periods > counter ? 0 : counter - static_cast<uint32_t>(periods);
}

uint32_t LfuAccess(uint32_t bits, int64_t now_ms, int64_t log_factor, int64_t decay_minutes,
                   double random01) {
  uint32_t counter = LfuDecayedCounter(bits, now_ms, decay_minutes);
  if (counter < 255) {
    double base = counter > kLfuInitCounter ? static_cast<double>(counter - kLfuInitCounter) : 0.0;
    double p = 1.0 / (base * static_cast<double>(log_factor) + 1.0);
    if (random01 < p) ++counter;
  }
  return (LfuMinutesAt(now_ms) << 8) | counter;
}

}  // namespace cairn
