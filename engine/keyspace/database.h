// Database: one numbered keyspace -- its main table, its expiry table and the
// bytes its entries occupy.
//
// The database owns its entries: every entry in the main table is freed by the
// database. Entries with a TTL are also linked into the expiry table (through
// their expiry block), which active expiry samples; keys without a TTL cost
// nothing there.
//
// Invariants:
//   - An entry is in the expiry table exactly when it has an expiry block and
//     a deadline > 0; deadlines are absolute Unix milliseconds.
//   - bytes() is the sum of AllocSize() over the entries plus the tables'
//     bucket arrays, kept exact by every mutation here; code that changes a
//     heap string in place reports the change through AdjustBytes.
//   - Every change to the keyspace goes through this class (one place for the
//     hooks persistence needs, such as a rewrite's consistent cut).
//   - Nothing here checks expiry: callers decide (lazy expiry needs the clock
//     and logs a DEL, which is the command layer's business).
//   - Add stamps the entry with the access clock a new object gets (LRU
//     seconds, or LFU minutes and initial counter), read from the value the
//     owner keeps current (Keyspace::set_fresh_access); code that moves an
//     existing entry (RENAME, MOVE) puts the entry's own clock back.
//   - Add and Replace give the entry the keyspace's current walk mark
//     (Keyspace::walk_mark): an entry stored while a rewrite's walk runs is
//     written after its cut, so the walk must not copy it into the base.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "engine/keyspace/dict.h"
#include "engine/keyspace/entry.h"

namespace cairn {

class Database {
 public:
  // fresh_access: where the owner keeps the access clock of a new object
  // (nullptr: Add leaves the entry's clock alone).
  explicit Database(const SipKey* hash_key, const uint32_t* fresh_access = nullptr,
                    const bool* walk_mark = nullptr)
      : main_(hash_key), expires_(hash_key), fresh_access_(fresh_access), walk_mark_(walk_mark) {}
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database() { Clear(); }

  // Where a key is, or would be inserted; valid until the next change.
  struct Slot {
    Entry** link = nullptr;  // nullptr when the key is absent
    uint64_t hash = 0;
    Entry* entry() const { return link ? *link : nullptr; }
    explicit operator bool() const { return link != nullptr; }
  };

  size_t size() const { return main_.size(); }
  size_t expires_size() const { return expires_.size(); }
  size_t bytes() const { return entry_bytes_ + main_.TableBytes() + expires_.TableBytes(); }

  // Prefetches what looking up each of the first kMaxPrefetch keys will
  // touch (dict.h's hints) in passes -- all buckets, then all first entries,
  // then all second ones -- so the misses overlap.
  static constexpr size_t kMaxPrefetch = 32;
  void Prefetch(std::span<const std::string_view> keys) const;

  Entry* Find(std::string_view key) { return main_.Find(key); }
  Slot Locate(std::string_view key) {
    uint64_t h = main_.Hash(key);
    return Slot{main_.FindLink(key, h), h};
  }

  // Adds an entry whose key is absent (slot from Locate, or none).
  void Add(Entry* e);
  void Add(Entry* e, const Slot& where);
  // Puts repl in place of the slot's entry (same key) and frees the old one.
  void Replace(const Slot& slot, Entry* repl);
  // Removes and frees the slot's entry.
  void Delete(const Slot& slot);
  bool Delete(std::string_view key);
  // Removes the slot's entry without freeing it (RENAME, MOVE).
  Entry* Detach(const Slot& slot);

  // Sets the TTL (when_ms > 0) of the slot's entry; may replace the entry to
  // add an expiry block, so the slot is updated. Returns the entry.
  Entry* SetExpire(Slot& slot, int64_t when_ms);
  // Removes the TTL; returns whether there was one.
  bool Persist(const Slot& slot);

  // Heap strings changed in place report their growth here.
  void AdjustBytes(ptrdiff_t delta) { entry_bytes_ += static_cast<size_t>(delta); }

  // Sizes the empty tables for this many keys (see Dict::Reserve).
  void Reserve(size_t keys, size_t expiring) {
    main_.Reserve(keys);
    expires_.Reserve(expiring);
  }

  // Frees every entry.
  void Clear();
  void swap(Database& o) noexcept;

  Dict<MainLink>& main() { return main_; }
  Dict<ExpireLink>& expires() { return expires_; }
  const Dict<MainLink>& main() const { return main_; }
  const Dict<ExpireLink>& expires() const { return expires_; }

  // Background upkeep: rehash steps and shrinking of sparse tables.
  void Upkeep(size_t rehash_steps);

  // Active expiry's bucket cursor in the expiry table, kept between ticks.
  uint64_t expire_cursor = 0;
  // Running estimate of the TTL (ms) of keys with a deadline, from active
  // expiry's samples (INFO keyspace avg_ttl); 0 when unknown.
  int64_t avg_ttl = 0;

 private:
  void LinkExpire(Entry* e);
  void UnlinkExpire(Entry* e);
  void StampFresh(Entry* e) const {
    if (fresh_access_ != nullptr) e->set_lru(*fresh_access_);
    StampMark(e);
  }
  void StampMark(Entry* e) const {
    if (walk_mark_ != nullptr) e->set_walk_mark(*walk_mark_);
  }

  Dict<MainLink> main_;
  Dict<ExpireLink> expires_;
  size_t entry_bytes_ = 0;
  const uint32_t* fresh_access_;
  const bool* walk_mark_;
};

}  // namespace cairn
