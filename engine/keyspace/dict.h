// Dict: an intrusive chained hash table of Entry pointers with incremental
// rehashing and Redis's reverse-binary SCAN cursor.
//
// The table links entries through a pointer the entry itself holds (Link
// selects which: the main chain or the expiry chain), so membership costs no
// allocation beyond the bucket array. Sizes are powers of two. Growth and
// shrinking move one bucket per operation (plus RehashSteps from the owner's
// timer) from the old table to the new, as Redis does, so no single command
// pays for a whole resize.
//
// SCAN: the cursor counts buckets with its bits reversed, which visits every
// bucket of the current size exactly once and keeps that promise while the
// table grows or shrinks between calls: an entry present for the whole scan is
// returned at least once (it may be returned twice after a shrink).
//
// Iteration order depends only on the keyed hash (SipHash with a key from the
// Env), never on addresses, so a seeded run is reproducible.
//
// Invariants: an entry is in at most one bucket of one table; rehash_index_ is
// -1 unless both tables are live; while resizing is paused (a snapshot walk
// runs) no new resize starts and the tables only receive and lose entries.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string_view>
#include <utility>

#include "engine/keyspace/entry.h"
#include "engine/util/prefetch.h"
#include "engine/util/same_bytes.h"
#include "engine/util/siphash.h"

namespace cairn {

struct MainLink {
  static Entry*& Next(Entry* e) { return e->main_next(); }
};
struct ExpireLink {
  static Entry*& Next(Entry* e) { return e->expire_next(); }
};

template <class Link>
class Dict {
 public:
  using Bucket = Entry*;                 // the head of a bucket's chain
  static constexpr int kInitialExp = 2;  // 4 buckets
  // A table this many times over-full grows even while resizing is paused.
  static constexpr size_t kForceResizeRatio = 5;

  explicit Dict(const SipKey* hash_key) : hash_key_(hash_key) {}
  Dict(const Dict&) = delete;
  Dict& operator=(const Dict&) = delete;
  ~Dict() {
    std::free(t_[0].buckets);
    std::free(t_[1].buckets);
  }

  size_t size() const { return t_[0].used + t_[1].used; }
  size_t bucket_count() const { return Buckets(0) + Buckets(1); }
  bool rehashing() const { return rehash_index_ != -1; }
  uint64_t Hash(std::string_view key) const { return SipHash12(*hash_key_, key); }

  // Resizing can be paused (a consistent cut walks the table).
  void PauseResize() { ++resize_paused_; }
  void ResumeResize() { --resize_paused_; }

  Entry* Find(std::string_view key) {
    if (size() == 0) return nullptr;
    Entry** link = FindLink(key, Hash(key));
    return link ? *link : nullptr;
  }

  // Find without the rehash step a lookup normally does: for checks that
  // must not change the table they look at.
  Entry* Peek(std::string_view key) const {
    uint64_t hash = Hash(key);
    for (int t = 0; t <= 1; ++t) {
      if (t_[t].buckets == nullptr) break;
      for (Entry* e = t_[t].buckets[hash & t_[t].mask]; e != nullptr; e = Link::Next(e)) {
        if (SameBytes(e->key(), key)) return e;
      }
      if (!rehashing()) break;
    }
    return nullptr;
  }

  // The pointer that points at the entry with this key (a bucket slot or the
  // previous entry's link), or nullptr. Valid until the table changes.
  Entry** FindLink(std::string_view key, uint64_t hash) {
    if (size() == 0) return nullptr;
    RehashStep();
    for (int t = 0; t <= 1; ++t) {
      if (t_[t].buckets == nullptr) break;
      Entry** link = &t_[t].buckets[hash & t_[t].mask];
      while (*link != nullptr) {
        if (SameBytes((*link)->key(), key)) return link;
        link = &Link::Next(*link);
      }
      if (!rehashing()) break;
    }
    return nullptr;
  }

  // Cache hints for a lookup of this hash that follows soon (a pipeline's
  // keys, engine.cc), given in passes over all the keys so their misses
  // overlap: PrefetchBucket asks for the bucket's line; once it has arrived,
  // PrefetchChain(hash, 0) reads the bucket and asks for its first entry;
  // PrefetchChain(hash, 1) then follows that entry's link to the second (at
  // the table's load of up to 1, about a third of hits are second or later).
  // None changes anything, and a wrong hint costs only the hint.
  void PrefetchBucket(uint64_t hash) const {
    for (int t = 0; t <= 1; ++t) {
      if (t_[t].buckets == nullptr) break;
      PrefetchLine(&t_[t].buckets[hash & t_[t].mask]);
      if (!rehashing()) break;
    }
  }
  void PrefetchChain(uint64_t hash, int skip) const {
    for (int t = 0; t <= 1; ++t) {
      if (t_[t].buckets == nullptr) break;
      Entry* e = t_[t].buckets[hash & t_[t].mask];
      for (int i = 0; i < skip && e != nullptr; ++i) e = Link::Next(e);
      if (e != nullptr) {
        // A small entry (header, key, inline value) may straddle two lines.
        PrefetchLine(e);
        PrefetchLine(reinterpret_cast<const char*>(e) + 63);
      }
      if (!rehashing()) break;
    }
  }

  // Adds an entry whose key is not present.
  void Insert(Entry* e) { Insert(e, Hash(e->key())); }
  void Insert(Entry* e, uint64_t hash) {
    RehashStep();
    ExpandIfNeeded();
    int t = rehashing() ? 1 : 0;
    Entry*& head = t_[t].buckets[hash & t_[t].mask];
    Link::Next(e) = head;
    head = e;
    ++t_[t].used;
  }

  // Unlinks the entry `*link` points at (from FindLink) and returns it.
  Entry* Unlink(Entry** link, uint64_t hash) {
    int t = TableOf(link, hash);
    Entry* e = *link;
    *link = Link::Next(e);
    Link::Next(e) = nullptr;
    --t_[t].used;
    return e;
  }

  // Removes the entry with this key; returns it (not freed) or nullptr.
  Entry* Remove(std::string_view key) {
    uint64_t h = Hash(key);
    Entry** link = FindLink(key, h);
    return link ? Unlink(link, h) : nullptr;
  }

  // Puts `repl` where `*link` (from FindLink) points, in the same chain.
  void ReplaceAt(Entry** link, Entry* repl) {
    Link::Next(repl) = Link::Next(*link);
    *link = repl;
  }

  // Moves up to n buckets to the new table. Returns true while rehashing.
  bool RehashSteps(size_t n) {
    if (!rehashing()) return false;
    size_t empty_visits = n * 10;
    while (n-- > 0 && t_[0].used != 0) {
      while (t_[0].buckets[rehash_index_] == nullptr) {
        ++rehash_index_;
        if (--empty_visits == 0) return true;
      }
      Entry* e = t_[0].buckets[rehash_index_];
      while (e != nullptr) {
        Entry* next = Link::Next(e);
        Entry*& head = t_[1].buckets[Hash(e->key()) & t_[1].mask];
        Link::Next(e) = head;
        head = e;
        --t_[0].used;
        ++t_[1].used;
        e = next;
      }
      t_[0].buckets[rehash_index_] = nullptr;
      ++rehash_index_;
    }
    if (t_[0].used == 0) {
      std::free(t_[0].buckets);
      t_[0] = t_[1];
      t_[1] = Table{};
      rehash_index_ = -1;
      return false;
    }
    return true;
  }

  // Shrinks to fit when less than 10% full (Redis's HASHTABLE_MIN_FILL).
  // Returns true if a resize started.
  bool ShrinkIfSparse() {
    if (resize_paused_ > 0 || rehashing()) return false;
    size_t buckets = Buckets(0);
    if (buckets <= (size_t{1} << kInitialExp) || size() * 100 / buckets >= 10) return false;
    return StartResize(size());
  }

  // Calls fn(Entry*) for the entries of the bucket(s) at cursor; returns the
  // next cursor (0 when the scan is complete). fn must not change the table.
  template <class F>
  uint64_t Scan(uint64_t v, F&& fn) {
    if (size() == 0) return 0;
    if (!rehashing()) {
      uint64_t m0 = t_[0].mask;
      EmitBucket(t_[0].buckets[v & m0], fn);
      v |= ~m0;
      v = Rev(v);
      ++v;
      return Rev(v);
    }
    const Table* small = &t_[0];
    const Table* big = &t_[1];
    if (small->mask > big->mask) std::swap(small, big);
    uint64_t m0 = small->mask;
    uint64_t m1 = big->mask;
    EmitBucket(small->buckets[v & m0], fn);
    do {
      EmitBucket(big->buckets[v & m1], fn);
      v |= ~m1;
      v = Rev(v);
      ++v;
      v = Rev(v);
    } while ((v & (m0 ^ m1)) != 0);
    return v;
  }

  // Calls fn(Entry*) for every entry; fn must not change the table, but may
  // free the entry it is given (Clear's callers do).
  template <class F>
  void ForEach(F&& fn) const {
    for (int t = 0; t <= 1; ++t) {
      for (size_t b = 0; b < Buckets(t); ++b) {
        Entry* e = t_[t].buckets[b];
        while (e != nullptr) {
          Entry* next = Link::Next(e);
          fn(e);
          e = next;
        }
      }
    }
  }

  // A bucket chosen with `r` (a random draw) among non-empty ones; nullptr
  // when empty. Redis picks a random non-empty bucket, then a random element
  // of its chain; `r2` picks within the chain.
  template <class Rng>
  Entry* RandomEntry(Rng&& next64) {
    if (size() == 0) return nullptr;
    for (size_t guard = 0; guard < 1'000'000; ++guard) {
      RehashStep();
      Entry* head = nullptr;
      if (rehashing()) {
        size_t s0 = Buckets(0);
        size_t span = s0 + Buckets(1) - static_cast<size_t>(rehash_index_);
        size_t h = static_cast<size_t>(rehash_index_) + next64() % span;
        // While rehashing both tables exist (t_[1] was allocated first).
        // NOLINTNEXTLINE(clang-analyzer-core.NullDereference)
        head = h >= s0 ? t_[1].buckets[h - s0] : t_[0].buckets[h];
      } else {
        head = t_[0].buckets[next64() & t_[0].mask];
      }
      if (head == nullptr) continue;
      size_t len = 0;
      for (Entry* e = head; e != nullptr; e = Link::Next(e)) ++len;
      size_t pick = next64() % len;
      Entry* e = head;
      while (pick-- > 0) e = Link::Next(e);
      return e;
    }
    // Degenerate luck: fall back to the first entry.
    Entry* first = nullptr;
    ForEach([&](Entry* e) {
      if (first == nullptr) first = e;
    });
    return first;
  }

  // Sizes an empty table for n entries in one step (a loader's size hint),
  // so filling it needs no rehash. A table holding entries, or one that must
  // not resize now, is left as it is.
  void Reserve(size_t n) {
    if (size() != 0 || rehashing() || resize_paused_ > 0 || n <= Buckets(0)) return;
    std::free(t_[0].buckets);
    t_[0] = Table{};
    StartResize(n);
  }

  // Drops every entry from the table (the caller frees them first if it owns
  // them) and returns to the empty state.
  void Clear() {
    std::free(t_[0].buckets);
    std::free(t_[1].buckets);
    t_[0] = Table{};
    t_[1] = Table{};
    rehash_index_ = -1;
  }

  // Bytes of bucket arrays.
  size_t TableBytes() const {
    return bucket_count() * sizeof(Bucket);  // NOLINT(bugprone-sizeof-expression)
  }

  // Raw bucket access for samplers that walk buckets by index (active
  // expiry): the head of bucket `index & mask` of table t (0, or 1 while
  // rehashing), nullptr for an empty bucket or a missing table.
  Entry* BucketHead(int t, uint64_t index) const {
    if (t_[t].buckets == nullptr) return nullptr;
    return t_[t].buckets[index & t_[t].mask];
  }

  void swap(Dict& o) noexcept {
    std::swap(t_, o.t_);
    std::swap(rehash_index_, o.rehash_index_);
    std::swap(resize_paused_, o.resize_paused_);
  }

 private:
  struct Table {
    Entry** buckets = nullptr;
    uint64_t mask = 0;
    size_t used = 0;
  };

  size_t Buckets(int t) const { return t_[t].buckets ? static_cast<size_t>(t_[t].mask + 1) : 0; }

  static uint64_t Rev(uint64_t v) {
    v = ((v >> 1) & 0x5555555555555555ULL) | ((v & 0x5555555555555555ULL) << 1);
    v = ((v >> 2) & 0x3333333333333333ULL) | ((v & 0x3333333333333333ULL) << 2);
    v = ((v >> 4) & 0x0F0F0F0F0F0F0F0FULL) | ((v & 0x0F0F0F0F0F0F0F0FULL) << 4);
    v = ((v >> 8) & 0x00FF00FF00FF00FFULL) | ((v & 0x00FF00FF00FF00FFULL) << 8);
    v = ((v >> 16) & 0x0000FFFF0000FFFFULL) | ((v & 0x0000FFFF0000FFFFULL) << 16);
    return (v >> 32) | (v << 32);
  }

  template <class F>
  static void EmitBucket(Entry* e, F& fn) {
    while (e != nullptr) {
      Entry* next = Link::Next(e);  // fn may unlink e (SCAN expiring a key)
      fn(e);
      e = next;
    }
  }

  // Which table holds the chain `link` belongs to.
  int TableOf(Entry** link, uint64_t hash) const {
    if (!rehashing()) return 0;
    // Walk table 0's chain for this hash; if link is in it, it is table 0.
    Entry* const* slot = &t_[0].buckets[hash & t_[0].mask];
    while (true) {
      if (slot == link) return 0;
      if (*slot == nullptr) return 1;
      slot = &Link::Next(*slot);
    }
  }

  void RehashStep() {
    if (rehashing()) RehashSteps(1);
  }

  void ExpandIfNeeded() {
    if (rehashing()) return;
    if (t_[0].buckets == nullptr) {
      StartResize(size_t{1} << kInitialExp);
      return;
    }
    size_t buckets = Buckets(0);
    // Over-full past the ratio: used / buckets > kForceResizeRatio.
    if (t_[0].used >= buckets &&
        (resize_paused_ == 0 || t_[0].used >= (kForceResizeRatio + 1) * buckets)) {
      StartResize(t_[0].used + 1);
    }
  }

  bool StartResize(size_t min_size) {
    size_t n = size_t{1} << kInitialExp;
    while (n < min_size) n <<= 1;
    if (t_[0].buckets != nullptr && n == Buckets(0)) return false;
    auto* b =
        static_cast<Entry**>(std::calloc(n, sizeof(Bucket)));  // NOLINT(bugprone-sizeof-expression)
    if (b == nullptr) throw std::bad_alloc();
    if (t_[0].buckets == nullptr) {
      t_[0] = Table{b, n - 1, 0};
      return true;
    }
    t_[1] = Table{b, n - 1, 0};
    rehash_index_ = 0;
    return true;
  }

  const SipKey* hash_key_;
  Table t_[2];
  int64_t rehash_index_ = -1;
  int resize_paused_ = 0;
};

}  // namespace cairn
