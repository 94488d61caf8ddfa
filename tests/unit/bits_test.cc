// The bit commands: the bit arithmetic against naive reference versions,
// and SETBIT/GETBIT/BITCOUNT/BITPOS/BITOP/BITFIELD through the engine with
// Redis 7.0's replies, statistics and (replayable) effects. Reply bytes for
// every option and error are also compared with redis-server by
// tests/diff/scripts/strings_bits.txt and strings_bitfield.txt.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/command/bit_ops.h"
#include "tests/support/engine_harness.h"
#include "tests/unit/string_test_support.h"

namespace cairn::testing {
namespace {

using Effects = std::vector<std::string>;

std::string Bulk(std::string_view s) {
  return "$" + std::to_string(s.size()) + "\r\n" + std::string(s) + "\r\n";
}

int NaiveBit(const std::vector<uint8_t>& s, uint64_t pos) {
  return (s[pos / 8] >> (7 - pos % 8)) & 1;
}

std::vector<uint8_t> RandomBytes(std::mt19937& rng, size_t n) {
  std::vector<uint8_t> s(n);
  // Mostly runs of 0x00 / 0xff so the word-skipping paths are exercised.
  for (auto& b : s) {
    uint32_t r = rng() % 8;
    b = r < 3 ? 0x00 : r < 6 ? 0xff : static_cast<uint8_t>(rng());
  }
  return s;
}

// --- bit_ops ---

TEST(BitOps, CountAndFindMatchNaiveScans) {
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    std::vector<uint8_t> s = RandomBytes(rng, 1 + rng() % 40);
    uint64_t bits = s.size() * 8;
    for (int q = 0; q < 20; ++q) {
      uint64_t first = rng() % bits;
      uint64_t last = first + rng() % (bits - first);
      uint64_t count = 0;
      int64_t first_one = -1, first_zero = -1;
      for (uint64_t p = first; p <= last; ++p) {
        int b = NaiveBit(s, p);
        count += static_cast<uint64_t>(b);
        if (b == 1 && first_one < 0) first_one = static_cast<int64_t>(p);
        if (b == 0 && first_zero < 0) first_zero = static_cast<int64_t>(p);
      }
      ASSERT_EQ(CountBitsInRange(s.data(), first, last), count) << first << ".." << last;
      ASSERT_EQ(FindFirstBit(s.data(), first, last, true), first_one) << first << ".." << last;
      ASSERT_EQ(FindFirstBit(s.data(), first, last, false), first_zero) << first << ".." << last;
    }
    uint64_t total = 0;
    for (uint64_t p = 0; p < bits; ++p) total += static_cast<uint64_t>(NaiveBit(s, p));
    ASSERT_EQ(CountBits(s.data(), s.size()), total);
  }
}

TEST(BitOps, FieldsRoundTripAndReadZerosPastTheEnd) {
  std::mt19937 rng(11);
  for (int round = 0; round < 2000; ++round) {
    std::vector<uint8_t> s = RandomBytes(rng, 12);
    int bits = 1 + static_cast<int>(rng() % 64);
    uint64_t offset = rng() % (s.size() * 8 - static_cast<uint64_t>(bits) + 1);
    uint64_t value = (static_cast<uint64_t>(rng()) << 32) | rng();
    std::vector<uint8_t> before = s;
    SetField(s.data(), offset, bits, value);
    uint64_t mask = bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
    ASSERT_EQ(GetUnsignedField(s.data(), s.size(), offset, bits), value & mask);
    // Bits outside the field are untouched.
    for (uint64_t p = 0; p < s.size() * 8; ++p) {
      if (p >= offset && p < offset + static_cast<uint64_t>(bits)) continue;
      ASSERT_EQ(NaiveBit(s, p), NaiveBit(before, p)) << p;
    }
    int64_t sign_extended = static_cast<int64_t>(value & mask);
    if (bits < 64 && (value & (uint64_t{1} << (bits - 1)))) {
      sign_extended = static_cast<int64_t>((value & mask) | ~mask);
    }
    ASSERT_EQ(GetSignedField(s.data(), s.size(), offset, bits), sign_extended);
  }
  const uint8_t one[] = {0xAB};
  EXPECT_EQ(GetUnsignedField(one, 1, 4, 8), 0xB0u);
  EXPECT_EQ(GetUnsignedField(one, 1, 8, 8), 0u);
  EXPECT_EQ(GetSignedField(one, 1, 0, 4), -6);
}

TEST(BitOps, OverflowPolicies) {
  uint64_t u = 0;
  EXPECT_EQ(UnsignedFieldOverflow(250, 10, 8, FieldOverflow::kWrap, &u), 1);
  EXPECT_EQ(u, 4u);
  EXPECT_EQ(UnsignedFieldOverflow(250, 10, 8, FieldOverflow::kSat, &u), 1);
  EXPECT_EQ(u, 255u);
  EXPECT_EQ(UnsignedFieldOverflow(5, -10, 8, FieldOverflow::kSat, &u), -1);
  EXPECT_EQ(u, 0u);
  EXPECT_EQ(UnsignedFieldOverflow(5, -10, 8, FieldOverflow::kWrap, &u), -1);
  EXPECT_EQ(u, 251u);
  EXPECT_EQ(UnsignedFieldOverflow(5, -5, 8, FieldOverflow::kFail, &u), 0);
  // SET u8 -1: the value is read as 2^64 - 1, above the range.
  EXPECT_EQ(UnsignedFieldOverflow(~uint64_t{0}, 0, 8, FieldOverflow::kSat, &u), 1);
  EXPECT_EQ(u, 255u);
  int64_t s = 0;
  EXPECT_EQ(SignedFieldOverflow(120, 10, 8, FieldOverflow::kWrap, &s), 1);
  EXPECT_EQ(s, -126);
  EXPECT_EQ(SignedFieldOverflow(-120, -10, 8, FieldOverflow::kSat, &s), -1);
  EXPECT_EQ(s, -128);
  EXPECT_EQ(SignedFieldOverflow(127, 0, 8, FieldOverflow::kFail, &s), 0);
  EXPECT_EQ(SignedFieldOverflow(INT64_MAX, 1, 64, FieldOverflow::kWrap, &s), 1);
  EXPECT_EQ(s, INT64_MIN);
  EXPECT_EQ(SignedFieldOverflow(INT64_MIN, -1, 64, FieldOverflow::kSat, &s), -1);
  EXPECT_EQ(s, INT64_MIN);
  // Redis's arithmetic reads SET i8 INT64_MIN as overflowing upwards: SAT
  // gives 127 and WRAP gives 0 (redis-server 7.0.15 answers the same).
  EXPECT_EQ(SignedFieldOverflow(INT64_MIN, 0, 8, FieldOverflow::kSat, &s), 1);
  EXPECT_EQ(s, 127);
  EXPECT_EQ(SignedFieldOverflow(INT64_MIN, 0, 8, FieldOverflow::kWrap, &s), 1);
  EXPECT_EQ(s, 0);
}

// --- SETBIT / GETBIT ---

TEST(BitsSetGet, SetBitGrowsARawStringAndRecordsChangesOnly) {
  EngineHarness h;
  StatsSnapshot before = StatsSnapshot::Of(h);
  EXPECT_EQ(h.Run({"SETBIT", "b", "7", "1"}), ":0\r\n");
  EXPECT_EQ(StatsSnapshot::Of(h).Since(before), (StatsSnapshot{1, 0, 0, 0}));
  EXPECT_EQ(EncodingOf(h, "b"), "raw");
  EXPECT_EQ(h.Run({"GET", "b"}), Bulk("\x01"));
  EXPECT_EQ(StatsOf(h, {"SETBIT", "b", "7", "1"}), (StatsSnapshot{0, 0, 0, 0}));
  EXPECT_EQ(h.Run({"SETBIT", "b", "7", "0"}), ":1\r\n");
  EXPECT_EQ(h.Run({"SETBIT", "b", "23", "0"}), ":0\r\n");  // grows: recorded
  EXPECT_EQ(h.Run({"STRLEN", "b"}), ":3\r\n");
  EXPECT_EQ(h.Run({"GETBIT", "b", "7"}), ":0\r\n");
  EXPECT_EQ(h.Run({"GETBIT", "b", "1000"}), ":0\r\n");
  EXPECT_EQ(h.Effects(), (Effects{"0:SETBIT b 7 1", "0:SETBIT b 7 0", "0:SETBIT b 23 0"}));
  ExpectExactByteAccounting(h);
  ExpectEffectsReplayToSameState(h);
}

TEST(BitsSetGet, SetBitOnAnIntEditsItsDigitsAndKeepsTheTtl) {
  EngineHarness h;
  h.Run({"SET", "n", "5", "EX", "100"});
  // Unchanged bit: no record, but the value is now a raw string, as in Redis.
  EXPECT_EQ(StatsOf(h, {"SETBIT", "n", "0", "0"}), (StatsSnapshot{0, 0, 0, 0}));
  EXPECT_EQ(EncodingOf(h, "n"), "raw");
  EXPECT_EQ(h.Run({"SETBIT", "n", "6", "1"}), ":0\r\n");
  EXPECT_EQ(h.Run({"GET", "n"}), Bulk("7"));
  EXPECT_EQ(DeadlineOf(h, "n"), kStartMs + 100'000);
  EXPECT_EQ(h.Effects(), (Effects{"0:SET n 5 PXAT 1700000100000", "0:SETBIT n 6 1"}));
  ExpectEffectsReplayToSameState(h);
}

TEST(BitsSetGet, Errors) {
  EngineHarness h;
  const std::string offset = "-ERR bit offset is not an integer or out of range\r\n";
  const std::string bit = "-ERR bit is not an integer or out of range\r\n";
  EXPECT_EQ(h.Run({"SETBIT", "b", "-1", "1"}), offset);
  EXPECT_EQ(h.Run({"SETBIT", "b", "4294967296", "1"}), offset);
  EXPECT_EQ(h.Run({"SETBIT", "b", "x", "1"}), offset);
  EXPECT_EQ(h.Run({"SETBIT", "b", "x", "2"}), offset);  // the offset is checked first
  EXPECT_EQ(h.Run({"SETBIT", "b", "1", "2"}), bit);
  EXPECT_EQ(h.Run({"SETBIT", "b", "1", "-1"}), bit);
  EXPECT_EQ(h.Run({"SETBIT", "b", "1", "x"}), bit);
  EXPECT_EQ(h.Run({"GETBIT", "b", "4294967296"}), offset);
  EXPECT_EQ(FindKey(h, "b"), nullptr);
  // The offset limit follows proto-max-bulk-len (in bytes).
  MutableSettings(h).proto_max_bulk_len = 1024 * 1024;
  EXPECT_EQ(h.Run({"SETBIT", "b", "8388608", "1"}), offset);
  EXPECT_EQ(h.Run({"SETBIT", "b", "8388607", "1"}), ":0\r\n");
  EXPECT_EQ(h.Run({"STRLEN", "b"}), ":1048576\r\n");
  ExpectExactByteAccounting(h);
}

// --- BITCOUNT / BITPOS ---

TEST(BitsCountPos, ReadsCountStatisticsAndAMissingKeyIgnoresArguments) {
  EngineHarness h;
  h.Run({"SET", "c", "foobar"});
  EXPECT_EQ(h.Run({"BITCOUNT", "c"}), ":26\r\n");
  EXPECT_EQ(h.Run({"BITCOUNT", "c", "1", "1"}), ":6\r\n");
  EXPECT_EQ(h.Run({"BITCOUNT", "c", "5", "30", "BIT"}), ":17\r\n");
  EXPECT_EQ(h.Run({"BITCOUNT", "c", "-1", "-2"}), ":0\r\n");
  EXPECT_EQ(StatsOf(h, {"BITCOUNT", "c"}), (StatsSnapshot{0, 1, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"BITCOUNT", "none", "junk"}), (StatsSnapshot{0, 0, 1, 0}));
  EXPECT_EQ(h.Run({"BITCOUNT", "none", "junk"}), ":0\r\n");
  EXPECT_EQ(h.Run({"BITCOUNT", "c", "junk"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"BITPOS", "none", "1", "x"}), ":-1\r\n");
  EXPECT_EQ(h.Run({"BITPOS", "none", "0"}), ":0\r\n");
  EXPECT_EQ(StatsOf(h, {"BITPOS", "c", "1"}), (StatsSnapshot{0, 1, 0, 0}));
  // The bit argument is checked before the key is read.
  EXPECT_EQ(StatsOf(h, {"BITPOS", "c", "2"}), (StatsSnapshot{0, 0, 0, 0}));
  h.Run({"SET", "ones", "\xff\xff"});
  EXPECT_EQ(h.Run({"BITPOS", "ones", "0"}), ":16\r\n");
  EXPECT_EQ(h.Run({"BITPOS", "ones", "0", "0", "-1"}), ":-1\r\n");
  h.Run({"SET", "i", "1"});  // "1" is 0x31
  EXPECT_EQ(h.Run({"BITPOS", "i", "1"}), ":2\r\n");
  EXPECT_EQ(h.Run({"BITCOUNT", "i"}), ":3\r\n");
}

// --- BITOP ---

TEST(BitsOp, ResultIsRecordedAsItsValue) {
  EngineHarness h;
  h.Run({"SET", "a", "\xf0\x0f"});
  h.Run({"SET", "b", "\xff"});
  StatsSnapshot before = StatsSnapshot::Of(h);
  EXPECT_EQ(h.Run({"BITOP", "AND", "d", "a", "b", "none"}), ":2\r\n");
  EXPECT_EQ(StatsSnapshot::Of(h).Since(before), (StatsSnapshot{1, 2, 1, 0}));
  EXPECT_EQ(h.Run({"GET", "d"}), Bulk(std::string("\0\0", 2)));
  EXPECT_EQ(EncodingOf(h, "d"), "raw");
  EXPECT_EQ(h.Run({"BITOP", "OR", "d", "a", "b"}), ":2\r\n");
  EXPECT_EQ(h.Run({"GET", "d"}), Bulk("\xff\x0f"));
  EXPECT_EQ(h.Run({"BITOP", "XOR", "d", "a", "b"}), ":2\r\n");
  EXPECT_EQ(h.Run({"GET", "d"}), Bulk("\x0f\x0f"));
  EXPECT_EQ(h.Run({"BITOP", "NOT", "d", "a"}), ":2\r\n");
  EXPECT_EQ(h.Run({"GET", "d"}), Bulk("\x0f\xf0"));
  // The destination may be a source: replaying the record cannot apply the
  // operation twice.
  EXPECT_EQ(h.Run({"BITOP", "XOR", "d", "d", "b"}), ":2\r\n");
  EXPECT_EQ(h.Run({"GET", "d"}), Bulk("\xf0\xf0"));
  EXPECT_EQ(h.Effects(), (Effects{"0:SET a \xf0\x0f", "0:SET b \xff",
                                  std::string("0:SET d \0\0", 10), "0:SET d \xff\x0f",
                                  "0:SET d \x0f\x0f", "0:SET d \x0f\xf0", "0:SET d \xf0\xf0"}));
  ExpectEffectsReplayToSameState(h);
}

TEST(BitsOp, EmptyResultDeletesAndTtlIsDropped) {
  EngineHarness h;
  h.Run({"SET", "d", "x", "EX", "100"});
  h.Run({"SET", "s", "\x01"});
  EXPECT_EQ(h.Run({"BITOP", "OR", "d", "s"}), ":1\r\n");
  EXPECT_EQ(DeadlineOf(h, "d"), 0);
  EXPECT_EQ(StatsOf(h, {"BITOP", "AND", "d", "none1", "none2"}), (StatsSnapshot{1, 0, 2, 0}));
  EXPECT_EQ(FindKey(h, "d"), nullptr);
  EXPECT_EQ(StatsOf(h, {"BITOP", "AND", "d", "none1"}), (StatsSnapshot{0, 0, 1, 0}));
  EXPECT_EQ(h.Effects(),
            (Effects{"0:SET d x PXAT 1700000100000", "0:SET s \x01", "0:SET d \x01", "0:DEL d"}));
  EXPECT_EQ(h.Run({"BITOP", "NOT", "d", "a", "b"}),
            "-ERR BITOP NOT must be called with a single source key.\r\n");
  EXPECT_EQ(h.Run({"BITOP", "NAND", "d", "a"}), "-ERR syntax error\r\n");
  ExpectEffectsReplayToSameState(h);
}

// --- BITFIELD ---

TEST(BitsField, RepliesAndEffectsAsFinalBytes) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"BITFIELD", "f", "SET", "u8", "0", "255", "GET", "i8", "0"}),
            "*2\r\n:0\r\n:-1\r\n");
  EXPECT_EQ(h.Run({"BITFIELD", "f", "INCRBY", "u8", "0", "1", "INCRBY", "u4", "#3", "3"}),
            "*2\r\n:0\r\n:3\r\n");
  EXPECT_EQ(EncodingOf(h, "f"), "raw");
  EXPECT_EQ(h.Run({"GET", "f"}), Bulk(std::string("\0\x03", 2)));
  // INCRBY is recorded as the bytes it left, never as an increment.
  EXPECT_EQ(h.Effects(),
            (Effects{"0:SETRANGE f 0 \xff", std::string("0:SETRANGE f 0 \0\x03", 17)}));
  ExpectEffectsReplayToSameState(h);
}

TEST(BitsField, DirtyCountsChangedFieldsOrEveryWriteWhenTheStringGrew) {
  EngineHarness h;
  // Growth: both writes count, even the one that writes zero over zero.
  EXPECT_EQ(StatsOf(h, {"BITFIELD", "b", "SET", "u8", "0", "1", "SET", "u8", "8", "0"}),
            (StatsSnapshot{2, 0, 0, 0}));
  // No growth: only the changed field counts.
  EXPECT_EQ(StatsOf(h, {"BITFIELD", "b", "SET", "u8", "0", "1", "SET", "u8", "8", "7"}),
            (StatsSnapshot{1, 0, 0, 0}));
  h.ClearEffects();
  EXPECT_EQ(StatsOf(h, {"BITFIELD", "b", "INCRBY", "u8", "0", "0"}), (StatsSnapshot{0, 0, 0, 0}));
  EXPECT_TRUE(h.Effects().empty());
  // Reads only: a read lookup, which counts a hit or a miss.
  EXPECT_EQ(StatsOf(h, {"BITFIELD", "b", "GET", "u8", "0"}), (StatsSnapshot{0, 1, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"BITFIELD", "none", "GET", "u8", "0"}), (StatsSnapshot{0, 0, 1, 0}));
  EXPECT_EQ(StatsOf(h, {"BITFIELD_RO", "b", "GET", "u8", "0"}), (StatsSnapshot{0, 1, 0, 0}));
  EXPECT_EQ(StatsOf(h, {"BITFIELD", "b"}), (StatsSnapshot{0, 1, 0, 0}));
  EXPECT_EQ(FindKey(h, "none"), nullptr);
}

TEST(BitsField, FailedWritesStillCreateTheStringAndTheRecordSaysSo) {
  // redis-server creates the key (zeros up to the farthest write) but counts
  // no change and records nothing, so its own log loses the key; the
  // recorded length here keeps replay equal to memory.
  EngineHarness h;
  EXPECT_EQ(StatsOf(h, {"BITFIELD", "k", "OVERFLOW", "FAIL", "SET", "u8", "16", "256"}),
            (StatsSnapshot{0, 0, 0, 0}));
  EXPECT_EQ(h.Run({"GET", "k"}), Bulk(std::string(3, '\0')));
  EXPECT_EQ(h.Effects(), (Effects{std::string("0:SETRANGE k 2 \0", 16)}));
  h.session()->resp = 3;
  EXPECT_EQ(h.Run({"BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "300"}),
            "*1\r\n_\r\n");
  ExpectEffectsReplayToSameState(h);
}

TEST(BitsField, FarApartWritesAreRecordedAsSeparateRuns) {
  EngineHarness h;
  h.Run({"BITFIELD", "k", "SET", "u8", "#0", "1", "SET", "u8", "#1", "2", "SET", "u8", "#1000", "3",
         "SET", "u4", "#1", "15"});
  EXPECT_EQ(h.Run({"STRLEN", "k"}), ":1001\r\n");
  EXPECT_EQ(h.Effects(), (Effects{"0:SETRANGE k 0 \x0f\x02", "0:SETRANGE k 1000 \x03"}));
  ExpectEffectsReplayToSameState(h);
  ExpectExactByteAccounting(h);
}

TEST(BitsField, Errors) {
  EngineHarness h;
  const std::string type =
      "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but "
      "i64 is.\r\n";
  EXPECT_EQ(h.Run({"BITFIELD", "k", "GET", "u64", "0"}), type);
  EXPECT_EQ(h.Run({"BITFIELD", "k", "GET", "I8", "0"}), type);
  EXPECT_EQ(h.Run({"BITFIELD", "k", "GET", "i65", "0"}), type);
  EXPECT_EQ(h.Run({"BITFIELD", "k", "GET", "u8", "#x"}),
            "-ERR bit offset is not an integer or out of range\r\n");
  EXPECT_EQ(h.Run({"BITFIELD", "k", "OVERFLOW", "NOPE"}),
            "-ERR Invalid OVERFLOW type specified\r\n");
  EXPECT_EQ(h.Run({"BITFIELD", "k", "GET", "u8"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"BITFIELD", "k", "SET", "u8", "0", "x"}),
            "-ERR value is not an integer or out of range\r\n");
  // A bad argument anywhere stops the whole command before any write.
  EXPECT_EQ(h.Run({"BITFIELD", "k", "SET", "u8", "0", "1", "GET", "u99", "0"}), type);
  EXPECT_EQ(FindKey(h, "k"), nullptr);
  // BITFIELD_RO checks all arguments, then refuses writes.
  EXPECT_EQ(h.Run({"BITFIELD_RO", "k", "SET", "u8", "0", "1", "FOO"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"BITFIELD_RO", "k", "SET", "u8", "0", "1"}),
            "-ERR BITFIELD_RO only supports the GET subcommand\r\n");
  EXPECT_EQ(h.Run({"BITFIELD_RO", "k", "GET", "u8", "0"}), "*1\r\n:0\r\n");
  EXPECT_TRUE(h.Effects().empty());
}

}  // namespace
}  // namespace cairn::testing
