// Byte ranges of strings: APPEND, STRLEN, GETRANGE (and its old name
// SUBSTR), SETRANGE.
//
// APPEND and SETRANGE edit a raw heap string in place (growing it with spare
// capacity), as Redis edits its sds strings; both are recorded as the
// command itself, which depends only on the state before it.
#include <cstring>

#include "engine/command/string_commands.h"
#include "engine/util/strconv.h"

namespace cairn::string_commands {

void Append(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  std::string_view tail = ctx.arg(2);
  Database::Slot slot = ctx.LocateWrite(key);
  Entry* e = slot.entry();
  size_t total = 0;
  if (e == nullptr) {
    // A new key holds the argument encoded as SET would store it.
    PutEntry(ctx.db(), slot,
             NewEncodedString(key, tail, ShareIntegers(ctx), 0, ctx.engine().LruClock()));
    total = tail.size();
  } else {
    if (e->type() != ObjType::kString) {
      ctx.reply().WrongType();
      return;
    }
    if (!CheckStringLength(ctx, e->StringLength(), tail.size())) return;
    e = UnshareString(ctx.db(), slot);
    AppendBytes(ctx.db(), e, tail);
    total = e->heap()->len;
  }
  ctx.AddDirty();
  ctx.Propagate({"APPEND", key, tail});
  ctx.reply().Integer(static_cast<int64_t>(total));
}

void StrLen(CommandContext& ctx) {
  Entry* e = ctx.LookupRead(ctx.arg(1));
  if (e == nullptr) {
    ctx.reply().Integer(0);
  } else if (e->type() != ObjType::kString) {
    ctx.reply().WrongType();
  } else {
    ctx.reply().Integer(static_cast<int64_t>(e->StringLength()));
  }
}

void GetRange(CommandContext& ctx) {
  std::optional<int64_t> start_arg = ParseInt64(ctx.arg(2));
  std::optional<int64_t> end_arg = start_arg ? ParseInt64(ctx.arg(3)) : std::nullopt;
  if (!start_arg || !end_arg) {
    ctx.reply().NotInteger();
    return;
  }
  Entry* e = ctx.LookupRead(ctx.arg(1));
  if (e == nullptr) {
    ctx.reply().Bulk("");
    return;
  }
  if (e->type() != ObjType::kString) {
    ctx.reply().WrongType();
    return;
  }
  char buf[kInt64Chars];
  std::string_view s = e->StringValue(buf);
  int64_t len = static_cast<int64_t>(s.size());
  int64_t start = *start_arg;
  int64_t end = *end_arg;
  // Both negative with start after end: empty, before any clamping.
  if (start < 0 && end < 0 && start > end) {
    ctx.reply().Bulk("");
    return;
  }
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (len == 0 || start > end) {
    ctx.reply().Bulk("");
    return;
  }
  ctx.reply().Bulk(s.substr(static_cast<size_t>(start), static_cast<size_t>(end - start + 1)));
}

void SetRange(CommandContext& ctx) {
  std::optional<int64_t> offset = ParseInt64(ctx.arg(2));
  if (!offset) {
    ctx.reply().NotInteger();
    return;
  }
  if (*offset < 0) {
    ctx.reply().Error("ERR offset is out of range");
    return;
  }
  std::string_view key = ctx.arg(1);
  std::string_view value = ctx.arg(3);
  uint64_t off = static_cast<uint64_t>(*offset);
  Database::Slot slot = ctx.LocateWrite(key);
  Entry* e = slot.entry();
  if (e == nullptr) {
    // Writing nothing to a missing key creates nothing.
    if (value.empty()) {
      ctx.reply().Integer(0);
      return;
    }
    if (!CheckStringLength(ctx, off, value.size())) return;
    e = NewZeroedRawString(key, off + value.size(), 0, ctx.engine().LruClock());
    PutEntry(ctx.db(), slot, e);
  } else {
    if (e->type() != ObjType::kString) {
      ctx.reply().WrongType();
      return;
    }
    if (value.empty()) {
      ctx.reply().Integer(static_cast<int64_t>(e->StringLength()));
      return;
    }
    if (!CheckStringLength(ctx, off, value.size())) return;
    e = UnshareString(ctx.db(), slot);
    GrowZeroed(ctx.db(), e, off + value.size());
  }
  std::memcpy(MutableBytes(e) + off, value.data(), value.size());
  ctx.AddDirty();
  ctx.Propagate({"SETRANGE", key, ctx.arg(2), value});
  ctx.reply().Integer(static_cast<int64_t>(e->heap()->len));
}

}  // namespace cairn::string_commands
