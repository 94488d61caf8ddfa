// String values: how a value is encoded when a command stores it, with
// Redis's rules, so OBJECT ENCODING and OBJECT REFCOUNT answer as Redis does.
//
// SET-like commands store "int" when the value is a canonical 64-bit integer
// of at most 20 bytes (shared for 0..9999, as Redis's shared integers),
// "embstr" up to 44 bytes, "raw" above. Values grown in place (APPEND,
// SETRANGE, SETBIT, BITFIELD) are "raw" heap strings with spare capacity.
#pragma once

#include <cstdint>
#include <string_view>

#include "engine/keyspace/database.h"
#include "engine/keyspace/entry.h"

namespace cairn {

inline constexpr size_t kEmbstrMaxLen = 44;
inline constexpr int64_t kSharedIntegers = 10000;

// A new entry holding value as SET would encode it.
Entry* NewStringEntry(std::string_view key, std::string_view value, bool with_expire);
// A new int-encoded entry (INCR family results).
Entry* NewIntEntry(std::string_view key, int64_t value, bool with_expire);

// Stores value at key (slot from LocateWrite; empty when absent). With
// keep_ttl the old TTL stays, otherwise it is cleared. Returns the entry;
// the slot is not valid afterwards.
Entry* StoreString(Database& db, Database::Slot& slot, std::string_view key,
                   std::string_view value, bool keep_ttl);
// Stores an entry built by the caller (same key as the slot's, if any).
Entry* StoreEntry(Database& db, Database::Slot& slot, Entry* e, bool keep_ttl);

}  // namespace cairn
