// Small matchers for kv-bench's output in tests (std::regex trips GCC 12's
// maybe-uninitialized warning under the ci preset's -O1 + ASan + -Werror).
#pragma once

#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::kvbench::testing {

// prefix followed by exactly 12 decimal digits.
inline bool IsNumberedKey(std::string_view s, std::string_view prefix) {
  if (s.size() != prefix.size() + 12 || s.substr(0, prefix.size()) != prefix) return false;
  for (char c : s.substr(prefix.size())) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Digits, a point, exactly `decimals` digits ("123.45" for 2).
inline bool IsFixed(std::string_view s, size_t decimals) {
  size_t dot = s.find('.');
  if (dot == std::string_view::npos || dot == 0 || s.size() - dot - 1 != decimals) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i != dot && !std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

// The cells of a CSV line whose every cell is double-quoted: "a","b","c".
inline std::optional<std::vector<std::string>> QuotedCells(std::string_view line) {
  std::vector<std::string> cells;
  size_t at = 0;
  while (at < line.size()) {
    if (line[at] != '"') return std::nullopt;
    size_t end = line.find('"', at + 1);
    if (end == std::string_view::npos) return std::nullopt;
    cells.emplace_back(line.substr(at + 1, end - at - 1));
    at = end + 1;
    if (at == line.size()) break;
    if (line[at] != ',') return std::nullopt;
    ++at;
  }
  return cells;
}

// "TITLE: 123.45 requests per second, p50=0.123 msec" (no newline); sets
// *title.
inline bool IsQuietLine(std::string_view line, std::string* title) {
  size_t colon = line.find(": ");
  if (colon == std::string_view::npos || colon == 0) return false;
  *title = std::string(line.substr(0, colon));
  std::string_view rest = line.substr(colon + 2);
  size_t sp = rest.find(' ');
  if (sp == std::string_view::npos || !IsFixed(rest.substr(0, sp), 2)) return false;
  rest = rest.substr(sp);
  constexpr std::string_view kMid = " requests per second, p50=";
  constexpr std::string_view kEnd = " msec";
  if (rest.substr(0, kMid.size()) != kMid) return false;
  rest = rest.substr(kMid.size());
  if (rest.size() <= kEnd.size() || rest.substr(rest.size() - kEnd.size()) != kEnd) return false;
  return IsFixed(rest.substr(0, rest.size() - kEnd.size()), 3);
}

}  // namespace cairn::kvbench::testing
