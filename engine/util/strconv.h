// Number <-> text conversions with Redis's exact rules.
//
// Redis's replies and errors depend on which strings count as numbers, so
// these follow redis-server 7.0: integers are strict (no '+', no blanks, no
// leading zeros, no "-0"); long doubles go through strtold and are printed
// with "%.17Lf" and trimmed, as INCRBYFLOAT does on x86-64's 80-bit long
// double; doubles print with "%.17g". None of them allocates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace cairn {

// The decimal digits of s from index i on, as one unsigned value; nullopt on
// a non-digit or past 2^64-1. The callers check the first digit.
inline std::optional<uint64_t> ParseDigits(std::string_view s, size_t i) {
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c < '0' || c > '9') return std::nullopt;
    if (v > UINT64_MAX / 10) return std::nullopt;
    v *= 10;
    const auto d = static_cast<uint64_t>(c - '0');
    if (v > UINT64_MAX - d) return std::nullopt;
    v += d;
  }
  return v;
}

// Redis's string2ll: the whole of s is a canonical signed 64-bit integer.
// Inline: every request's lengths go through it, and out of line its
// optional comes back through memory.
inline std::optional<int64_t> ParseInt64(std::string_view s) {
  if (s.empty()) return std::nullopt;
  if (s.size() == 1 && s[0] == '0') return 0;
  const bool negative = s[0] == '-';
  const size_t first = negative ? 1 : 0;
  if (s.size() == first || s[first] < '1' || s[first] > '9') return std::nullopt;
  const std::optional<uint64_t> v = ParseDigits(s, first);
  if (!v) return std::nullopt;
  if (negative) {
    if (*v > static_cast<uint64_t>(INT64_MAX) + 1) return std::nullopt;
    return static_cast<int64_t>(0 - *v);
  }
  if (*v > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return static_cast<int64_t>(*v);
}

// Redis's string2ull-like check used for unsigned values (e.g. BITFIELD u63).
inline std::optional<uint64_t> ParseUint64(std::string_view s) {
  if (s.empty()) return std::nullopt;
  if (s.size() == 1 && s[0] == '0') return 0;
  if (s[0] < '1' || s[0] > '9') return std::nullopt;
  return ParseDigits(s, 0);
}

// Redis's string2ld: strtold over the whole string, refusing leading space,
// trailing bytes (a NUL byte included), NaN, overflow and underflow to zero.
// Hex floats, "inf" and denormals are accepted, as strtold accepts them.
std::optional<long double> ParseLongDouble(std::string_view s);
// Redis's string2d for doubles (strtod; refuses leading space, trailing bytes,
// NaN, overflow).
std::optional<double> ParseDouble(std::string_view s);

// Writes v in decimal; returns the length. buf needs 21 bytes.
size_t FormatInt64(int64_t v, char* buf);
constexpr size_t kInt64Chars = 21;

// INCRBYFLOAT's human-friendly form: "%.17Lf", trailing zeros (and a bare
// '.') removed, "-0" printed as "0", infinities as "inf"/"-inf". buf needs
// kLongDoubleChars bytes; returns the length.
constexpr size_t kLongDoubleChars = 5 * 1024;
size_t FormatLongDouble(long double v, char* buf);

// "%.17g", with "inf"/"-inf"/"nan" as Redis prints them. buf needs 32 bytes.
size_t FormatDouble(double v, char* buf);

// Number of decimal digits of v (1 for 0).
int DecimalDigits(uint64_t v);

}  // namespace cairn
