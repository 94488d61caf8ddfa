// RealClock: the ticks that time each command (the CPU's counter where the
// kernel keeps time with it) move forward and convert to the microseconds
// CLOCK_MONOTONIC counts. The bounds are loose on purpose: this checks the
// conversion (a wrong rate is off by a factor of a thousand), not speed.
#include <chrono>
#include <cstdint>
#include <thread>

#include <gtest/gtest.h>

#include "net/posix_env.h"

namespace cairn::testing {
namespace {

TEST(RealClock, TicksNeverGoBack) {
  RealClock clock;
  uint64_t last = clock.Ticks();
  for (int i = 0; i < 100000; ++i) {
    const uint64_t now = clock.Ticks();
    ASSERT_GE(now, last);
    last = now;
  }
}

TEST(RealClock, TicksConvertToMonotonicMicroseconds) {
  RealClock clock;
  ASSERT_GT(clock.UsPerTick(), 0.0);
  const int64_t mono0 = clock.MonotonicUs();
  const uint64_t tick0 = clock.Ticks();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const uint64_t tick1 = clock.Ticks();
  const int64_t mono1 = clock.MonotonicUs();
  const double by_ticks = static_cast<double>(tick1 - tick0) * clock.UsPerTick();
  const auto by_clock = static_cast<double>(mono1 - mono0);
  EXPECT_GT(by_ticks, by_clock * 0.9)
      << "ticks " << (tick1 - tick0) << ", rate " << clock.UsPerTick();
  EXPECT_LT(by_ticks, by_clock * 1.1 + 100.0)
      << "ticks " << (tick1 - tick0) << ", rate " << clock.UsPerTick();
}

}  // namespace
}  // namespace cairn::testing
