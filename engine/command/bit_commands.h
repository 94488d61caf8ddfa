// The bit commands' handlers (bound in bits.cc) and what bits.cc and
// bitfield.cc share: bit offset arguments and the string a bit write edits.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "engine/command/context.h"

namespace cairn::bit_commands {

// bits.cc
void SetBit(CommandContext& ctx);
void GetBit(CommandContext& ctx);
void BitCount(CommandContext& ctx);
void BitPos(CommandContext& ctx);
void BitOp(CommandContext& ctx);
// bitfield.cc
void BitField(CommandContext& ctx);
void BitFieldRo(CommandContext& ctx);

// A bit offset argument: a non-negative integer whose byte lies within
// proto-max-bulk-len. With field_bits > 0 the "#N" form is accepted and
// means N * field_bits (BITFIELD). Replies "ERR bit offset is not an integer
// or out of range" and returns nullopt otherwise.
std::optional<uint64_t> ParseBitOffset(CommandContext& ctx, std::string_view arg,
                                       int field_bits = 0);

// The string at the key of ctx.arg(1), ready to be edited in place and long
// enough to hold bit max_bit: created (zeros, raw) when missing, unshared
// and zero-extended otherwise. *grown tells whether it was created or
// lengthened; *old_len receives the length before (0 when created). Replies
// WRONGTYPE and returns nullptr for other types.
Entry* StringForBitWrite(CommandContext& ctx, uint64_t max_bit, bool* grown, size_t* old_len);

}  // namespace cairn::bit_commands
