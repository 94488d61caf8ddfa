// The expiry commands: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (NX, XX, GT,
// LT), TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST.
//
// Deadlines are absolute Unix milliseconds. A new deadline is recorded as
// PEXPIREAT key <ms>, so replaying the log later sets the same deadline; a
// deadline that is already due deletes the key at once, recorded as DEL
// (UNLINK under lazyfree-lazy-expire), as Redis 7.0 does. A key without a
// TTL counts as one that never expires for GT and LT.
#include <cstdint>
#include <limits>

#include "engine/command/key_commands.h"
#include "engine/engine.h"
#include "engine/util/planted_bugs.h"
#include "engine/util/strconv.h"

namespace cairn {
namespace {

enum ExpireFlag : uint32_t {
  kExpireNx = 1u << 0,
  kExpireXx = 1u << 1,
  kExpireGt = 1u << 2,
  kExpireLt = 1u << 3,
};

bool EqualsIgnoreCase(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
    if (c != lower[i]) return false;
  }
  return true;
}

// The flags after the time; replies and returns false on an error.
bool ParseExpireFlags(CommandContext& ctx, uint32_t* flags) {
  *flags = 0;
  for (size_t i = 3; i < ctx.argc(); ++i) {
    std::string_view a = ctx.arg(i);
    if (EqualsIgnoreCase(a, "nx")) {
      *flags |= kExpireNx;
    } else if (EqualsIgnoreCase(a, "xx")) {
      *flags |= kExpireXx;
    } else if (EqualsIgnoreCase(a, "gt")) {
      *flags |= kExpireGt;
    } else if (EqualsIgnoreCase(a, "lt")) {
      *flags |= kExpireLt;
    } else {
      // Redis prints the option as a C string: it ends at a NUL byte.
      ctx.reply().Error(std::string("ERR Unsupported option ").append(a.substr(0, a.find('\0'))));
      return false;
    }
  }
  if ((*flags & kExpireNx) && (*flags & (kExpireXx | kExpireGt | kExpireLt))) {
    ctx.reply().Error("ERR NX and XX, GT or LT options at the same time are not compatible");
    return false;
  }
  if ((*flags & kExpireGt) && (*flags & kExpireLt)) {
    ctx.reply().Error("ERR GT and LT options at the same time are not compatible");
    return false;
  }
  return true;
}

void InvalidExpireTime(CommandContext& ctx) {
  ctx.reply().Error("ERR invalid expire time in '" + ctx.command().fullname + "' command");
}

// EXPIRE family. `relative`: the time counts from now; `seconds`: the time
// is in seconds.
void ExpireGeneric(CommandContext& ctx, bool relative, bool seconds) {
  uint32_t flags = 0;
  if (!ParseExpireFlags(ctx, &flags)) return;
  std::optional<int64_t> parsed = ParseInt64(ctx.arg(2));
  if (!parsed) {
    ctx.reply().NotInteger();
    return;
  }
  int64_t when = *parsed;
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  if (seconds) {
    if (when > kMax / 1000 || when < kMin / 1000) {
      InvalidExpireTime(ctx);
      return;
    }
    when *= 1000;
  }
  const int64_t base = relative ? ctx.now_ms() : 0;
  if (when > kMax - base) {
    InvalidExpireTime(ctx);
    return;
  }
  when += base;

  std::string_view key = ctx.arg(1);
  Database::Slot slot = ctx.LocateWrite(key);
  Entry* e = slot.entry();
  if (e == nullptr) {
    ctx.reply().Integer(0);
    return;
  }
  const int64_t current = e->expire_at();  // 0: no TTL, which GT/LT take as infinite
  if (((flags & kExpireNx) && current != 0) || ((flags & kExpireXx) && current == 0) ||
      ((flags & kExpireGt) && (current == 0 || when <= current)) ||
      ((flags & kExpireLt) && current != 0 && when >= current)) {
    ctx.reply().Integer(0);
    return;
  }
  if (when <= ctx.now_ms() && !ctx.engine().loading()) {
    // Already due: the key goes now, and the log says so explicitly.
    ctx.Propagate({ctx.settings().lazyfree_lazy_expire ? "UNLINK" : "DEL", key});
    ctx.db().Delete(slot);
  } else {
    ctx.db().SetExpire(slot, when);
    char buf[kInt64Chars];
    if (Planted(ctx.engine().planted_bugs, kBugRelativeTtl)) {
      ctx.Propagate({"PEXPIRE", key, std::string_view(buf, FormatInt64(when - ctx.now_ms(), buf))});
    } else {
      ctx.Propagate({"PEXPIREAT", key, std::string_view(buf, FormatInt64(when, buf))});
    }
  }
  ctx.AddDirty();
  ctx.reply().Integer(1);
}

void Expire(CommandContext& ctx) { ExpireGeneric(ctx, /*relative=*/true, /*seconds=*/true); }
void PExpire(CommandContext& ctx) { ExpireGeneric(ctx, /*relative=*/true, /*seconds=*/false); }
void ExpireAt(CommandContext& ctx) { ExpireGeneric(ctx, /*relative=*/false, /*seconds=*/true); }
void PExpireAt(CommandContext& ctx) { ExpireGeneric(ctx, /*relative=*/false, /*seconds=*/false); }

// TTL family: -2 for a missing key, -1 without a TTL, else the remaining
// time (relative) or the deadline (absolute); seconds are rounded.
void TtlGeneric(CommandContext& ctx, bool millis, bool absolute) {
  Entry* e = ctx.LookupRead(ctx.arg(1), kLookupNoTouch);
  if (e == nullptr) {
    ctx.reply().Integer(-2);
    return;
  }
  const int64_t deadline = e->expire_at();
  if (deadline == 0) {
    ctx.reply().Integer(-1);
    return;
  }
  int64_t t = absolute ? deadline : deadline - ctx.now_ms();
  if (t < 0) t = 0;
  if (!millis) {
    // Rounded to the nearest second; unsigned so that a deadline near the
    // largest int64 rounds up instead of overflowing, as Redis's result shows.
    t = static_cast<int64_t>((static_cast<uint64_t>(t) + 500) / 1000);
  }
  ctx.reply().Integer(t);
}

void Ttl(CommandContext& ctx) { TtlGeneric(ctx, /*millis=*/false, /*absolute=*/false); }
void PTtl(CommandContext& ctx) { TtlGeneric(ctx, /*millis=*/true, /*absolute=*/false); }
void ExpireTime(CommandContext& ctx) { TtlGeneric(ctx, /*millis=*/false, /*absolute=*/true); }
void PExpireTime(CommandContext& ctx) { TtlGeneric(ctx, /*millis=*/true, /*absolute=*/true); }

void Persist(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  Database::Slot slot = ctx.LocateWrite(key);
  if (!slot || !ctx.db().Persist(slot)) {
    ctx.reply().Integer(0);
    return;
  }
  ctx.Propagate({"PERSIST", key});
  ctx.AddDirty();
  ctx.reply().Integer(1);
}

constexpr HandlerBinding kHandlers[] = {
    {"expire", Expire},
    {"pexpire", PExpire},
    {"expireat", ExpireAt},
    {"pexpireat", PExpireAt},
    {"ttl", Ttl},
    {"pttl", PTtl},
    {"expiretime", ExpireTime},
    {"pexpiretime", PExpireTime},
    {"persist", Persist},
};

}  // namespace

std::span<const HandlerBinding> ExpireHandlers() { return kHandlers; }

}  // namespace cairn
