// The append-only file's formats: records, checksum annotations, the
// manifest (print/parse round trips, every malformed line refused with its
// number), and the scan rules that decide torn tails and damage.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/aof/crc32c.h"
#include "engine/aof/file_scan.h"
#include "engine/aof/manifest.h"
#include "engine/aof/record.h"
#include "engine/aof/record_reader.h"

namespace cairn::aof {
namespace {

std::string Rec(std::vector<std::string_view> args) {
  std::string out;
  AppendRecord(out, args);
  return out;
}

// A batch as the log writes it: records, then the checksum of their bytes.
std::string Batch(const std::string& records) {
  std::string out = records;
  AppendChecksum(out, records);
  return out;
}

class Collect final : public Replayer {
 public:
  Status Apply(std::span<const std::string_view> args) override {
    std::string line;
    for (size_t i = 0; i < args.size(); ++i) {
      if (i) line += ' ';
      line += args[i];
    }
    lines.push_back(line);
    if (fail_on == line) return Status::Corruption("refused " + line);
    return Status::Ok();
  }
  void SizeHint(int db, uint64_t keys, uint64_t expiring) override {
    hints.push_back({db, keys, expiring});
  }
  std::vector<std::string> lines;
  std::vector<::cairn::aof::SizeHint> hints;
  std::string fail_on;
};

TEST(AofCrc32c, KnownVector) {
  // The CRC-32C check value of "123456789".
  EXPECT_EQ(Crc32c("123456789"), 0xe3069283u);
  EXPECT_EQ(Crc32c(""), 0u);
  EXPECT_EQ(Crc32cPortable("123456789"), 0xe3069283u);
}

TEST(AofCrc32c, TheInstructionPathAgreesWithTheTableAtEveryLengthAndSplit) {
  std::string data;
  uint32_t x = 12345;
  for (int i = 0; i < 300; ++i) {
    x = x * 1103515245u + 12345u;
    data.push_back(static_cast<char>(x >> 16));
  }
  for (size_t len = 0; len <= data.size(); ++len) {
    std::string_view part(data.data(), len);
    ASSERT_EQ(Crc32c(part), Crc32cPortable(part)) << len;
    // Extending over a split gives the checksum of the whole.
    size_t cut = len / 3;
    ASSERT_EQ(Crc32c(part.substr(cut), Crc32c(part.substr(0, cut))), Crc32cPortable(part)) << len;
  }
}

TEST(AofRecord, EncodesAsRespMultibulkAndReadsBack) {
  std::string bin("a\r\nb\0c", 6);
  std::string data = Rec({"SET", bin, ""});
  constexpr char kWant[] = "*3\r\n$3\r\nSET\r\n$6\r\na\r\nb\0c\r\n$0\r\n\r\n";
  EXPECT_EQ(data, std::string(kWant, sizeof(kWant) - 1));
  RecordReader r(data);
  const auto& it = r.Next();
  ASSERT_EQ(it.kind, RecordReader::Kind::kRecord);
  ASSERT_EQ(it.args.size(), 3u);
  EXPECT_EQ(it.args[1], bin);
  EXPECT_EQ(it.args[2], "");
  EXPECT_EQ(it.end, data.size());
  EXPECT_EQ(r.Next().kind, RecordReader::Kind::kEnd);
}

TEST(AofRecord, EveryCutOfARecordIsTruncatedNeverBad) {
  std::string data = Rec({"SET", "key", "value"});
  for (size_t n = 1; n < data.size(); ++n) {
    RecordReader r(std::string_view(data).substr(0, n));
    EXPECT_EQ(r.Next().kind, RecordReader::Kind::kTruncated) << "cut at " << n;
  }
}

TEST(AofRecord, ChecksumAnnotationRoundTrips) {
  std::string line;
  AppendChecksum(line, "hello");
  ASSERT_EQ(line.substr(0, 7), "#cairn:");
  auto c = ParseChecksum(std::string_view(line).substr(0, line.size() - 2));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->length, 5u);
  EXPECT_EQ(c->crc, Crc32c("hello"));
  EXPECT_FALSE(ParseChecksum("#cairn:5:zzzzzzzz").has_value());
  EXPECT_FALSE(ParseChecksum("#TS:123").has_value());
}

TEST(AofManifest, PrintsWhatRedisWritesAndParsesBack) {
  Manifest m;
  m.StartNewBase("appendonly.aof");
  m.AddNewIncr("appendonly.aof");
  m.AddNewIncr("appendonly.aof");
  EXPECT_EQ(m.Print(),
            "file appendonly.aof.1.base.aof seq 1 type b\n"
            "file appendonly.aof.1.incr.aof seq 1 type i\n"
            "file appendonly.aof.2.incr.aof seq 2 type i\n");
  auto back = Manifest::Parse(m.Print());
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back.value(), m);
  // A rewrite: new base seq 2, old base and incr files become history.
  m.StartNewBase("appendonly.aof");
  m.IncrsToHistory(2);
  m.AddNewIncr("appendonly.aof");
  EXPECT_EQ(m.Print(),
            "file appendonly.aof.2.base.aof seq 2 type b\n"
            "file appendonly.aof.1.base.aof seq 1 type h\n"
            "file appendonly.aof.1.incr.aof seq 1 type h\n"
            "file appendonly.aof.2.incr.aof seq 2 type h\n"
            "file appendonly.aof.3.incr.aof seq 3 type i\n");
  back = Manifest::Parse(m.Print());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back.value(), m);
}

TEST(AofManifest, AcceptsRedisVariants) {
  // Pairs in any order, comments, unknown keys, an RDB base, quoted names.
  auto m = Manifest::Parse(
      "# comment\n"
      "seq 1 type b file appendonly.aof.1.base.rdb\n"
      "file \"my aof.1.incr.aof\" seq 4 type i future x\n");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m.value().base->name, "appendonly.aof.1.base.rdb");
  EXPECT_EQ(m.value().incrs[0].name, "my aof.1.incr.aof");
  EXPECT_EQ(m.value().incr_seq, 4);
  EXPECT_EQ(Manifest::Parse(m.value().Print()).value(), m.value());
}

TEST(AofManifest, RefusesMalformedLinesNamingThem) {
  struct Case {
    const char* text;
    const char* want;
  } cases[] = {
      {"file a seq 1 type b\nfile b seq 2 type b\n", "line 2: a second base file"},
      {"file a seq 2 type i\nfile b seq 2 type i\n", "line 2: incr seq not ascending"},
      {"file a seq 3 type i\nfile b seq 1 type i\n", "line 2: incr seq not ascending"},
      {"file a seq 1 type x\n", "line 1: unknown type"},
      {"file a seq one type i\n", "line 1: bad seq"},
      {"file a seq 1\n", "line 1: invalid format"},
      {"file a seq 1 type i extra\n", "line 1: invalid format"},
      {"foo a bar 1 baz i\n", "line 1: invalid format"},
      {"file \"a seq 1 type i\n", "line 1: unbalanced quotes"},
      {"file ../a seq 1 type i\n", "line 1: bad file name"},
      {"file a seq 1 type i", "line 1: line not ended"},
      {"", "names no base and no incr"},
      {"# only a comment\n", "names no base and no incr"},
      {"file a seq 1 type h\n", "names no base and no incr"},
  };
  for (const Case& c : cases) {
    auto m = Manifest::Parse(c.text);
    ASSERT_FALSE(m.ok()) << c.text;
    EXPECT_NE(m.status().message().find(c.want), std::string::npos)
        << c.text << " -> " << m.status().message();
  }
}

TEST(AofRecord, SizeHintRoundTripsAndMalformedOnesAreNotHints) {
  std::string line;
  AppendSizeHint(line, 3, 1000000, 42);
  EXPECT_EQ(line, "#cairn-size:3:1000000:42\r\n");
  auto h = ParseSizeHint(std::string_view(line).substr(0, line.size() - 2));
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->db, 3);
  EXPECT_EQ(h->keys, 1000000u);
  EXPECT_EQ(h->expiring, 42u);
  for (std::string_view bad : {"#cairn-size:", "#cairn-size:1:2", "#cairn-size:1:2:3:4",
                               "#cairn-size:-1:2:3", "#cairn-size:1:x:3", "#cairn-size:1::3",
                               "#cairn-size:99999999999:1:1", "#cairn:12:0000abcd", "#TS:5"}) {
    EXPECT_FALSE(ParseSizeHint(bad).has_value()) << bad;
  }
  // Not a checksum either: the prefixes differ after "#cairn".
  EXPECT_FALSE(ParseChecksum("#cairn-size:3:1000000:42").has_value());
}

TEST(AofScan, SizeHintsReachTheReplayerBoundedByTheBytesLeft) {
  std::string records;
  AppendSizeHint(records, 0, 2, 1);
  records += Rec({"SET", "a", "1"}) + Rec({"SET", "b", "2"}) + Rec({"PEXPIREAT", "b", "9"});
  // A damaged hint (bit rot in the count) must not reserve a huge table:
  // at most one key per 26 bytes left in the file.
  AppendSizeHint(records, 1, uint64_t{1} << 60, uint64_t{1} << 60);
  records += Rec({"SELECT", "1"}) + Rec({"SET", "c", "3"});
  std::string data = Batch(records);
  Collect c;
  ScanResult r = ScanRecords(data, 0, &c);
  ASSERT_EQ(r.outcome, ScanResult::Outcome::kClean);
  ASSERT_EQ(c.hints.size(), 2u);
  EXPECT_EQ(c.hints[0].db, 0);
  EXPECT_EQ(c.hints[0].keys, 2u);
  EXPECT_EQ(c.hints[0].expiring, 1u);
  EXPECT_EQ(c.hints[1].db, 1);
  const size_t second = data.find("#cairn-size:1:");
  const size_t left = data.size() - data.find('\n', second) - 1;
  EXPECT_EQ(c.hints[1].keys, left / 26);
  EXPECT_EQ(c.hints[1].expiring, left / 26);
  // Hints are annotations: the records are exactly the file's records.
  EXPECT_EQ(c.lines, (std::vector<std::string>{"SET a 1", "SET b 2", "PEXPIREAT b 9", "SELECT 1",
                                               "SET c 3"}));
}

TEST(AofScan, CleanFileAppliesEveryRecord) {
  std::string data = Rec({"SET", "a", "1"}) + "#TS:100\r\n" + Rec({"DEL", "a"});
  Collect c;
  ScanResult r = ScanRecords(data, 0, &c);
  EXPECT_EQ(r.outcome, ScanResult::Outcome::kClean);
  EXPECT_EQ(c.lines, (std::vector<std::string>{"SET a 1", "DEL a"}));
  EXPECT_FALSE(r.checksummed);
}

TEST(AofScan, MultiExecAppliesWholeAndAnUnfinishedOneIsATornTail) {
  std::string head = Rec({"SET", "a", "1"});
  std::string block = Rec({"MULTI"}) + Rec({"INCR", "a"}) + Rec({"INCR", "a"});
  Collect c;
  ScanResult r = ScanRecords(head + block + Rec({"EXEC"}), 0, &c);
  EXPECT_EQ(r.outcome, ScanResult::Outcome::kClean);
  EXPECT_EQ(c.lines, (std::vector<std::string>{"SET a 1", "INCR a", "INCR a"}));

  Collect d;
  r = ScanRecords(head + block, 0, &d);
  EXPECT_EQ(r.outcome, ScanResult::Outcome::kTornTail);
  EXPECT_EQ(r.offset, head.size());  // rolled back to the MULTI
  EXPECT_EQ(d.lines, (std::vector<std::string>{"SET a 1"}));
}

TEST(AofScan, RedisFileCutInARecordIsATornTailAtThatRecord) {
  std::string a = Rec({"SET", "a", "1"});
  std::string b = Rec({"SET", "b", "2"});
  std::string data = a + b;
  for (size_t cut = a.size() + 1; cut < data.size(); ++cut) {
    Collect c;
    ScanResult r = ScanRecords(std::string_view(data).substr(0, cut), 0, &c);
    ASSERT_EQ(r.outcome, ScanResult::Outcome::kTornTail) << cut;
    EXPECT_EQ(r.offset, a.size());
    EXPECT_EQ(c.lines.size(), 1u);
  }
}

TEST(AofScan, RedisFileWithGarbageIsDamagedAtItsOffset) {
  std::string a = Rec({"SET", "a", "1"});
  std::string data = a + "garbage\r\n" + Rec({"SET", "b", "2"});
  ScanResult r = ScanRecords(data, 0, nullptr);
  EXPECT_EQ(r.outcome, ScanResult::Outcome::kDamaged);
  EXPECT_EQ(r.offset, a.size());
  // Garbage at the very end of a file without checksums: refused as well
  // (zeros would be reserved space: AofScan.ZerosEndingAFile...).
  r = ScanRecords(a + std::string(16, '\x01'), 0, nullptr);
  EXPECT_EQ(r.outcome, ScanResult::Outcome::kDamaged);
  EXPECT_EQ(r.offset, a.size());
}

TEST(AofScan, CairnFileWithAPartialRecordOrGarbageAfterTheLastBatchIsATornTail) {
  std::string b1 = Batch(Rec({"SET", "a", "1"}));
  std::string b2 = Batch(Rec({"SET", "b", "2"}) + Rec({"SET", "c", "3"}));
  for (std::string tail :
       {std::string("*3\r\n$3\r\nSET\r\n$1\r\nxx"), std::string("\x7f\x45garbage"),
        std::string("\x7f\x45garbage") + std::string(700, '\0'),
        std::string("*3\r\n$3\r\nSET\r\n$2\r\nx") + std::string(5000, '\0')}) {
    Collect c;
    ScanResult r = ScanRecords(b1 + b2 + tail, 0, &c);
    ASSERT_EQ(r.outcome, ScanResult::Outcome::kTornTail);
    EXPECT_EQ(r.offset, b1.size() + b2.size());
    EXPECT_EQ(c.lines.size(), 3u);
    EXPECT_TRUE(r.checksummed);
  }
  // A torn second batch (its records complete, its checksum line missing
  // and zeros after): nothing of it is applied.
  std::string torn = Rec({"SET", "b", "2"}) + std::string(10, '\0');
  Collect c;
  ScanResult r = ScanRecords(b1 + torn, 0, &c);
  ASSERT_EQ(r.outcome, ScanResult::Outcome::kTornTail);
  EXPECT_EQ(r.offset, b1.size());
  EXPECT_EQ(c.lines, (std::vector<std::string>{"SET a 1"}));
}

TEST(AofScan, ZerosEndingAFileAreReservedSpaceNotRecords) {
  std::string b1 = Batch(Rec({"SET", "a", "1"}));
  std::string b2 = Batch(Rec({"SET", "b", "2"}) + Rec({"SET", "c", "3"}));
  for (size_t zeros : {size_t{1}, size_t{100}, size_t{1} << 20}) {
    Collect c;
    ScanResult r = ScanRecords(b1 + b2 + std::string(zeros, '\0'), 0, &c);
    EXPECT_EQ(r.outcome, ScanResult::Outcome::kClean) << zeros << ": " << r.reason;
    EXPECT_EQ(r.content_end, b1.size() + b2.size());
    EXPECT_EQ(r.covered_end, b1.size() + b2.size());
    EXPECT_EQ(c.lines.size(), 3u);
  }
  // A file of nothing but reserved space, and a file without any.
  ScanResult r = ScanRecords(std::string(4096, '\0'), 0, nullptr);
  EXPECT_EQ(r.outcome, ScanResult::Outcome::kClean);
  EXPECT_EQ(r.content_end, 0u);
  EXPECT_EQ(r.records, 0u);
  r = ScanRecords(b1, 0, nullptr);
  EXPECT_EQ(r.content_end, b1.size());
  // Records without checksums (redis-server's) followed by zeros load too.
  std::string redis = Rec({"SET", "a", "1"}) + Rec({"SET", "b", "2"});
  Collect plain;
  r = ScanRecords(redis + std::string(64, '\0'), 0, &plain);
  EXPECT_EQ(r.outcome, ScanResult::Outcome::kClean);
  EXPECT_EQ(plain.lines.size(), 2u);
  // A batch whose records are whole but whose checksum line never made it:
  // torn where the last checksum ends, none of it applied.
  Collect c;
  r = ScanRecords(b1 + Rec({"SET", "b", "2"}) + std::string(512, '\0'), 0, &c);
  ASSERT_EQ(r.outcome, ScanResult::Outcome::kTornTail);
  EXPECT_EQ(r.offset, b1.size());
  EXPECT_EQ(c.lines, (std::vector<std::string>{"SET a 1"}));
  // Zeros in the middle are no space: a valid batch after them is damage.
  r = ScanRecords(b1 + std::string(512, '\0') + b2 + std::string(512, '\0'), 0, nullptr);
  EXPECT_EQ(r.outcome, ScanResult::Outcome::kDamaged);
  EXPECT_EQ(r.offset, b1.size());
  // Only the part after start is scanned for space: bytes before it (an RDB
  // preamble, whose checksum may end in zeros) are never taken.
  std::string preamble = std::string("REDIS0011") + std::string(8, '\0');
  r = ScanRecords(preamble, preamble.size(), nullptr);
  EXPECT_EQ(r.outcome, ScanResult::Outcome::kClean);
  EXPECT_EQ(r.content_end, preamble.size());
}

TEST(AofScan, CairnFileDamageFollowedByAValidBatchIsRefused) {
  std::string b1 = Batch(Rec({"SET", "a", "1"}));
  std::string b2 = Batch(Rec({"SET", "b", "2"}));
  std::string b3 = Batch(Rec({"SET", "c", "3"}));
  std::string bad = b2;
  bad[5] = 'X';  // inside b2's first record
  ScanResult r = ScanRecords(b1 + bad + b3, 0, nullptr);
  EXPECT_EQ(r.outcome, ScanResult::Outcome::kDamaged);
  // A flipped value byte keeps the record parseable: the checksum catches it.
  std::string flipped = b2;
  flipped[flipped.find("2\r\n")] = '9';
  Collect c;
  r = ScanRecords(b1 + flipped + b3, 0, &c);
  EXPECT_EQ(r.outcome, ScanResult::Outcome::kDamaged);
  EXPECT_EQ(r.offset, b1.size());
  EXPECT_EQ(c.lines, (std::vector<std::string>{"SET a 1"}));
}

TEST(AofScan, RecordsAppendedWithoutChecksumsAfterCairnBatchesAreKept) {
  // redis-server appending to an incr file Cairn wrote: no checksums.
  std::string data = Batch(Rec({"SET", "a", "1"})) + Rec({"SET", "b", "2"});
  Collect c;
  ScanResult r = ScanRecords(data, 0, &c);
  EXPECT_EQ(r.outcome, ScanResult::Outcome::kClean);
  EXPECT_EQ(c.lines.size(), 2u);
}

TEST(AofScan, ReplayErrorStopsWithTheRecordOffset) {
  std::string a = Rec({"SET", "a", "1"});
  Collect c;
  c.fail_on = "HSET h f v";
  ScanResult r = ScanRecords(a + Rec({"HSET", "h", "f", "v"}), 0, &c);
  EXPECT_EQ(r.outcome, ScanResult::Outcome::kDamaged);
  EXPECT_EQ(r.offset, a.size());
  EXPECT_NE(r.reason.find("refused HSET"), std::string::npos);
}

TEST(AofScan, TimestampCutFindsTheFirstLaterAnnotation) {
  std::string a = "#TS:100\r\n" + Rec({"SET", "a", "1"});
  std::string b = "#TS:200\r\n" + Rec({"SET", "b", "2"});
  ScanResult r = ScanRecords(a + b, 0, nullptr, 150);
  EXPECT_EQ(r.timestamp_cut, a.size());
  r = ScanRecords(a + b, 0, nullptr, 300);
  EXPECT_EQ(r.timestamp_cut, std::string_view::npos);
}

}  // namespace
}  // namespace cairn::aof
