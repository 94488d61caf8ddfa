// Reply encode -> parse round trip: random reply trees written with
// ReplyWriter (every kind it writes, RESP2 and RESP3, aggregates with known
// and deferred lengths) and delivered to a client cut into random chunks are
// found frame by frame by ReplyScanner and decode with DecodeReply to the
// tree that was written, in the form that protocol version sends it (RESP2:
// maps as flat arrays, sets and pushes as arrays, doubles, big numbers and
// verbatim text as bulk strings, booleans as integers).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "engine/resp/reply_reader.h"
#include "engine/resp/reply_writer.h"
#include "engine/util/byte_buffer.h"
#include "engine/util/strconv.h"

namespace cairn::testing {
namespace {

// What the test asked the writer to write.
struct Node {
  enum class Kind {
    kSimple,
    kError,
    kInteger,
    kBulk,
    kBulkInt,
    kNullBulk,
    kNullArray,
    kDouble,
    kBool,
    kBigNumber,
    kVerbatim,
    kArray,  // the aggregates come last (see Draw)
    kMap,
    kSet,
    kPush,
  };
  Kind kind = Kind::kNullBulk;
  std::string s;    // text, payload, digits
  std::string fmt;  // verbatim format
  int64_t i = 0;
  double d = 0;
  bool b = false;
  bool deferred = false;   // aggregate length written after the elements
  std::vector<Node> kids;  // map: key, value, key, value
};

std::string GenBytes(bool allow_crlf) {
  std::string s = *rc::gen::container<std::string>(rc::gen::weightedOneOf<char>({
      {6, rc::gen::inRange<char>('a', 'z' + 1)},
      {2, rc::gen::elementOf(std::string(" :$*+-_%~>=!(#,\r\n0123456789", 27) + '\0')},
      {1, rc::gen::arbitrary<char>()},
  }));
  if (!allow_crlf)
    std::replace_if(
        s.begin(), s.end(), [](char c) { return c == '\r' || c == '\n'; }, '.');
  return s;
}

Node Draw(int depth) {
  using K = Node::Kind;
  int last = depth > 0 ? static_cast<int>(K::kPush) : static_cast<int>(K::kVerbatim);
  Node n;
  n.kind = static_cast<K>(*rc::gen::inRange(0, last + 1));
  switch (n.kind) {
    case K::kSimple:
      n.s = GenBytes(false);
      break;
    case K::kError:
      n.s = GenBytes(true);
      break;
    case K::kInteger:
    case K::kBulkInt:
      n.i = *rc::gen::oneOf(rc::gen::arbitrary<int64_t>(), rc::gen::inRange<int64_t>(-20, 20),
                            rc::gen::element(INT64_MIN, INT64_MAX));
      break;
    case K::kBulk:
      n.s = *rc::gen::weightedOneOf<std::string>(
          {{9, rc::gen::exec([] { return GenBytes(true); })},
           {1, rc::gen::map(rc::gen::inRange<size_t>(1000, 20000),
                            [](size_t k) { return std::string(k, 'b'); })}});
      break;
    case K::kNullBulk:
    case K::kNullArray:
      break;
    case K::kDouble:
      n.d = *rc::gen::oneOf(
          rc::gen::arbitrary<double>(),
          rc::gen::map(rc::gen::inRange(-1000, 1000), [](int v) { return v / 8.0; }),
          rc::gen::element(0.0, -0.0, HUGE_VAL, -HUGE_VAL, std::nan(""), 1e300, 5e-324));
      break;
    case K::kBool:
      n.b = *rc::gen::arbitrary<bool>();
      break;
    case K::kBigNumber: {
      std::string digits =
          *rc::gen::nonEmpty(rc::gen::container<std::string>(rc::gen::inRange<char>('0', '9' + 1)));
      n.s = (*rc::gen::arbitrary<bool>() ? "-" : "") + digits;
      break;
    }
    case K::kVerbatim:
      n.s = GenBytes(true);
      n.fmt = *rc::gen::element<std::string>("txt", "mkd");
      break;
    case K::kArray:
    case K::kMap:
    case K::kSet:
    case K::kPush: {
      size_t count = *rc::gen::inRange<size_t>(0, 5);
      if (n.kind == K::kMap) count *= 2;
      for (size_t k = 0; k < count; ++k) n.kids.push_back(Draw(depth - 1));
      n.deferred = n.kind != K::kPush && *rc::gen::arbitrary<bool>();
      break;
    }
  }
  return n;
}

void Write(const Node& n, ReplyWriter& w) {
  using K = Node::Kind;
  switch (n.kind) {
    case K::kSimple:
      w.Simple(n.s);
      return;
    case K::kError:
      w.Error(n.s);
      return;
    case K::kInteger:
      w.Integer(n.i);
      return;
    case K::kBulk:
      w.Bulk(n.s);
      return;
    case K::kBulkInt:
      w.BulkInt(n.i);
      return;
    case K::kNullBulk:
      w.NullBulk();
      return;
    case K::kNullArray:
      w.NullArray();
      return;
    case K::kDouble:
      w.Double(n.d);
      return;
    case K::kBool:
      w.Bool(n.b);
      return;
    case K::kBigNumber:
      w.BigNumber(n.s);
      return;
    case K::kVerbatim:
      w.Verbatim(n.s, n.fmt);
      return;
    case K::kArray:
    case K::kMap:
    case K::kSet:
    case K::kPush:
      break;
  }
  size_t count = n.kind == K::kMap ? n.kids.size() / 2 : n.kids.size();
  size_t mark = w.BeginDeferred();
  if (!n.deferred) {
    if (n.kind == K::kArray) w.Array(count);
    if (n.kind == K::kMap) w.Map(count);
    if (n.kind == K::kSet) w.Set(count);
    if (n.kind == K::kPush) w.Push(count);
  }
  for (const Node& k : n.kids) Write(k, w);
  if (n.deferred) {
    if (n.kind == K::kArray) w.EndDeferredArray(mark, count);
    if (n.kind == K::kMap) w.EndDeferredMap(mark, count);
    if (n.kind == K::kSet) w.EndDeferredSet(mark, count);
  }
}

std::string DoubleText(double d) {
  char buf[32];
  return std::string(buf, FormatDouble(d, buf));
}

// One line per reply, nested in brackets: the form both sides are compared in.
std::string Show(char type, bool is_null, const std::string& body) {
  return std::string(1, type) + (is_null ? "null" : "") + "{" + body + "}";
}

std::string Describe(const Reply& r) {
  std::string body;
  switch (r.type) {
    case Reply::Type::kInteger:
      body = std::to_string(r.integer);
      break;
    case Reply::Type::kBool:
      body = r.boolean ? "t" : "f";
      break;
    case Reply::Type::kDouble:
      // The value read back must be the value written: compare the parsed
      // double (by its canonical text) and keep the bytes sent.
      body = DoubleText(r.dbl) + "|" + r.str;
      break;
    case Reply::Type::kVerbatim:
      body = r.format + ":" + r.str;
      break;
    default:
      body = r.str;
      break;
  }
  for (const Reply& e : r.elements) body += " " + Describe(e);
  return Show(static_cast<char>(r.type), r.is_null, body);
}

std::string Expect(const Node& n, int resp) {
  using K = Node::Kind;
  bool r3 = resp == 3;
  std::string blanked = n.s;
  std::replace_if(
      blanked.begin(), blanked.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
  switch (n.kind) {
    case K::kSimple:
      return Show('+', false, n.s);
    case K::kError:
      return Show('-', false, blanked);
    case K::kInteger:
      return Show(':', false, std::to_string(n.i));
    case K::kBulk:
      return Show('$', false, n.s);
    case K::kBulkInt:
      return Show('$', false, std::to_string(n.i));
    case K::kNullBulk:
      return r3 ? Show('_', true, "") : Show('$', true, "");
    case K::kNullArray:
      return r3 ? Show('_', true, "") : Show('*', true, "");
    case K::kDouble:
      return r3 ? Show(',', false, DoubleText(n.d) + "|" + DoubleText(n.d))
                : Show('$', false, DoubleText(n.d));
    case K::kBool:
      return r3 ? Show('#', false, n.b ? "t" : "f") : Show(':', false, n.b ? "1" : "0");
    case K::kBigNumber:
      return Show(r3 ? '(' : '$', false, n.s);
    case K::kVerbatim:
      return r3 ? Show('=', false, n.fmt + ":" + n.s) : Show('$', false, n.s);
    case K::kArray:
    case K::kMap:
    case K::kSet:
    case K::kPush:
      break;
  }
  char type = '*';
  if (r3 && n.kind == K::kMap) type = '%';
  if (r3 && n.kind == K::kSet) type = '~';
  if (r3 && n.kind == K::kPush) type = '>';
  std::string body;
  for (const Node& k : n.kids) body += " " + Expect(k, resp);
  return Show(type, false, body);
}

// Plays stream to a client in the given chunks; returns each frame decoded
// and described, or an "error: ..." entry where scanning or decoding failed.
std::vector<std::string> Receive(const std::string& stream, std::vector<size_t> cuts) {
  std::sort(cuts.begin(), cuts.end());
  cuts.push_back(stream.size());
  std::vector<std::string> out;
  std::string buf;
  ReplyScanner scanner;
  size_t pos = 0;
  for (size_t cut : cuts) {
    if (cut <= pos) continue;
    // Fresh storage each time: the scanner may keep offsets, never pointers.
    std::string moved = buf + stream.substr(pos, cut - pos);
    std::fill(buf.begin(), buf.end(), 'Z');
    buf.swap(moved);
    pos = cut;
    while (!buf.empty()) {
      size_t len = 0;
      auto o = scanner.Scan(buf, &len);
      if (o == ReplyScanner::Outcome::kIncomplete) break;
      if (o == ReplyScanner::Outcome::kMalformed) {
        out.push_back(std::string("error: ") + scanner.error() + " at " +
                      std::to_string(scanner.error_offset()));
        return out;
      }
      auto r = DecodeReply(std::string_view(buf).substr(0, len));
      out.push_back(r.ok() ? Describe(*r) : "error: " + r.status().message());
      if (!r.ok()) return out;
      if (r->length != len) out.push_back("error: reply length " + std::to_string(r->length));
      buf.erase(0, len);
      scanner.Reset();
    }
  }
  if (!buf.empty()) out.push_back("error: " + std::to_string(buf.size()) + " bytes left over");
  return out;
}

RC_GTEST_PROP(ReplyRoundTrip, WrittenRepliesDecodeToTheSameTreeHoweverSplit, ()) {
  const int resp = *rc::gen::element(2, 3);
  const size_t count = *rc::gen::inRange<size_t>(1, 6);
  ByteBuffer out;
  ReplyWriter w(out, resp, nullptr);
  std::vector<std::string> expected;
  for (size_t k = 0; k < count; ++k) {
    Node n = Draw(3);
    Write(n, w);
    expected.push_back(Expect(n, resp));
  }
  const std::string stream(out.readable());
  const auto cuts =
      *rc::gen::container<std::vector<size_t>>(rc::gen::inRange<size_t>(0, stream.size() + 1));
  RC_ASSERT(Receive(stream, cuts) == expected);
}

RC_GTEST_PROP(ReplyRoundTrip, OneReplyByteByByte, ()) {
  const int resp = *rc::gen::element(2, 3);
  ByteBuffer out;
  ReplyWriter w(out, resp, nullptr);
  Node n = Draw(2);
  Write(n, w);
  const std::string stream(out.readable());
  RC_PRE(stream.size() < 4096);
  std::vector<size_t> cuts;
  for (size_t k = 1; k < stream.size(); ++k) cuts.push_back(k);
  RC_ASSERT(Receive(stream, cuts) == std::vector<std::string>{Expect(n, resp)});
}

}  // namespace
}  // namespace cairn::testing
