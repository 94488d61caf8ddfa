// ReplyWriter: the bytes of every reply type in RESP2 and RESP3, as
// redis-server 7.0 sends them (DEBUG PROTOCOL <type> after HELLO 2 / HELLO 3
// on a real server gave the reference forms), deferred headers, error
// sanitising and error-code accounting.
#include "engine/resp/reply_writer.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace cairn {
namespace {

using namespace std::string_literals;

class RecordingErrors final : public ErrorSink {
 public:
  void OnErrorReply(std::string_view code) override { codes.emplace_back(code); }
  std::vector<std::string> codes;
};

class ReplyWriterTest : public ::testing::TestWithParam<int> {
 protected:
  std::string Bytes() const { return std::string(out_.readable()); }
  int resp() const { return GetParam(); }
  ByteBuffer out_;
  RecordingErrors errors_;
  ReplyWriter w_{out_, GetParam(), &errors_};
};

TEST_P(ReplyWriterTest, Scalars) {
  w_.Simple("OK");
  w_.Ok();
  w_.Integer(12345);
  w_.Integer(-1);
  w_.Integer(INT64_MIN);
  w_.Bulk("Hello World");
  w_.Bulk("");
  w_.Bulk(std::string_view("a\r\n\0b", 5));
  w_.BulkInt(-42);
  EXPECT_EQ(Bytes(),
            "+OK\r\n+OK\r\n:12345\r\n:-1\r\n:-9223372036854775808\r\n$11\r\nHello World\r\n"
            "$0\r\n\r\n$5\r\na\r\n\0b\r\n$3\r\n-42\r\n"s);
  EXPECT_EQ(out_.size(), 90u);
}

TEST_P(ReplyWriterTest, Nulls) {
  w_.NullBulk();
  w_.NullArray();
  EXPECT_EQ(Bytes(), resp() == 3 ? "_\r\n_\r\n" : "$-1\r\n*-1\r\n");
}

TEST_P(ReplyWriterTest, Aggregates) {
  w_.Array(3);
  w_.Set(3);
  w_.Map(3);
  w_.Push(2);
  w_.Array(0);
  EXPECT_EQ(Bytes(),
            resp() == 3 ? "*3\r\n~3\r\n%3\r\n>2\r\n*0\r\n" : "*3\r\n*3\r\n*6\r\n*2\r\n*0\r\n");
}

TEST_P(ReplyWriterTest, Resp3Types) {
  w_.Double(3.141);
  w_.Double(std::numeric_limits<double>::infinity());
  w_.Double(-std::numeric_limits<double>::infinity());
  w_.Double(0.1);
  w_.Bool(true);
  w_.Bool(false);
  w_.BigNumber("1234567999999999999999999999999999999");
  w_.Verbatim("This is a verbatim\nstring");
  if (resp() == 3) {
    EXPECT_EQ(Bytes(),
              ",3.141\r\n,inf\r\n,-inf\r\n,0.10000000000000001\r\n#t\r\n#f\r\n"
              "(1234567999999999999999999999999999999\r\n"
              "=29\r\ntxt:This is a verbatim\nstring\r\n");
  } else {
    EXPECT_EQ(Bytes(),
              "$5\r\n3.141\r\n$3\r\ninf\r\n$4\r\n-inf\r\n$19\r\n0.10000000000000001\r\n:1\r\n:0\r\n"
              "$37\r\n1234567999999999999999999999999999999\r\n"
              "$25\r\nThis is a verbatim\nstring\r\n");
  }
}

TEST_P(ReplyWriterTest, VerbatimFormat) {
  w_.Verbatim("# Server", "mkd");
  EXPECT_EQ(Bytes(), resp() == 3 ? "=12\r\nmkd:# Server\r\n" : "$8\r\n# Server\r\n");
}

TEST_P(ReplyWriterTest, DeferredHeadersNest) {
  // An array of two maps whose sizes are known only after their elements.
  size_t outer = w_.BeginDeferred();
  for (int m = 0; m < 2; ++m) {
    size_t inner = w_.BeginDeferred();
    for (int i = 0; i <= m; ++i) {
      w_.Bulk("k");
      w_.Integer(i);
    }
    w_.EndDeferredMap(inner, static_cast<size_t>(m + 1));
  }
  size_t set = w_.BeginDeferred();
  w_.Integer(7);
  w_.EndDeferredSet(set, 1);
  w_.EndDeferredArray(outer, 3);
  if (resp() == 3) {
    EXPECT_EQ(Bytes(),
              "*3\r\n%1\r\n$1\r\nk\r\n:0\r\n%2\r\n$1\r\nk\r\n:0\r\n$1\r\nk\r\n:1\r\n~1\r\n:7\r\n");
  } else {
    EXPECT_EQ(Bytes(),
              "*3\r\n*2\r\n$1\r\nk\r\n:0\r\n*4\r\n$1\r\nk\r\n:0\r\n$1\r\nk\r\n:1\r\n*1\r\n:7\r\n");
  }
}

TEST_P(ReplyWriterTest, DeferredAfterEarlierReplies) {
  w_.Ok();
  size_t mark = w_.BeginDeferred();
  w_.EndDeferredArray(mark, 0);
  w_.Integer(1);
  EXPECT_EQ(Bytes(), "+OK\r\n*0\r\n:1\r\n");
}

TEST_P(ReplyWriterTest, ErrorsAreSanitisedAndCounted) {
  w_.Error("ERR syntax error");
  w_.Error("WRONGTYPE Operation against a key holding the wrong kind of value");
  w_.Error("ERR bad\r\nline\n");
  w_.Error("NOSPACEHERE");
  // A code is found only in the first 32 bytes of "-CODE ...".
  w_.Error("ABCDEFGHIJABCDEFGHIJABCDEFGHIJ x");   // 30-byte code: counted as itself
  w_.Error("ABCDEFGHIJABCDEFGHIJABCDEFGHIJK x");  // 31-byte code: falls back to ERR
  w_.SyntaxError();
  w_.NotInteger();
  w_.WrongType();
  EXPECT_EQ(Bytes(),
            "-ERR syntax error\r\n"
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
            "-ERR bad  line \r\n"
            "-NOSPACEHERE\r\n"
            "-ABCDEFGHIJABCDEFGHIJABCDEFGHIJ x\r\n"
            "-ABCDEFGHIJABCDEFGHIJABCDEFGHIJK x\r\n"
            "-ERR syntax error\r\n"
            "-ERR value is not an integer or out of range\r\n"
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(errors_.codes, (std::vector<std::string>{"ERR", "WRONGTYPE", "ERR", "ERR",
                                                     "ABCDEFGHIJABCDEFGHIJABCDEFGHIJ", "ERR", "ERR",
                                                     "ERR", "WRONGTYPE"}));
}

TEST_P(ReplyWriterTest, RawAndBufferSwitch) {
  ByteBuffer other;
  w_.Raw("+PONG\r\n");
  w_.set_buffer(other);
  w_.Ok();
  EXPECT_EQ(Bytes(), "+PONG\r\n");
  EXPECT_EQ(other.readable(), "+OK\r\n");
  EXPECT_EQ(&w_.buffer(), &other);
}

TEST_P(ReplyWriterTest, LargeBulkGrowsTheBuffer) {
  std::string big(1 << 20, 'x');
  w_.Bulk(big);
  EXPECT_EQ(Bytes(), "$1048576\r\n" + big + "\r\n");
}

INSTANTIATE_TEST_SUITE_P(Resp, ReplyWriterTest, ::testing::Values(2, 3),
                         [](const auto& info) { return "Resp" + std::to_string(info.param); });

TEST(ReplyWriter, NoErrorSinkIsFine) {
  ByteBuffer out;
  ReplyWriter w(out, 2, nullptr);
  w.Error("ERR x");
  EXPECT_EQ(out.readable(), "-ERR x\r\n");
}

TEST(ReplyWriter, SteadyStateDoesNotGrowTheBuffer) {
  ByteBuffer out;
  ReplyWriter w(out, 2, nullptr);
  for (int i = 0; i < 3; ++i) {
    w.Bulk("value");
    w.Integer(i);
    out.Consume(out.size());
  }
  size_t cap = out.capacity();
  for (int i = 0; i < 1000; ++i) {
    w.Bulk("value");
    w.Integer(i);
    w.NullBulk();
    out.Consume(out.size());
  }
  EXPECT_EQ(out.capacity(), cap);
}

}  // namespace
}  // namespace cairn
