// LatencyHistogram: a log-linear histogram of latencies in nanoseconds, as
// HdrHistogram keeps them with two significant digits.
//
// Values below 128 have a bucket each; above, every power-of-two range is cut
// into 64 equal buckets, so a bucket's width is at most 1/64 of its lower
// bound: a reported percentile is at most ~1.6% above the true one (the
// bucket's highest value is reported, capped at the largest value seen).
// Recording is an index computation and an increment: no allocation.
//
// Invariants: count() is the sum of the buckets; min() <= max() when
// count() > 0; Merge adds counts bucket by bucket.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace cairn::kvbench {

class LatencyHistogram {
 public:
  static constexpr int kLinearBits = 7;             // 128 exact buckets
  static constexpr int kSubBits = kLinearBits - 1;  // 64 per doubling
  static constexpr int kMaxBits = 42;               // up to ~73 minutes
  // The last bucket holds everything from 2^kMaxBits up (overflow).
  static constexpr size_t kBuckets =
      (size_t{1} << kLinearBits) + (kMaxBits - kLinearBits) * (size_t{1} << kSubBits) + 1;

  void Record(uint64_t ns) { RecordN(ns, 1); }
  void RecordN(uint64_t ns, uint64_t n);
  void Merge(const LatencyHistogram& other);
  void Reset();

  uint64_t count() const { return count_; }
  uint64_t min() const { return count_ ? min_ : 0; }
  uint64_t max() const { return max_; }
  double mean() const {
    return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0;
  }
  // The smallest recorded value v such that at least p% of values are <= v,
  // to the histogram's resolution; 0 when empty. p in [0, 100].
  uint64_t Percentile(double p) const;

  // Bucket arithmetic, exposed for tests.
  static size_t IndexOf(uint64_t ns);
  static uint64_t LowestOf(size_t index);
  static uint64_t HighestOf(size_t index);

 private:
  std::array<uint64_t, kBuckets> buckets_{};
  uint64_t count_ = 0;
  uint64_t sum_ = 0;
  uint64_t min_ = UINT64_MAX;
  uint64_t max_ = 0;
};

}  // namespace cairn::kvbench
