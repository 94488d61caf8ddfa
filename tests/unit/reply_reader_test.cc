// ReplyScanner and DecodeReply: every RESP2/RESP3 type, nesting, attributes,
// malformed input, and frames split at every byte.
#include "engine/resp/reply_reader.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace cairn {
namespace {

using Outcome = ReplyScanner::Outcome;

// Scans a whole buffer in one call.
Outcome ScanAll(std::string_view buf, size_t* len) {
  ReplyScanner s;
  return s.Scan(buf, len);
}

Reply MustDecode(std::string_view frame) {
  Result<Reply> r = DecodeReply(frame);
  EXPECT_TRUE(r.ok()) << r.status().message() << " for " << frame;
  return r.ok() ? std::move(r).value() : Reply{};
}

// Every well-formed frame of the tests below, one per type and nesting form.
const std::vector<std::string>& ValidFrames() {
  static const std::vector<std::string> frames = {
      "+OK\r\n",
      "+\r\n",
      "-ERR unknown command 'x'\r\n",
      ":0\r\n",
      ":-42\r\n",
      ":9223372036854775807\r\n",
      "$5\r\nhello\r\n",
      "$0\r\n\r\n",
      "$-1\r\n",
      "$4\r\na\r\nb\r\n",
      "*0\r\n",
      "*-1\r\n",
      "*2\r\n$1\r\na\r\n:1\r\n",
      "_\r\n",
      ",3.14\r\n",
      ",inf\r\n",
      ",-inf\r\n",
      ",nan\r\n",
      ",1e+300\r\n",
      "#t\r\n",
      "#f\r\n",
      "(3492890328409238509324850943850943825024385\r\n",
      "(-12\r\n",
      "!21\r\nSYNTAX invalid syntax\r\n",
      "=15\r\ntxt:Some string\r\n",
      "=4\r\ntxt:\r\n",
      "%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n",
      "%0\r\n",
      "~3\r\n+a\r\n+b\r\n+c\r\n",
      ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n",
      "*3\r\n*2\r\n:1\r\n*1\r\n%1\r\n+k\r\n~1\r\n_\r\n$-1\r\n*0\r\n",
      "|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0.0012\r\n*2\r\n:"
      "2039123\r\n:9543892\r\n",
      "*2\r\n|1\r\n+ttl\r\n:10\r\n$1\r\nv\r\n:5\r\n",
      "|0\r\n+OK\r\n",
  };
  return frames;
}

TEST(ReplyScannerTest, EveryValidFrameIsCompleteExactlyAtItsEnd) {
  for (const std::string& f : ValidFrames()) {
    size_t len = 0;
    ASSERT_EQ(ScanAll(f, &len), Outcome::kComplete) << f;
    EXPECT_EQ(len, f.size()) << f;
  }
}

TEST(ReplyScannerTest, StopsAtTheEndOfTheFirstFrame) {
  std::string two = "*2\r\n:1\r\n:2\r\n+next\r\n";
  size_t len = 0;
  ASSERT_EQ(ScanAll(two, &len), Outcome::kComplete);
  EXPECT_EQ(two.substr(0, len), "*2\r\n:1\r\n:2\r\n");
}

// Each prefix alone is incomplete, and the full frame is complete.
TEST(ReplyScannerTest, EveryPrefixIsIncomplete) {
  for (const std::string& f : ValidFrames()) {
    for (size_t cut = 0; cut < f.size(); cut++) {
      size_t len = 0;
      EXPECT_EQ(ScanAll(std::string_view(f).substr(0, cut), &len), Outcome::kIncomplete)
          << "frame " << f << " cut at " << cut;
    }
  }
}

// One scanner resumed across two reads split at every point: the second
// buffer is a fresh copy, so only offsets may survive between calls.
TEST(ReplyScannerTest, ResumesAfterASplitAtEveryPoint) {
  for (const std::string& f : ValidFrames()) {
    for (size_t cut = 0; cut <= f.size(); cut++) {
      ReplyScanner s;
      size_t len = 0;
      std::string first = f.substr(0, cut);
      Outcome o = s.Scan(first, &len);
      if (cut < f.size()) {
        ASSERT_EQ(o, Outcome::kIncomplete) << f << " cut " << cut;
        std::string whole = f + "+trailing\r\n";
        ASSERT_EQ(s.Scan(whole, &len), Outcome::kComplete) << f << " cut " << cut;
      } else {
        ASSERT_EQ(o, Outcome::kComplete);
      }
      EXPECT_EQ(len, f.size()) << f << " cut " << cut;
    }
  }
}

TEST(ReplyScannerTest, ResumesByteByByte) {
  for (const std::string& f : ValidFrames()) {
    ReplyScanner s;
    size_t len = 0;
    for (size_t n = 0; n < f.size(); n++) {
      std::string part = f.substr(0, n);
      ASSERT_EQ(s.Scan(part, &len), Outcome::kIncomplete) << f << " at " << n;
    }
    std::string whole = f;
    ASSERT_EQ(s.Scan(whole, &len), Outcome::kComplete) << f;
    EXPECT_EQ(len, f.size());
  }
}

TEST(ReplyScannerTest, ResetStartsANewFrame) {
  ReplyScanner s;
  size_t len = 0;
  ASSERT_EQ(s.Scan("*2\r\n:1\r\n", &len), Outcome::kIncomplete);
  s.Reset();
  ASSERT_EQ(s.Scan("+OK\r\n", &len), Outcome::kComplete);
  EXPECT_EQ(len, 5u);
}

// Deep nesting costs no stack: 200,000 nested one-element arrays.
TEST(ReplyScannerTest, DeepNestingNeedsNoRecursion) {
  std::string f;
  const int depth = 200000;
  for (int i = 0; i < depth; i++) f += "*1\r\n";
  f += ":1\r\n";
  size_t len = 0;
  ASSERT_EQ(ScanAll(f, &len), Outcome::kComplete);
  EXPECT_EQ(len, f.size());
  Result<Reply> r = DecodeReply(f);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "reply: nested too deeply");
}

TEST(ReplyScannerTest, RefusesMalformedInput) {
  struct Bad {
    std::string bytes;
    std::string why;
  };
  const std::vector<Bad> bad = {
      {"?x\r\n", "reply: unknown type byte"},
      {"\r\n", "reply: empty line"},
      {"+OK\n", "reply: line not terminated by CRLF"},
      {":12a\r\n", "reply: bad integer"},
      {":+1\r\n", "reply: bad integer"},
      {":\r\n", "reply: bad integer"},
      {":-0\r\n", "reply: bad integer"},
      {":01\r\n", "reply: bad integer"},
      {"$x\r\n", "reply: bad bulk length"},
      {"$-2\r\n", "reply: bad bulk length"},
      {"$?\r\n", "reply: bad bulk length"},
      {"!-1\r\n", "reply: bad bulk length"},
      {"$3\r\nabcde\r\n", "reply: bulk payload not followed by CRLF"},
      {"=3\r\ntxt\r\n", "reply: verbatim string without a format"},
      {"=5\r\ntxtab\r\n", "reply: verbatim string without a format"},
      {"*?\r\n", "reply: bad aggregate count"},
      {"%-1\r\n", "reply: bad aggregate count"},
      {"*1\r\n$x\r\n", "reply: bad bulk length"},
      {"_x\r\n", "reply: null with content"},
      {"#x\r\n", "reply: boolean is not t or f"},
      {",abc\r\n", "reply: bad double"},
      {",\r\n", "reply: bad double"},
      {"(12a\r\n", "reply: bad big number"},
      {"(\r\n", "reply: bad big number"},
  };
  for (const Bad& b : bad) {
    ReplyScanner s;
    size_t len = 0;
    EXPECT_EQ(s.Scan(b.bytes, &len), Outcome::kMalformed) << b.bytes;
    EXPECT_EQ(std::string(s.error()), b.why) << b.bytes;
    EXPECT_FALSE(DecodeReply(b.bytes).ok()) << b.bytes;
  }
}

TEST(ReplyScannerTest, ReportsWhereTheDamageIs) {
  ReplyScanner s;
  size_t len = 0;
  ASSERT_EQ(s.Scan("*2\r\n:1\r\n?\r\n", &len), Outcome::kMalformed);
  EXPECT_EQ(s.error_offset(), 8u);
}

TEST(DecodeReplyTest, Scalars) {
  Reply r = MustDecode("+OK\r\n");
  EXPECT_EQ(r.type, Reply::Type::kSimple);
  EXPECT_EQ(r.str, "OK");

  r = MustDecode("-ERR bad thing\r\n");
  EXPECT_EQ(r.type, Reply::Type::kError);
  EXPECT_TRUE(r.is_error());
  EXPECT_EQ(r.str, "ERR bad thing");

  r = MustDecode(":-42\r\n");
  EXPECT_EQ(r.type, Reply::Type::kInteger);
  EXPECT_EQ(r.integer, -42);

  r = MustDecode("$4\r\na\r\nb\r\n");
  EXPECT_EQ(r.type, Reply::Type::kBulk);
  EXPECT_FALSE(r.is_null);
  EXPECT_EQ(r.str, "a\r\nb");

  r = MustDecode("$0\r\n\r\n");
  EXPECT_EQ(r.type, Reply::Type::kBulk);
  EXPECT_FALSE(r.is_null);
  EXPECT_EQ(r.str, "");

  r = MustDecode("$-1\r\n");
  EXPECT_EQ(r.type, Reply::Type::kBulk);
  EXPECT_TRUE(r.is_null);

  r = MustDecode("*-1\r\n");
  EXPECT_EQ(r.type, Reply::Type::kArray);
  EXPECT_TRUE(r.is_null);
  EXPECT_TRUE(r.elements.empty());

  r = MustDecode("_\r\n");
  EXPECT_EQ(r.type, Reply::Type::kNull);
  EXPECT_TRUE(r.is_null);

  r = MustDecode(",3.25\r\n");
  EXPECT_EQ(r.type, Reply::Type::kDouble);
  EXPECT_EQ(r.dbl, 3.25);
  EXPECT_EQ(r.str, "3.25");

  r = MustDecode(",-inf\r\n");
  EXPECT_TRUE(r.dbl < 0 && r.dbl * 2 == r.dbl);

  r = MustDecode("#t\r\n");
  EXPECT_EQ(r.type, Reply::Type::kBool);
  EXPECT_TRUE(r.boolean);
  r = MustDecode("#f\r\n");
  EXPECT_FALSE(r.boolean);

  r = MustDecode("(-3492890328409238509324850943850943825024385\r\n");
  EXPECT_EQ(r.type, Reply::Type::kBigNumber);
  EXPECT_EQ(r.str, "-3492890328409238509324850943850943825024385");

  r = MustDecode("!21\r\nSYNTAX invalid syntax\r\n");
  EXPECT_EQ(r.type, Reply::Type::kBlobError);
  EXPECT_TRUE(r.is_error());
  EXPECT_EQ(r.str, "SYNTAX invalid syntax");

  r = MustDecode("=15\r\ntxt:Some string\r\n");
  EXPECT_EQ(r.type, Reply::Type::kVerbatim);
  EXPECT_EQ(r.format, "txt");
  EXPECT_EQ(r.str, "Some string");
}

TEST(DecodeReplyTest, Aggregates) {
  std::string f = "*3\r\n*2\r\n:1\r\n*1\r\n%1\r\n+k\r\n~1\r\n_\r\n$-1\r\n*0\r\n";
  Reply r = MustDecode(f);
  ASSERT_EQ(r.type, Reply::Type::kArray);
  ASSERT_EQ(r.elements.size(), 3u);
  EXPECT_EQ(r.offset, 0u);
  EXPECT_EQ(r.length, f.size());
  EXPECT_EQ(r.Head(f), "*3");

  const Reply& inner = r.elements[0];
  ASSERT_EQ(inner.elements.size(), 2u);
  EXPECT_EQ(inner.elements[0].integer, 1);
  EXPECT_EQ(inner.Raw(f), "*2\r\n:1\r\n*1\r\n%1\r\n+k\r\n~1\r\n_\r\n");
  const Reply& map = inner.elements[1].elements[0];
  ASSERT_EQ(map.type, Reply::Type::kMap);
  ASSERT_EQ(map.elements.size(), 2u);  // key, value
  EXPECT_EQ(map.elements[0].str, "k");
  EXPECT_EQ(map.elements[1].type, Reply::Type::kSet);
  EXPECT_EQ(map.elements[1].elements[0].type, Reply::Type::kNull);

  EXPECT_TRUE(r.elements[1].is_null);
  EXPECT_EQ(r.elements[1].Raw(f), "$-1\r\n");
  EXPECT_EQ(r.elements[2].type, Reply::Type::kArray);
  EXPECT_FALSE(r.elements[2].is_null);
  EXPECT_TRUE(r.elements[2].elements.empty());
  EXPECT_EQ(r.elements[2].Raw(f), "*0\r\n");

  Reply push = MustDecode(">2\r\n+invalidate\r\n*1\r\n$1\r\nk\r\n");
  EXPECT_EQ(push.type, Reply::Type::kPush);
  ASSERT_EQ(push.elements.size(), 2u);
  EXPECT_EQ(push.elements[1].elements[0].str, "k");

  Reply empty_map = MustDecode("%0\r\n");
  EXPECT_EQ(empty_map.type, Reply::Type::kMap);
  EXPECT_TRUE(empty_map.elements.empty());
}

TEST(DecodeReplyTest, AttributesDecorateTheFollowingReply) {
  std::string f = "|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.5\r\n*2\r\n:1\r\n:2\r\n";
  Reply r = MustDecode(f);
  EXPECT_EQ(r.type, Reply::Type::kArray);
  ASSERT_TRUE(r.has_attributes);
  ASSERT_EQ(r.attributes.size(), 2u);
  EXPECT_EQ(r.attributes[0].str, "key-popularity");
  EXPECT_EQ(r.attributes[1].type, Reply::Type::kMap);
  ASSERT_EQ(r.elements.size(), 2u);
  EXPECT_EQ(r.offset, 0u);
  EXPECT_EQ(r.Raw(f), f);
  EXPECT_EQ(r.Head(f), "*2");

  std::string g = "*2\r\n|1\r\n+ttl\r\n:10\r\n$1\r\nv\r\n:5\r\n";
  Reply a = MustDecode(g);
  ASSERT_EQ(a.elements.size(), 2u);
  EXPECT_TRUE(a.elements[0].has_attributes);
  EXPECT_EQ(a.elements[0].str, "v");
  EXPECT_EQ(a.elements[0].attributes[1].integer, 10);
  EXPECT_EQ(a.elements[0].Raw(g), "|1\r\n+ttl\r\n:10\r\n$1\r\nv\r\n");
  EXPECT_FALSE(a.elements[1].has_attributes);

  Reply empty = MustDecode("|0\r\n+OK\r\n");
  EXPECT_TRUE(empty.has_attributes);
  EXPECT_TRUE(empty.attributes.empty());
  EXPECT_EQ(empty.str, "OK");
}

TEST(DecodeReplyTest, RefusesTruncatedOrTrailingBytes) {
  EXPECT_FALSE(DecodeReply("*2\r\n:1\r\n").ok());
  EXPECT_FALSE(DecodeReply("").ok());
  Result<Reply> r = DecodeReply("+OK\r\n+OK\r\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "reply: bytes after the frame");
}

// Whatever the scanner delimits, the decoder accepts and covers exactly.
TEST(DecodeReplyTest, EveryScannedFrameDecodes) {
  for (const std::string& f : ValidFrames()) {
    Reply r = MustDecode(f);
    EXPECT_EQ(r.length, f.size()) << f;
  }
}

}  // namespace
}  // namespace cairn
