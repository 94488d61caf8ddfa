// SimClock: virtual time. The monotonic clock only moves forward (by the
// simulator's steps); the wall clock moves with it and may also jump forward
// or back, as NTP or an operator makes a real one do (Redis TTLs are
// wall-clock, so expiry must survive both directions).
#pragma once

#include <cstdint>

#include "engine/env/env.h"

namespace cairn::sim {

class SimClock final : public Clock {
 public:
  int64_t WallUs() override { return wall_us_; }
  int64_t MonotonicUs() override { return mono_us_; }
  // Time passes: both clocks move by us (>= 0).
  void Advance(int64_t us) {
    wall_us_ += us;
    mono_us_ += us;
    if (wall_us_ > wall_high_us_) wall_high_us_ = wall_us_;
  }
  // The wall clock alone jumps by delta_us (either sign).
  void JumpWall(int64_t delta_us) {
    wall_us_ += delta_us;
    if (wall_us_ > wall_high_us_) wall_high_us_ = wall_us_;
  }
  int64_t wall_ms() const { return wall_us_ / 1000; }
  // The latest wall time ever shown: a deadline before it has passed once,
  // so the engine may have dropped that key even if the clock went back.
  int64_t wall_high_ms() const { return wall_high_us_ / 1000; }
  int64_t mono_us() const { return mono_us_; }

 private:
  int64_t wall_us_ = 1'750'000'000'000'000;  // a fixed date in 2025
  int64_t mono_us_ = 5'000'000;
  int64_t wall_high_us_ = wall_us_;
};

}  // namespace cairn::sim
