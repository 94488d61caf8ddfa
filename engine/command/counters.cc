// Counters: INCR, DECR, INCRBY, DECRBY and INCRBYFLOAT.
//
// Integer results are stored int-encoded (in place when the old value is
// already an int, so a counter never reallocates); INCRBYFLOAT stores the
// printed long double as a plain string. Every result keeps the key's TTL and
// is recorded as "SET key <new value> KEEPTTL": replaying it twice gives the
// same state, unlike the increment it stands for, and float formatting can
// never differ on replay.
#include <cmath>

#include "engine/command/string_commands.h"
#include "engine/util/strconv.h"

namespace cairn::string_commands {
namespace {

void PropagateKeepTtl(CommandContext& ctx, std::string_view key, std::string_view value) {
  ctx.Propagate({"SET", key, value, "KEEPTTL"});
}

// Adds delta to the integer at key (0 when absent).
void IncrByGeneric(CommandContext& ctx, int64_t delta) {
  std::string_view key = ctx.arg(1);
  Database::Slot slot = ctx.LocateWrite(key);
  Entry* old = slot.entry();
  int64_t value = 0;
  if (old != nullptr) {
    if (old->type() != ObjType::kString) {
      ctx.reply().WrongType();
      return;
    }
    if (old->is_int()) {
      value = old->int_value();
    } else if (auto parsed = ParseInt64(old->bytes())) {
      value = *parsed;
    } else {
      ctx.reply().NotInteger();
      return;
    }
  }
  if ((delta < 0 && value < 0 && delta < INT64_MIN - value) ||
      (delta > 0 && value > 0 && delta > INT64_MAX - value)) {
    ctx.reply().Error("ERR increment or decrement would overflow");
    return;
  }
  value += delta;
  bool share = ShareIntegers(ctx);
  if (old != nullptr && old->is_int()) {
    SetIntInPlace(old, value, share);
  } else {
    int64_t deadline = old != nullptr ? old->expire_at() : 0;
    PutEntry(ctx.db(), slot, NewIntString(key, value, share, deadline, LruForStore(ctx, slot)));
  }
  ctx.AddDirty();
  char buf[kInt64Chars];
  PropagateKeepTtl(ctx, key, std::string_view(buf, FormatInt64(value, buf)));
  ctx.reply().Integer(value);
}

}  // namespace

void Incr(CommandContext& ctx) { IncrByGeneric(ctx, 1); }

void Decr(CommandContext& ctx) { IncrByGeneric(ctx, -1); }

void IncrBy(CommandContext& ctx) {
  std::optional<int64_t> delta = ParseInt64(ctx.arg(2));
  if (!delta) {
    ctx.reply().NotInteger();
    return;
  }
  IncrByGeneric(ctx, *delta);
}

void DecrBy(CommandContext& ctx) {
  std::optional<int64_t> delta = ParseInt64(ctx.arg(2));
  if (!delta) {
    ctx.reply().NotInteger();
    return;
  }
  if (*delta == INT64_MIN) {
    ctx.reply().Error("ERR decrement would overflow");
    return;
  }
  IncrByGeneric(ctx, -*delta);
}

void IncrByFloat(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  Database::Slot slot = ctx.LocateWrite(key);
  Entry* old = slot.entry();
  long double value = 0;
  if (old != nullptr) {
    if (old->type() != ObjType::kString) {
      ctx.reply().WrongType();
      return;
    }
    if (old->is_int()) {
      value = static_cast<long double>(old->int_value());
    } else if (auto parsed = ParseLongDouble(old->bytes())) {
      value = *parsed;
    } else {
      ctx.reply().Error("ERR value is not a valid float");
      return;
    }
  }
  std::optional<long double> incr = ParseLongDouble(ctx.arg(2));
  if (!incr) {
    ctx.reply().Error("ERR value is not a valid float");
    return;
  }
  // x87 long double, as Redis computes on x86-64: clients see its digits.
  value += *incr;
  if (std::isnan(value) || std::isinf(value)) {
    ctx.reply().Error("ERR increment would produce NaN or Infinity");
    return;
  }
  char buf[kLongDoubleChars];
  std::string_view text(buf, FormatLongDouble(value, buf));
  int64_t deadline = old != nullptr ? old->expire_at() : 0;
  PutEntry(ctx.db(), slot, NewPlainString(key, text, deadline, LruForStore(ctx, slot)));
  ctx.AddDirty();
  ctx.reply().Bulk(text);
  PropagateKeepTtl(ctx, key, text);
}

}  // namespace cairn::string_commands
