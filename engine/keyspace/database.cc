#include "engine/keyspace/database.h"

namespace cairn {

void Database::LinkExpire(Entry* e) {
  if (e->has_expire_block() && e->expire_at() > 0) expires_.Insert(e);
}

void Database::UnlinkExpire(Entry* e) {
  if (!e->has_expire_block() || e->expire_at() <= 0) return;
  uint64_t h = expires_.Hash(e->key());
  Entry** link = expires_.FindLink(e->key(), h);
  if (link != nullptr) expires_.Unlink(link, h);
}

void Database::Prefetch(std::span<const std::string_view> keys) const {
  if (main_.size() == 0) return;
  uint64_t hashes[kMaxPrefetch];
  const size_t n = keys.size() < kMaxPrefetch ? keys.size() : kMaxPrefetch;
  for (size_t i = 0; i < n; ++i) {
    hashes[i] = main_.Hash(keys[i]);
    main_.PrefetchBucket(hashes[i]);
  }
  for (size_t i = 0; i < n; ++i) main_.PrefetchChain(hashes[i], 0);
  for (size_t i = 0; i < n; ++i) main_.PrefetchChain(hashes[i], 1);
}

void Database::Add(Entry* e) {
  StampFresh(e);
  main_.Insert(e);
  LinkExpire(e);
  entry_bytes_ += e->AllocSize();
}

void Database::Add(Entry* e, const Slot& where) {
  StampFresh(e);
  main_.Insert(e, where.hash);
  LinkExpire(e);
  entry_bytes_ += e->AllocSize();
}

void Database::Replace(const Slot& slot, Entry* repl) {
  Entry* old = *slot.link;
  UnlinkExpire(old);
  StampMark(repl);
  main_.ReplaceAt(slot.link, repl);
  LinkExpire(repl);
  entry_bytes_ += repl->AllocSize();
  entry_bytes_ -= old->AllocSize();
  Entry::Free(old);
}

Entry* Database::Detach(const Slot& slot) {
  Entry* e = *slot.link;
  UnlinkExpire(e);
  main_.Unlink(slot.link, slot.hash);
  entry_bytes_ -= e->AllocSize();
  return e;
}

void Database::Delete(const Slot& slot) { Entry::Free(Detach(slot)); }

bool Database::Delete(std::string_view key) {
  Slot s = Locate(key);
  if (!s) return false;
  Delete(s);
  return true;
}

Entry* Database::SetExpire(Slot& slot, int64_t when_ms) {
  Entry* e = *slot.link;
  if (!e->has_expire_block()) {
    Entry* n = Entry::CloneWithExpire(e, true);
    n->set_expire_at(when_ms);
    Replace(slot, n);  // the slot's link now points at n
    return n;
  }
  UnlinkExpire(e);
  e->set_expire_at(when_ms);
  LinkExpire(e);
  return e;
}

bool Database::Persist(const Slot& slot) {
  Entry* e = *slot.link;
  if (!e->has_expire_block() || e->expire_at() <= 0) return false;
  UnlinkExpire(e);
  e->set_expire_at(0);
  return true;
}

void Database::Clear() {
  main_.ForEach([](Entry* e) { Entry::Free(e); });
  main_.Clear();
  expires_.Clear();
  entry_bytes_ = 0;
  expire_cursor = 0;
  avg_ttl = 0;
}

void Database::swap(Database& o) noexcept {
  main_.swap(o.main_);
  expires_.swap(o.expires_);
  std::swap(entry_bytes_, o.entry_bytes_);
  std::swap(expire_cursor, o.expire_cursor);
  std::swap(avg_ttl, o.avg_ttl);
}

void Database::Upkeep(size_t rehash_steps) {
  if (!main_.RehashSteps(rehash_steps)) main_.ShrinkIfSparse();
  if (!expires_.RehashSteps(rehash_steps)) expires_.ShrinkIfSparse();
}

}  // namespace cairn
