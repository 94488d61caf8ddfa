#include "engine/util/strconv.h"

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace cairn {

std::optional<long double> ParseLongDouble(std::string_view s) {
  char buf[kLongDoubleChars];
  if (s.empty() || s.size() >= sizeof(buf)) return std::nullopt;
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = '\0';
  errno = 0;
  char* end = nullptr;
  long double v = std::strtold(buf, &end);
  // The whole string must be the number: "1\0abc" is refused (redis-server
  // 7.0 answers INCRBYFLOAT with "value is not a valid float" there).
  if (std::isspace(static_cast<unsigned char>(buf[0])) ||
      static_cast<size_t>(end - buf) != s.size()) {
    return std::nullopt;
  }
  if (errno == ERANGE && (v == HUGE_VALL || v == -HUGE_VALL || std::fpclassify(v) == FP_ZERO)) {
    return std::nullopt;
  }
  if (errno == EINVAL || std::isnan(v)) return std::nullopt;
  return v;
}

std::optional<double> ParseDouble(std::string_view s) {
  char buf[kLongDoubleChars];
  if (s.empty() || s.size() >= sizeof(buf)) return std::nullopt;
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = '\0';
  errno = 0;
  char* end = nullptr;
  double v = std::strtod(buf, &end);
  if (std::isspace(static_cast<unsigned char>(buf[0])) ||
      static_cast<size_t>(end - buf) != s.size()) {
    return std::nullopt;
  }
  if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL || std::fpclassify(v) == FP_ZERO)) {
    return std::nullopt;
  }
  if (std::isnan(v)) return std::nullopt;
  return v;
}

size_t FormatInt64(int64_t v, char* buf) {
  auto r = std::to_chars(buf, buf + kInt64Chars, v);
  return static_cast<size_t>(r.ptr - buf);
}

size_t FormatLongDouble(long double v, char* buf) {
  if (std::isinf(v)) {
    if (v > 0) {
      std::memcpy(buf, "inf", 3);
      return 3;
    }
    std::memcpy(buf, "-inf", 4);
    return 4;
  }
  int n = std::snprintf(buf, kLongDoubleChars, "%.17Lf", v);
  if (n < 0 || static_cast<size_t>(n) + 1 > kLongDoubleChars) return 0;
  size_t len = static_cast<size_t>(n);
  if (std::memchr(buf, '.', len) != nullptr) {
    while (len > 0 && buf[len - 1] == '0') --len;
    if (len > 0 && buf[len - 1] == '.') --len;
  }
  if (len == 2 && buf[0] == '-' && buf[1] == '0') {
    buf[0] = '0';
    len = 1;
  }
  return len;
}

size_t FormatDouble(double v, char* buf) {
  if (std::isinf(v)) {
    if (v > 0) {
      std::memcpy(buf, "inf", 3);
      return 3;
    }
    std::memcpy(buf, "-inf", 4);
    return 4;
  }
  if (std::isnan(v)) {
    std::memcpy(buf, "nan", 3);
    return 3;
  }
  int n = std::snprintf(buf, 32, "%.17g", v);
  return n < 0 ? 0 : static_cast<size_t>(n);
}

int DecimalDigits(uint64_t v) {
  int n = 1;
  while (v >= 10) {
    v /= 10;
    ++n;
  }
  return n;
}

}  // namespace cairn
