// ParseStream: plays a client's byte stream, cut into chunks, through one
// RequestParser the way the engine does, and records what came out.
//
// Shared by the parser's unit tests, its properties and its fuzz target, so
// all three judge the parser by the same rules:
//   - After each chunk the buffer moves to fresh storage and the old storage
//     is scribbled over: a parser that kept a pointer across calls (instead
//     of offsets) produces garbage and is caught.
//   - Every complete request is consumed at once; an error ends the stream
//     (the connection closes), so what follows it is never looked at.
//   - The parser's own promises are checked on the way and reported as
//     violations: arguments lie inside the request's bytes, a consumed count
//     is within the buffer, NeedHint after kIncomplete is 0 or beyond the
//     buffer, errors read "Protocol error: ...".
// Header-only (no gtest): the fuzz target links only the engine.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/resp/request_parser.h"

namespace cairn::testing {

struct ParseEvent {
  enum class Kind { kRequest, kEmpty, kError };
  Kind kind = Kind::kRequest;
  std::vector<std::string> args;  // kRequest
  std::string error;              // kError: "Protocol error: ..."
  size_t offset = 0;              // where in the whole stream the request began

  bool operator==(const ParseEvent&) const = default;
};

struct ParseResult {
  std::vector<ParseEvent> events;
  size_t rest = 0;  // bytes left unparsed (an incomplete request)
  std::vector<std::string> violations;

  bool ended_in_error() const {
    return !events.empty() && events.back().kind == ParseEvent::Kind::kError;
  }
  // Same requests, same error at the same place; the unparsed rest matters
  // only when the stream did not end in an error.
  bool SameOutcome(const ParseResult& o) const {
    return events == o.events && (ended_in_error() || rest == o.rest);
  }
};

inline std::string DescribeEvent(const ParseEvent& e) {
  std::string out = "@" + std::to_string(e.offset) + " ";
  switch (e.kind) {
    case ParseEvent::Kind::kEmpty:
      return out + "empty";
    case ParseEvent::Kind::kError:
      return out + "-ERR " + e.error;
    case ParseEvent::Kind::kRequest:
      break;
  }
  out += std::to_string(e.args.size()) + " args:";
  for (const auto& a : e.args) {
    out += " [";
    for (unsigned char c : a) {
      if (c >= 0x20 && c < 0x7f && c != '\\') {
        out.push_back(static_cast<char>(c));
      } else {
        static constexpr char kHex[] = "0123456789abcdef";
        out += "\\x";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
      }
    }
    out += "]";
  }
  return out;
}

inline std::string DescribeResult(const ParseResult& r) {
  std::string out;
  for (const auto& e : r.events) out += DescribeEvent(e) + "\n";
  out += "rest " + std::to_string(r.rest);
  for (const auto& v : r.violations) out += "\nviolation: " + v;
  return out;
}

// Plays the chunks in order through a fresh parser.
inline ParseResult ParseStream(const std::vector<std::string_view>& chunks,
                               const ParserLimits& limits = {}) {
  ParseResult r;
  RequestParser parser;
  std::vector<std::string_view> args;
  std::string buf;
  size_t base = 0;  // stream offset of buf[0]
  for (std::string_view chunk : chunks) {
    std::string moved;
    moved.reserve(buf.size() + chunk.size() + 1);
    moved.append(buf).append(chunk);
    std::memset(buf.data(), 'Z', buf.size());
    buf.swap(moved);
    while (true) {
      size_t consumed = static_cast<size_t>(-1);
      auto out = parser.Parse(std::span<char>(buf.data(), buf.size()), limits, args, &consumed);
      if (out == RequestParser::Outcome::kIncomplete) {
        if (parser.NeedHint() != 0 && parser.NeedHint() <= buf.size()) {
          r.violations.push_back("NeedHint " + std::to_string(parser.NeedHint()) + " with " +
                                 std::to_string(buf.size()) + " bytes buffered");
        }
        break;
      }
      ParseEvent ev;
      ev.offset = base;
      if (out == RequestParser::Outcome::kError) {
        ev.kind = ParseEvent::Kind::kError;
        ev.error = parser.error();
        if (ev.error.rfind("Protocol error: ", 0) != 0) {
          r.violations.push_back("error text: " + ev.error);
        }
        r.events.push_back(std::move(ev));
        r.rest = buf.size();
        return r;
      }
      if (consumed == 0 || consumed > buf.size()) {
        r.violations.push_back("consumed " + std::to_string(consumed) + " of " +
                               std::to_string(buf.size()));
        r.rest = buf.size();
        return r;
      }
      if (out == RequestParser::Outcome::kEmpty) {
        ev.kind = ParseEvent::Kind::kEmpty;
      } else {
        if (args.empty()) r.violations.push_back("kRequest without arguments");
        for (std::string_view a : args) {
          if (a.data() < buf.data() || a.data() + a.size() > buf.data() + consumed) {
            r.violations.push_back("argument outside the request's bytes");
          } else {
            ev.args.emplace_back(a);
          }
        }
      }
      r.events.push_back(std::move(ev));
      buf.erase(0, consumed);
      base += consumed;
    }
  }
  r.rest = buf.size();
  return r;
}

inline ParseResult ParseWhole(std::string_view bytes, const ParserLimits& limits = {}) {
  return ParseStream({bytes}, limits);
}

// Cuts bytes at the given offsets (sorted or not, duplicates and offsets
// past the end allowed) and plays the pieces.
inline ParseResult ParseSplit(std::string_view bytes, std::vector<size_t> cuts,
                              const ParserLimits& limits = {}) {
  std::vector<std::string_view> chunks;
  std::sort(cuts.begin(), cuts.end());
  size_t pos = 0;
  for (size_t cut : cuts) {
    if (cut > bytes.size()) cut = bytes.size();
    if (cut <= pos) continue;
    chunks.push_back(bytes.substr(pos, cut - pos));
    pos = cut;
  }
  chunks.push_back(bytes.substr(pos));
  return ParseStream(chunks, limits);
}

}  // namespace cairn::testing
