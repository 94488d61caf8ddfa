// Keyspace: the numbered databases of one engine and the key of their hash.
//
// Databases are created once (the `databases` parameter) and never move;
// SWAPDB exchanges their contents. The SipHash key is drawn from the Env's
// random source when the engine starts, so the table layout is unpredictable
// to clients in production and fixed by the seed in the simulator.
//
// The keyspace also keeps the access clock a newly stored object gets (the
// engine sets it whenever it reads the clock), so every Database::Add stamps
// new entries the same way whoever adds them (commands, the loader); and the
// walk mark every stored entry gets. A rewrite's walk flips the mark when it
// cuts: every entry then differs from it until the walk (or a write, which
// copies the entry's cut value first) has put it into the new base, or it
// was stored after the cut. When no walk runs, every entry has the current
// mark (the walk marks what it writes; an abandoned walk marks the rest).
#pragma once

#include <memory>
#include <vector>

#include "engine/keyspace/database.h"
#include "engine/util/siphash.h"

namespace cairn {

class Keyspace {
 public:
  Keyspace(int databases, const SipKey& hash_key);
  Keyspace(const Keyspace&) = delete;  // databases point at fresh_access_, walk_mark_
  Keyspace& operator=(const Keyspace&) = delete;

  int count() const { return static_cast<int>(dbs_.size()); }
  Database& db(int index) { return *dbs_[static_cast<size_t>(index)]; }
  const Database& db(int index) const { return *dbs_[static_cast<size_t>(index)]; }
  const SipKey& hash_key() const { return hash_key_; }

  void SwapDatabases(int a, int b) {
    dbs_[static_cast<size_t>(a)]->swap(*dbs_[static_cast<size_t>(b)]);
  }
  void FlushAll();
  size_t TotalKeys() const;
  // The access clock new entries get: LRU seconds, or LFU minutes << 8 and
  // the initial counter.
  void set_fresh_access(uint32_t v) { fresh_access_ = v; }
  uint32_t fresh_access() const { return fresh_access_; }
  bool walk_mark() const { return walk_mark_; }
  void FlipWalkMark() { walk_mark_ = !walk_mark_; }
  size_t TotalBytes() const;

 private:
  SipKey hash_key_;
  uint32_t fresh_access_ = 0;
  bool walk_mark_ = false;
  std::vector<std::unique_ptr<Database>> dbs_;
};

}  // namespace cairn
