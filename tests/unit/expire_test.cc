// The EXPIRE and TTL families, PERSIST, lazy expiry at the deadline's edge.
// Replies and error texts were checked against redis-server 7.0.15.
#include <gtest/gtest.h>

#include "tests/unit/key_test_util.h"

namespace cairn::testing {
namespace {

using Strings = std::vector<std::string>;

// FakeEnv's wall clock starts here (ms).
constexpr int64_t kStartMs = 1'700'000'000'000;

std::string Ms(int64_t v) { return std::to_string(v); }

TEST(Expire, EachFormRecordsAnAbsoluteDeadline) {
  EngineHarness h;
  for (const char* k : {"a", "b", "c", "d"}) h.Run({"SET", k, "v"});
  h.ClearEffects();
  EXPECT_EQ(h.Run({"EXPIRE", "a", "100"}), Int(1));
  EXPECT_EQ(h.Run({"PEXPIRE", "b", "1500"}), Int(1));
  EXPECT_EQ(h.Run({"EXPIREAT", "c", Ms(kStartMs / 1000 + 50)}), Int(1));
  EXPECT_EQ(h.Run({"PEXPIREAT", "d", Ms(kStartMs + 7)}), Int(1));
  EXPECT_EQ(
      h.Effects(),
      (Strings{"0:PEXPIREAT a " + Ms(kStartMs + 100'000), "0:PEXPIREAT b " + Ms(kStartMs + 1500),
               "0:PEXPIREAT c " + Ms(kStartMs + 50'000), "0:PEXPIREAT d " + Ms(kStartMs + 7)}));
  EXPECT_EQ(h.Run({"TTL", "a"}), Int(100));
  EXPECT_EQ(h.Run({"PTTL", "a"}), Int(100'000));
  EXPECT_EQ(h.Run({"EXPIRETIME", "a"}), Int(kStartMs / 1000 + 100));
  EXPECT_EQ(h.Run({"PEXPIRETIME", "a"}), Int(kStartMs + 100'000));
  EXPECT_EQ(h.Run({"TTL", "b"}), Int(2));  // 1.5 s rounds up
  EXPECT_EQ(h.Run({"PTTL", "d"}), Int(7));
  EXPECT_EQ(h.engine().stats().dirty, 4u + 4u);
}

TEST(Expire, TtlRoundsToTheNearestSecond) {
  EngineHarness h;
  h.Run({"SET", "k", "v"});
  h.Run({"PEXPIRE", "k", "1499"});
  EXPECT_EQ(h.Run({"TTL", "k"}), Int(1));
  h.Run({"PEXPIRE", "k", "1500"});
  EXPECT_EQ(h.Run({"TTL", "k"}), Int(2));
  h.Run({"PEXPIRE", "k", "499"});
  EXPECT_EQ(h.Run({"TTL", "k"}), Int(0));
  h.Run({"PEXPIREAT", "k", Ms(kStartMs + 123'456)});
  EXPECT_EQ(h.Run({"EXPIRETIME", "k"}), Int(kStartMs / 1000 + 123));
  h.Run({"PEXPIREAT", "k", Ms(kStartMs + 123'500)});
  EXPECT_EQ(h.Run({"EXPIRETIME", "k"}), Int(kStartMs / 1000 + 124));
}

TEST(Expire, LargestDeadlineRoundsUpLikeRedis) {
  EngineHarness h;
  h.Run({"SET", "k", "v"});
  EXPECT_EQ(h.Run({"PEXPIREAT", "k", "9223372036854775807"}), Int(1));
  EXPECT_EQ(h.Run({"EXPIRETIME", "k"}), Int(9223372036854776));
  EXPECT_EQ(h.Run({"PEXPIRETIME", "k"}), Int(9223372036854775807));
  EXPECT_EQ(h.Run({"PTTL", "k"}), Int(9223372036854775807 - kStartMs));
}

TEST(Expire, MissingKeyAndKeyWithoutTtl) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"EXPIRE", "missing", "100"}), Int(0));
  EXPECT_EQ(h.Run({"TTL", "missing"}), Int(-2));
  EXPECT_EQ(h.Run({"PTTL", "missing"}), Int(-2));
  EXPECT_EQ(h.Run({"EXPIRETIME", "missing"}), Int(-2));
  EXPECT_EQ(h.Run({"PEXPIRETIME", "missing"}), Int(-2));
  EXPECT_TRUE(h.Effects().empty());
  h.Run({"SET", "p", "v"});
  EXPECT_EQ(h.Run({"TTL", "p"}), Int(-1));
  EXPECT_EQ(h.Run({"PTTL", "p"}), Int(-1));
  EXPECT_EQ(h.Run({"EXPIRETIME", "p"}), Int(-1));
  EXPECT_EQ(h.Run({"PEXPIRETIME", "p"}), Int(-1));
}

TEST(Expire, ConditionFlags) {
  EngineHarness h;
  h.Run({"SET", "p", "v"});
  EXPECT_EQ(h.Run({"EXPIRE", "p", "100", "XX"}), Int(0));  // no TTL yet
  EXPECT_EQ(h.Run({"EXPIRE", "p", "100", "GT"}), Int(0));  // none counts as infinite
  EXPECT_EQ(h.Run({"EXPIRE", "p", "100", "NX"}), Int(1));
  EXPECT_EQ(h.Run({"EXPIRE", "p", "200", "NX"}), Int(0));
  EXPECT_EQ(h.Run({"TTL", "p"}), Int(100));
  EXPECT_EQ(h.Run({"EXPIRE", "p", "300", "XX"}), Int(1));
  EXPECT_EQ(h.Run({"EXPIRE", "p", "50", "GT"}), Int(0));
  EXPECT_EQ(h.Run({"EXPIRE", "p", "300", "GT"}), Int(0));  // equal is not greater
  EXPECT_EQ(h.Run({"EXPIRE", "p", "500", "gt"}), Int(1));
  EXPECT_EQ(h.Run({"EXPIRE", "p", "1000", "LT"}), Int(0));
  EXPECT_EQ(h.Run({"EXPIRE", "p", "500", "LT"}), Int(0));
  EXPECT_EQ(h.Run({"EXPIRE", "p", "10", "Lt"}), Int(1));
  EXPECT_EQ(h.Run({"EXPIRE", "p", "20", "XX", "GT"}), Int(1));
  EXPECT_EQ(h.Run({"TTL", "p"}), Int(20));
  EXPECT_EQ(h.Run({"EXPIRE", "p", "30", "NX", "NX"}), Int(0));
  h.Run({"SET", "q", "v"});
  EXPECT_EQ(h.Run({"EXPIRE", "q", "100", "LT"}), Int(1));  // infinite > anything
  EXPECT_EQ(h.Run({"TTL", "q"}), Int(100));
}

TEST(Expire, OptionErrorsComeBeforeTheTime) {
  EngineHarness h;
  h.Run({"SET", "q", "v"});
  const std::string nx_conflict =
      Err("ERR NX and XX, GT or LT options at the same time are not compatible");
  const std::string gt_lt = Err("ERR GT and LT options at the same time are not compatible");
  EXPECT_EQ(h.Run({"EXPIRE", "q", "100", "NX", "XX"}), nx_conflict);
  EXPECT_EQ(h.Run({"EXPIRE", "q", "100", "NX", "GT"}), nx_conflict);
  EXPECT_EQ(h.Run({"EXPIRE", "q", "100", "LT", "NX"}), nx_conflict);
  EXPECT_EQ(h.Run({"EXPIRE", "q", "100", "GT", "LT"}), gt_lt);
  EXPECT_EQ(h.Run({"EXPIRE", "q", "100", "FOO"}), Err("ERR Unsupported option FOO"));
  EXPECT_EQ(h.Run({"EXPIRE", "q", "abc", "NX", "XX"}), nx_conflict);
  EXPECT_EQ(h.Run({"EXPIRE", "q", "abc", "foo", "NX"}), Err("ERR Unsupported option foo"));
  EXPECT_EQ(h.Run({"EXPIRE", "q", "1", std::string_view("a\0b", 3)}),
            Err("ERR Unsupported option a"));
  EXPECT_EQ(h.Run({"PEXPIRE", "q", "1", "NX", "NX", "bad"}), Err("ERR Unsupported option bad"));
  EXPECT_EQ(h.Run({"TTL", "q"}), Int(-1));
  EXPECT_TRUE(h.Effects() == Strings{"0:SET q v"});
}

TEST(Expire, TimeMustBeAnInteger) {
  EngineHarness h;
  h.Run({"SET", "q", "v"});
  const std::string not_int = Err("ERR value is not an integer or out of range");
  EXPECT_EQ(h.Run({"EXPIRE", "q", "abc"}), not_int);
  EXPECT_EQ(h.Run({"EXPIRE", "q", "1.5"}), not_int);
  EXPECT_EQ(h.Run({"EXPIRE", "q", ""}), not_int);
  EXPECT_EQ(h.Run({"EXPIRE", "q", " 1"}), not_int);
  EXPECT_EQ(h.Run({"PEXPIRE", "q", "9223372036854775808"}), not_int);
  EXPECT_EQ(h.Run({"EXPIRE", "q"}), Err("ERR wrong number of arguments for 'expire' command"));
  EXPECT_EQ(h.Run({"TTL"}), Err("ERR wrong number of arguments for 'ttl' command"));
  EXPECT_EQ(h.Run({"PTTL", "a", "b"}), Err("ERR wrong number of arguments for 'pttl' command"));
  EXPECT_EQ(h.Run({"PERSIST", "a", "b"}),
            Err("ERR wrong number of arguments for 'persist' command"));
}

TEST(Expire, OverflowIsAnInvalidExpireTime) {
  EngineHarness h;
  h.Run({"SET", "q", "v"});
  EXPECT_EQ(h.Run({"EXPIRE", "q", "9223372036854775807"}),
            Err("ERR invalid expire time in 'expire' command"));
  // Fits in seconds but not once now is added.
  EXPECT_EQ(h.Run({"EXPIRE", "q", "9223372036854775"}),
            Err("ERR invalid expire time in 'expire' command"));
  EXPECT_EQ(h.Run({"EXPIRE", "q", "-9223372036854775808"}),
            Err("ERR invalid expire time in 'expire' command"));
  EXPECT_EQ(h.Run({"PEXPIRE", "q", "9223372036854775807"}),
            Err("ERR invalid expire time in 'pexpire' command"));
  EXPECT_EQ(h.Run({"EXPIREAT", "q", "9223372036854775807"}),
            Err("ERR invalid expire time in 'expireat' command"));
  EXPECT_EQ(h.Run({"EXPIREAT", "q", "92233720368547758"}),
            Err("ERR invalid expire time in 'expireat' command"));
  EXPECT_EQ(h.Run({"TTL", "q"}), Int(-1));
  // The largest deadlines that fit are accepted.
  EXPECT_EQ(h.Run({"EXPIREAT", "q", "9223372036854775"}), Int(1));
  EXPECT_EQ(h.Run({"PEXPIRETIME", "q"}), Int(9223372036854775000));
  EXPECT_EQ(h.Run({"PEXPIRE", "q", Ms(INT64_MAX - kStartMs)}), Int(1));
  EXPECT_EQ(h.Run({"PEXPIRETIME", "q"}), Int(INT64_MAX));
  EXPECT_EQ(h.Run({"PEXPIRE", "q", Ms(INT64_MAX - kStartMs + 1)}),
            Err("ERR invalid expire time in 'pexpire' command"));
}

TEST(Expire, DeadlineAlreadyDueDeletesAndRecordsDel) {
  EngineHarness h;
  const std::vector<std::vector<std::string>> cases = {{"EXPIRE", "r", "0"},
                                                       {"EXPIRE", "r", "-10"},
                                                       {"PEXPIRE", "r", "-1"},
                                                       {"PEXPIRE", "r", "0"},
                                                       {"EXPIREAT", "r", "1"},
                                                       {"EXPIREAT", "r", "0"},
                                                       {"PEXPIREAT", "r", "1000"},
                                                       {"PEXPIREAT", "r", Ms(kStartMs)},
                                                       {"PEXPIRE", "r", "-9223372036854775808"}};
  for (const auto& c : cases) {
    h.Run({"SET", "r", "v"});
    h.ClearEffects();
    uint64_t dirty = h.engine().stats().dirty;
    std::vector<std::string_view> args(c.begin(), c.end());
    EXPECT_EQ(h.Run(h.session(), args), Int(1)) << c[0] << " " << c[2];
    EXPECT_EQ(h.Run({"EXISTS", "r"}), Int(0)) << c[0] << " " << c[2];
    EXPECT_EQ(h.Effects(), Strings{"0:DEL r"}) << c[0] << " " << c[2];
    EXPECT_EQ(h.engine().stats().dirty, dirty + 1);
  }
  // Not an expiry of its own: the command deleted the key.
  EXPECT_EQ(h.engine().stats().expired_keys, 0u);
}

TEST(Expire, DueDeadlineUnderLazyfreeRecordsUnlink) {
  EngineHarness h;
  MutableSettings(h).lazyfree_lazy_expire = true;
  h.Run({"SET", "r", "v"});
  h.ClearEffects();
  EXPECT_EQ(h.Run({"EXPIRE", "r", "-1"}), Int(1));
  EXPECT_EQ(h.Effects(), Strings{"0:UNLINK r"});
}

TEST(Expire, ConditionsApplyBeforeADueDeadline) {
  EngineHarness h;
  h.Run({"SET", "r", "v"});
  h.Run({"EXPIRE", "r", "100"});
  EXPECT_EQ(h.Run({"EXPIRE", "r", "0", "GT"}), Int(0));
  EXPECT_EQ(h.Run({"EXISTS", "r"}), Int(1));
  EXPECT_EQ(h.Run({"EXPIRE", "r", "0", "LT"}), Int(1));
  EXPECT_EQ(h.Run({"EXISTS", "r"}), Int(0));
  h.Run({"SET", "r", "v"});
  EXPECT_EQ(h.Run({"EXPIRE", "r", "-1", "GT"}), Int(0));
  EXPECT_EQ(h.Run({"EXISTS", "r"}), Int(1));
  EXPECT_EQ(h.Run({"EXPIRE", "r", "-1", "LT"}), Int(1));
  EXPECT_EQ(h.Run({"EXISTS", "r"}), Int(0));
}

TEST(Expire, TtlQueriesCountStatisticsWithoutTouching) {
  EngineHarness h;
  h.Run({"SET", "k", "v"});
  h.Run({"EXPIRE", "k", "100"});
  h.AdvanceMs(4'000);
  uint64_t hits = h.engine().stats().keyspace_hits;
  uint64_t misses = h.engine().stats().keyspace_misses;
  h.Run({"TTL", "k"});
  h.Run({"PTTL", "k"});
  h.Run({"EXPIRETIME", "k"});
  h.Run({"PEXPIRETIME", "missing"});
  EXPECT_EQ(h.engine().stats().keyspace_hits, hits + 3);
  EXPECT_EQ(h.engine().stats().keyspace_misses, misses + 1);
  EXPECT_EQ(h.Run({"OBJECT", "IDLETIME", "k"}), Int(4));
  EXPECT_EQ(h.Run({"TTL", "k"}), Int(96));
}

TEST(Expire, WritesTouchTheKeyWithoutCountingStatistics) {
  EngineHarness h;
  h.Run({"SET", "k", "v"});
  h.AdvanceMs(4'000);
  uint64_t hits = h.engine().stats().keyspace_hits;
  uint64_t misses = h.engine().stats().keyspace_misses;
  h.Run({"EXPIRE", "k", "100"});
  h.Run({"EXPIRE", "missing", "100"});
  EXPECT_EQ(h.engine().stats().keyspace_hits, hits);
  EXPECT_EQ(h.engine().stats().keyspace_misses, misses);
  EXPECT_EQ(h.Run({"OBJECT", "IDLETIME", "k"}), Int(0));
}

TEST(Persist, RemovesTheTtlOnce) {
  EngineHarness h;
  h.Run({"SET", "s", "v"});
  h.Run({"EXPIRE", "s", "100"});
  h.ClearEffects();
  uint64_t dirty = h.engine().stats().dirty;
  EXPECT_EQ(h.Run({"PERSIST", "s"}), Int(1));
  EXPECT_EQ(h.Run({"PERSIST", "s"}), Int(0));
  EXPECT_EQ(h.Run({"PERSIST", "missing"}), Int(0));
  EXPECT_EQ(h.Run({"TTL", "s"}), Int(-1));
  EXPECT_EQ(h.Effects(), Strings{"0:PERSIST s"});
  EXPECT_EQ(h.engine().stats().dirty, dirty + 1);
  EXPECT_EQ(h.engine().keyspace().db(0).expires_size(), 0u);
  // A TTL can be set again afterwards.
  EXPECT_EQ(h.Run({"EXPIRE", "s", "5", "NX"}), Int(1));
  EXPECT_EQ(h.Run({"TTL", "s"}), Int(5));
  EXPECT_EQ(h.engine().keyspace().db(0).expires_size(), 1u);
}

TEST(Persist, ExpiredKeyIsGone) {
  EngineHarness h;
  h.Run({"SET", "s", "v"});
  h.Run({"PEXPIRE", "s", "10"});
  h.AdvanceMs(11);
  h.ClearEffects();
  EXPECT_EQ(h.Run({"PERSIST", "s"}), Int(0));
  EXPECT_EQ(h.Effects(), Strings{"0:DEL s"});
}

TEST(LazyExpiry, KeyLivesUntilTheClockPassesItsDeadline) {
  EngineHarness h;
  h.Run({"SET", "k", "v"});
  h.Run({"PEXPIRE", "k", "100"});
  h.ClearEffects();
  h.AdvanceMs(100);
  EXPECT_EQ(h.Run({"GET", "k"}), Bulk("v"));
  EXPECT_EQ(h.Run({"PTTL", "k"}), Int(0));
  EXPECT_EQ(h.Run({"TTL", "k"}), Int(0));
  h.AdvanceMs(1);
  EXPECT_EQ(h.Run({"GET", "k"}), kNil);
  EXPECT_EQ(h.Run({"GET", "k"}), kNil);
  EXPECT_EQ(h.Run({"TTL", "k"}), Int(-2));
  EXPECT_EQ(h.Effects(), Strings{"0:DEL k"});  // once
  EXPECT_EQ(h.engine().stats().expired_keys, 1u);
}

TEST(LazyExpiry, UnlinkUnderLazyfreeAndInTheKeysDatabase) {
  EngineHarness h;
  MutableSettings(h).lazyfree_lazy_expire = true;
  h.Run({"SELECT", "4"});
  h.Run({"SET", "k", "v"});
  h.Run({"PEXPIRE", "k", "1"});
  h.ClearEffects();
  h.AdvanceMs(2);
  EXPECT_EQ(h.Run({"EXISTS", "k"}), Int(0));
  EXPECT_EQ(h.Effects(), Strings{"4:UNLINK k"});
}

TEST(LazyExpiry, SetOverAnExpiredKeyStartsWithoutTtl) {
  EngineHarness h;
  h.Run({"SET", "k", "old"});
  h.Run({"PEXPIRE", "k", "5"});
  h.AdvanceMs(6);
  h.ClearEffects();
  EXPECT_EQ(h.Run({"SET", "k", "new"}), kOk);
  EXPECT_EQ(h.Effects(), (Strings{"0:DEL k", "0:SET k new"}));
  EXPECT_EQ(h.Run({"TTL", "k"}), Int(-1));
}

}  // namespace
}  // namespace cairn::testing
