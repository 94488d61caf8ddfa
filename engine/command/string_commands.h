// The string family's handlers (bound by name in strings.cc) and the small
// helpers its files share: reading a value into a reply, the encoding
// context of a new value, the effect record of a stored string, and the
// size limit of a grown string.
//
// Handlers follow Redis 7.0 step by step where the order is observable: which
// argument errors come before the key lookup, which lookups count keyspace
// hits and misses (read lookups) and which do not (write lookups), when
// server.dirty grows, and what the reply is at each early exit.
#pragma once

#include <cstdint>
#include <string_view>

#include "engine/command/context.h"
#include "engine/command/string_value.h"

namespace cairn::string_commands {

// strings.cc: GET, SET and friends, MGET, MSET, MSETNX.
void Get(CommandContext& ctx);
void Set(CommandContext& ctx);
void SetNx(CommandContext& ctx);
void SetEx(CommandContext& ctx);
void PSetEx(CommandContext& ctx);
void GetSet(CommandContext& ctx);
void GetDel(CommandContext& ctx);
void GetEx(CommandContext& ctx);
void MGet(CommandContext& ctx);
void MSet(CommandContext& ctx);
void MSetNx(CommandContext& ctx);

// counters.cc: INCR, DECR, INCRBY, DECRBY, INCRBYFLOAT.
void Incr(CommandContext& ctx);
void Decr(CommandContext& ctx);
void IncrBy(CommandContext& ctx);
void DecrBy(CommandContext& ctx);
void IncrByFloat(CommandContext& ctx);

// string_ranges.cc: APPEND, STRLEN, GETRANGE/SUBSTR, SETRANGE.
void Append(CommandContext& ctx);
void StrLen(CommandContext& ctx);
void GetRange(CommandContext& ctx);
void SetRange(CommandContext& ctx);

// lcs.cc: LCS.
void Lcs(CommandContext& ctx);

// --- Shared helpers. ---

// Bulk reply of a string entry's value.
inline void ReplyStringValue(CommandContext& ctx, const Entry* e) {
  if (e->is_int()) {
    ctx.reply().BulkInt(e->int_value());
  } else {
    ctx.reply().Bulk(e->bytes());
  }
}

inline bool ShareIntegers(CommandContext& ctx) { return SharedIntegersAllowed(ctx.settings()); }

// The LRU clock a value stored at slot starts with: a new key gets the
// current clock, a replaced value keeps the old one (which the write lookup
// has just refreshed; under LFU it is the access counter Redis keeps).
inline uint32_t LruForStore(CommandContext& ctx, const Database::Slot& slot) {
  return slot.entry() != nullptr ? slot.entry()->lru() : ctx.engine().LruClock();
}

// Records "SET key value" (with "PXAT deadline" when deadline > 0): the
// state a SET-like command left, whatever its options were.
void PropagateSet(CommandContext& ctx, std::string_view key, std::string_view value,
                  int64_t deadline);

// Whether a string of size + extra bytes is within proto-max-bulk-len;
// replies Redis's error when it is not.
bool CheckStringLength(CommandContext& ctx, uint64_t size, uint64_t extra);

}  // namespace cairn::string_commands
