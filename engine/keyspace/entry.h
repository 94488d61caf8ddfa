// Entry: one key and its value in one allocation.
//
// Layout: a 24-byte header, then (only for keys with a TTL) a 16-byte expiry
// block, then the key bytes, then -- for values stored inline -- the value
// bytes. A 16-byte key with a 16-byte value costs one 56-byte allocation.
//
//   header   next (main table chain) | value word | key length + flags | meta
//   expiry   deadline (Unix ms) | next (expiry table chain)      [optional]
//   key      key_len bytes
//   value    inline string bytes                                  [optional]
//
// The value word is, by storage kind: the integer itself (kInt), the inline
// length (kInline), or a HeapString* (kHeap) for strings that grow in place
// (APPEND, SETRANGE, SETBIT): those get spare capacity and never move the entry.
//
// Invariants:
//   - encoding() is what OBJECT ENCODING reports; it is kInt exactly when the
//     storage is kInt, so an int-encoded value prints back to the same bytes.
//   - An Entry is created and freed only through the static functions here,
//     and changes size only by being replaced (Database relocates the links).
//   - Nothing here depends on addresses for ordering.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace cairn {

enum class ObjType : uint8_t { kString = 0 };
enum class Encoding : uint8_t { kInt = 0, kEmbstr = 1, kRaw = 2 };
enum class Storage : uint8_t { kInt = 0, kInline = 1, kHeap = 2 };

// A growable string owned by an entry.
struct HeapString {
  size_t len;
  size_t cap;
  char* data() { return reinterpret_cast<char*>(this + 1); }
  const char* data() const { return reinterpret_cast<const char*>(this + 1); }
  static HeapString* New(std::string_view init, size_t cap);
  // Grows to hold at least min_cap bytes (greedily, as Redis grows strings it
  // appends to: double below 1 MiB, +1 MiB above). May move.
  static HeapString* Grow(HeapString* s, size_t min_cap);
  static void Free(HeapString* s);
  size_t AllocSize() const { return sizeof(HeapString) + cap; }
};

class Entry {
 public:
  static constexpr uint32_t kMaxKeyLen = (1u << 30) - 1;
  // Redis's LRU clock: 24 bits of seconds.
  static constexpr uint32_t kLruMax = (1u << 24) - 1;

  // New string entries. `shared` marks integers Redis would take from its
  // shared-integer pool (OBJECT REFCOUNT reports INT_MAX for those).
  static Entry* NewInt(std::string_view key, int64_t v, bool shared, bool with_expire);
  static Entry* NewInline(std::string_view key, std::string_view value, Encoding enc,
                          bool with_expire);
  static Entry* NewHeap(std::string_view key, HeapString* value, bool with_expire);
  static void Free(Entry* e);

  // Copies key and value into a new entry, with or without an expiry block.
  static Entry* CloneWithExpire(const Entry* e, bool with_expire);
  // A copy of e's value stored under `key` (COPY): a new object, so a shared
  // integer becomes a private one, as Redis duplicates it. The deadline is
  // copied when with_expire; the access clock is copied.
  static Entry* Duplicate(const Entry* e, std::string_view key, bool with_expire);
  // e's value under another key (RENAME): a heap string moves instead of
  // being copied, flags, access clock and (with_expire) deadline are kept.
  // Frees e, which must not be in any table.
  static Entry* Rekey(Entry* e, std::string_view key, bool with_expire);

  std::string_view key() const { return {key_ptr(), key_len()}; }
  uint32_t key_len() const { return key_word_ & kMaxKeyLen; }
  ObjType type() const { return static_cast<ObjType>((meta_ >> 24) & 0x7); }
  Encoding encoding() const { return static_cast<Encoding>((meta_ >> 27) & 0x3); }
  Storage storage() const { return static_cast<Storage>((key_word_ >> 30) & 0x3); }
  bool shared_int() const { return (meta_ & kSharedBit) != 0; }

  // String values.
  bool is_int() const { return storage() == Storage::kInt; }
  int64_t int_value() const { return static_cast<int64_t>(value_); }
  // The bytes of a non-int string.
  std::string_view bytes() const {
    if (storage() == Storage::kHeap) {
      const HeapString* h = heap();
      return {h->data(), h->len};
    }
    return {inline_ptr(), static_cast<size_t>(value_)};
  }
  // The value as text; ints are printed into buf (kInt64Chars bytes).
  std::string_view StringValue(char* buf) const;
  size_t StringLength() const;
  // Overwrites an inline value (storage kInline) with as many bytes, so a
  // SET that changes neither size nor encoding reuses the entry. The caller
  // checks both (OverwriteSameShape).
  void OverwriteInline(std::string_view v) {
    std::memcpy(key_ptr() + key_len(), v.data(), v.size());
  }
  // Replaces the value of an int entry (storage kInt) in place, so counters
  // change without reallocating the entry.
  void SetInt(int64_t v, bool shared) {
    value_ = static_cast<uint64_t>(v);
    meta_ = shared ? (meta_ | kSharedBit) : (meta_ & ~kSharedBit);
  }
  HeapString* heap() const { return reinterpret_cast<HeapString*>(value_); }
  void set_heap(HeapString* h) { value_ = reinterpret_cast<uint64_t>(h); }

  // Expiry. Only entries allocated with an expiry block have one.
  bool has_expire_block() const { return (meta_ & kExpireBit) != 0; }
  int64_t expire_at() const { return has_expire_block() ? expiry()->when_ms : 0; }
  void set_expire_at(int64_t when_ms) { expiry()->when_ms = when_ms; }

  // A rewrite's walk mark (Keyspace::walk_mark): equal to the keyspace's
  // current mark when the entry needs nothing from the running walk (already
  // written to the new base, or born after its cut), and when none runs.
  bool walk_mark() const { return (meta_ & kWalkMarkBit) != 0; }
  void set_walk_mark(bool m) { meta_ = m ? (meta_ | kWalkMarkBit) : (meta_ & ~kWalkMarkBit); }

  // LRU clock (seconds, 24 bits) or LFU counter, as Redis keeps per object.
  uint32_t lru() const { return meta_ & kLruMax; }
  void set_lru(uint32_t v) { meta_ = (meta_ & ~kLruMax) | (v & kLruMax); }

  // Bytes this entry occupies (header, blocks, inline bytes, heap string).
  size_t AllocSize() const;

  // Intrusive links for the two tables.
  Entry*& main_next() { return next_; }
  Entry*& expire_next() { return expiry()->next; }

 private:
  struct ExpiryBlock {
    int64_t when_ms;
    Entry* next;
  };
  static constexpr uint32_t kWalkMarkBit = 1u << 29;
  static constexpr uint32_t kExpireBit = 1u << 30;
  static constexpr uint32_t kSharedBit = 1u << 31;

  static Entry* Allocate(std::string_view key, size_t inline_len, bool with_expire, ObjType type,
                         Encoding enc, Storage storage);
  // A new entry under key with e's value (heap strings copied) and e's lru,
  // shared flag and (with_expire) deadline.
  static Entry* CopyAs(const Entry* e, std::string_view key, bool with_expire);
  size_t header_size() const {
    return sizeof(Entry) + (has_expire_block() ? sizeof(ExpiryBlock) : 0);
  }
  ExpiryBlock* expiry() const {
    return reinterpret_cast<ExpiryBlock*>(const_cast<Entry*>(this) + 1);
  }
  const char* key_ptr() const { return reinterpret_cast<const char*>(this) + header_size(); }
  char* key_ptr() { return reinterpret_cast<char*>(this) + header_size(); }
  const char* inline_ptr() const { return key_ptr() + key_len(); }

  Entry* next_;
  uint64_t value_;     // int64, inline length or HeapString*
  uint32_t key_word_;  // key length (30 bits) | storage (2 bits)
  uint32_t meta_;      // lru (24) | type (3) | encoding (2) | walk mark | expire | shared
};

static_assert(sizeof(Entry) == 24, "Entry header is 24 bytes");

}  // namespace cairn
