#include "engine/command/string_value.h"

#include "engine/util/strconv.h"

namespace cairn {

Entry* NewStringEntry(std::string_view key, std::string_view value, bool with_expire) {
  if (value.size() <= 20) {
    if (auto v = ParseInt64(value)) {
      return Entry::NewInt(key, *v, *v >= 0 && *v < kSharedIntegers, with_expire);
    }
  }
  Encoding enc = value.size() <= kEmbstrMaxLen ? Encoding::kEmbstr : Encoding::kRaw;
  return Entry::NewInline(key, value, enc, with_expire);
}

Entry* NewIntEntry(std::string_view key, int64_t value, bool with_expire) {
  return Entry::NewInt(key, value, value >= 0 && value < kSharedIntegers, with_expire);
}

Entry* StoreEntry(Database& db, Database::Slot& slot, Entry* e, bool keep_ttl) {
  Entry* old = slot.entry();
  if (old == nullptr) {
    db.Add(e, slot);
    slot = Database::Slot{};  // the insert may have moved buckets
    return e;
  }
  if (keep_ttl && old->has_expire_block() && old->expire_at() > 0) {
    if (!e->has_expire_block()) {
      Entry* with = Entry::CloneWithExpire(e, true);
      Entry::Free(e);
      e = with;
    }
    e->set_expire_at(old->expire_at());
  }
  e->set_lru(old->lru());
  db.Replace(slot, e);
  return e;
}

Entry* StoreString(Database& db, Database::Slot& slot, std::string_view key,
                   std::string_view value, bool keep_ttl) {
  bool with_expire = keep_ttl && slot.entry() != nullptr && slot.entry()->expire_at() > 0;
  return StoreEntry(db, slot, NewStringEntry(key, value, with_expire), keep_ttl);
}

}  // namespace cairn
