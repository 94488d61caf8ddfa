// Keyspace: the numbered databases of one engine and the key of their hash.
//
// Databases are created once (the `databases` parameter) and never move;
// SWAPDB exchanges their contents. The SipHash key is drawn from the Env's
// random source when the engine starts, so the table layout is unpredictable
// to clients in production and fixed by the seed in the simulator.
#pragma once

#include <memory>
#include <vector>

#include "engine/keyspace/database.h"
#include "engine/util/siphash.h"

namespace cairn {

class Keyspace {
 public:
  Keyspace(int databases, const SipKey& hash_key);

  int count() const { return static_cast<int>(dbs_.size()); }
  Database& db(int index) { return *dbs_[static_cast<size_t>(index)]; }
  const SipKey& hash_key() const { return hash_key_; }

  void SwapDatabases(int a, int b) { dbs_[static_cast<size_t>(a)]->swap(*dbs_[static_cast<size_t>(b)]); }
  void FlushAll();
  size_t TotalKeys() const;
  size_t TotalBytes() const;

 private:
  SipKey hash_key_;
  std::vector<std::unique_ptr<Database>> dbs_;
};

}  // namespace cairn
