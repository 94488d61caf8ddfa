// Small helpers shared by the key family's unit tests: expected reply bytes
// and access to settings the configuration table cannot set yet.
#pragma once

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/engine_harness.h"

namespace cairn::testing {

inline std::string Int(int64_t v) { return ":" + std::to_string(v) + "\r\n"; }
inline std::string Bulk(std::string_view s) {
  return "$" + std::to_string(s.size()) + "\r\n" + std::string(s) + "\r\n";
}
inline std::string Err(std::string_view text) { return "-" + std::string(text) + "\r\n"; }
inline const std::string kOk = "+OK\r\n";
inline const std::string kNil = "$-1\r\n";

// Settings a test changes directly, for parameters the configuration table
// does not parse yet; the engine reads them on every use.
inline Settings& MutableSettings(EngineHarness& h) {
  return const_cast<Settings&>(h.engine().settings());
}

// A RESP2 reply as a tree: type byte, text (simple, error, integer, bulk;
// null bulks/arrays have null set) and elements (arrays).
struct ParsedReply {
  char type = 0;
  std::string text;
  bool null = false;
  std::vector<ParsedReply> elems;
};

inline ParsedReply ParseReplyAt(std::string_view r, size_t& pos) {
  size_t eol = r.find("\r\n", pos);
  if (eol == std::string_view::npos) throw std::runtime_error("reply: no CRLF");
  ParsedReply out;
  out.type = r[pos];
  std::string head(r.substr(pos + 1, eol - pos - 1));
  pos = eol + 2;
  if (out.type == '$') {
    long long n = std::stoll(head);
    if (n < 0) {
      out.null = true;
      return out;
    }
    out.text = std::string(r.substr(pos, static_cast<size_t>(n)));
    pos += static_cast<size_t>(n) + 2;
  } else if (out.type == '*') {
    long long n = std::stoll(head);
    if (n < 0) {
      out.null = true;
      return out;
    }
    for (long long i = 0; i < n; ++i) out.elems.push_back(ParseReplyAt(r, pos));
  } else {
    out.text = head;
  }
  return out;
}

inline ParsedReply ParseReply(std::string_view r) {
  size_t pos = 0;
  ParsedReply out = ParseReplyAt(r, pos);
  if (pos != r.size()) throw std::runtime_error("reply: trailing bytes");
  return out;
}

// The bulk strings of an array reply, sorted.
inline std::vector<std::string> SortedBulks(const ParsedReply& array) {
  std::vector<std::string> out;
  for (const ParsedReply& e : array.elems) out.push_back(e.text);
  std::sort(out.begin(), out.end());
  return out;
}
inline std::vector<std::string> SortedBulks(std::string_view reply) {
  return SortedBulks(ParseReply(reply));
}

}  // namespace cairn::testing
