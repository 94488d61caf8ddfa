// Config values: the number parsers and printers redis-server 7.0 applies to
// configuration values. Which strings count as numbers decides which error a
// client sees, so each function names the Redis routine it reproduces.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cairn {

// memtoull: digits (leading zeros allowed, none at all meaning 0) and an
// optional unit b, k (1000), kb (1024), m, mb, g, gb in any case. Digits
// beyond 2^64-1 saturate to it (strtoull's ERANGE is not checked); a unit
// that overflows, a sign, blanks or any other byte is an error.
std::optional<uint64_t> ParseMemoryValue(std::string_view s);

// strtoll(s, &end, 10) followed by a check that end reached the end of s:
// leading blanks and a sign are accepted, out-of-range values saturate, and
// an empty string is 0 (no digits leave end at the start, which is its end).
std::optional<int64_t> ParseLooseInt(std::string_view s);

// strtoll(s, &end, 8) with the same end check, errno checked: the octal
// parser of unixsocketperm.
std::optional<int64_t> ParseOctal(std::string_view s);

// rewriteConfigFormatMemory: the largest of gb/mb/kb that divides the value
// exactly, else plain bytes. Negative values print as they are.
std::string FormatMemoryUnit(int64_t bytes);

// "%f" with trailing zeros and a trailing '.' removed (latency percentiles).
std::string FormatTrimmedDouble(double v);

// Case-insensitive ASCII comparison.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
std::string ToLowerAscii(std::string_view s);

}  // namespace cairn
