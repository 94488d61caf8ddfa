// RequestParser: splits a client's input into requests, as redis-server 7.0
// does, without copying arguments.
//
// A request is multibulk when its first byte is '*', inline otherwise. The
// parser mirrors Redis's networking code byte for byte, quirks included,
// because clients and test suites observe them:
//   - A header line ("*3", "$5") ends at the first '\r'; one more byte must be
//     present and is not checked. Bulk data is followed by two bytes that are
//     skipped unchecked.
//   - Lines are searched the way C string functions search them: a NUL byte
//     before the end of an inline line or header makes the parser wait (until
//     the 64 KiB limit), exactly as Redis waits.
//   - Numbers are Redis's strict integers; a count <= 0 is an empty request;
//     counts above 2^31-1 and bulk lengths outside [0, proto-max-bulk-len] are
//     errors.
//   - More than 64 KiB buffered without the end of an inline line or a header
//     line is an error. Unauthenticated clients may send at most 10
//     arguments of at most 16384 bytes.
//   - Inline lines are split with Redis's quoting rules (double quotes with
//     \n \r \t \b \a \xHH escapes, single quotes with \'), unescaped in place.
//
// Incremental: when a request is incomplete the parser keeps offsets (never
// pointers) from the request's first byte, so the caller may move or grow the
// buffer between calls and a request arriving byte by byte costs linear time.
// Arguments are views into the caller's buffer, valid until it changes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cairn {

struct ParserLimits {
  int64_t max_bulk_len = 512LL * 1024 * 1024;  // proto-max-bulk-len
  bool auth_required = false;                  // the pre-AUTH limits apply
};

inline constexpr size_t kProtoInlineMaxSize = 64 * 1024;
inline constexpr int64_t kUnauthMaxArgs = 10;
inline constexpr int64_t kUnauthMaxBulkLen = 16384;

class RequestParser {
 public:
  enum class Outcome {
    kRequest,     // args hold a request of *consumed bytes
    kEmpty,       // *consumed bytes held no request (blank line, "*0")
    kIncomplete,  // more bytes are needed; nothing consumed
    kError,       // protocol error: error() holds Redis's text
  };

  // Parses the request at the start of buf. buf must begin where the previous
  // call's request began (the caller consumes only after a complete outcome).
  Outcome Parse(std::span<char> buf, const ParserLimits& limits,
                std::vector<std::string_view>& args, size_t* consumed);

  // After kIncomplete: the total size the request is known to need, so the
  // reader can reserve once for a large bulk (0 when unknown).
  size_t NeedHint() const { return need_; }

  // "Protocol error: ..." (without the "-ERR " prefix) after kError.
  const std::string& error() const { return error_; }

  // Forgets any partial request.
  void Reset();

 private:
  Outcome ParseInline(std::span<char> buf, std::vector<std::string_view>& args, size_t* consumed);
  Outcome ParseMultibulk(std::span<char> buf, const ParserLimits& limits,
                         std::vector<std::string_view>& args, size_t* consumed);
  // Finds the first `c` at or after scan_ in buf, stopping at a NUL byte as
  // strchr does. Returns the offset or npos; remembers progress in scan_.
  size_t FindLineEnd(std::string_view buf, size_t from, char c);
  Outcome Fail(std::string text);

  enum class Kind : unsigned char { kNone, kInline, kMultibulk };
  Kind kind_ = Kind::kNone;
  size_t pos_ = 0;   // offset of the next unparsed byte of the request
  size_t scan_ = 0;  // line search resumes here
  bool scan_hit_nul_ = false;
  int64_t remaining_ = 0;  // multibulk: arguments still to read
  int64_t bulk_len_ = -1;  // multibulk: length of the current bulk, -1 before its header
  size_t need_ = 0;
  std::vector<std::pair<size_t, size_t>> spans_;  // finished arguments (offset, length)
  std::string error_;
};

// Splits one inline line with Redis's sdssplitargs rules, unescaping into
// the same storage. Returns false on unbalanced quotes. Views point into line.
bool SplitInlineArgs(std::span<char> line, std::vector<std::string_view>& args);

}  // namespace cairn
