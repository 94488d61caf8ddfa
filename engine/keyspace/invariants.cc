#include "engine/keyspace/invariants.h"

#include <string>

namespace cairn {
namespace {

std::string Named(std::string_view what, const Entry* e) {
  return "keyspace: " + std::string(what) + " (key \"" + std::string(e->key()) + "\")";
}

}  // namespace

Status CheckInvariants(const Database& db) {
  Status bad = Status::Ok();
  size_t entries = 0;
  size_t with_deadline = 0;
  size_t bytes = 0;
  db.main().ForEach([&](Entry* e) {
    ++entries;
    bytes += e->AllocSize();
    if (e->has_expire_block() && e->expire_at() > 0) ++with_deadline;
    if (bad.ok() && db.main().Peek(e->key()) != e) {
      bad = Status::Corruption(Named("an entry is not found under its own key", e));
    }
  });
  if (!bad.ok()) return bad;
  if (entries != db.size()) {
    return Status::Corruption("keyspace: main table counts " + std::to_string(db.size()) +
                              " entries but holds " + std::to_string(entries));
  }
  size_t expiring = 0;
  db.expires().ForEach([&](Entry* e) {
    ++expiring;
    if (!bad.ok()) return;
    if (!e->has_expire_block() || e->expire_at() <= 0) {
      bad = Status::Corruption(Named("the expiry table holds an entry without a deadline", e));
    } else if (db.main().Peek(e->key()) != e) {
      bad = Status::Corruption(Named("the expiry table holds an entry the main table lacks", e));
    }
  });
  if (!bad.ok()) return bad;
  if (expiring != db.expires_size() || expiring != with_deadline) {
    return Status::Corruption("keyspace: " + std::to_string(with_deadline) +
                              " entries have a deadline, the expiry table holds " +
                              std::to_string(expiring) + " and counts " +
                              std::to_string(db.expires_size()));
  }
  size_t expected = bytes + db.main().TableBytes() + db.expires().TableBytes();
  if (db.bytes() != expected) {
    return Status::Corruption("keyspace: bytes() is " + std::to_string(db.bytes()) +
                              " but entries and tables take " + std::to_string(expected));
  }
  return Status::Ok();
}

Status CheckInvariants(const Keyspace& keyspace) {
  for (int i = 0; i < keyspace.count(); ++i) {
    Status s = CheckInvariants(keyspace.db(i));
    if (!s.ok()) return Status::Corruption("db" + std::to_string(i) + ": " + s.message());
  }
  return Status::Ok();
}

}  // namespace cairn
