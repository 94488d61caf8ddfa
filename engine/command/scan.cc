// SCAN cursor [MATCH pattern] [COUNT n] [TYPE name].
//
// As Redis 7.0: the cursor walks the main table's buckets (dict.h explains
// why a key present for the whole scan is returned at least once), buckets
// are collected until COUNT keys were gathered or 10 x COUNT buckets were
// visited, and only then filtered -- by pattern, by type (a read lookup,
// which counts a hit or miss and deletes an expired key, whose type is then
// "none"), and by expiry (an expired key is deleted and left out). So a page
// may hold fewer keys than COUNT, or none, while the cursor is not 0.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/command/key_commands.h"
#include "engine/util/glob.h"
#include "engine/util/strconv.h"

namespace cairn {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool IsCSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

}  // namespace

// Reads a cursor as C's strtoul(s, &end, 10) does, where Redis accepts it:
// no leading blank, an optional sign ("-1" wraps to the largest cursor),
// decimal digits up to the end of the text or a NUL byte (the C string
// ends there), no overflow; the empty string is cursor 0.
std::optional<uint64_t> ParseScanCursor(std::string_view s) {
  s = s.substr(0, s.find('\0'));
  if (s.empty()) return 0;
  if (IsCSpace(s[0])) return std::nullopt;
  bool negative = false;
  size_t i = 0;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    i = 1;
  }
  if (i == s.size()) return std::nullopt;  // a sign alone converts nothing
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c < '0' || c > '9') return std::nullopt;
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return std::nullopt;  // ERANGE
    v = v * 10 + d;
  }
  return negative ? 0 - v : v;
}

void ScanCommand(CommandContext& ctx) {
  std::optional<uint64_t> cursor = ParseScanCursor(ctx.arg(1));
  if (!cursor) {
    ctx.reply().Error("ERR invalid cursor");
    return;
  }
  int64_t count = 10;
  std::string_view pattern;
  bool use_pattern = false;
  std::string_view type;
  bool use_type = false;
  for (size_t i = 2; i < ctx.argc();) {
    std::string_view opt = ctx.arg(i);
    const bool has_value = ctx.argc() - i >= 2;
    if (has_value && EqualsIgnoreCase(opt, "count")) {
      std::optional<int64_t> n = ParseInt64(ctx.arg(i + 1));
      if (!n) {
        ctx.reply().NotInteger();
        return;
      }
      if (*n < 1) {
        ctx.reply().SyntaxError();
        return;
      }
      count = *n;
    } else if (has_value && EqualsIgnoreCase(opt, "match")) {
      pattern = ctx.arg(i + 1);
      use_pattern = pattern != "*";
    } else if (has_value && EqualsIgnoreCase(opt, "type")) {
      // Redis compares the type as a C string.
      type = ctx.arg(i + 1);
      type = type.substr(0, type.find('\0'));
      use_type = true;
    } else {
      ctx.reply().SyntaxError();
      return;
    }
    i += 2;
  }

  // Collect: whole buckets, until COUNT keys or 10 x COUNT more buckets.
  Database& db = ctx.db();
  std::vector<std::string> keys;
  uint64_t next = *cursor;
  // Redis computes 10 x COUNT in a signed long; a huge COUNT wraps, which
  // in effect lifts the bucket limit.
  int64_t max_iterations = static_cast<int64_t>(static_cast<uint64_t>(count) * 10);
  do {
    next = db.main().Scan(next, [&](Entry* e) { keys.emplace_back(e->key()); });
  } while (next != 0 && max_iterations-- != 0 && keys.size() < static_cast<uint64_t>(count));

  // Filter, then reply.
  ReplyWriter& reply = ctx.reply();
  reply.Array(2);
  char digits[kInt64Chars];
  size_t digits_len = 0;
  {
    char rev[kInt64Chars];
    uint64_t v = next;
    do {
      rev[digits_len++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0);
    for (size_t i = 0; i < digits_len; ++i) digits[i] = rev[digits_len - 1 - i];
  }
  reply.Bulk(std::string_view(digits, digits_len));
  size_t mark = reply.BeginDeferred();
  size_t n = 0;
  for (const std::string& key : keys) {
    if (use_pattern && !GlobMatch(pattern, key)) continue;
    if (use_type) {
      Entry* e = ctx.LookupRead(key, kLookupNoTouch);
      if (!EqualsIgnoreCase(type, TypeName(e))) continue;
    }
    Database::Slot slot = db.Locate(key);
    if (slot && ctx.ExpireIfNeeded(ctx.db_index(), slot)) continue;
    reply.Bulk(key);
    ++n;
  }
  reply.EndDeferredArray(mark, n);
}

}  // namespace cairn
