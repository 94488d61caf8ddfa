#include "engine/command/string_value.h"

#include <cstring>

#include "engine/util/strconv.h"

namespace cairn {
namespace {

// Sets the deadline and clock of a fresh entry.
Entry* Finish(Entry* e, int64_t expire_at, uint32_t lru) {
  if (expire_at > 0) e->set_expire_at(expire_at);
  e->set_lru(lru);
  return e;
}

// Replaces the slot's entry by a heap copy of its value (same TTL, same LRU).
Entry* MoveToHeap(Database& db, Database::Slot& slot) {
  Entry* old = slot.entry();
  char buf[kInt64Chars];
  std::string_view bytes = old->StringValue(buf);
  int64_t expire_at = old->expire_at();
  HeapString* h = HeapString::New(bytes, bytes.size());
  Entry* e = Entry::NewHeap(old->key(), h, expire_at > 0);
  Finish(e, expire_at, old->lru());
  db.Replace(slot, e);  // the slot's link now points at e
  return e;
}

}  // namespace

bool SharedIntegersAllowed(const Settings& settings) {
  if (settings.maxmemory == 0) return true;
  // LRU and LFU policies keep a clock per object, so objects cannot be shared.
  std::string_view policy = settings.maxmemory_policy;
  return policy.find("lru") == std::string_view::npos &&
         policy.find("lfu") == std::string_view::npos;
}

Entry* NewEncodedString(std::string_view key, std::string_view value, bool share_ints,
                        int64_t expire_at, uint32_t lru) {
  if (value.size() <= kMaxIntEncodedLen) {
    if (auto v = ParseInt64(value)) return NewIntString(key, *v, share_ints, expire_at, lru);
  }
  return NewPlainString(key, value, expire_at, lru);
}

Entry* NewIntString(std::string_view key, int64_t value, bool share_ints, int64_t expire_at,
                    uint32_t lru) {
  Entry* e = Entry::NewInt(key, value, IsSharedInteger(value, share_ints), expire_at > 0);
  return Finish(e, expire_at, lru);
}

Entry* NewPlainString(std::string_view key, std::string_view value, int64_t expire_at,
                      uint32_t lru) {
  Encoding enc = value.size() <= kEmbstrMaxLen ? Encoding::kEmbstr : Encoding::kRaw;
  return Finish(Entry::NewInline(key, value, enc, expire_at > 0), expire_at, lru);
}

Entry* NewZeroedRawString(std::string_view key, size_t len, int64_t expire_at, uint32_t lru) {
  HeapString* h = HeapString::New({}, len);
  if (len > 0) std::memset(h->data(), 0, len);
  h->len = len;
  return Finish(Entry::NewHeap(key, h, expire_at > 0), expire_at, lru);
}

bool OverwriteSameShape(Entry* e, std::string_view value) {
  if (e->type() != ObjType::kString || e->storage() != Storage::kInline || e->has_expire_block() ||
      value.empty() || e->bytes().size() != value.size()) {
    return false;
  }
  const Encoding enc = value.size() <= kEmbstrMaxLen ? Encoding::kEmbstr : Encoding::kRaw;
  if (e->encoding() != enc) return false;
  if (value.size() <= kMaxIntEncodedLen && ParseInt64(value)) return false;
  e->OverwriteInline(value);
  return true;
}

void PutEntry(Database& db, Database::Slot& slot, Entry* e) {
  if (slot.entry() == nullptr) {
    db.Add(e, slot);
  } else {
    db.Replace(slot, e);
  }
  slot = Database::Slot{};
}

Entry* UnshareString(Database& db, Database::Slot& slot) {
  Entry* e = slot.entry();
  if (e->storage() == Storage::kHeap) return e;
  return MoveToHeap(db, slot);
}

char* GrowZeroed(Database& db, Entry* e, size_t len) {
  HeapString* h = e->heap();
  size_t old_len = h->len;
  if (len <= old_len) return h->data();
  size_t old_cap = h->cap;
  h = HeapString::Grow(h, len);
  e->set_heap(h);
  std::memset(h->data() + old_len, 0, len - old_len);
  h->len = len;
  db.AdjustBytes(static_cast<ptrdiff_t>(h->cap) - static_cast<ptrdiff_t>(old_cap));
  return h->data();
}

void AppendBytes(Database& db, Entry* e, std::string_view tail) {
  HeapString* h = e->heap();
  size_t old_cap = h->cap;
  size_t len = h->len + tail.size();
  h = HeapString::Grow(h, len);
  e->set_heap(h);
  if (!tail.empty()) std::memcpy(h->data() + h->len, tail.data(), tail.size());
  h->len = len;
  db.AdjustBytes(static_cast<ptrdiff_t>(h->cap) - static_cast<ptrdiff_t>(old_cap));
}

void SetIntInPlace(Entry* e, int64_t value, bool share_ints) {
  e->SetInt(value, IsSharedInteger(value, share_ints));
}

}  // namespace cairn
