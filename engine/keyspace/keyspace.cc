#include "engine/keyspace/keyspace.h"

namespace cairn {

Keyspace::Keyspace(int databases, const SipKey& hash_key) : hash_key_(hash_key) {
  dbs_.reserve(static_cast<size_t>(databases));
  for (int i = 0; i < databases; ++i)
    dbs_.push_back(std::make_unique<Database>(&hash_key_, &fresh_access_, &walk_mark_));
}

void Keyspace::FlushAll() {
  for (auto& db : dbs_) db->Clear();
}

size_t Keyspace::TotalKeys() const {
  size_t n = 0;
  for (const auto& db : dbs_) n += db->size();
  return n;
}

size_t Keyspace::TotalBytes() const {
  size_t n = 0;
  for (const auto& db : dbs_) n += db->bytes();
  return n;
}

}  // namespace cairn
