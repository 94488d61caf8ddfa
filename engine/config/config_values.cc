#include "engine/config/config_values.h"

#include <cstdio>

namespace cairn {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

struct Unit {
  std::string_view suffix;
  uint64_t multiplier;
};

constexpr Unit kUnits[] = {
    {"", 1},
    {"b", 1},
    {"k", 1000},
    {"kb", 1024},
    {"m", 1000 * 1000},
    {"mb", 1024 * 1024},
    {"g", 1000ULL * 1000 * 1000},
    {"gb", 1024ULL * 1024 * 1024},
};

// strtoll/strtoull's core: optional blanks and sign, then digits in base.
// Returns false when the text after the number is not empty. Saturates.
bool ParseCInteger(std::string_view s, int base, bool allow_sign_and_space, int64_t* out,
                   bool* overflow) {
  size_t i = 0;
  if (allow_sign_and_space) {
    while (i < s.size() && IsSpace(s[i])) ++i;
  }
  bool negative = false;
  if (allow_sign_and_space && i < s.size() && (s[i] == '+' || s[i] == '-')) {
    negative = s[i] == '-';
    ++i;
  }
  size_t digits_start = i;
  uint64_t v = 0;
  *overflow = false;
  for (; i < s.size(); ++i) {
    int d;
    char c = s[i];
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else {
      break;
    }
    if (d >= base) break;
    if (v > (UINT64_MAX - static_cast<uint64_t>(d)) / static_cast<uint64_t>(base)) {
      *overflow = true;
      v = UINT64_MAX;
    } else if (!*overflow) {
      v = v * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
    }
  }
  if (i == digits_start) {
    // No digits: the end pointer stays at the start of the string.
    *out = 0;
    return s.empty();
  }
  if (i != s.size()) return false;
  if (negative) {
    if (*overflow || v > static_cast<uint64_t>(INT64_MAX) + 1) {
      *overflow = true;
      *out = INT64_MIN;
    } else {
      *out = static_cast<int64_t>(0 - v);
    }
  } else if (*overflow || v > static_cast<uint64_t>(INT64_MAX)) {
    *overflow = true;
    *out = INT64_MAX;
  } else {
    *out = static_cast<int64_t>(v);
  }
  return true;
}

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

std::string ToLowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

std::optional<uint64_t> ParseMemoryValue(std::string_view s) {
  if (s.find('\0') != std::string_view::npos) s = s.substr(0, s.find('\0'));
  if (!s.empty() && s[0] == '-') return std::nullopt;
  size_t digits = 0;
  while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9') ++digits;
  std::string_view unit = s.substr(digits);
  uint64_t multiplier = 0;
  for (const Unit& u : kUnits) {
    if (EqualsIgnoreCase(unit, u.suffix)) {
      multiplier = u.multiplier;
      break;
    }
  }
  if (multiplier == 0) return std::nullopt;
  if (digits >= 128) return std::nullopt;  // Redis copies the digits into a 128-byte buffer
  uint64_t v = 0;
  for (size_t i = 0; i < digits; ++i) {
    auto d = static_cast<uint64_t>(s[i] - '0');
    if (v > (UINT64_MAX - d) / 10) {
      v = UINT64_MAX;  // strtoull saturates; Redis does not look at ERANGE
      break;
    }
    v = v * 10 + d;
  }
  if (v > UINT64_MAX / multiplier) return std::nullopt;
  return v * multiplier;
}

std::optional<int64_t> ParseLooseInt(std::string_view s) {
  if (s.find('\0') != std::string_view::npos) s = s.substr(0, s.find('\0'));
  int64_t v;
  bool overflow;
  if (!ParseCInteger(s, 10, true, &v, &overflow)) return std::nullopt;
  return v;
}

std::optional<int64_t> ParseOctal(std::string_view s) {
  int64_t v;
  bool overflow;
  if (!ParseCInteger(s, 8, true, &v, &overflow) || overflow) return std::nullopt;
  return v;
}

std::string FormatMemoryUnit(int64_t bytes) {
  constexpr int64_t kGb = 1024LL * 1024 * 1024, kMb = 1024 * 1024, kKb = 1024;
  if (bytes != 0 && bytes % kGb == 0) return std::to_string(bytes / kGb) + "gb";
  if (bytes != 0 && bytes % kMb == 0) return std::to_string(bytes / kMb) + "mb";
  if (bytes != 0 && bytes % kKb == 0) return std::to_string(bytes / kKb) + "kb";
  return std::to_string(bytes);
}

std::string FormatTrimmedDouble(double v) {
  char buf[512];
  int n = std::snprintf(buf, sizeof(buf), "%f", v);
  std::string out(buf, static_cast<size_t>(n > 0 ? n : 0));
  if (out.find('.') != std::string::npos) {
    while (!out.empty() && out.back() == '0') out.pop_back();
    if (!out.empty() && out.back() == '.') out.pop_back();
  }
  return out;
}

}  // namespace cairn
