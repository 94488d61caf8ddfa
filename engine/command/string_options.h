// Option words and expiry arguments of the string commands.
//
// Redis compares option words as C strings: a word ends at its first NUL
// byte, so "nx\0junk" is NX. OptionIs keeps that rule so odd clients see the
// same answers.
//
// SET and GETEX share one option grammar (Redis's rules on which options
// combine: NX/XX exclusive, one of EX/PX/EXAT/PXAT which may repeat,
// KEEPTTL only with SET and PERSIST only with GETEX, each excluding a time).
// Parsing only checks the words; the time value is checked separately
// (ResolveExpire), because GETEX answers a missing key before looking at it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace cairn {

class CommandContext;

// Whether arg, read as a C string, equals lower_word ignoring ASCII case.
bool OptionIs(std::string_view arg, std::string_view lower_word);

enum class TimeOption : uint8_t { kNone, kEx, kPx, kExat, kPxat };

struct SetOptions {
  bool nx = false;
  bool xx = false;
  bool get = false;
  bool keepttl = false;
  bool persist = false;
  TimeOption time = TimeOption::kNone;
  std::string_view time_arg;  // the value after EX/PX/EXAT/PXAT
};

enum class OptionGrammar : uint8_t { kSet, kGetex };

// Parses ctx.arg(first..) with SET's or GETEX's grammar; on a bad word
// replies "ERR syntax error" and returns false.
bool ParseSetOptions(CommandContext& ctx, size_t first, OptionGrammar grammar, SetOptions* out);

// Converts an expiry argument to an absolute deadline in ms: seconds or ms,
// relative to now or absolute. Replies with Redis's error (not an integer;
// "invalid expire time in '<cmd>' command" for values <= 0, too large, or
// overflowing) and returns nullopt when the value is unusable.
std::optional<int64_t> ExpireArgToDeadline(CommandContext& ctx, std::string_view arg, bool seconds,
                                           bool relative);

// The deadline of opts' time option; nullopt after an error reply. Without a
// time option returns 0.
std::optional<int64_t> ResolveExpire(CommandContext& ctx, const SetOptions& opts);

}  // namespace cairn
