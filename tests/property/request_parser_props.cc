// Properties of the request parser:
//   - a valid stream of requests (multibulk with arbitrary bytes, inline with
//     bare, double-quoted and single-quoted arguments, blank lines, "*0" and
//     "*-1") parses to exactly the requests it was built from, whole and cut
//     into any chunks;
//   - encoding random argument vectors and parsing them gives them back;
//   - the prefetch look-ahead (request_peek.h) names the second argument of
//     exactly the leading multibulk requests of two or more arguments that
//     are complete, and on arbitrary bytes never names anything the parser
//     does not parse as such a request;
//   - arbitrary bytes (well under the 64 KiB limits, where read sizes start
//     to matter in Redis too) parse the same way however they are cut, with
//     the same error at the same offset.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "engine/resp/request_parser.h"
#include "engine/resp/request_peek.h"
#include "tests/support/parse_stream.h"

namespace cairn::testing {
namespace {

using Kind = ParseEvent::Kind;

rc::Gen<char> GenByte() {
  return rc::gen::weightedOneOf<char>({
      {6, rc::gen::map(rc::gen::inRange(0x21, 0x7f), [](int c) { return static_cast<char>(c); })},
      {3, rc::gen::elementOf(std::string(" \t\r\n\v\f\"'\\*$", 11) + std::string(1, '\0'))},
      {1, rc::gen::map(rc::gen::inRange(0, 256), [](int c) { return static_cast<char>(c); })},
  });
}

// An argument: arbitrary bytes, sometimes empty; with allow_big sometimes a
// few KiB (multibulk only: an inline line must stay far below 64 KiB).
rc::Gen<std::string> GenArg(bool allow_big) {
  return rc::gen::weightedOneOf<std::string>({
      {8, rc::gen::container<std::string>(GenByte())},
      {1, rc::gen::just(std::string())},
      {allow_big ? 1u : 0u, rc::gen::map(rc::gen::inRange<size_t>(100, 3000),
                                         [](size_t n) { return std::string(n, 'x'); })},
  });
}

rc::Gen<std::vector<std::string>> GenArgs(bool allow_big) {
  return rc::gen::resize(
      20, rc::gen::nonEmpty(rc::gen::container<std::vector<std::string>>(GenArg(allow_big))));
}

std::string EncodeMultibulk(const std::vector<std::string>& args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (const auto& a : args) out += "$" + std::to_string(a.size()) + "\r\n" + a + "\r\n";
  return out;
}

// Bytes that may stand bare in an inline line: no blank, quote or NUL.
bool BareSafe(const std::string& a) {
  if (a.empty()) return false;
  for (char c : a) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f' || c == '"' ||
        c == '\'' || c == '\0') {
      return false;
    }
  }
  return true;
}

// Double quotes can carry any byte: \xHH for what is not printable.
std::string DoubleQuoted(const std::string& a) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned char c : a) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out + "\"";
}

// Single quotes keep everything but a quote (written \') and cannot carry a
// NUL, CR or LF, nor end in a backslash (it would escape the closing quote).
bool SingleQuotable(const std::string& a) {
  if (!a.empty() && a.back() == '\\') return false;
  for (char c : a) {
    if (c == '\0' || c == '\r' || c == '\n') return false;
  }
  return true;
}
std::string SingleQuoted(const std::string& a) {
  std::string out = "'";
  for (char c : a) {
    if (c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

struct WireRequest {
  std::string bytes;
  ParseEvent expected;  // offset filled in when the stream is assembled
};

rc::Gen<WireRequest> GenMultibulk(bool allow_big = true) {
  return rc::gen::map(GenArgs(allow_big), [](std::vector<std::string> args) {
    WireRequest r;
    r.bytes = EncodeMultibulk(args);
    r.expected.args = std::move(args);
    return r;
  });
}

rc::Gen<WireRequest> GenInline() {
  return rc::gen::exec([] {
    auto args = *GenArgs(/*allow_big=*/false);
    std::string line;
    if (*rc::gen::inRange(0, 4) == 0) line += *rc::gen::element<std::string>(" ", "\t", " \t ");
    for (size_t i = 0; i < args.size(); ++i) {
      if (i > 0) line += *rc::gen::element<std::string>(" ", "\t", "   ", " \t");
      const std::string& a = args[i];
      int style = *rc::gen::inRange(0, 3);
      // A line starting with '*' would be multibulk.
      bool first_byte_is_star = line.empty() && !a.empty() && a[0] == '*';
      if (style == 0 && BareSafe(a) && !first_byte_is_star) {
        line += a;
      } else if (style == 1 && SingleQuotable(a)) {
        line += SingleQuoted(a);
      } else {
        line += DoubleQuoted(a);
      }
    }
    if (*rc::gen::inRange(0, 4) == 0) line += *rc::gen::element<std::string>(" ", "\t");
    line += *rc::gen::element<std::string>("\r\n", "\n");
    WireRequest r;
    r.bytes = std::move(line);
    r.expected.args = std::move(args);
    return r;
  });
}

rc::Gen<WireRequest> GenEmpty() {
  return rc::gen::map(
      rc::gen::element<std::string>("\r\n", "\n", "  \r\n", "\t\n", "*0\r\n", "*-1\r\n", "*-7\r\n"),
      [](std::string bytes) {
        WireRequest r;
        r.bytes = std::move(bytes);
        r.expected.kind = Kind::kEmpty;
        return r;
      });
}

struct Stream {
  std::string bytes;
  std::vector<ParseEvent> expected;
};

std::ostream& operator<<(std::ostream& os, const Stream& s) {
  os << s.expected.size() << " requests, " << s.bytes.size() << " bytes";
  return os;
}

rc::Gen<Stream> GenStream() {
  auto one =
      rc::gen::weightedOneOf<WireRequest>({{5, GenMultibulk()}, {4, GenInline()}, {1, GenEmpty()}});
  return rc::gen::map(rc::gen::resize(30, rc::gen::container<std::vector<WireRequest>>(one)),
                      [](std::vector<WireRequest> reqs) {
                        Stream s;
                        for (auto& r : reqs) {
                          r.expected.offset = s.bytes.size();
                          s.bytes += r.bytes;
                          s.expected.push_back(std::move(r.expected));
                        }
                        return s;
                      });
}

rc::Gen<std::vector<size_t>> GenCuts(size_t len) {
  return rc::gen::container<std::vector<size_t>>(rc::gen::inRange<size_t>(0, len + 1));
}

RC_GTEST_PROP(RequestParserProps, ValidStreamParsesToItsRequestsHoweverCut, ()) {
  const Stream s = *GenStream();
  const ParseResult whole = ParseWhole(s.bytes);
  RC_ASSERT(whole.violations.empty());
  RC_ASSERT(whole.rest == 0u);
  if (whole.events != s.expected) {
    RC_FAIL("parsed:\n" + DescribeResult(whole));
  }
  const auto cuts = *GenCuts(s.bytes.size());
  const ParseResult split = ParseSplit(s.bytes, cuts);
  RC_ASSERT(split.violations.empty());
  RC_ASSERT(split.rest == 0u);
  RC_ASSERT(split.events == s.expected);
  // The tail cut off mid-request: every request before it still parses, and
  // the rest waits.
  const size_t cut = *rc::gen::inRange<size_t>(0, s.bytes.size() + 1);
  const ParseResult prefix = ParseWhole(std::string_view(s.bytes).substr(0, cut));
  RC_ASSERT(prefix.violations.empty());
  size_t complete = 0;
  while (complete < s.expected.size() &&
         (complete + 1 < s.expected.size() ? s.expected[complete + 1].offset : s.bytes.size()) <=
             cut) {
    ++complete;
  }
  RC_ASSERT(prefix.events.size() == complete);
  RC_ASSERT(std::equal(prefix.events.begin(), prefix.events.end(), s.expected.begin()));
}

RC_GTEST_PROP(RequestParserProps, EncodeParseRoundTrip, ()) {
  const auto args = *GenArgs(/*allow_big=*/true);
  const std::string wire = EncodeMultibulk(args);
  const ParseResult r = ParseWhole(wire);
  RC_ASSERT(r.violations.empty());
  RC_ASSERT(r.events.size() == 1u);
  RC_ASSERT(r.events[0].kind == Kind::kRequest);
  RC_ASSERT(r.events[0].args == args);
  RC_ASSERT(r.rest == 0u);
}

RC_GTEST_PROP(RequestParserProps, InlineRenderingRoundTrips, ()) {
  const WireRequest req = *GenInline();
  std::string line = req.bytes;
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  std::vector<std::string_view> views;
  RC_ASSERT(SplitInlineArgs(std::span<char>(line.data(), line.size()), views));
  std::vector<std::string> got(views.begin(), views.end());
  RC_ASSERT(got == req.expected.args);
}

// Arbitrary bytes: however they are cut, the same requests and the same
// error at the same offset. Short inputs, so the 64 KiB limits (which depend
// on how much was buffered when, in Redis too) never come into play.
RC_GTEST_PROP(RequestParserProps, AnyBytesParseTheSameHoweverCut, ()) {
  auto piece = rc::gen::weightedOneOf<std::string>({
      {3, rc::gen::container<std::string>(GenByte())},
      {2, rc::gen::map(GenMultibulk(/*allow_big=*/false), [](WireRequest r) { return r.bytes; })},
      {2, rc::gen::map(GenInline(), [](WireRequest r) { return r.bytes; })},
      {1, rc::gen::element<std::string>("*", "$", "*1\r\n", "$3\r\n", "\r\n", "\"", "'",
                                        "*2147483648\r\n", "$-1\r\n", "*1\r\n$1\r\nx")},
  });
  const auto pieces = *rc::gen::resize(20, rc::gen::container<std::vector<std::string>>(piece));
  std::string bytes;
  for (const auto& p : pieces) bytes += p;
  RC_PRE(bytes.size() < 60000u);
  ParserLimits limits;
  limits.auth_required = *rc::gen::inRange(0, 4) == 0;
  limits.max_bulk_len =
      *rc::gen::element<int64_t>(int64_t{512} * 1024 * 1024, int64_t{100}, int64_t{0});
  const ParseResult whole = ParseWhole(bytes, limits);
  RC_ASSERT(whole.violations.empty());
  const ParseResult split = ParseSplit(bytes, *GenCuts(bytes.size()), limits);
  RC_ASSERT(split.violations.empty());
  if (!split.SameOutcome(whole)) {
    RC_FAIL("whole:\n" + DescribeResult(whole) + "\nsplit:\n" + DescribeResult(split));
  }
  RC_TAG(whole.ended_in_error() ? "error" : "no error");
}

std::string_view Within(std::string_view outer, std::string_view inner) {
  const bool inside =
      inner.data() >= outer.data() && inner.data() + inner.size() <= outer.data() + outer.size();
  return inside ? inner : std::string_view("(outside the buffer)");
}

RC_GTEST_PROP(RequestParserProps, PeekNamesSecondArgumentsOfLeadingCompleteMultibulkRequests, ()) {
  const Stream s = *GenStream();
  const size_t cut = *rc::gen::inRange<size_t>(0, s.bytes.size() + 1);
  const size_t max = *rc::gen::element<size_t>(1, 2, 16, 1000);
  const std::string_view buf(s.bytes.data(), cut);
  std::vector<std::string> expected;
  for (size_t i = 0; i < s.expected.size() && expected.size() < max; ++i) {
    const ParseEvent& e = s.expected[i];
    const size_t end = i + 1 < s.expected.size() ? s.expected[i + 1].offset : s.bytes.size();
    if (end > cut || e.kind != Kind::kRequest || s.bytes[e.offset] != '*' || e.args.size() < 2) {
      break;
    }
    expected.push_back(e.args[1]);
  }
  std::vector<std::string_view> peeked(max);
  peeked.resize(PeekSecondArgs(buf, peeked.data(), max));
  std::vector<std::string> got;
  for (std::string_view v : peeked) got.emplace_back(Within(buf, v));
  RC_ASSERT(got == expected);
}

RC_GTEST_PROP(RequestParserProps, PeekOnAnyBytesNamesOnlyWhatTheParserParses, ()) {
  auto piece = rc::gen::weightedOneOf<std::string>({
      {2, rc::gen::container<std::string>(GenByte())},
      {4, rc::gen::map(GenMultibulk(/*allow_big=*/false), [](WireRequest r) { return r.bytes; })},
      {1, rc::gen::element<std::string>("*", "$", "*2\r\n", "$3\r\n", "*02\r\n", "$03\r\n",
                                        "*2\r\n$0\r\n\r\n$1\r", "*2\r$1\r\nx\r\n", "*-1\r\n")},
  });
  const auto pieces = *rc::gen::resize(20, rc::gen::container<std::vector<std::string>>(piece));
  std::string bytes;
  for (const auto& p : pieces) bytes += p;
  RC_PRE(bytes.size() < 60000u);
  std::vector<std::string_view> peeked(64);
  peeked.resize(PeekSecondArgs(bytes, peeked.data(), peeked.size()));
  const ParseResult whole = ParseWhole(bytes);
  RC_ASSERT(peeked.size() <= whole.events.size());
  for (size_t i = 0; i < peeked.size(); ++i) {
    const ParseEvent& e = whole.events[i];
    RC_ASSERT(e.kind == Kind::kRequest);
    RC_ASSERT(e.args.size() >= 2u);
    RC_ASSERT(std::string(Within(bytes, peeked[i])) == e.args[1]);
  }
  RC_TAG(peeked.empty() ? "none peeked" : "some peeked");
}

}  // namespace
}  // namespace cairn::testing
