// OBJECT ENCODING | REFCOUNT | IDLETIME | FREQ | HELP.
//
// The lookups count a hit or a miss and expire a due key, but do not touch
// the access clock (looking must not change what IDLETIME reports). A
// missing key answers null. ENCODING and REFCOUNT report what the store
// decided when the value was written (string_value.h: int / embstr / raw; a
// shared integer's refcount is INT_MAX). IDLETIME reads the LRU clock and is
// refused under an LFU policy; FREQ reads the LFU counter (decayed to now)
// and is refused under any other policy.
#include <cstdint>
#include <string_view>

#include "engine/command/key_commands.h"
#include "engine/keyspace/access_clock.h"

namespace cairn {
namespace {

// Redis's defaults for lfu-decay-time (the parameter table does not carry it
// yet; context.cc uses the same value when it counts accesses).
constexpr int64_t kLfuDecayMinutes = 1;

constexpr int64_t kSharedRefcount = INT32_MAX;

std::string_view EncodingName(const Entry* e) {
  switch (e->encoding()) {
    case Encoding::kInt:
      return "int";
    case Encoding::kEmbstr:
      return "embstr";
    case Encoding::kRaw:
      return "raw";
  }
  return "unknown";
}

Entry* Inspect(CommandContext& ctx) {
  Entry* e = ctx.LookupRead(ctx.arg(2), kLookupNoTouch);
  if (e == nullptr) ctx.reply().NullBulk();
  return e;
}

bool LfuPolicy(CommandContext& ctx) { return IsLfuPolicy(ctx.settings().maxmemory_policy); }

}  // namespace

void ObjectEncodingCommand(CommandContext& ctx) {
  if (Entry* e = Inspect(ctx)) ctx.reply().Bulk(EncodingName(e));
}

void ObjectRefcountCommand(CommandContext& ctx) {
  if (Entry* e = Inspect(ctx)) ctx.reply().Integer(e->shared_int() ? kSharedRefcount : 1);
}

void ObjectIdletimeCommand(CommandContext& ctx) {
  Entry* e = Inspect(ctx);
  if (e == nullptr) return;
  if (LfuPolicy(ctx)) {
    ctx.reply().Error(
        "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when "
        "switching between policies at runtime LRU and LFU data will take some time to adjust.");
    return;
  }
  ctx.reply().Integer(static_cast<int64_t>(LruIdleMs(e->lru(), ctx.engine().LruClock()) / 1000));
}

void ObjectFreqCommand(CommandContext& ctx) {
  Entry* e = Inspect(ctx);
  if (e == nullptr) return;
  if (!LfuPolicy(ctx)) {
    ctx.reply().Error(
        "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note "
        "that when switching between policies at runtime LRU and LFU data will take some time to "
        "adjust.");
    return;
  }
  ctx.reply().Integer(LfuDecayedCounter(e->lru(), ctx.now_ms(), kLfuDecayMinutes));
}

void ObjectHelpCommand(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "ENCODING <key>",
      "    Name the internal representation of the value stored at <key>",
      "    (int, embstr or raw for strings).",
      "FREQ <key>",
      "    Report the access frequency counter of <key>; it grows roughly with the",
      "    logarithm of recent accesses. Needs an LFU maxmemory policy.",
      "IDLETIME <key>",
      "    Report roughly how many seconds have passed since <key> was last read or",
      "    written. Not available under an LFU maxmemory policy.",
      "REFCOUNT <key>",
      "    Report how many references point at the value stored at <key>; shared",
      "    integers report a very large count.",
      "HELP",
      "    Print this help.",
  };
  ctx.reply().Array(std::size(kLines));
  for (std::string_view line : kLines) ctx.reply().Simple(line);
}

}  // namespace cairn
