// Key specs: finding the keys of a command line from its command's key
// specs, as redis-server 7.0 does (COMMAND GETKEYS, and anything else that
// needs a command's keys without running it).
//
// Redis's order of preference is kept: key specs when the command has some
// that name keys and none whose flags depend on the arguments; otherwise the
// command's own key finder (SET and BITFIELD, whose flags depend on their
// options). A spec that cannot be applied (an unknown begin/find type, a
// key count that is not a number, keys past the end of the line) makes the
// whole search fail, as GET_KEYSPEC_DEFAULT does.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "engine/command/command.h"

namespace cairn {

// One key of a command line: its position in args and its access flags
// (key-spec flag names, in Redis's order, without "variable_flags").
struct KeyRef {
  int pos = 0;
  std::span<const std::string_view> flags;
};

// Whether the command can name keys at all (Redis's doesCommandHaveKeys).
bool CommandHasKeys(const Command& cmd);

// The keys of args (args[0] is the command's name; for a subcommand args[1]
// is the subcommand's). Returns false when the key specs do not fit the
// arguments; an empty result with true means the command found no keys.
bool FindCommandKeys(const Command& cmd, std::span<const std::string_view> args,
                     std::vector<KeyRef>* out);

}  // namespace cairn
