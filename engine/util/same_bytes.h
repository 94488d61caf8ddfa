// SameBytes: equality of two short byte strings without a call into libc.
//
// Keys and command names are mostly under 17 bytes; for those, two
// overlapping loads from each side decide equality in a few instructions,
// where std::string_view's == calls memcmp (a call through the PLT and a
// length dispatch: 5% of kv-server's time at the original GET load). Longer
// strings still go to memcmp. Every load stays inside both strings.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace cairn {

namespace same_bytes_detail {

template <typename T>
inline T Load(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

// Equal-length strings of n bytes, n < 4 or sizeof(T) <= n <= 2 * sizeof(T).
template <typename T>
inline bool OverlappingEqual(const char* a, const char* b, size_t n) {
  return Load<T>(a) == Load<T>(b) && Load<T>(a + n - sizeof(T)) == Load<T>(b + n - sizeof(T));
}

}  // namespace same_bytes_detail

inline bool SameBytes(std::string_view a, std::string_view b) {
  using same_bytes_detail::OverlappingEqual;
  const size_t n = a.size();
  if (n != b.size()) return false;
  if (n > 16) return std::memcmp(a.data(), b.data(), n) == 0;
  if (n >= 8) return OverlappingEqual<uint64_t>(a.data(), b.data(), n);
  if (n >= 4) return OverlappingEqual<uint32_t>(a.data(), b.data(), n);
  for (size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

}  // namespace cairn
