// String values: how a value is encoded when a command stores it, and how
// commands that edit a string in place get a string they may edit -- with
// Redis 7.0's rules, so OBJECT ENCODING and OBJECT REFCOUNT answer as Redis
// does.
//
// Encodings by the command that stores the value:
//   - "Try encoding" (SET, SETNX, SETEX, PSETEX, MSET, MSETNX, GETSET, and
//     APPEND on a missing key): "int" when the value is a canonical 64-bit
//     integer of at most 20 bytes, "embstr" up to 44 bytes, "raw" above.
//   - Counters (INCR, DECR, INCRBY, DECRBY): always "int".
//   - INCRBYFLOAT: the printed number as a plain string, "embstr" up to 44
//     bytes, "raw" above, never "int".
//   - In-place edits (APPEND, SETRANGE, SETBIT, BITFIELD): "raw" heap
//     strings that grow with spare capacity (Redis's sds growth), so repeated
//     appends do not copy the value each time. BITOP results are "raw" too.
// Integers 0..9999 count as Redis's shared integers (OBJECT REFCOUNT
// 2147483647) unless maxmemory is set with an LRU or LFU policy, where Redis
// gives every key its own object.
//
// Invariants: every function that changes a stored value in place reports
// the change of allocated bytes to the Database (AdjustBytes), so
// Database::bytes() stays exact; values are never shared between entries.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/config/config.h"
#include "engine/keyspace/database.h"
#include "engine/keyspace/entry.h"

namespace cairn {

inline constexpr size_t kEmbstrMaxLen = 44;
inline constexpr int64_t kSharedIntegers = 10000;
// The longest value "try encoding" turns into an integer.
inline constexpr size_t kMaxIntEncodedLen = 20;

// Whether small integers are shared under these settings.
bool SharedIntegersAllowed(const Settings& settings);
inline bool IsSharedInteger(int64_t v, bool sharing) {
  return sharing && v >= 0 && v < kSharedIntegers;
}

// New entries. expire_at is an absolute deadline in ms, or 0 for none (the
// entry then gets no expiry block). lru is the entry's LRU clock.
//
// value under "try encoding" (int / embstr / raw).
Entry* NewEncodedString(std::string_view key, std::string_view value, bool share_ints,
                        int64_t expire_at, uint32_t lru);
// An int-encoded value.
Entry* NewIntString(std::string_view key, int64_t value, bool share_ints, int64_t expire_at,
                    uint32_t lru);
// value as embstr (<= 44 bytes) or inline raw, never int.
Entry* NewPlainString(std::string_view key, std::string_view value, int64_t expire_at,
                      uint32_t lru);
// A raw heap string of `len` zero bytes, with exactly that capacity.
Entry* NewZeroedRawString(std::string_view key, size_t len, int64_t expire_at, uint32_t lru);

// Gives e the value `value` without a new entry when the result is the same
// as NewEncodedString's with no deadline would be: e holds an inline string
// of value's length and encoding, has no expiry block, and value would not
// become an integer. Returns whether it did. (A SET of a same-sized value --
// a benchmark's, a cache's refresh -- then costs no allocation.)
bool OverwriteSameShape(Entry* e, std::string_view value);

// Stores e in place of the slot's entry (slot from LocateWrite, same key) or
// as a new key when the slot is empty. The slot is not valid afterwards.
void PutEntry(Database& db, Database::Slot& slot, Entry* e);

// Makes the slot's string a raw heap string its owner may edit in place
// (Redis's "unshare"): an int, embstr or inline raw value is copied into a
// heap string of exactly its length, keeping TTL and LRU. The slot keeps
// pointing at the (possibly new) entry. Returns the entry.
Entry* UnshareString(Database& db, Database::Slot& slot);

// In-place edits of an unshared string (the entry UnshareString returned or
// one built by NewZeroedRawString). Each reports its byte change to db.
//
// Grows the value to at least len bytes, filling with zeros (capacity grows
// greedily). Returns the value's bytes.
char* GrowZeroed(Database& db, Entry* e, size_t len);
// Appends tail (capacity grows greedily).
void AppendBytes(Database& db, Entry* e, std::string_view tail);
// The value's bytes, writable.
inline char* MutableBytes(Entry* e) {
  return e->heap()->data();  // NOLINT(clang-analyzer-core.CallAndMessage): raw strings have a heap
}

// Replaces an int entry's value in place (INCR on an int): no allocation.
void SetIntInPlace(Entry* e, int64_t value, bool share_ints);

}  // namespace cairn
