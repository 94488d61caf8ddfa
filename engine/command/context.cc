#include "engine/command/context.h"

#include "engine/keyspace/access_clock.h"

namespace cairn {
namespace {

// Redis's defaults for lfu-log-factor and lfu-decay-time (the parameter
// table does not carry them yet).
constexpr int64_t kLfuLogFactor = 10;
constexpr int64_t kLfuDecayMinutes = 1;

}  // namespace

bool CommandContext::ExpireIfNeeded(int db_index, Database::Slot& slot) {
  Entry* e = slot.entry();
  if (e == nullptr || !IsExpired(e)) return false;
  Database& database = db(db_index);
  // The deletion is logged as a DEL (UNLINK under lazyfree-lazy-expire), so
  // replay never depends on the clock. Redis does not count it as a change
  // (dirty): the DEL record is its only trace.
  std::string_view verb = settings().lazyfree_lazy_expire ? "UNLINK" : "DEL";
  std::string_view key = e->key();
  std::string_view args[] = {verb, key};
  engine_.Propagate(db_index, args);
  database.Delete(slot);
  slot = Database::Slot{};
  ++engine_.stats().expired_keys;
  return true;
}

void CommandContext::Touch(Entry* e) {
  if (IsLfuPolicy(settings().maxmemory_policy)) {
    double r = static_cast<double>(engine_.env().random().Next64() >> 11) * 0x1.0p-53;
    e->set_lru(LfuAccess(e->lru(), now_ms(), kLfuLogFactor, kLfuDecayMinutes, r));
  } else {
    e->set_lru(engine_.LruClock());
  }
}

Database::Slot CommandContext::LocateWrite(int db_index, std::string_view key) {
  Database::Slot slot = db(db_index).Locate(key);
  if (slot) {
    if (ExpireIfNeeded(db_index, slot)) return db(db_index).Locate(key);
    Touch(slot.entry());
  }
  return slot;
}

Entry* CommandContext::Lookup(int db_index, std::string_view key, uint32_t flags, bool write) {
  Database::Slot slot = db(db_index).Locate(key);
  if (slot) ExpireIfNeeded(db_index, slot);
  Entry* e = slot.entry();
  if (!write && (flags & kLookupNoStats) == 0) {
    if (e != nullptr) {
      ++engine_.stats().keyspace_hits;
    } else {
      ++engine_.stats().keyspace_misses;
    }
  }
  if (e != nullptr && (flags & kLookupNoTouch) == 0) Touch(e);
  return e;
}

}  // namespace cairn
