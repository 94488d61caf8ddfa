#include "engine/resp/request_parser.h"

#include <climits>
#include <cstring>
#include <optional>

#include "engine/util/strconv.h"

namespace cairn {
namespace {

constexpr size_t npos = static_cast<size_t>(-1);

bool IsSpace(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f';
}

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

// The usual count or length header: 1 to 18 digits without a leading zero
// (or a lone "0") straight after the type byte, then CR and one more byte in
// the buffer -- what the general path (FindLineEnd, then ParseInt64) would
// accept, read in one pass. Returns the CR's position with *value set, or
// npos for any other header, which the general path then decides.
size_t ReadShortNumber(std::string_view buf, size_t at, int64_t* value) {
  constexpr size_t kMaxDigits = 18;  // below INT64_MAX, so no overflow check
  const size_t end = buf.size() < at + kMaxDigits ? buf.size() : at + kMaxDigits;
  int64_t v = 0;
  size_t i = at;
  while (i < end && buf[i] >= '0' && buf[i] <= '9') {
    v = v * 10 + (buf[i] - '0');
    ++i;
  }
  // A 19th digit is not a CR: such a header goes the general way too.
  const size_t digits = i - at;
  if (digits == 0 || i + 1 >= buf.size() || buf[i] != '\r') return npos;
  if (digits > 1 && buf[at] == '0') return npos;
  *value = v;
  return i;
}

}  // namespace

void RequestParser::Reset() {
  kind_ = Kind::kNone;
  pos_ = 0;
  scan_ = 0;
  scan_hit_nul_ = false;
  remaining_ = 0;
  bulk_len_ = -1;
  need_ = 0;
  spans_.clear();
}

RequestParser::Outcome RequestParser::Fail(std::string text) {
  error_ = std::move(text);
  return Outcome::kError;
}

size_t RequestParser::FindLineEnd(std::string_view buf, size_t from, char c) {
  if (scan_ < from) {
    scan_ = from;
    scan_hit_nul_ = false;
  }
  if (scan_hit_nul_) return npos;
  for (size_t i = scan_; i < buf.size(); ++i) {
    char b = buf[i];
    if (b == c) {
      scan_ = i;
      return i;
    }
    if (b == '\0') {
      scan_ = i;
      scan_hit_nul_ = true;
      return npos;
    }
  }
  scan_ = buf.size();
  return npos;
}

RequestParser::Outcome RequestParser::Parse(std::span<char> buf, const ParserLimits& limits,
                                            std::vector<std::string_view>& args, size_t* consumed) {
  if (kind_ == Kind::kNone) {
    if (buf.empty()) return Outcome::kIncomplete;
    kind_ = buf[0] == '*' ? Kind::kMultibulk : Kind::kInline;
    pos_ = 0;
    scan_ = 0;
    scan_hit_nul_ = false;
    remaining_ = 0;
    bulk_len_ = -1;
    spans_.clear();
  }
  need_ = 0;
  Outcome out = kind_ == Kind::kInline ? ParseInline(buf, args, consumed)
                                       : ParseMultibulk(buf, limits, args, consumed);
  if (out != Outcome::kIncomplete) kind_ = Kind::kNone;
  return out;
}

RequestParser::Outcome RequestParser::ParseInline(std::span<char> buf,
                                                  std::vector<std::string_view>& args,
                                                  size_t* consumed) {
  std::string_view view(buf.data(), buf.size());
  size_t nl = FindLineEnd(view, 0, '\n');
  if (nl == npos) {
    if (buf.size() > kProtoInlineMaxSize) return Fail("Protocol error: too big inline request");
    return Outcome::kIncomplete;
  }
  size_t line_end = nl;
  if (line_end > 0 && buf[line_end - 1] == '\r') --line_end;
  if (!SplitInlineArgs(buf.subspan(0, line_end), args)) {
    return Fail("Protocol error: unbalanced quotes in request");
  }
  *consumed = nl + 1;
  return args.empty() ? Outcome::kEmpty : Outcome::kRequest;
}

RequestParser::Outcome RequestParser::ParseMultibulk(std::span<char> buf,
                                                     const ParserLimits& limits,
                                                     std::vector<std::string_view>& args,
                                                     size_t* consumed) {
  std::string_view view(buf.data(), buf.size());
  if (pos_ == 0) {
    // The count line.
    int64_t short_count = 0;
    size_t cr = ReadShortNumber(view, 1, &short_count);
    std::optional<int64_t> count = short_count;
    if (cr == npos) {
      cr = FindLineEnd(view, 0, '\r');
      if (cr == npos) {
        if (buf.size() > kProtoInlineMaxSize) {
          return Fail("Protocol error: too big mbulk count string");
        }
        return Outcome::kIncomplete;
      }
      if (cr + 2 > buf.size()) return Outcome::kIncomplete;
      count = ParseInt64(view.substr(1, cr - 1));
    }
    if (!count || *count > INT_MAX) return Fail("Protocol error: invalid multibulk length");
    if (*count > kUnauthMaxArgs && limits.auth_required) {
      return Fail("Protocol error: unauthenticated multibulk length");
    }
    pos_ = cr + 2;
    if (*count <= 0) {
      *consumed = pos_;
      args.clear();
      return Outcome::kEmpty;
    }
    remaining_ = *count;
    bulk_len_ = -1;
  }
  while (remaining_ > 0) {
    if (bulk_len_ == -1) {
      int64_t short_len = 0;
      size_t cr = pos_ < buf.size() && buf[pos_] == '$'
                      ? ReadShortNumber(view, pos_ + 1, &short_len)
                      : npos;
      std::optional<int64_t> len = short_len;
      if (cr == npos) {
        cr = FindLineEnd(view, pos_, '\r');
        if (cr == npos) {
          if (buf.size() - pos_ > kProtoInlineMaxSize) {
            return Fail("Protocol error: too big bulk count string");
          }
          return Outcome::kIncomplete;
        }
        if (cr + 2 > buf.size()) return Outcome::kIncomplete;
        if (buf[pos_] != '$') {
          char got = buf[pos_];
          // Redis blanks CR and LF in error texts (the byte here can be either:
          // "*1\r\n\r\n" and "*1\r\n\n\r\n" both end their header line).
          if (got == '\r' || got == '\n') got = ' ';
          std::string text = "Protocol error: expected '$', got '";
          text.push_back(got);
          text.push_back('\'');
          return Fail(std::move(text));
        }
        len = ParseInt64(view.substr(pos_ + 1, cr - pos_ - 1));
      }
      if (!len || *len < 0 || *len > limits.max_bulk_len) {
        return Fail("Protocol error: invalid bulk length");
      }
      if (*len > kUnauthMaxBulkLen && limits.auth_required) {
        return Fail("Protocol error: unauthenticated bulk length");
      }
      pos_ = cr + 2;
      bulk_len_ = *len;
    }
    size_t need = pos_ + static_cast<size_t>(bulk_len_) + 2;
    if (buf.size() < need) {
      need_ = need;
      return Outcome::kIncomplete;
    }
    spans_.emplace_back(pos_, static_cast<size_t>(bulk_len_));
    pos_ = need;
    bulk_len_ = -1;
    --remaining_;
  }
  args.clear();
  for (auto [off, len] : spans_) args.emplace_back(buf.data() + off, len);
  *consumed = pos_;
  return Outcome::kRequest;
}

bool SplitInlineArgs(std::span<char> line, std::vector<std::string_view>& args) {
  args.clear();
  char* p = line.data();
  char* end = line.data() + line.size();
  // Redis splits a C string: a NUL byte ends the input.
  if (char* nul = static_cast<char*>(std::memchr(p, '\0', line.size()))) end = nul;
  auto at = [&](char* q) -> char { return q < end ? *q : '\0'; };
  while (true) {
    while (p < end && IsSpace(*p)) ++p;
    if (p >= end) return true;
    char* out = p;  // unescaped bytes are written here, never ahead of p
    char* const start = out;
    bool in_double = false;
    bool in_single = false;
    bool done = false;
    while (!done) {
      char c = at(p);
      if (in_double) {
        if (c == '\0') {
          args.clear();
          return false;
        }
        if (c == '\\' && at(p + 1) == 'x' && IsHex(at(p + 2)) && IsHex(at(p + 3))) {
          *out++ = static_cast<char>(HexValue(p[2]) * 16 + HexValue(p[3]));
          p += 3;
        } else if (c == '\\' && at(p + 1) != '\0') {
          ++p;
          switch (*p) {
            case 'n':
              *out++ = '\n';
              break;
            case 'r':
              *out++ = '\r';
              break;
            case 't':
              *out++ = '\t';
              break;
            case 'b':
              *out++ = '\b';
              break;
            case 'a':
              *out++ = '\a';
              break;
            default:
              *out++ = *p;
              break;
          }
        } else if (c == '"') {
          char next = at(p + 1);
          if (next != '\0' && !IsSpace(next)) {
            args.clear();
            return false;
          }
          done = true;
        } else {
          *out++ = c;
        }
      } else if (in_single) {
        if (c == '\0') {
          args.clear();
          return false;
        }
        if (c == '\\' && at(p + 1) == '\'') {
          ++p;
          *out++ = '\'';
        } else if (c == '\'') {
          char next = at(p + 1);
          if (next != '\0' && !IsSpace(next)) {
            args.clear();
            return false;
          }
          done = true;
        } else {
          *out++ = c;
        }
      } else {
        switch (c) {
          case ' ':
          case '\n':
          case '\r':
          case '\t':
          case '\0':
            done = true;
            break;
          case '"':
            in_double = true;
            break;
          case '\'':
            in_single = true;
            break;
          default:
            *out++ = c;
            break;
        }
      }
      if (p < end) ++p;
    }
    args.emplace_back(start, static_cast<size_t>(out - start));
  }
}

}  // namespace cairn
