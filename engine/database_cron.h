// DatabaseCron: the keyspace's background work -- active expiry, and the
// resizing and incremental rehashing of the databases' tables.
//
// Active expiry reclaims keys whose deadline passed without anyone touching
// them, with Redis 7.0's algorithm so memory and INFO behave alike:
//   - The slow cycle runs on every tick. It visits up to 16 databases,
//     continuing from where the previous tick stopped, and in each walks the
//     expiry table's buckets from a cursor kept in the database, sampling
//     20 keys (more with active-expire-effort) and deleting the expired
//     ones. It samples again while more than 10% of a sample had expired,
//     and stops when a quarter of the tick's period is used (checked every
//     16 samples; expired_time_cap_reached_count counts those stops).
//   - A table less than 1% full is not sampled (a resize comes first).
//   - The fast cycle runs at the end of every batch, but only when the last
//     slow cycle ran out of time or the estimated share of stale keys
//     (expired_stale_perc, a running average of the samples) is at least the
//     acceptable 10%; it gets 1 ms, and not more often than every 2 ms.
//   - Each deletion is propagated as a DEL (UNLINK under
//     lazyfree-lazy-expire) in the key's database and counted in
//     expired_keys; the deadline test is the lookups' (now > deadline).
//
// Table upkeep follows: tables under 10% full shrink (16 databases per
// tick), and with activerehashing a database whose table is being resized
// gets 1 ms of rehash steps.
//
// Determinism: time comes only from the engine's Env clock.
#pragma once

#include <cstdint>

namespace cairn {

class Engine;

class DatabaseCron {
 public:
  explicit DatabaseCron(Engine& engine) : engine_(engine) {}

  // One tick's work: the slow expiry cycle, then table upkeep.
  void Tick();
  // The fast expiry cycle (end of a batch); usually returns at once.
  void FastExpire();

 private:
  enum class CycleKind { kSlow, kFast };
  void ExpireCycle(CycleKind kind);
  void Upkeep();

  Engine& engine_;
  uint32_t next_db_ = 0;            // next database the expiry cycle visits
  bool out_of_time_ = false;        // the last cycle hit its time limit
  int64_t last_fast_start_us_ = 0;  // monotonic start of the last fast cycle
  uint32_t next_resize_db_ = 0;
  uint32_t next_rehash_db_ = 0;
};

}  // namespace cairn
