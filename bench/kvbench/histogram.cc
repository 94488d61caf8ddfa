#include "bench/kvbench/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace cairn::kvbench {

size_t LatencyHistogram::IndexOf(uint64_t ns) {
  constexpr uint64_t kLinear = uint64_t{1} << kLinearBits;
  if (ns < kLinear) return static_cast<size_t>(ns);
  int msb = 63 - std::countl_zero(ns);
  if (msb >= kMaxBits) return kBuckets - 1;
  int shift = msb - kSubBits;  // >= 1
  uint64_t sub = ns >> shift;  // in [64, 128)
  return static_cast<size_t>(kLinear + static_cast<uint64_t>(shift - 1) * (kLinear / 2) +
                             (sub - kLinear / 2));
}

uint64_t LatencyHistogram::LowestOf(size_t index) {
  constexpr size_t kLinear = size_t{1} << kLinearBits;
  if (index < kLinear) return index;
  size_t rel = index - kLinear;
  int shift = static_cast<int>(rel / (kLinear / 2)) + 1;
  uint64_t sub = rel % (kLinear / 2) + kLinear / 2;
  return sub << shift;
}

uint64_t LatencyHistogram::HighestOf(size_t index) {
  if (index + 1 >= kBuckets) return UINT64_MAX;
  return LowestOf(index + 1) - 1;
}

void LatencyHistogram::RecordN(uint64_t ns, uint64_t n) {
  if (n == 0) return;
  buckets_[IndexOf(ns)] += n;
  count_ += n;
  sum_ += ns * n;
  min_ = std::min(min_, ns);
  max_ = std::max(max_, ns);
}

void LatencyHistogram::Merge(const LatencyHistogram& other) {
  for (size_t i = 0; i < kBuckets; ++i) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

void LatencyHistogram::Reset() { *this = LatencyHistogram(); }

uint64_t LatencyHistogram::Percentile(double p) const {
  if (count_ == 0) return 0;
  p = std::clamp(p, 0.0, 100.0);
  // The rank of the value wanted: at least 1, at most count.
  auto rank = static_cast<uint64_t>(std::ceil(p / 100.0 * static_cast<double>(count_)));
  rank = std::clamp<uint64_t>(rank, 1, count_);
  uint64_t seen = 0;
  for (size_t i = 0; i < kBuckets; ++i) {
    seen += buckets_[i];
    if (seen >= rank) return std::clamp(HighestOf(i), min(), max_);
  }
  return max_;
}

}  // namespace cairn::kvbench
