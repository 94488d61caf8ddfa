#include "engine/database_cron.h"

#include <algorithm>

#include "engine/command/latency_monitor.h"
#include "engine/engine.h"

namespace cairn {
namespace {

constexpr uint32_t kDatabasesPerCall = 16;
constexpr uint64_t kKeysPerLoop = 20;
constexpr int64_t kFastCycleUs = 1000;
constexpr int64_t kSlowCyclePercent = 25;
constexpr uint64_t kAcceptableStalePercent = 10;
constexpr int64_t kRehashBudgetUs = 1000;
constexpr size_t kRehashStepsPerRound = 100;

// Weight of one cycle's sample in the stale-key estimate.
constexpr double kStaleSampleWeight = 0.05;

}  // namespace

void DatabaseCron::Tick() {
  ExpireCycle(CycleKind::kSlow);
  Upkeep();
}

void DatabaseCron::FastExpire() { ExpireCycle(CycleKind::kFast); }

void DatabaseCron::ExpireCycle(CycleKind kind) {
  const Settings& settings = engine_.settings();
  ServerStats& stats = engine_.stats();
  Keyspace& keyspace = engine_.keyspace();
  Clock& clock = engine_.env().clock();

  // active-expire-effort (1..10) scales every limit, as in Redis.
  const uint64_t effort =
      static_cast<uint64_t>(std::clamp<int64_t>(settings.active_expire_effort, 1, 10) - 1);
  const uint64_t keys_per_loop = kKeysPerLoop + kKeysPerLoop / 4 * effort;
  const int64_t fast_cycle_us = kFastCycleUs + kFastCycleUs / 4 * static_cast<int64_t>(effort);
  const int64_t slow_cycle_percent = kSlowCyclePercent + 2 * static_cast<int64_t>(effort);
  const uint64_t acceptable_stale = kAcceptableStalePercent - effort;

  const int64_t start_us = clock.MonotonicUs();
  if (kind == CycleKind::kFast) {
    // Redis holds the stale estimate, a fraction, against a percentage here,
    // so in effect only a slow cycle that ran out of time starts fast ones;
    // Cairn keeps that behaviour.
    if (!out_of_time_ && stats.expired_stale_perc < static_cast<double>(acceptable_stale)) return;
    if (start_us < last_fast_start_us_ + fast_cycle_us * 2) return;
    last_fast_start_us_ = start_us;
  }

  const uint32_t db_count = static_cast<uint32_t>(keyspace.count());
  uint32_t dbs_per_call = kDatabasesPerCall;
  // After running out of time, visit every database: some have work.
  if (dbs_per_call > db_count || out_of_time_) dbs_per_call = db_count;

  const int64_t hz = std::max<int64_t>(settings.hz, 1);
  int64_t time_limit_us = slow_cycle_percent * 1000000 / hz / 100;
  if (time_limit_us <= 0) time_limit_us = 1;
  if (kind == CycleKind::kFast) time_limit_us = fast_cycle_us;
  out_of_time_ = false;

  const int64_t now = engine_.RefreshNow();
  const std::string_view verb = settings.lazyfree_lazy_expire ? "UNLINK" : "DEL";
  uint64_t total_sampled = 0;
  uint64_t total_expired = 0;
  uint64_t iteration = 0;

  for (uint32_t j = 0; j < dbs_per_call && !out_of_time_; ++j) {
    const int db_index = static_cast<int>(next_db_ % db_count);
    ++next_db_;  // a database cut short by the time limit is not retried first
    Database& db = keyspace.db(db_index);
    Dict<ExpireLink>& expires = db.expires();
    uint64_t sampled = 0;
    uint64_t expired = 0;
    do {
      ++iteration;
      uint64_t num = expires.size();
      if (num == 0) {
        db.avg_ttl = 0;
        break;
      }
      // Sampling a table under 1% full mostly visits empty buckets: wait
      // for the resize.
      const uint64_t slots = expires.bucket_count();
      if (slots > 4 && num * 100 / slots < 1) break;

      sampled = 0;
      expired = 0;
      int64_t ttl_sum = 0;
      int64_t ttl_samples = 0;
      num = std::min(num, keys_per_loop);
      const uint64_t max_buckets = num * 20;
      uint64_t checked_buckets = 0;
      while (sampled < num && checked_buckets < max_buckets) {
        for (int table = 0; table < 2; ++table) {
          if (table == 1 && !expires.rehashing()) break;
          Entry* e = expires.BucketHead(table, db.expire_cursor);
          ++checked_buckets;
          while (e != nullptr) {
            Entry* next = e->expire_next();  // deleting e unlinks it
            const int64_t deadline = e->expire_at();
            if (now > deadline) {
              std::string_view args[] = {verb, e->key()};
              engine_.Propagate(db_index, args);
              db.Delete(db.Locate(e->key()));
              ++stats.expired_keys;
              ++expired;
            } else {
              ttl_sum += deadline - now;
              ++ttl_samples;
            }
            ++sampled;
            e = next;
          }
        }
        ++db.expire_cursor;
      }
      total_expired += expired;
      total_sampled += sampled;

      if (ttl_samples > 0) {
        // A slow running average: this sample weighs 2%.
        const int64_t avg = ttl_sum / ttl_samples;
        if (db.avg_ttl == 0) db.avg_ttl = avg;
        db.avg_ttl = (db.avg_ttl / 50) * 49 + avg / 50;
      }

      if ((iteration & 0xf) == 0 && clock.MonotonicUs() - start_us > time_limit_us) {
        out_of_time_ = true;
        ++stats.expired_time_cap_reached_count;
        break;
      }
      // Sample this database again while the share of expired keys in the
      // sample is above what is acceptable.
    } while (sampled == 0 || expired * 100 / sampled > acceptable_stale);
  }

  const int64_t elapsed_us = clock.MonotonicUs() - start_us;
  stats.expire_cycle_time_used_us += static_cast<uint64_t>(elapsed_us);
  stats.expire_cycle_cpu_milliseconds = stats.expire_cycle_time_used_us / 1000;
  const int64_t threshold = settings.latency_monitor_threshold;
  if (threshold > 0 && elapsed_us / 1000 >= threshold) {
    engine_.latency().AddSample("expire-cycle", now / 1000, elapsed_us / 1000);
  }
  const double current =
      total_sampled > 0 ? static_cast<double>(total_expired) / static_cast<double>(total_sampled)
                        : 0.0;
  stats.expired_stale_perc =
      current * kStaleSampleWeight + stats.expired_stale_perc * (1.0 - kStaleSampleWeight);
}

void DatabaseCron::Upkeep() {
  Keyspace& keyspace = engine_.keyspace();
  const uint32_t db_count = static_cast<uint32_t>(keyspace.count());
  const uint32_t dbs_per_call = std::min(kDatabasesPerCall, db_count);

  // Shrink tables that became sparse.
  for (uint32_t j = 0; j < dbs_per_call; ++j) {
    Database& db = keyspace.db(static_cast<int>(next_resize_db_ % db_count));
    db.main().ShrinkIfSparse();
    db.expires().ShrinkIfSparse();
    ++next_resize_db_;
  }

  if (!engine_.settings().activerehashing) return;
  // The first database with a resize under way gets 1 ms of rehashing, and
  // keeps the turn until it is done.
  Clock& clock = engine_.env().clock();
  auto rehash_for_a_while = [&](auto& dict) {
    const int64_t start = clock.MonotonicUs();
    while (dict.RehashSteps(kRehashStepsPerRound)) {
      if (clock.MonotonicUs() - start > kRehashBudgetUs) break;
    }
  };
  for (uint32_t j = 0; j < dbs_per_call; ++j) {
    Database& db = keyspace.db(static_cast<int>(next_rehash_db_));
    if (db.main().rehashing()) {
      rehash_for_a_while(db.main());
      break;
    }
    if (db.expires().rehashing()) {
      rehash_for_a_while(db.expires());
      break;
    }
    next_rehash_db_ = (next_rehash_db_ + 1) % db_count;
  }
}

}  // namespace cairn
