// FuzzInput: reads choices (integers in a range, booleans, short strings) off
// the front of a fuzzer's input, so a target can turn bytes into a script of
// operations. Once the bytes run out every read returns its smallest value,
// so a script always ends. Our own small reader rather than clang's
// FuzzedDataProvider, so the corpus replay builds with gcc as well.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cairn::fuzz {

class FuzzInput {
 public:
  FuzzInput(const uint8_t* data, size_t size) : data_(reinterpret_cast<const char*>(data), size) {}

  size_t remaining() const { return data_.size(); }
  bool empty() const { return data_.empty(); }

  uint8_t Byte() {
    if (data_.empty()) return 0;
    uint8_t b = static_cast<uint8_t>(data_[0]);
    data_.remove_prefix(1);
    return b;
  }
  bool Bool() { return (Byte() & 1) != 0; }

  // A value in [lo, hi], from as few bytes as the range needs.
  uint64_t Range(uint64_t lo, uint64_t hi) {
    uint64_t span = hi - lo;
    uint64_t v = 0;
    for (uint64_t seen = 0; seen < span && !data_.empty(); seen = (seen << 8) | 0xff) {
      v = (v << 8) | Byte();
    }
    return span == UINT64_MAX ? lo + v : lo + v % (span + 1);
  }
  int64_t SignedRange(int64_t lo, int64_t hi) {
    return lo +
           static_cast<int64_t>(Range(0, static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo)));
  }

  // Up to max_len raw bytes (length first).
  std::string String(size_t max_len) {
    size_t n = Range(0, max_len);
    if (n > data_.size()) n = data_.size();
    std::string s(data_.substr(0, n));
    data_.remove_prefix(n);
    return s;
  }
  // Everything that is left.
  std::string_view Rest() {
    std::string_view r = data_;
    data_ = {};
    return r;
  }

 private:
  std::string_view data_;
};

}  // namespace cairn::fuzz
