// The string family against Redis 7.0's replies, encodings, statistics and
// effects (the expected bytes and counts were checked against redis-server
// 7.0.15: replies on the wire, INFO deltas, and its append-only file).
#include <string>

#include <gtest/gtest.h>

#include "tests/support/engine_harness.h"
#include "tests/unit/string_test_support.h"

namespace cairn::testing {
namespace {

using Effects = std::vector<std::string>;

constexpr const char* kSyntax = "-ERR syntax error\r\n";
constexpr const char* kNotInt = "-ERR value is not an integer or out of range\r\n";
constexpr const char* kNotFloat = "-ERR value is not a valid float\r\n";

std::string Bulk(std::string_view s) {
  return "$" + std::to_string(s.size()) + "\r\n" + std::string(s) + "\r\n";
}

// --- GET / SET ---

TEST(StringsGetSet, RoundTripAndMissingKey) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"GET", "k"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"SET", "k", "hello"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"GET", "k"}), Bulk("hello"));
  EXPECT_EQ(h.Run({"SET", "k", ""}), "+OK\r\n");
  EXPECT_EQ(h.Run({"GET", "k"}), "$0\r\n\r\n");
  EXPECT_EQ(h.Run({"SET", "k", std::string_view("a\0b\r\n", 5)}), "+OK\r\n");
  EXPECT_EQ(h.Run({"GET", "k"}), Bulk(std::string_view("a\0b\r\n", 5)));
  h.session()->resp = 3;
  EXPECT_EQ(h.Run({"GET", "missing"}), "_\r\n");
  EXPECT_EQ(h.Run({"GET"}), "-ERR wrong number of arguments for 'get' command\r\n");
  EXPECT_EQ(h.Effects(),
            (Effects{"0:SET k hello", "0:SET k ", std::string("0:SET k a\0b\r\n", 13)}));
}

TEST(StringsGetSet, IntegersPrintBack) {
  EngineHarness h;
  h.Run({"SET", "k", "-9223372036854775808"});
  EXPECT_EQ(EncodingOf(h, "k"), "int");
  EXPECT_EQ(h.Run({"GET", "k"}), Bulk("-9223372036854775808"));
  h.Run({"SET", "k", "9223372036854775807"});
  EXPECT_EQ(h.Run({"GET", "k"}), Bulk("9223372036854775807"));
}

// A SET of a value of the same length and encoding reuses the entry
// (strings.cc); whatever would change the shape -- an integer, the embstr
// limit, a TTL before or after -- gets a new entry. Either way the key reads,
// encodes, expires and is accounted as after any SET.
TEST(StringsGetSet, SameShapeOverwriteReusesTheEntryAndNothingElseDoes) {
  EngineHarness h;
  h.Run({"SET", "k", "aaaa"});
  Entry* first = FindKey(h, "k");
  EXPECT_EQ(h.Run({"SET", "k", "bbbb"}), "+OK\r\n");
  EXPECT_EQ(FindKey(h, "k"), first) << "same length, same encoding: in place";
  EXPECT_EQ(h.Run({"GET", "k"}), Bulk("bbbb"));
  EXPECT_EQ(EncodingOf(h, "k"), "embstr");
  ExpectExactByteAccounting(h);

  EXPECT_EQ(h.Run({"SET", "k", "1234"}), "+OK\r\n");  // becomes an integer
  EXPECT_EQ(EncodingOf(h, "k"), "int");
  EXPECT_EQ(h.Run({"SET", "k", "cccc"}), "+OK\r\n");  // an int entry is not inline
  EXPECT_EQ(EncodingOf(h, "k"), "embstr");
  EXPECT_EQ(h.Run({"GET", "k"}), Bulk("cccc"));

  const std::string s44(44, 'x');
  const std::string s45(45, 'y');
  h.Run({"SET", "long", s45});
  Entry* raw = FindKey(h, "long");
  EXPECT_EQ(EncodingOf(h, "long"), "raw");
  EXPECT_EQ(h.Run({"SET", "long", std::string(45, 'z')}), "+OK\r\n");
  EXPECT_EQ(FindKey(h, "long"), raw);
  EXPECT_EQ(EncodingOf(h, "long"), "raw");
  EXPECT_EQ(h.Run({"SET", "long", s44}), "+OK\r\n");
  EXPECT_EQ(EncodingOf(h, "long"), "embstr");

  EXPECT_EQ(h.Run({"SET", "t", "vvvv", "PX", "100000"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"SET", "t", "wwww"}), "+OK\r\n");  // drops the TTL
  EXPECT_EQ(h.Run({"PTTL", "t"}), ":-1\r\n");
  EXPECT_EQ(h.Run({"SET", "t", "xxxx", "PX", "5000"}), "+OK\r\n");  // gains one
  EXPECT_EQ(h.Run({"PTTL", "t"}), ":5000\r\n");
  EXPECT_EQ(h.Run({"SET", "t", "yyyy", "KEEPTTL"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"PTTL", "t"}), ":5000\r\n");
  EXPECT_EQ(h.Run({"GET", "t"}), Bulk("yyyy"));
  EXPECT_EQ(h.Run({"SET", "k", "dddd", "GET"}), Bulk("cccc"));
  EXPECT_EQ(h.Run({"GET", "k"}), Bulk("dddd"));
  ExpectExactByteAccounting(h);
  ExpectEffectsReplayToSameState(h);
}

TEST(StringsGetSet, NxXx) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"SET", "k", "v", "NX"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"SET", "k", "w", "NX"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"SET", "k", "w", "xx"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"GET", "k"}), Bulk("w"));
  EXPECT_EQ(h.Run({"SET", "nokey", "v", "XX"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"GET", "nokey"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"SET", "k", "v", "NX", "NX"}), "$-1\r\n");
  h.session()->resp = 3;
  EXPECT_EQ(h.Run({"SET", "k", "v", "NX"}), "_\r\n");
  // A refused write records nothing and changes nothing.
  EXPECT_EQ(h.Effects(), (Effects{"0:SET k v", "0:SET k w"}));
}

TEST(StringsGetSet, GetOptionReturnsTheOldValue) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"SET", "k", "v1", "GET"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"SET", "k", "v2", "GET"}), Bulk("v1"));
  // NX with GET is allowed since 7.0: the old value, and no write.
  EXPECT_EQ(h.Run({"SET", "k", "v3", "NX", "GET"}), Bulk("v2"));
  EXPECT_EQ(h.Run({"GET", "k"}), Bulk("v2"));
  EXPECT_EQ(h.Run({"SET", "k2", "v", "NX", "GET"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"GET", "k2"}), Bulk("v"));
  EXPECT_EQ(h.Run({"SET", "none", "v", "XX", "GET"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"GET", "none"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"SET", "k", "v4", "GET", "GET"}), Bulk("v2"));
  h.Run({"SET", "n", "12"});
  EXPECT_EQ(h.Run({"SET", "n", "13", "GET"}), Bulk("12"));
  EXPECT_EQ(h.Effects(), (Effects{"0:SET k v1", "0:SET k v2", "0:SET k2 v", "0:SET k v4",
                                  "0:SET n 12", "0:SET n 13"}));
}

TEST(StringsGetSet, ExpiryOptionsBecomeAbsoluteDeadlines) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"SET", "a", "v", "EX", "10"}), "+OK\r\n");
  EXPECT_EQ(DeadlineOf(h, "a"), kStartMs + 10'000);
  EXPECT_EQ(h.Run({"SET", "b", "v", "PX", "1500"}), "+OK\r\n");
  EXPECT_EQ(DeadlineOf(h, "b"), kStartMs + 1500);
  EXPECT_EQ(h.Run({"SET", "c", "v", "EXAT", "4102444800"}), "+OK\r\n");
  EXPECT_EQ(DeadlineOf(h, "c"), 4102444800000);
  EXPECT_EQ(h.Run({"SET", "d", "v", "pxat", "4102444800123"}), "+OK\r\n");
  EXPECT_EQ(DeadlineOf(h, "d"), 4102444800123);
  // The last of repeated EX options wins.
  EXPECT_EQ(h.Run({"SET", "e", "v", "EX", "10", "EX", "20"}), "+OK\r\n");
  EXPECT_EQ(DeadlineOf(h, "e"), kStartMs + 20'000);
  // A plain SET clears the TTL; KEEPTTL keeps it.
  EXPECT_EQ(h.Run({"SET", "a", "w"}), "+OK\r\n");
  EXPECT_EQ(DeadlineOf(h, "a"), 0);
  EXPECT_EQ(h.Run({"SET", "b", "w", "KEEPTTL"}), "+OK\r\n");
  EXPECT_EQ(DeadlineOf(h, "b"), kStartMs + 1500);
  EXPECT_EQ(h.Run({"SET", "f", "w", "KEEPTTL"}), "+OK\r\n");
  EXPECT_EQ(DeadlineOf(h, "f"), 0);
  EXPECT_EQ(h.Effects(), (Effects{"0:SET a v PXAT 1700000010000", "0:SET b v PXAT 1700000001500",
                                  "0:SET c v PXAT 4102444800000", "0:SET d v PXAT 4102444800123",
                                  "0:SET e v PXAT 1700000020000", "0:SET a w",
                                  "0:SET b w PXAT 1700000001500", "0:SET f w"}));
  ExpectEffectsReplayToSameState(h);
}

TEST(StringsGetSet, SyntaxErrors) {
  EngineHarness h;
  for (auto args : std::vector<std::vector<std::string_view>>{
           {"SET", "k", "v", "NX", "XX"},
           {"SET", "k", "v", "XX", "NX"},
           {"SET", "k", "v", "EX", "10", "PX", "100"},
           {"SET", "k", "v", "PX", "100", "EX", "10"},
           {"SET", "k", "v", "KEEPTTL", "EX", "10"},
           {"SET", "k", "v", "EX", "10", "KEEPTTL"},
           {"SET", "k", "v", "EXAT", "99999999999", "KEEPTTL"},
           {"SET", "k", "v", "EX", "10", "EXAT", "9999999999"},
           {"SET", "k", "v", "PXAT", "9999999999999", "PX", "10"},
           {"SET", "k", "v", "EX"},
           {"SET", "k", "v", "NX", "EX"},
           {"SET", "k", "v", "BADOPT"},
           {"SET", "k", "v", ""},
           {"SET", "k", "v", "PERSIST"},
           {"SET", "k", "v", "EX", "10", "PX"},
       }) {
    EXPECT_EQ(h.Run(h.session(), args), kSyntax) << args[3];
  }
  // Option words end at a NUL byte, as C strings do.
  EXPECT_EQ(h.Run({"SET", "k", "v", std::string_view("nx\0junk", 7)}), "+OK\r\n");
  EXPECT_EQ(h.Run({"SET", "k", "v", std::string_view("nx\0junk", 7)}), "$-1\r\n");
  EXPECT_EQ(h.Run({"SET", "k"}), "-ERR wrong number of arguments for 'set' command\r\n");
  EXPECT_EQ(h.Effects(), (Effects{"0:SET k v"}));
}

TEST(StringsGetSet, InvalidExpireTimes) {
  EngineHarness h;
  const std::string invalid = "-ERR invalid expire time in 'set' command\r\n";
  for (auto args : std::vector<std::vector<std::string_view>>{
           {"EX", "0"},
           {"EX", "-1"},
           {"PX", "0"},
           {"PX", "-100"},
           {"EXAT", "0"},
           {"PXAT", "-1"},
           {"EX", "9223372036854775807"},
           {"PX", "9223372036854775807"},  // overflows once now is added
           {"EXAT", "9223372036854775807"},
       }) {
    EXPECT_EQ(h.Run({"SET", "k", "v", args[0], args[1]}), invalid) << args[0] << " " << args[1];
  }
  EXPECT_EQ(h.Run({"SET", "k", "v", "EX", "abc"}), kNotInt);
  EXPECT_EQ(h.Run({"SET", "k", "v", "EX", "1.5"}), kNotInt);
  EXPECT_EQ(h.Run({"SET", "k", "v", "EX", ""}), kNotInt);
  EXPECT_EQ(h.Run({"SET", "k", "v", "EX", "9223372036854776000"}), kNotInt);
  // The largest EX that still fits once multiplied.
  EXPECT_EQ(h.Run({"SET", "k", "v", "EXAT", "9223372036854775"}), "+OK\r\n");
  EXPECT_EQ(DeadlineOf(h, "k"), 9223372036854775000);
  EXPECT_EQ(h.Run({"SET", "k", "v", "PXAT", "9223372036854775807"}), "+OK\r\n");
  // The expiry value is checked before GET reads the key.
  EXPECT_EQ(h.Run({"SET", "k", "v", "GET", "EX", "0"}), invalid);
  EXPECT_EQ(h.Run({"SETEX", "k", "0", "v"}), "-ERR invalid expire time in 'setex' command\r\n");
  EXPECT_EQ(h.Run({"PSETEX", "k", "-5", "v"}), "-ERR invalid expire time in 'psetex' command\r\n");
  EXPECT_EQ(h.Run({"SETEX", "k", "x", "v"}), kNotInt);
}

TEST(StringsGetSet, KeyExpiresLazily) {
  EngineHarness h;
  h.Run({"SET", "k", "v", "PX", "100"});
  // A key is gone once the clock is past its deadline (not at it).
  h.AdvanceMs(100);
  EXPECT_EQ(h.Run({"GET", "k"}), Bulk("v"));
  h.AdvanceMs(1);
  StatsSnapshot before = StatsSnapshot::Of(h);
  EXPECT_EQ(h.Run({"GET", "k"}), "$-1\r\n");
  // Lazy expiry is not a change Redis counts (dirty); the DEL is recorded.
  EXPECT_EQ(StatsSnapshot::Of(h).Since(before), (StatsSnapshot{0, 0, 1, 1}));
  EXPECT_EQ(h.Effects(), (Effects{"0:SET k v PXAT 1700000000100", "0:DEL k"}));
  EXPECT_EQ(h.engine().keyspace().db(0).size(), 0u);
}

TEST(StringsGetSet, LazyExpiryUnderLazyfreeIsAnUnlink) {
  EngineHarness h;
  MutableSettings(h).lazyfree_lazy_expire = true;
  h.Run({"SET", "k", "v", "PX", "10"});
  h.AdvanceMs(11);
  EXPECT_EQ(h.Run({"SET", "k", "w", "NX"}), "+OK\r\n");
  EXPECT_EQ(h.Effects(), (Effects{"0:SET k v PXAT 1700000000010", "0:UNLINK k", "0:SET k w"}));
}

TEST(StringsGetSet, PastAbsoluteDeadlineStoresAKeyThatExpiresOnAccess) {
  // redis-server 7.0.15 stores the key (DBSIZE counts it) and records the
  // SET as given; the next access expires it.
  EngineHarness h;
  EXPECT_EQ(h.Run({"SET", "k", "v", "PXAT", "1"}), "+OK\r\n");
  EXPECT_EQ(h.engine().keyspace().db(0).size(), 1u);
  StatsSnapshot before = StatsSnapshot::Of(h);
  EXPECT_EQ(h.Run({"GET", "k"}), "$-1\r\n");
  EXPECT_EQ(StatsSnapshot::Of(h).Since(before), (StatsSnapshot{0, 0, 1, 1}));
  EXPECT_EQ(h.Run({"SET", "k", "v", "EXAT", "1", "GET"}), "$-1\r\n");
  EXPECT_EQ(h.Effects(), (Effects{"0:SET k v PXAT 1", "0:DEL k", "0:SET k v PXAT 1000"}));
}

TEST(StringsGetSet, Statistics) {
  EngineHarness h;
  // {dirty, hits, misses, expired}, as INFO showed them on redis-server.
  EXPECT_EQ(StatsOf(h, {"SET", "a", "1"}), (StatsSnapshot{1, 0, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"SET", "a", "2", "GET"}), (StatsSnapshot{1, 1, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"SET", "nx", "1", "NX", "GET"}), (StatsSnapshot{1, 0, 1, 0}));
  EXPECT_EQ(StatsOf(h, {"SET", "a", "3", "NX", "GET"}), (StatsSnapshot{0, 1, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"SET", "a", "3", "NX"}), (StatsSnapshot{0, 0, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"SET", "zz", "3", "XX"}), (StatsSnapshot{0, 0, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"GET", "a"}), (StatsSnapshot{0, 1, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"GET", "zz"}), (StatsSnapshot{0, 0, 1, 0}));
  EXPECT_EQ(StatsOf(h, {"GETSET", "a", "10"}), (StatsSnapshot{1, 1, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"GETSET", "nokey", "10"}), (StatsSnapshot{1, 0, 1, 0}));
  EXPECT_EQ(StatsOf(h, {"GETDEL", "nokey2"}), (StatsSnapshot{0, 0, 1, 0}));
  EXPECT_EQ(StatsOf(h, {"GETDEL", "nokey"}), (StatsSnapshot{1, 1, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"GETEX", "a"}), (StatsSnapshot{0, 1, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"GETEX", "a", "PERSIST"}), (StatsSnapshot{0, 1, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"GETEX", "a", "EX", "100"}), (StatsSnapshot{1, 1, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"GETEX", "a", "PERSIST"}), (StatsSnapshot{1, 1, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"GETEX", "missing", "EX", "10"}), (StatsSnapshot{0, 0, 1, 0}));
  EXPECT_EQ(StatsOf(h, {"MGET", "a", "b", "c"}), (StatsSnapshot{0, 1, 2, 0}));
  EXPECT_EQ(StatsOf(h, {"MSET", "a", "1", "b", "2"}), (StatsSnapshot{2, 0, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"MSETNX", "a", "1", "c", "2"}), (StatsSnapshot{0, 0, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"MSETNX", "c", "1", "d", "2"}), (StatsSnapshot{2, 0, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"MSET", "k1", "v1", "k1", "v2"}), (StatsSnapshot{2, 0, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"SETNX", "c", "5"}), (StatsSnapshot{0, 0, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"SETNX", "e", "5"}), (StatsSnapshot{1, 0, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"SETEX", "f", "100", "v"}), (StatsSnapshot{1, 0, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"PSETEX", "g", "100000", "v"}), (StatsSnapshot{1, 0, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"APPEND", "h", "xyz"}), (StatsSnapshot{1, 0, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"APPEND", "h", ""}), (StatsSnapshot{1, 0, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"STRLEN", "h"}), (StatsSnapshot{0, 1, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"STRLEN", "none"}), (StatsSnapshot{0, 0, 1, 0}));
  EXPECT_EQ(StatsOf(h, {"GETRANGE", "h", "0", "1"}), (StatsSnapshot{0, 1, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"GETRANGE", "none", "0", "1"}), (StatsSnapshot{0, 0, 1, 0}));
  EXPECT_EQ(StatsOf(h, {"SETRANGE", "h", "1", "Q"}), (StatsSnapshot{1, 0, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"SETRANGE", "h", "1", ""}), (StatsSnapshot{0, 0, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"SETRANGE", "new", "2", ""}), (StatsSnapshot{0, 0, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"INCR", "i"}), (StatsSnapshot{1, 0, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"DECRBY", "i", "5"}), (StatsSnapshot{1, 0, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"INCRBYFLOAT", "i", "1.5"}), (StatsSnapshot{1, 0, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"INCR", "h"}), (StatsSnapshot{0, 0, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"LCS", "h", "a"}), (StatsSnapshot{0, 2, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"LCS", "h", "none", "LEN"}), (StatsSnapshot{0, 1, 1, 0}));
  // LCS reads both keys before it looks at its options.
  EXPECT_EQ(StatsOf(h, {"LCS", "h", "none", "BAD"}), (StatsSnapshot{0, 1, 1, 0}));
}

// --- SETNX, SETEX, PSETEX, GETSET, GETDEL, GETEX ---

TEST(StringsVariants, SetNxSetExPSetEx) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"SETNX", "k", "v"}), ":1\r\n");
  EXPECT_EQ(h.Run({"SETNX", "k", "w"}), ":0\r\n");
  EXPECT_EQ(h.Run({"GET", "k"}), Bulk("v"));
  EXPECT_EQ(h.Run({"SETEX", "k", "100", "w"}), "+OK\r\n");
  EXPECT_EQ(DeadlineOf(h, "k"), kStartMs + 100'000);
  EXPECT_EQ(h.Run({"PSETEX", "p", "250", "x"}), "+OK\r\n");
  EXPECT_EQ(DeadlineOf(h, "p"), kStartMs + 250);
  EXPECT_EQ(h.Run({"SETEX", "k", "10"}), "-ERR wrong number of arguments for 'setex' command\r\n");
  EXPECT_EQ(h.Effects(),
            (Effects{"0:SET k v", "0:SET k w PXAT 1700000100000", "0:SET p x PXAT 1700000000250"}));
  ExpectEffectsReplayToSameState(h);
}

TEST(StringsVariants, GetSetClearsTheTtl) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"GETSET", "k", "1"}), "$-1\r\n");
  h.Run({"SET", "k", "v", "EX", "100"});
  EXPECT_EQ(h.Run({"GETSET", "k", "2"}), Bulk("v"));
  EXPECT_EQ(DeadlineOf(h, "k"), 0);
  EXPECT_EQ(EncodingOf(h, "k"), "int");
  EXPECT_EQ(h.Effects(), (Effects{"0:SET k 1", "0:SET k v PXAT 1700000100000", "0:SET k 2"}));
}

TEST(StringsVariants, GetDel) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"GETDEL", "k"}), "$-1\r\n");
  h.Run({"SET", "k", "42"});
  EXPECT_EQ(h.Run({"GETDEL", "k"}), Bulk("42"));
  EXPECT_EQ(h.Run({"GET", "k"}), "$-1\r\n");
  EXPECT_EQ(h.Effects(), (Effects{"0:SET k 42", "0:DEL k"}));
}

TEST(StringsVariants, GetDelUnderLazyfreeIsAnUnlink) {
  EngineHarness h;
  MutableSettings(h).lazyfree_lazy_user_del = true;
  h.Run({"SET", "k", "v"});
  EXPECT_EQ(h.Run({"GETDEL", "k"}), Bulk("v"));
  EXPECT_EQ(h.Effects(), (Effects{"0:SET k v", "0:UNLINK k"}));
}

TEST(StringsVariants, GetEx) {
  EngineHarness h;
  // A missing key answers null before the expiry value is looked at.
  EXPECT_EQ(h.Run({"GETEX", "missing", "EX", "0"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"GETEX", "missing", "EX", "x"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"GETEX", "missing", "FOO"}), kSyntax);
  h.Run({"SET", "k", "v"});
  EXPECT_EQ(h.Run({"GETEX", "k"}), Bulk("v"));
  EXPECT_EQ(h.Run({"GETEX", "k", "EX", "100"}), Bulk("v"));
  EXPECT_EQ(DeadlineOf(h, "k"), kStartMs + 100'000);
  EXPECT_EQ(h.Run({"GETEX", "k", "PX", "200000"}), Bulk("v"));
  EXPECT_EQ(DeadlineOf(h, "k"), kStartMs + 200'000);
  EXPECT_EQ(h.Run({"GETEX", "k", "EXAT", "4102444800"}), Bulk("v"));
  EXPECT_EQ(DeadlineOf(h, "k"), 4102444800000);
  EXPECT_EQ(h.Run({"GETEX", "k", "PXAT", "4102444800555"}), Bulk("v"));
  EXPECT_EQ(h.Run({"GETEX", "k", "PERSIST"}), Bulk("v"));
  EXPECT_EQ(DeadlineOf(h, "k"), 0);
  EXPECT_EQ(h.Run({"GETEX", "k", "PERSIST"}), Bulk("v"));  // nothing to record
  EXPECT_EQ(h.Effects(),
            (Effects{"0:SET k v", "0:PEXPIREAT k 1700000100000", "0:PEXPIREAT k 1700000200000",
                     "0:PEXPIREAT k 4102444800000", "0:PEXPIREAT k 4102444800555", "0:PERSIST k"}));
}

TEST(StringsVariants, GetExErrors) {
  EngineHarness h;
  h.Run({"SET", "k", "v"});
  const std::string invalid = "-ERR invalid expire time in 'getex' command\r\n";
  EXPECT_EQ(h.Run({"GETEX", "k", "EX", "0"}), invalid);
  EXPECT_EQ(h.Run({"GETEX", "k", "PXAT", "-10"}), invalid);
  EXPECT_EQ(h.Run({"GETEX", "k", "EX", "9223372036854775807"}), invalid);
  EXPECT_EQ(h.Run({"GETEX", "k", "EX", "abc"}), kNotInt);
  for (auto args : std::vector<std::vector<std::string_view>>{
           {"GETEX", "k", "EX"},
           {"GETEX", "k", "EX", "10", "PX", "100"},
           {"GETEX", "k", "EX", "10", "PERSIST"},
           {"GETEX", "k", "PERSIST", "EX", "10"},
           {"GETEX", "k", "KEEPTTL"},
           {"GETEX", "k", "NX"},
           {"GETEX", "k", "GET"},
           {"GETEX", "k", "EX", "10", "extra"},
       }) {
    EXPECT_EQ(h.Run(h.session(), args), kSyntax) << args.size();
  }
  EXPECT_EQ(h.Run({"GETEX", "k", "PERSIST", "PERSIST"}), Bulk("v"));
  EXPECT_EQ(h.Run({"GETEX", "k", "EX", "10", "EX", "20"}), Bulk("v"));
  EXPECT_EQ(DeadlineOf(h, "k"), kStartMs + 20'000);
}

TEST(StringsVariants, GetExWithAPastAbsoluteDeadlineDeletes) {
  EngineHarness h;
  h.Run({"SET", "k", "5"});
  StatsSnapshot before = StatsSnapshot::Of(h);
  EXPECT_EQ(h.Run({"GETEX", "k", "PXAT", "1"}), Bulk("5"));
  EXPECT_EQ(StatsSnapshot::Of(h).Since(before), (StatsSnapshot{1, 1, 0, 0}));
  EXPECT_EQ(FindKey(h, "k"), nullptr);
  h.Run({"SET", "k", "5"});
  EXPECT_EQ(h.Run({"GETEX", "k", "EXAT", "1700000000"}), Bulk("5"));  // exactly now
  EXPECT_EQ(FindKey(h, "k"), nullptr);
  EXPECT_EQ(h.Effects(), (Effects{"0:SET k 5", "0:DEL k", "0:SET k 5", "0:DEL k"}));
}

// --- MGET, MSET, MSETNX ---

TEST(StringsMulti, MGet) {
  EngineHarness h;
  h.Run({"SET", "a", "1"});
  h.Run({"SET", "b", "two"});
  EXPECT_EQ(h.Run({"MGET", "a", "missing", "b"}), "*3\r\n$1\r\n1\r\n$-1\r\n$3\r\ntwo\r\n");
  h.session()->resp = 3;
  EXPECT_EQ(h.Run({"MGET", "missing"}), "*1\r\n_\r\n");
}

TEST(StringsMulti, MSetAndMSetNx) {
  EngineHarness h;
  h.Run({"SET", "a", "old", "EX", "100"});
  EXPECT_EQ(h.Run({"MSET", "a", "1", "b", "2"}), "+OK\r\n");
  EXPECT_EQ(DeadlineOf(h, "a"), 0);  // MSET clears TTLs
  EXPECT_EQ(EncodingOf(h, "a"), "int");
  EXPECT_EQ(h.Run({"MSET", "a", "1", "b"}),
            "-ERR wrong number of arguments for 'mset' command\r\n");
  EXPECT_EQ(h.Run({"MSETNX", "a", "1", "b"}),
            "-ERR wrong number of arguments for 'msetnx' command\r\n");
  EXPECT_EQ(h.Run({"MSETNX", "c", "3", "a", "x"}), ":0\r\n");
  EXPECT_EQ(h.Run({"GET", "c"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"msetnx", "c", "3", "d", "4"}), ":1\r\n");
  EXPECT_EQ(h.Run({"MSET", "k", "v1", "k", "v2"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"GET", "k"}), Bulk("v2"));
  EXPECT_EQ(h.Effects(), (Effects{"0:SET a old PXAT 1700000100000", "0:MSET a 1 b 2",
                                  "0:MSET c 3 d 4", "0:MSET k v1 k v2"}));
  ExpectEffectsReplayToSameState(h);
}

// --- Encodings ---

TEST(StringsEncoding, TryEncodingRules) {
  EngineHarness h;
  h.Run({"SET", "small", "9999"});
  EXPECT_EQ(EncodingOf(h, "small"), "int");
  EXPECT_TRUE(FindKey(h, "small")->shared_int());
  h.Run({"SET", "big", "10000"});
  EXPECT_EQ(EncodingOf(h, "big"), "int");
  EXPECT_FALSE(FindKey(h, "big")->shared_int());
  h.Run({"SET", "neg", "-1"});
  EXPECT_FALSE(FindKey(h, "neg")->shared_int());
  // Not canonical or not a 64-bit integer: text.
  for (std::string_view v :
       {"01", "-0", "+1", " 1", "1 ", "1.0", "9223372036854775808", "12345678901234567890"}) {
    h.Run({"SET", "t", v});
    EXPECT_EQ(EncodingOf(h, "t"), "embstr") << v;
    EXPECT_EQ(h.Run({"GET", "t"}), Bulk(v));
  }
  std::string v44(44, 'x'), v45(45, 'x');
  h.Run({"SET", "e", v44});
  EXPECT_EQ(EncodingOf(h, "e"), "embstr");
  h.Run({"SET", "r", v45});
  EXPECT_EQ(EncodingOf(h, "r"), "raw");
  EXPECT_EQ(h.Run({"GET", "r"}), Bulk(v45));
  h.Run({"MSET", "m1", "7", "m2", v45});
  EXPECT_EQ(EncodingOf(h, "m1"), "int");
  EXPECT_EQ(EncodingOf(h, "m2"), "raw");
  h.Run({"SETEX", "x", "10", "77"});
  EXPECT_EQ(EncodingOf(h, "x"), "int");
  h.Run({"GETSET", "x", "abc"});
  EXPECT_EQ(EncodingOf(h, "x"), "embstr");
  ExpectExactByteAccounting(h);
}

TEST(StringsEncoding, NoSharedIntegersUnderAnLruOrLfuMaxmemoryPolicy) {
  EngineHarness lru;
  MutableSettings(lru).maxmemory = 1'000'000'000;
  MutableSettings(lru).maxmemory_policy = "allkeys-lru";
  lru.Run({"SET", "k", "5"});
  EXPECT_EQ(EncodingOf(lru, "k"), "int");
  EXPECT_FALSE(FindKey(lru, "k")->shared_int());
  lru.Run({"INCR", "k"});
  EXPECT_FALSE(FindKey(lru, "k")->shared_int());
  EngineHarness lfu;
  MutableSettings(lfu).maxmemory = 1'000'000'000;
  MutableSettings(lfu).maxmemory_policy = "volatile-lfu";
  lfu.Run({"SET", "k", "5"});
  EXPECT_FALSE(FindKey(lfu, "k")->shared_int());
  EngineHarness noeviction;
  MutableSettings(noeviction).maxmemory = 1'000'000'000;
  noeviction.Run({"SET", "k", "5"});
  EXPECT_TRUE(FindKey(noeviction, "k")->shared_int());
}

// --- Counters ---

TEST(StringsCounters, IncrDecrFamily) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"INCR", "c"}), ":1\r\n");
  EXPECT_EQ(h.Run({"INCRBY", "c", "10"}), ":11\r\n");
  EXPECT_EQ(h.Run({"DECR", "c"}), ":10\r\n");
  EXPECT_EQ(h.Run({"DECRBY", "c", "-5"}), ":15\r\n");
  EXPECT_EQ(h.Run({"INCRBY", "c", "-20"}), ":-5\r\n");
  EXPECT_EQ(h.Run({"GET", "c"}), Bulk("-5"));
  EXPECT_EQ(EncodingOf(h, "c"), "int");
  EXPECT_EQ(h.Effects(), (Effects{"0:SET c 1 KEEPTTL", "0:SET c 11 KEEPTTL", "0:SET c 10 KEEPTTL",
                                  "0:SET c 15 KEEPTTL", "0:SET c -5 KEEPTTL"}));
  ExpectEffectsReplayToSameState(h);
}

TEST(StringsCounters, Errors) {
  EngineHarness h;
  h.Run({"SET", "s", "abc"});
  EXPECT_EQ(h.Run({"INCR", "s"}), kNotInt);
  h.Run({"SET", "s", " 1"});
  EXPECT_EQ(h.Run({"INCR", "s"}), kNotInt);
  h.Run({"SET", "s", "1.5"});
  EXPECT_EQ(h.Run({"DECR", "s"}), kNotInt);
  EXPECT_EQ(h.Run({"INCRBY", "c", "x"}), kNotInt);
  EXPECT_EQ(h.Run({"INCRBY", "c", "1.0"}), kNotInt);
  EXPECT_EQ(h.Run({"INCRBY", "c", "9223372036854775808"}), kNotInt);
  EXPECT_EQ(h.Run({"DECRBY", "c", "-9223372036854775808"}), "-ERR decrement would overflow\r\n");
  h.Run({"SET", "max", "9223372036854775807"});
  EXPECT_EQ(h.Run({"INCR", "max"}), "-ERR increment or decrement would overflow\r\n");
  EXPECT_EQ(h.Run({"INCRBY", "max", "0"}), ":9223372036854775807\r\n");
  h.Run({"SET", "min", "-9223372036854775808"});
  EXPECT_EQ(h.Run({"DECR", "min"}), "-ERR increment or decrement would overflow\r\n");
  EXPECT_EQ(h.Run({"INCRBY", "min", "-1"}), "-ERR increment or decrement would overflow\r\n");
  EXPECT_EQ(h.Run({"DECRBY", "min", "9223372036854775807"}),
            "-ERR increment or decrement would overflow\r\n");
  EXPECT_EQ(h.Run({"INCRBY", "min", "9223372036854775807"}), ":-1\r\n");
  EXPECT_EQ(h.Run({"INCR"}), "-ERR wrong number of arguments for 'incr' command\r\n");
  EXPECT_EQ(FindKey(h, "c"), nullptr);
}

TEST(StringsCounters, IntInPlaceKeepsTtlAndSharing) {
  EngineHarness h;
  h.Run({"SET", "c", "9998", "EX", "100"});
  Entry* before = FindKey(h, "c");
  EXPECT_TRUE(before->shared_int());
  h.Run({"INCR", "c"});
  EXPECT_TRUE(FindKey(h, "c")->shared_int());
  h.Run({"INCR", "c"});
  Entry* after = FindKey(h, "c");
  EXPECT_EQ(after, before) << "an int counter changes in place";
  EXPECT_FALSE(after->shared_int());
  EXPECT_EQ(after->int_value(), 10000);
  EXPECT_EQ(DeadlineOf(h, "c"), kStartMs + 100'000);
  ExpectEffectsReplayToSameState(h);
}

TEST(StringsCounters, RawDigitsBecomeAnInt) {
  EngineHarness h;
  h.Run({"SETRANGE", "r", "0", "5"});
  EXPECT_EQ(EncodingOf(h, "r"), "raw");
  Database& db = h.engine().keyspace().db(0);
  Database::Slot slot = db.Locate("r");
  db.SetExpire(slot, 4102444800000);
  EXPECT_EQ(h.Run({"INCR", "r"}), ":6\r\n");
  EXPECT_EQ(EncodingOf(h, "r"), "int");
  EXPECT_EQ(DeadlineOf(h, "r"), 4102444800000);
  ExpectExactByteAccounting(h);
}

TEST(StringsCounters, IncrByFloat) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"INCRBYFLOAT", "f", "1.5"}), Bulk("1.5"));
  EXPECT_EQ(h.Run({"INCRBYFLOAT", "f", "0.1"}), Bulk("1.6"));
  EXPECT_EQ(h.Run({"INCRBYFLOAT", "f", "-1.6"}), Bulk("0"));
  EXPECT_EQ(h.Run({"INCRBYFLOAT", "f", "5.0e3"}), Bulk("5000"));
  // x87 long double digits, as redis-server prints them.
  EXPECT_EQ(h.Run({"INCRBYFLOAT", "f", "1E-2"}), Bulk("5000.00999999999999979"));
  EXPECT_EQ(h.Run({"INCRBYFLOAT", "f", "110"}), Bulk("5110.00999999999999979"));
  EXPECT_EQ(EncodingOf(h, "f"), "embstr");
  h.Run({"SET", "i", "10"});
  EXPECT_EQ(h.Run({"INCRBYFLOAT", "i", "0.5"}), Bulk("10.5"));
  h.Run({"SET", "i", "10"});
  EXPECT_EQ(h.Run({"INCRBYFLOAT", "i", "5"}), Bulk("15"));
  EXPECT_EQ(EncodingOf(h, "i"), "embstr");  // never int
  EXPECT_EQ(h.Run({"INCRBYFLOAT", "z", "-0"}), Bulk("0"));
  EXPECT_EQ(h.Run({"INCRBYFLOAT", "h", "0x10"}), Bulk("16"));
  EXPECT_EQ(h.Run({"INCRBYFLOAT", "big", "1e30"}), Bulk("1000000000000000000024696061952"));
  EXPECT_EQ(EncodingOf(h, "big"), "embstr");
  EXPECT_EQ(h.Run({"INCRBYFLOAT", "huge", "1e50"}),
            Bulk("100000000000000000003583830118858923890798487404544"));
  EXPECT_EQ(EncodingOf(h, "huge"), "raw");
  EXPECT_EQ(h.Effects()[0], "0:SET f 1.5 KEEPTTL");
  ExpectEffectsReplayToSameState(h);
}

TEST(StringsCounters, IncrByFloatErrorsAndTtl) {
  EngineHarness h;
  h.Run({"SET", "f", "1", "EX", "100"});
  EXPECT_EQ(h.Run({"INCRBYFLOAT", "f", "abc"}), kNotFloat);
  EXPECT_EQ(h.Run({"INCRBYFLOAT", "f", ""}), kNotFloat);
  EXPECT_EQ(h.Run({"INCRBYFLOAT", "f", " 1"}), kNotFloat);
  EXPECT_EQ(h.Run({"INCRBYFLOAT", "f", "1 "}), kNotFloat);
  EXPECT_EQ(h.Run({"INCRBYFLOAT", "f", "nan"}), kNotFloat);
  EXPECT_EQ(h.Run({"INCRBYFLOAT", "f", "1e5000"}), kNotFloat);
  EXPECT_EQ(h.Run({"INCRBYFLOAT", "f", "inf"}), "-ERR increment would produce NaN or Infinity\r\n");
  h.Run({"SET", "s", "1.5x"});
  EXPECT_EQ(h.Run({"INCRBYFLOAT", "s", "1"}), kNotFloat);
  EXPECT_EQ(h.Run({"INCRBYFLOAT", "f", "0.25"}), Bulk("1.25"));
  EXPECT_EQ(DeadlineOf(h, "f"), kStartMs + 100'000);
  EXPECT_EQ(h.Effects(),
            (Effects{"0:SET f 1 PXAT 1700000100000", "0:SET s 1.5x", "0:SET f 1.25 KEEPTTL"}));
  ExpectEffectsReplayToSameState(h);
}

// --- APPEND, STRLEN, GETRANGE, SETRANGE ---

TEST(StringsRanges, Append) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"APPEND", "a", "12"}), ":2\r\n");
  EXPECT_EQ(EncodingOf(h, "a"), "int");  // a new key is encoded as SET would
  EXPECT_EQ(h.Run({"APPEND", "a", "3"}), ":3\r\n");
  EXPECT_EQ(EncodingOf(h, "a"), "raw");
  EXPECT_EQ(h.Run({"GET", "a"}), Bulk("123"));
  for (int i = 0; i < 100; ++i) h.Run({"APPEND", "a", "xyz"});
  EXPECT_EQ(h.Run({"STRLEN", "a"}), ":303\r\n");
  EXPECT_GE(FindKey(h, "a")->heap()->cap, 303u);
  h.Run({"SET", "n", "5", "EX", "100"});
  EXPECT_EQ(h.Run({"APPEND", "n", ""}), ":1\r\n");
  EXPECT_EQ(EncodingOf(h, "n"), "raw");  // even an empty append unshares
  EXPECT_EQ(DeadlineOf(h, "n"), kStartMs + 100'000);
  EXPECT_EQ(h.Effects()[0], "0:APPEND a 12");
  EXPECT_EQ(h.Effects().back(), "0:APPEND n ");
  ExpectExactByteAccounting(h);
  ExpectEffectsReplayToSameState(h);
}

TEST(StringsRanges, AppendRefusesStringsAboveProtoMaxBulkLen) {
  EngineHarness h;
  MutableSettings(h).proto_max_bulk_len = 1024 * 1024;
  std::string mb(1024 * 1024, 'x');
  EXPECT_EQ(h.Run({"SET", "k", mb}), "+OK\r\n");
  EXPECT_EQ(h.Run({"APPEND", "k", "y"}),
            "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n");
  EXPECT_EQ(h.Run({"APPEND", "k", ""}), ":1048576\r\n");
}

TEST(StringsRanges, StrLen) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"STRLEN", "k"}), ":0\r\n");
  h.Run({"SET", "k", "-123"});
  EXPECT_EQ(h.Run({"STRLEN", "k"}), ":4\r\n");
  h.Run({"SET", "k", "hello world"});
  EXPECT_EQ(h.Run({"STRLEN", "k"}), ":11\r\n");
}

TEST(StringsRanges, GetRange) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"GETRANGE", "k", "0", "-1"}), "$0\r\n\r\n");
  h.Run({"SET", "k", "This is a string"});
  EXPECT_EQ(h.Run({"GETRANGE", "k", "0", "3"}), Bulk("This"));
  EXPECT_EQ(h.Run({"GETRANGE", "k", "-3", "-1"}), Bulk("ing"));
  EXPECT_EQ(h.Run({"GETRANGE", "k", "0", "-1"}), Bulk("This is a string"));
  EXPECT_EQ(h.Run({"GETRANGE", "k", "10", "100"}), Bulk("string"));
  EXPECT_EQ(h.Run({"GETRANGE", "k", "5", "3"}), "$0\r\n\r\n");
  EXPECT_EQ(h.Run({"GETRANGE", "k", "-1", "-5"}), "$0\r\n\r\n");
  EXPECT_EQ(h.Run({"GETRANGE", "k", "-100", "-90"}), Bulk("T"));
  EXPECT_EQ(h.Run({"GETRANGE", "k", "100", "200"}), "$0\r\n\r\n");
  EXPECT_EQ(h.Run({"GETRANGE", "k", "-9223372036854775808", "9223372036854775807"}),
            Bulk("This is a string"));
  EXPECT_EQ(h.Run({"SUBSTR", "k", "0", "3"}), Bulk("This"));
  h.Run({"SET", "n", "12345"});
  EXPECT_EQ(h.Run({"GETRANGE", "n", "1", "2"}), Bulk("23"));
  h.Run({"SET", "e", ""});
  EXPECT_EQ(h.Run({"GETRANGE", "e", "0", "0"}), "$0\r\n\r\n");
  EXPECT_EQ(h.Run({"GETRANGE", "k", "a", "1"}), kNotInt);
  EXPECT_EQ(h.Run({"GETRANGE", "nokey", "0", "a"}), kNotInt);
  EXPECT_EQ(h.Run({"SUBSTR", "k", "0"}), "-ERR wrong number of arguments for 'substr' command\r\n");
}

TEST(StringsRanges, SetRange) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"SETRANGE", "k", "5", "ab"}), ":7\r\n");
  EXPECT_EQ(h.Run({"GET", "k"}), Bulk(std::string("\0\0\0\0\0ab", 7)));
  EXPECT_EQ(EncodingOf(h, "k"), "raw");
  EXPECT_EQ(h.Run({"SETRANGE", "k", "0", "xy"}), ":7\r\n");
  EXPECT_EQ(h.Run({"SETRANGE", "k", "6", "ZZZ"}), ":9\r\n");
  EXPECT_EQ(h.Run({"GET", "k"}), Bulk(std::string("xy\0\0\0aZZZ", 9)));
  h.Run({"SET", "n", "12345", "EX", "100"});
  EXPECT_EQ(h.Run({"SETRANGE", "n", "1", "9"}), ":5\r\n");
  EXPECT_EQ(h.Run({"GET", "n"}), Bulk("19345"));
  EXPECT_EQ(EncodingOf(h, "n"), "raw");
  EXPECT_EQ(DeadlineOf(h, "n"), kStartMs + 100'000);
  // Writing nothing changes nothing and records nothing.
  EXPECT_EQ(h.Run({"SETRANGE", "n", "100", ""}), ":5\r\n");
  EXPECT_EQ(h.Run({"SETRANGE", "none", "100", ""}), ":0\r\n");
  EXPECT_EQ(FindKey(h, "none"), nullptr);
  EXPECT_EQ(h.Effects(), (Effects{"0:SETRANGE k 5 ab", "0:SETRANGE k 0 xy", "0:SETRANGE k 6 ZZZ",
                                  "0:SET n 12345 PXAT 1700000100000", "0:SETRANGE n 1 9"}));
  ExpectExactByteAccounting(h);
  ExpectEffectsReplayToSameState(h);
}

TEST(StringsRanges, SetRangeErrors) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"SETRANGE", "k", "-1", "a"}), "-ERR offset is out of range\r\n");
  EXPECT_EQ(h.Run({"SETRANGE", "k", "a", "a"}), kNotInt);
  EXPECT_EQ(h.Run({"SETRANGE", "k", "536870912", "a"}),
            "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n");
  EXPECT_EQ(h.Run({"SETRANGE", "k", "536870911", "ab"}),
            "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n");
  EXPECT_EQ(h.Run({"SETRANGE", "k", "9223372036854775807", "a"}),
            "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n");
  h.Run({"SET", "k", "v"});
  EXPECT_EQ(h.Run({"SETRANGE", "k", "536870912", "a"}),
            "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n");
  EXPECT_EQ(h.Run({"SETRANGE", "k", "536870912", ""}), ":1\r\n");
  EXPECT_EQ(h.Effects(), (Effects{"0:SET k v"}));
}

// --- LCS ---

TEST(StringsLcs, AllForms) {
  EngineHarness h;
  h.Run({"MSET", "key1", "ohmytext", "key2", "mynewtext"});
  EXPECT_EQ(h.Run({"LCS", "key1", "key2"}), Bulk("mytext"));
  EXPECT_EQ(h.Run({"LCS", "key1", "key2", "LEN"}), ":6\r\n");
  EXPECT_EQ(h.Run({"LCS", "key1", "key2", "IDX"}),
            "*4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n"
            ":2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n");
  EXPECT_EQ(h.Run({"LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"}),
            "*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n"
            "$3\r\nlen\r\n:6\r\n");
  h.session()->resp = 3;
  EXPECT_EQ(h.Run({"LCS", "key1", "key2", "IDX", "MINMATCHLEN", "5"}),
            "%2\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:6\r\n");
  EXPECT_EQ(h.Run({"LCS", "key1", "nokey"}), "$0\r\n\r\n");
  EXPECT_EQ(h.Run({"LCS", "nokey", "nokey", "LEN"}), ":0\r\n");
  h.Run({"MSET", "n1", "12345", "n2", "2468"});
  EXPECT_EQ(h.Run({"LCS", "n1", "n2"}), Bulk("24"));
  // A negative MINMATCHLEN counts as 0.
  EXPECT_EQ(h.Run({"LCS", "n1", "n2", "IDX", "MINMATCHLEN", "-3"}),
            "%2\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:3\r\n:3\r\n*2\r\n:1\r\n:1\r\n*2\r\n*2\r\n"
            ":1\r\n:1\r\n*2\r\n:0\r\n:0\r\n$3\r\nlen\r\n:2\r\n");
}

TEST(StringsLcs, Errors) {
  EngineHarness h;
  h.Run({"MSET", "a", "abc", "b", "abd"});
  EXPECT_EQ(h.Run({"LCS", "a", "b", "IDX", "LEN"}),
            "-ERR If you want both the length and indexes, please just use IDX.\r\n");
  EXPECT_EQ(h.Run({"LCS", "a", "b", "FOO"}), kSyntax);
  EXPECT_EQ(h.Run({"LCS", "a", "b", "MINMATCHLEN"}), kSyntax);
  EXPECT_EQ(h.Run({"LCS", "a", "b", "MINMATCHLEN", "x"}), kNotInt);
  EXPECT_EQ(h.Run({"LCS", "a"}), "-ERR wrong number of arguments for 'lcs' command\r\n");
}

TEST(StringsLcs, TableAboveProtoMaxBulkLenIsRefused) {
  EngineHarness h;
  MutableSettings(h).proto_max_bulk_len = 1024 * 1024;
  std::string a(600, 'a'), b(600, 'b');
  h.Run({"MSET", "a", a, "b", b});
  EXPECT_EQ(h.Run({"LCS", "a", "b"}),
            "-ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len\r\n");
  std::string c(400, 'a');
  h.Run({"SET", "c", c});
  EXPECT_EQ(h.Run({"LCS", "a", "c", "LEN"}), ":400\r\n");
}

}  // namespace
}  // namespace cairn::testing
