// Config text: how one line of a config file becomes arguments, and how a
// value is written back so that it reads the same.
//
// These follow redis-server 7.0 byte for byte, because a config file (and the
// command line, which redis-server turns into config lines) must mean the
// same to Cairn as to Redis:
//   - SplitConfigArgs: words separated by blanks; "double quotes" understand
//     \n \r \t \b \a \xHH and a backslash before any other byte; 'single
//     quotes' understand only \'; a closing quote must end the word. A NUL
//     byte ends the line, as in C.
//   - AppendQuoted: the inverse, always quoted, non-printable bytes as \xHH.
//   - SplitOnSpaces: CONFIG SET's split of a multi-argument value, on single
//     spaces (two spaces make an empty argument; "" makes none).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cairn {

// The arguments of one config line, or nullopt for unbalanced quotes.
std::optional<std::vector<std::string>> SplitConfigArgs(std::string_view line);

// Appends s double-quoted with escapes (Redis's sdscatrepr).
void AppendQuoted(std::string& out, std::string_view s);
inline std::string Quoted(std::string_view s) {
  std::string out;
  AppendQuoted(out, s);
  return out;
}

// Splits s on every single space.
std::vector<std::string> SplitOnSpaces(std::string_view s);

// Removes the bytes Redis trims from both ends of a config line.
std::string_view TrimConfigLine(std::string_view line);

}  // namespace cairn
