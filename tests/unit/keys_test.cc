// DEL, UNLINK, EXISTS, TOUCH, TYPE, KEYS, RANDOMKEY, DBSIZE: replies, lookup
// flags (statistics, access clock), lazy expiry and effects. Expected bytes
// were checked against redis-server 7.0.15.
#include <set>

#include <gtest/gtest.h>

#include "tests/unit/key_test_util.h"

namespace cairn::testing {
namespace {

using Strings = std::vector<std::string>;

TEST(KeysDel, CountsRemovedKeysAndRecordsOnlyThose) {
  EngineHarness h;
  h.Run({"SET", "a", "1"});
  h.Run({"SET", "b", "2"});
  h.ClearEffects();
  uint64_t dirty = h.engine().stats().dirty;
  EXPECT_EQ(h.Run({"DEL", "a", "a", "b", "missing"}), Int(2));
  EXPECT_EQ(h.Effects(), Strings{"0:DEL a b"});
  EXPECT_EQ(h.engine().stats().dirty, dirty + 2);
  EXPECT_EQ(h.Run({"DBSIZE"}), Int(0));
}

TEST(KeysDel, NothingRemovedRecordsNothing) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"DEL", "missing", "other"}), Int(0));
  EXPECT_TRUE(h.Effects().empty());
  EXPECT_EQ(h.engine().stats().dirty, 0u);
}

TEST(KeysDel, ArityErrors) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"DEL"}), Err("ERR wrong number of arguments for 'del' command"));
  EXPECT_EQ(h.Run({"UNLINK"}), Err("ERR wrong number of arguments for 'unlink' command"));
  EXPECT_EQ(h.Run({"EXISTS"}), Err("ERR wrong number of arguments for 'exists' command"));
  EXPECT_EQ(h.Run({"TOUCH"}), Err("ERR wrong number of arguments for 'touch' command"));
  EXPECT_EQ(h.Run({"TYPE"}), Err("ERR wrong number of arguments for 'type' command"));
  EXPECT_EQ(h.Run({"TYPE", "a", "b"}), Err("ERR wrong number of arguments for 'type' command"));
  EXPECT_EQ(h.Run({"KEYS"}), Err("ERR wrong number of arguments for 'keys' command"));
  EXPECT_EQ(h.Run({"DBSIZE", "x"}), Err("ERR wrong number of arguments for 'dbsize' command"));
  EXPECT_EQ(h.Run({"RANDOMKEY", "x"}),
            Err("ERR wrong number of arguments for 'randomkey' command"));
}

TEST(KeysDel, ManyKeysInOneRecord) {
  EngineHarness h;
  std::vector<std::string> names;
  for (int i = 0; i < 20; ++i) names.push_back("k" + std::to_string(i));
  for (const auto& n : names) h.Run({"SET", n, "v"});
  h.ClearEffects();
  std::vector<std::string_view> del = {"DEL"};
  for (const auto& n : names) del.push_back(n);
  EXPECT_EQ(h.Run(h.session(), del), Int(20));
  std::string expected = "0:DEL";
  for (const auto& n : names) expected += " " + n;
  EXPECT_EQ(h.Effects(), Strings{expected});
}

TEST(KeysDel, ExpiredKeyIsNotCountedAndItsExpiryIsRecorded) {
  EngineHarness h;
  h.Run({"SET", "k", "v"});
  h.Run({"SET", "live", "v"});
  h.Run({"PEXPIRE", "k", "100"});
  h.ClearEffects();
  h.AdvanceMs(101);
  uint64_t dirty = h.engine().stats().dirty;
  EXPECT_EQ(h.Run({"DEL", "k", "live"}), Int(1));
  EXPECT_EQ(h.Effects(), (Strings{"0:DEL k", "0:DEL live"}));
  EXPECT_EQ(h.engine().stats().expired_keys, 1u);
  // The expiry is not a change of its own (Redis does not count it).
  EXPECT_EQ(h.engine().stats().dirty, dirty + 1);
}

TEST(KeysDel, UnlinkRecordsUnlink) {
  EngineHarness h;
  h.Run({"SET", "a", "1"});
  h.Run({"SET", "c", "1"});
  h.ClearEffects();
  EXPECT_EQ(h.Run({"UNLINK", "a", "c", "c", "zz"}), Int(2));
  EXPECT_EQ(h.Effects(), Strings{"0:UNLINK a c"});
  EXPECT_EQ(h.Run({"UNLINK", "a"}), Int(0));
  EXPECT_EQ(h.Effects(), Strings{"0:UNLINK a c"});
}

TEST(KeysDel, BinaryKey) {
  EngineHarness h;
  std::string key("\0k\r\n", 4);
  h.Run({"SET", key, "z"});
  EXPECT_EQ(h.Run({"EXISTS", key}), Int(1));
  EXPECT_EQ(h.Run({"EXISTS", std::string_view("\0k", 2)}), Int(0));
  EXPECT_EQ(h.Run({"DEL", key}), Int(1));
  EXPECT_EQ(h.Run({"EXISTS", key}), Int(0));
}

TEST(KeysExists, CountsRepeatsAndStatisticsWithoutTouching) {
  EngineHarness h;
  h.Run({"SET", "a", "1"});
  h.AdvanceMs(10'000);
  const ServerStats& st = h.engine().stats();
  uint64_t hits = st.keyspace_hits;
  uint64_t misses = st.keyspace_misses;
  EXPECT_EQ(h.Run({"EXISTS", "a", "a", "missing", "a"}), Int(3));
  EXPECT_EQ(st.keyspace_hits, hits + 3);
  EXPECT_EQ(st.keyspace_misses, misses + 1);
  EXPECT_EQ(h.Run({"OBJECT", "IDLETIME", "a"}), Int(10));
  EXPECT_TRUE(h.Effects() == Strings{"0:SET a 1"});
}

TEST(KeysTouch, TouchesAndCounts) {
  EngineHarness h;
  h.Run({"SET", "t", "1"});
  h.AdvanceMs(5'000);
  EXPECT_EQ(h.Run({"OBJECT", "IDLETIME", "t"}), Int(5));
  const ServerStats& st = h.engine().stats();
  uint64_t hits = st.keyspace_hits;
  uint64_t misses = st.keyspace_misses;
  EXPECT_EQ(h.Run({"TOUCH", "t", "t", "missing"}), Int(2));
  EXPECT_EQ(st.keyspace_hits, hits + 2);
  EXPECT_EQ(st.keyspace_misses, misses + 1);
  EXPECT_EQ(h.Run({"OBJECT", "IDLETIME", "t"}), Int(0));
}

TEST(KeysType, NamesTheTypeWithoutTouching) {
  EngineHarness h;
  h.Run({"SET", "n", "123"});
  h.Run({"SET", "s", "hello"});
  EXPECT_EQ(h.Run({"TYPE", "n"}), "+string\r\n");
  EXPECT_EQ(h.Run({"type", "s"}), "+string\r\n");
  EXPECT_EQ(h.Run({"TYPE", "missing"}), "+none\r\n");
  h.AdvanceMs(3'000);
  uint64_t hits = h.engine().stats().keyspace_hits;
  uint64_t misses = h.engine().stats().keyspace_misses;
  EXPECT_EQ(h.Run({"TYPE", "s"}), "+string\r\n");
  EXPECT_EQ(h.Run({"TYPE", "gone"}), "+none\r\n");
  EXPECT_EQ(h.engine().stats().keyspace_hits, hits + 1);
  EXPECT_EQ(h.engine().stats().keyspace_misses, misses + 1);
  EXPECT_EQ(h.Run({"OBJECT", "IDLETIME", "s"}), Int(3));
}

TEST(KeysType, ExpiredKeyIsNoneAndDeleted) {
  EngineHarness h;
  h.Run({"SET", "k", "v"});
  h.Run({"PEXPIRE", "k", "50"});
  h.ClearEffects();
  h.AdvanceMs(50);
  EXPECT_EQ(h.Run({"TYPE", "k"}), "+string\r\n");  // the deadline itself still lives
  h.AdvanceMs(1);
  EXPECT_EQ(h.Run({"TYPE", "k"}), "+none\r\n");
  EXPECT_EQ(h.Effects(), Strings{"0:DEL k"});
  EXPECT_EQ(h.Run({"DBSIZE"}), Int(0));
}

TEST(KeysKeys, GlobPatterns) {
  EngineHarness h;
  for (const char* k : {"hello", "hallo", "hxllo", "hllo", "heeeello", "h*llo", "foo", "foobar"}) {
    h.Run({"SET", k, "1"});
  }
  h.Run({"SET", "", "empty"});
  EXPECT_EQ(SortedBulks(h.Run({"KEYS", "*"})),
            (Strings{"", "foo", "foobar", "h*llo", "hallo", "heeeello", "hello", "hllo", "hxllo"}));
  EXPECT_EQ(SortedBulks(h.Run({"KEYS", "h?llo"})), (Strings{"h*llo", "hallo", "hello", "hxllo"}));
  EXPECT_EQ(SortedBulks(h.Run({"KEYS", "h[ae]llo"})), (Strings{"hallo", "hello"}));
  EXPECT_EQ(SortedBulks(h.Run({"KEYS", "h\\*llo"})), (Strings{"h*llo"}));
  EXPECT_EQ(SortedBulks(h.Run({"KEYS", "foo*"})), (Strings{"foo", "foobar"}));
  EXPECT_EQ(SortedBulks(h.Run({"KEYS", ""})), (Strings{""}));
  EXPECT_EQ(h.Run({"KEYS", "nomatch*"}), "*0\r\n");
  EXPECT_EQ(h.Run({"KEYS", "a", "b"}), Err("ERR wrong number of arguments for 'keys' command"));
}

TEST(KeysKeys, SkipsExpiredKeysWithoutDeletingThem) {
  EngineHarness h;
  h.Run({"SET", "live", "1"});
  h.Run({"SET", "dead", "1"});
  h.Run({"PEXPIRE", "dead", "10"});
  h.ClearEffects();
  h.AdvanceMs(11);
  EXPECT_EQ(h.Run({"KEYS", "*"}), "*1\r\n" + Bulk("live"));
  EXPECT_TRUE(h.Effects().empty());
  EXPECT_EQ(h.Run({"DBSIZE"}), Int(2));  // not reclaimed yet
  EXPECT_EQ(h.engine().stats().expired_keys, 0u);
}

TEST(KeysRandomKey, EmptySingleAndMany) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"RANDOMKEY"}), kNil);
  h.Run({"SET", "only", "v"});
  EXPECT_EQ(h.Run({"RANDOMKEY"}), Bulk("only"));
  for (int i = 0; i < 50; ++i) h.Run({"SET", "k" + std::to_string(i), "v"});
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    ParsedReply r = ParseReply(h.Run({"RANDOMKEY"}));
    ASSERT_EQ(r.type, '$');
    ASSERT_EQ(h.Run({"EXISTS", r.text}), Int(1));
    seen.insert(r.text);
  }
  EXPECT_GT(seen.size(), 10u);  // draws are spread over the keys
}

TEST(KeysRandomKey, DeletesExpiredDrawsAndTriesAgain) {
  EngineHarness h;
  for (int i = 0; i < 5; ++i) {
    std::string k = "dead" + std::to_string(i);
    h.Run({"SET", k, "v"});
    h.Run({"PEXPIRE", k, "10"});
  }
  h.AdvanceMs(11);
  h.ClearEffects();
  EXPECT_EQ(h.Run({"RANDOMKEY"}), kNil);
  EXPECT_EQ(h.Run({"DBSIZE"}), Int(0));
  EXPECT_EQ(h.Effects().size(), 5u);
  EXPECT_EQ(h.engine().stats().expired_keys, 5u);

  h.Run({"SET", "dead", "v"});
  h.Run({"PEXPIRE", "dead", "10"});
  h.Run({"SET", "live", "v"});
  h.AdvanceMs(11);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(h.Run({"RANDOMKEY"}), Bulk("live"));
  EXPECT_EQ(h.Run({"DBSIZE"}), Int(1));
}

TEST(KeysRandomKey, CountsNoStatistics) {
  EngineHarness h;
  h.Run({"SET", "a", "1"});
  uint64_t hits = h.engine().stats().keyspace_hits;
  uint64_t misses = h.engine().stats().keyspace_misses;
  h.Run({"RANDOMKEY"});
  h.Run({"KEYS", "*"});
  h.Run({"DBSIZE"});
  EXPECT_EQ(h.engine().stats().keyspace_hits, hits);
  EXPECT_EQ(h.engine().stats().keyspace_misses, misses);
}

TEST(KeysDbSize, PerDatabase) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"DBSIZE"}), Int(0));
  h.Run({"SET", "a", "1"});
  h.Run({"SET", "b", "1"});
  EXPECT_EQ(h.Run({"DBSIZE"}), Int(2));
  h.Run({"SELECT", "1"});
  EXPECT_EQ(h.Run({"DBSIZE"}), Int(0));
}

}  // namespace
}  // namespace cairn::testing
