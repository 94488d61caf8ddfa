#include "engine/command/context.h"

namespace cairn {

bool CommandContext::ExpireIfNeeded(int db_index, Database::Slot& slot) {
  Entry* e = slot.entry();
  if (e == nullptr || !IsExpired(e)) return false;
  Database& database = db(db_index);
  // The deletion is logged as a DEL (UNLINK under lazyfree-lazy-expire), so
  // replay never depends on the clock.
  std::string_view verb = settings().lazyfree_lazy_expire ? "UNLINK" : "DEL";
  std::string_view key = e->key();
  std::string_view args[] = {verb, key};
  engine_.Propagate(db_index, args);
  database.Delete(slot);
  slot = Database::Slot{};
  ++engine_.stats().expired_keys;
  engine_.stats().dirty++;
  return true;
}

Database::Slot CommandContext::LocateWrite(int db_index, std::string_view key) {
  Database::Slot slot = db(db_index).Locate(key);
  if (slot) {
    if (ExpireIfNeeded(db_index, slot)) return db(db_index).Locate(key);
    slot.entry()->set_lru(engine_.LruClock());
  }
  return slot;
}

Entry* CommandContext::Lookup(int db_index, std::string_view key, uint32_t flags, bool write) {
  (void)write;
  Database::Slot slot = db(db_index).Locate(key);
  if (slot) ExpireIfNeeded(db_index, slot);
  Entry* e = slot.entry();
  if ((flags & kLookupNoStats) == 0) {
    if (e != nullptr) {
      ++engine_.stats().keyspace_hits;
    } else {
      ++engine_.stats().keyspace_misses;
    }
  }
  if (e != nullptr && (flags & kLookupNoTouch) == 0) e->set_lru(engine_.LruClock());
  return e;
}

}  // namespace cairn
