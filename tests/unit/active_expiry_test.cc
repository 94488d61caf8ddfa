// Active expiry (DatabaseCron): memory is reclaimed without any access, with
// Redis 7.0's sampling loop, statistics and records.
#include <gtest/gtest.h>

#include "engine/command/latency_monitor.h"
#include "engine/database_cron.h"
#include "tests/unit/key_test_util.h"

namespace cairn::testing {
namespace {

using Strings = std::vector<std::string>;

void AddKeys(EngineHarness& h, const std::string& prefix, int n, int64_t pexpire_ms) {
  for (int i = 0; i < n; ++i) {
    std::string k = prefix + std::to_string(i);
    h.Run({"SET", k, "v"});
    if (pexpire_ms > 0) h.Run({"PEXPIRE", k, std::to_string(pexpire_ms)});
  }
}

TEST(ActiveExpiry, ReclaimsTenThousandKeysWithoutAnyAccess) {
  EngineHarness h;
  AddKeys(h, "key:", 10'000, 100);
  Database& db = h.engine().keyspace().db(0);
  ASSERT_EQ(db.size(), 10'000u);
  ASSERT_EQ(db.expires_size(), 10'000u);
  const size_t bytes_full = db.bytes();
  h.ClearEffects();

  h.engine().Tick();  // nothing due yet
  EXPECT_EQ(db.size(), 10'000u);
  EXPECT_TRUE(h.Effects().empty());

  h.AdvanceMs(101);
  for (int i = 0; i < 5; ++i) h.engine().Tick();
  EXPECT_EQ(h.Run({"DBSIZE"}), Int(0));
  EXPECT_EQ(db.expires_size(), 0u);
  EXPECT_EQ(h.engine().stats().expired_keys, 10'000u);
  // Every deletion is recorded once, as a DEL in database 0.
  Strings effects = h.Effects();
  ASSERT_EQ(effects.size(), 10'000u);
  std::sort(effects.begin(), effects.end());
  EXPECT_EQ(std::unique(effects.begin(), effects.end()), effects.end());
  for (const std::string& e : effects) ASSERT_EQ(e.rfind("0:DEL key:", 0), 0u) << e;
  // The entries and, after the shrink, the tables are gone.
  EXPECT_LT(db.bytes(), bytes_full / 100);
  EXPECT_LE(db.main().bucket_count(), 8u);
}

TEST(ActiveExpiry, KeepsLiveKeysAndKeysWithoutTtl) {
  EngineHarness h;
  AddKeys(h, "short:", 500, 100);
  AddKeys(h, "long:", 500, 60'000);
  AddKeys(h, "plain:", 500, 0);
  h.AdvanceMs(200);
  for (int i = 0; i < 10; ++i) h.engine().Tick();
  Database& db = h.engine().keyspace().db(0);
  EXPECT_EQ(db.size(), 1000u);
  EXPECT_EQ(db.expires_size(), 500u);
  EXPECT_EQ(h.engine().stats().expired_keys, 500u);
  EXPECT_EQ(h.Run({"EXISTS", "long:7", "plain:7", "short:7"}), Int(2));
  // Sampled live keys feed the average TTL (about 60 s here).
  EXPECT_GT(db.avg_ttl, 50'000);
  EXPECT_LE(db.avg_ttl, 60'000);
}

TEST(ActiveExpiry, VisitsEveryDatabaseAndRecordsInEach) {
  EngineHarness h;
  for (int db = 0; db < 16; db += 5) {
    h.Run({"SELECT", std::to_string(db)});
    AddKeys(h, "k", 30, 10);
  }
  h.ClearEffects();
  h.AdvanceMs(20);
  h.engine().Tick();
  h.engine().Tick();
  EXPECT_EQ(h.engine().keyspace().TotalKeys(), 0u);
  Strings effects = h.Effects();
  ASSERT_EQ(effects.size(), 4u * 30u);
  for (int db : {0, 5, 10, 15}) {
    size_t n = std::count_if(effects.begin(), effects.end(), [&](const std::string& e) {
      return e.rfind(std::to_string(db) + ":DEL k", 0) == 0;
    });
    EXPECT_EQ(n, 30u) << "db " << db;
  }
}

TEST(ActiveExpiry, UnlinkUnderLazyfreeLazyExpire) {
  EngineHarness h;
  MutableSettings(h).lazyfree_lazy_expire = true;
  AddKeys(h, "k", 3, 10);
  h.ClearEffects();
  h.AdvanceMs(11);
  h.engine().Tick();
  EXPECT_EQ(h.Effects().size(), 3u);
  for (const std::string& e : h.Effects()) EXPECT_EQ(e.rfind("0:UNLINK k", 0), 0u) << e;
}

TEST(ActiveExpiry, DeadlineEqualToNowIsNotYetExpired) {
  EngineHarness h;
  AddKeys(h, "k", 10, 100);
  h.AdvanceMs(100);
  h.engine().Tick();
  EXPECT_EQ(h.engine().keyspace().db(0).size(), 10u);
  h.AdvanceMs(1);
  h.engine().Tick();
  EXPECT_EQ(h.engine().keyspace().db(0).size(), 0u);
}

TEST(ActiveExpiry, ExpiryIsNotADirtyChange) {
  EngineHarness h;
  AddKeys(h, "k", 10, 10);
  uint64_t dirty = h.engine().stats().dirty;
  h.AdvanceMs(11);
  h.engine().Tick();
  EXPECT_EQ(h.engine().stats().dirty, dirty);
}

TEST(ActiveExpiry, StalePercentIsARunningAverage) {
  EngineHarness h;
  AddKeys(h, "k", 100, 10);
  h.AdvanceMs(11);
  h.engine().Tick();  // every sampled key had expired: this cycle's share is 1
  EXPECT_DOUBLE_EQ(h.engine().stats().expired_stale_perc, 0.05);
  h.engine().Tick();  // nothing left to sample: share 0
  EXPECT_DOUBLE_EQ(h.engine().stats().expired_stale_perc, 0.05 * 0.95);
}

// An Env whose monotonic clock moves on every read, so the cycle's time
// budget runs out; everything else is FakeEnv's.
class SlowEnv final : public Env {
 public:
  class SteppingClock final : public Clock {
   public:
    int64_t WallUs() override { return wall_us; }
    int64_t MonotonicUs() override { return mono_us += step_us; }
    int64_t wall_us = 1'700'000'000'000'000;
    int64_t mono_us = 0;
    int64_t step_us = 0;
  };
  Clock& clock() override { return clock_; }
  RandomSource& random() override { return base_.random(); }
  FileSystem& fs() override { return base_.fs(); }
  Logger& logger() override { return base_.logger(); }
  SteppingClock clock_;

 private:
  FakeEnv base_;
};

std::string Encode(std::initializer_list<std::string_view> args) {
  return EncodeCommand(std::vector<std::string_view>(args));
}

TEST(ActiveExpiry, TimeCapStopsTheCycleAndFastCyclesFollow) {
  SlowEnv env;
  Config config;
  // The log is off: this test counts the cycle's own clock reads.
  std::vector<std::string> args = {"--dir", "/data", "--appendonly", "no"};
  ASSERT_TRUE(config.ApplyArgs(args).ok());
  Engine engine(env, std::move(config));
  ASSERT_TRUE(engine.Start().ok());
  Session* s = engine.OpenSession(SessionInfo{});
  for (int i = 0; i < 20'000; ++i) {
    std::string k = "k" + std::to_string(i);
    engine.Feed(s, Encode({"SET", k, "v"}));
    engine.Feed(s, Encode({"PEXPIRE", k, "10"}));
  }
  engine.EndBatch();
  env.clock_.wall_us += 20'000;
  // Each clock read now costs 30 ms: the slow cycle (25 ms at hz 10) stops
  // at its first check, after 16 samples of about 20 keys (whole buckets).
  env.clock_.step_us = 30'000;
  engine.Tick();
  EXPECT_EQ(engine.stats().expired_time_cap_reached_count, 1u);
  EXPECT_GE(engine.stats().expired_keys, 16u * 20u);
  EXPECT_LT(engine.stats().expired_keys, 16u * 25u);
  EXPECT_GT(engine.stats().expire_cycle_time_used_us, 0u);

  // Having run out of time, the next batch end runs a fast cycle (1 ms).
  // Clock reads now cost 0.3 ms: the budget is spent at the 4th check.
  env.clock_.step_us = 300;
  uint64_t before = engine.stats().expired_keys;
  engine.EndBatch();
  EXPECT_GT(engine.stats().expired_keys, before);
  EXPECT_EQ(engine.stats().expired_time_cap_reached_count, 2u);
  // ... and none starts again within twice its duration (2 ms after the
  // last one started; 1.8 ms have passed).
  before = engine.stats().expired_keys;
  engine.EndBatch();
  EXPECT_EQ(engine.stats().expired_keys, before);
  EXPECT_EQ(engine.stats().expired_time_cap_reached_count, 2u);
  // A little later one does.
  engine.EndBatch();
  EXPECT_GT(engine.stats().expired_keys, before);
  EXPECT_EQ(engine.stats().expired_time_cap_reached_count, 3u);
  env.clock_.step_us = 0;

  // Ticks with time to spare finish the work; fast cycles then stop.
  for (int i = 0; i < 10; ++i) engine.Tick();
  EXPECT_EQ(engine.keyspace().db(0).size(), 0u);
  before = engine.stats().expired_keys;
  env.clock_.mono_us += 10'000;
  engine.EndBatch();
  EXPECT_EQ(engine.stats().expired_keys, before);
  EXPECT_EQ(before, 20'000u);
}

TEST(ActiveExpiry, NoFastCycleWithoutATimeCap) {
  EngineHarness h;
  AddKeys(h, "k", 200, 10);
  h.AdvanceMs(11);
  // A batch end alone does not expire anything: only ticks do.
  h.engine().EndBatch();
  EXPECT_EQ(h.engine().keyspace().db(0).size(), 200u);
  h.engine().Tick();
  EXPECT_EQ(h.engine().keyspace().db(0).size(), 0u);
}

TEST(TableUpkeep, SparseTablesShrinkAndRehashCompletes) {
  EngineHarness h;
  AddKeys(h, "k", 4096, 0);
  Database& db = h.engine().keyspace().db(0);
  for (int i = 0; i < 4000; ++i) h.Run({"DEL", "k" + std::to_string(i)});
  EXPECT_GE(db.main().bucket_count(), 4096u);
  h.engine().Tick();
  h.engine().Tick();
  EXPECT_FALSE(db.main().rehashing());
  EXPECT_EQ(db.main().bucket_count(), 128u);
  EXPECT_EQ(h.Run({"DBSIZE"}), Int(96));
  EXPECT_EQ(h.Run({"EXISTS", "k4000", "k4095", "k3999"}), Int(2));
}

}  // namespace
}  // namespace cairn::testing
