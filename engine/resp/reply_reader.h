// Reply reading for clients (kv-cli, kv-bench, tests): where a RESP2/RESP3
// reply ends in a byte stream, and what it says.
//
// ReplyScanner finds the end of one complete reply frame. It neither
// allocates nor recurses: nesting is tracked with a single count of the
// elements still owed (an aggregate of n elements owes n more, a map or an
// attribute 2n; every element pays one), so arbitrarily deep replies cost
// O(1) memory. It is resumable: after kIncomplete the caller reads more bytes
// and calls Scan again with a buffer that starts at the same frame (its
// storage may have moved: only offsets are kept), and scanning continues
// where it stopped, so a reply arriving byte by byte costs linear time.
//
// DecodeReply turns one complete frame into a Reply tree. Decoding is
// iterative too (an explicit stack), with a depth limit so that the tree's
// own destruction stays shallow.
//
// What is accepted: the types redis-server 7.0 sends: + - : $ * (RESP2),
// _ , # ( ! = % ~ > | (RESP3), including the RESP2 nulls "$-1" and "*-1".
// Streamed strings and aggregates ("$?", "*?") are refused as malformed:
// Redis never sends them. Lines must end in CRLF; bulk payloads must be
// followed by CRLF.
//
// Invariants: a frame reported complete decodes without error (given the
// same bytes) unless it nests deeper than kMaxDecodeDepth.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/util/status.h"

namespace cairn {

class ReplyScanner {
 public:
  enum class Outcome {
    kComplete,    // *frame_len bytes hold one complete reply
    kIncomplete,  // more bytes are needed
    kMalformed,   // not RESP: error() says why, error_offset() where
  };

  // Scans the frame at the start of buf. After kIncomplete the next call
  // must pass the same bytes followed by more (the storage may differ).
  // After kComplete or kMalformed, call Reset() before the next frame.
  Outcome Scan(std::string_view buf, size_t* frame_len);

  // Forgets any partial frame.
  void Reset();

  // Static text explaining kMalformed ("reply: unknown type byte", ...).
  const char* error() const { return error_; }
  size_t error_offset() const { return error_offset_; }

  // Lines (simple strings, errors, headers) longer than this are refused,
  // so a peer that never sends CRLF cannot grow the caller's buffer forever.
  static constexpr size_t kMaxLineLength = 64 * 1024 * 1024;
  // Bulk lengths and element counts above this are refused.
  static constexpr int64_t kMaxLength = int64_t{1} << 32;

 private:
  Outcome Fail(const char* why, size_t at);

  size_t pos_ = 0;        // first byte of the next element to scan
  size_t line_scan_ = 0;  // search for the current header's CRLF resumes here
  int64_t owed_ = 1;      // elements still to scan before the frame is complete
  const char* error_ = "";
  size_t error_offset_ = 0;
};

// A decoded reply.
struct Reply {
  enum class Type : char {
    kSimple = '+',
    kError = '-',
    kInteger = ':',
    kBulk = '$',
    kArray = '*',
    kNull = '_',
    kDouble = ',',
    kBool = '#',
    kBigNumber = '(',
    kBlobError = '!',
    kVerbatim = '=',
    kMap = '%',
    kSet = '~',
    kPush = '>',
  };

  Type type = Type::kNull;
  // RESP2 "$-1" / "*-1" (type kBulk / kArray) and RESP3 "_" (type kNull).
  bool is_null = false;
  // Simple string, error text (without '-'), bulk or blob-error payload,
  // verbatim text (without its format), big number digits, double text as
  // sent.
  std::string str;
  std::string format;  // verbatim: "txt", "mkd", ...
  int64_t integer = 0;
  double dbl = 0;
  bool boolean = false;
  // Array, set and push elements; map entries as key, value, key, value.
  std::vector<Reply> elements;
  // An attribute ("|") sent before this reply: key, value, key, value.
  std::vector<Reply> attributes;
  bool has_attributes = false;
  // Where this reply's bytes lie in the decoded frame (attribute included).
  size_t offset = 0;
  size_t length = 0;
  // Where the reply's own header line (type byte .. before CRLF) lies.
  size_t head_offset = 0;
  size_t head_length = 0;

  bool is_aggregate() const {
    return type == Type::kArray || type == Type::kMap || type == Type::kSet || type == Type::kPush;
  }
  bool is_error() const { return type == Type::kError || type == Type::kBlobError; }
  // The reply's bytes, given the frame it was decoded from.
  std::string_view Raw(std::string_view frame) const { return frame.substr(offset, length); }
  std::string_view Head(std::string_view frame) const {
    return frame.substr(head_offset, head_length);
  }
};

inline constexpr int kMaxDecodeDepth = 512;

// Decodes the one complete frame that `frame` holds exactly (as the scanner
// delimited it). Errors are prefixed "reply: ".
Result<Reply> DecodeReply(std::string_view frame);

}  // namespace cairn
