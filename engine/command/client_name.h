// Client names (CLIENT SETNAME, HELLO SETNAME): printable ASCII without
// spaces, as Redis 7.0 requires, so a name never breaks a CLIENT LIST line.
#pragma once

#include <string_view>

namespace cairn {

inline constexpr std::string_view kInvalidClientNameError =
    "ERR Client names cannot contain spaces, newlines or special characters.";

// Bytes '!' through '~' only; the empty name is valid (it clears the name).
constexpr bool ValidClientName(std::string_view name) {
  for (char c : name) {
    if (c < '!' || c > '~') return false;
  }
  return true;
}

}  // namespace cairn
