// ASCII helpers for matching command options the way Redis does
// (strcasecmp: ASCII letters only, any other byte must be equal).
#pragma once

#include <string_view>

namespace cairn {

constexpr char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// Whether a and b are equal ignoring ASCII case. Like strcasecmp, a NUL byte
// ends each string: "on\0x" matches "on".
constexpr bool AsciiEqualsIgnoreCase(std::string_view a, std::string_view b) {
  a = a.substr(0, a.find('\0'));
  b = b.substr(0, b.find('\0'));
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

}  // namespace cairn
