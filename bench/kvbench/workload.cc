#include "bench/kvbench/workload.h"

#include <cmath>
#include <cstring>

#include "bench/support/request_encoder.h"

namespace cairn::kvbench {
namespace {

constexpr std::string_view kPlaceholder = "__rand_int__";
constexpr int kDigits = 12;
constexpr int kMsetKeys = 10;

}  // namespace

double Zeta(uint64_t n, double theta) {
  constexpr uint64_t kExact = 10'000'000;
  uint64_t exact = n < kExact ? n : kExact;
  double sum = 0;
  for (uint64_t i = 1; i <= exact; ++i) sum += 1.0 / std::pow(static_cast<double>(i), theta);
  if (n > exact) {
    // The tail sum of x^-theta over (exact, n], by its integral.
    double a = static_cast<double>(exact) + 0.5;
    double b = static_cast<double>(n) + 0.5;
    sum += (std::pow(b, 1 - theta) - std::pow(a, 1 - theta)) / (1 - theta);
  }
  return sum;
}

KeyChooser::KeyChooser(KeyDist dist, uint64_t n, double theta, std::atomic<uint64_t>* sequence)
    : dist_(dist), n_(n == 0 ? 1 : n), sequence_(sequence) {
  if (dist_ == KeyDist::kZipfian) {
    theta_ = theta;
    alpha_ = 1.0 / (1.0 - theta);
    zetan_ = Zeta(n_, theta);
    double zeta2 = Zeta(2, theta);
    eta_ = (1 - std::pow(2.0 / static_cast<double>(n_), 1 - theta)) / (1 - zeta2 / zetan_);
    half_pow_theta_ = 1.0 + std::pow(0.5, theta);
  }
}

uint64_t KeyChooser::Next(Rng& rng) {
  switch (dist_) {
    case KeyDist::kUniform:
      return rng.Below(n_);
    case KeyDist::kSequential:
      return sequence_->fetch_add(1, std::memory_order_relaxed) % n_;
    case KeyDist::kZipfian: {
      double u = rng.Unit();
      double uz = u * zetan_;
      if (uz < 1.0) return 0;
      if (uz < half_pow_theta_) return n_ > 1 ? 1 : 0;
      auto v =
          static_cast<uint64_t>(static_cast<double>(n_) * std::pow(eta_ * u - eta_ + 1, alpha_));
      return v < n_ ? v : n_ - 1;
    }
  }
  return 0;
}

std::vector<TestSpec> ExpandTests(const Options& o) {
  std::vector<TestSpec> out;
  for (const std::string& t : o.tests) {
    if (t == "ping") {
      out.push_back({"ping_inline", "PING_INLINE"});
      out.push_back({"ping_mbulk", "PING_MBULK"});
    } else if (t == "set") {
      out.push_back({"set", "SET"});
    } else if (t == "get") {
      out.push_back({"get", "GET"});
    } else if (t == "incr") {
      out.push_back({"incr", "INCR"});
    } else if (t == "mset") {
      out.push_back({"mset", "MSET (10 keys)"});
    } else if (t == "mixed") {
      out.push_back({"mixed", "MIXED (" + std::to_string(o.ratio_writes) + ":" +
                                  std::to_string(o.ratio_reads) + " SET:GET)"});
    }
  }
  return out;
}

BatchBuilder::BatchBuilder(const Options& o, const TestSpec& test, uint64_t seed,
                           std::atomic<uint64_t>* sequence)
    : o_(o),
      test_(test.name),
      rng_(seed),
      keys_(o.dist, static_cast<uint64_t>(o.keyspace), o.zipf_theta, sequence),
      value_(o.value_max, 'x') {
  templated_ = test_ != "mixed" && o.value_min == o.value_max;
}

void BatchBuilder::Fill12(char* at) {
  uint64_t v = keys_.Next(rng_);
  for (int i = kDigits - 1; i >= 0; --i) {
    at[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
}

// "prefix" then the key number (or the literal placeholder without -r);
// records where the digits are for templated batches.
void BatchBuilder::AppendKey(std::string& out, std::string_view prefix) {
  size_t len = prefix.size() + (o_.keyspace > 0 ? kDigits : kPlaceholder.size());
  out.push_back('$');
  bench::AppendDecimal(out, len);
  out.append("\r\n");
  out.append(prefix);
  if (o_.keyspace > 0) {
    slots_.push_back(out.size());
    out.append(kDigits, '0');
  } else {
    out.append(kPlaceholder);
  }
  out.append("\r\n");
}

void BatchBuilder::AppendValue(std::string& out) {
  size_t len = o_.value_min;
  if (o_.value_max > o_.value_min) len += rng_.Below(o_.value_max - o_.value_min + 1);
  bench::AppendBulk(out, std::string_view(value_.data(), len));
}

void BatchBuilder::AppendOne(std::string& out) {
  std::string_view t = test_;
  if (t == "mixed") {
    uint64_t total = static_cast<uint64_t>(o_.ratio_writes) + static_cast<uint64_t>(o_.ratio_reads);
    t = rng_.Below(total) < static_cast<uint64_t>(o_.ratio_writes) ? "set" : "get";
  }
  if (t == "ping_inline") {
    out.append("PING\r\n");
  } else if (t == "ping_mbulk") {
    out.append("*1\r\n$4\r\nPING\r\n");
  } else if (t == "set") {
    out.append("*3\r\n$3\r\nSET\r\n");
    AppendKey(out, "key:");
    AppendValue(out);
  } else if (t == "get") {
    out.append("*2\r\n$3\r\nGET\r\n");
    AppendKey(out, "key:");
  } else if (t == "incr") {
    out.append("*2\r\n$4\r\nINCR\r\n");
    AppendKey(out, "counter:");
  } else if (t == "mset") {
    out.append("*21\r\n$4\r\nMSET\r\n");
    for (int i = 0; i < kMsetKeys; ++i) {
      AppendKey(out, "key:");
      AppendValue(out);
    }
  }
}

const std::string& BatchBuilder::Next(size_t count) {
  if (templated_ && count == batch_count_) {
    for (size_t at : slots_) Fill12(batch_.data() + at);
    return batch_;
  }
  batch_.clear();
  slots_.clear();
  for (size_t i = 0; i < count; ++i) AppendOne(batch_);
  if (o_.keyspace > 0) {
    for (size_t at : slots_) Fill12(batch_.data() + at);
  }
  batch_count_ = templated_ ? count : 0;
  return batch_;
}

}  // namespace cairn::kvbench
