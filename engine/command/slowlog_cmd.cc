// SLOWLOG GET [count], LEN, RESET, HELP over the engine's SlowLog.
#include "engine/command/context.h"
#include "engine/command/help_reply.h"
#include "engine/command/server_handlers.h"
#include "engine/command/slowlog.h"
#include "engine/util/strconv.h"

namespace cairn {

// Newest first; 10 entries unless told, -1 for all. An entry is [id, Unix
// time, microseconds, [args...], client address, client name].
void SlowlogGetCommand(CommandContext& ctx) {
  if (ctx.argc() > 3) {
    ReplySubcommandSyntaxError(ctx.reply(), ctx.arg(0), ctx.arg(1));
    return;
  }
  int64_t count = 10;
  if (ctx.argc() == 3) {
    auto v = ParseInt64(ctx.arg(2));
    if (!v || *v < -1) {
      ctx.reply().Error("ERR count should be greater than or equal to -1");
      return;
    }
    count = *v;
  }
  const auto& entries = ctx.engine().slowlog().entries();
  size_t n = entries.size();
  if (count >= 0 && static_cast<uint64_t>(count) < n) n = static_cast<size_t>(count);
  ReplyWriter& w = ctx.reply();
  w.Array(n);
  for (size_t i = 0; i < n; ++i) {
    const SlowLogEntry& e = entries[i];
    w.Array(6);
    w.Integer(static_cast<int64_t>(e.id));
    w.Integer(e.time_sec);
    w.Integer(e.duration_us);
    w.Array(e.args.size());
    for (const std::string& a : e.args) w.Bulk(a);
    w.Bulk(e.peer);
    w.Bulk(e.client_name);
  }
}

void SlowlogLenCommand(CommandContext& ctx) {
  ctx.reply().Integer(static_cast<int64_t>(ctx.engine().slowlog().size()));
}

void SlowlogResetCommand(CommandContext& ctx) {
  ctx.engine().slowlog().Reset();
  ctx.reply().Ok();
}

namespace {

constexpr std::string_view kSlowlogHelp[] = {
    "GET [<count>]",
    "    Reply with the <count> newest entries of the slow log (10 when not given,",
    "    every entry for -1). Each entry holds:",
    "    its id, the Unix time it ran, its duration in microseconds, its arguments,",
    "    the client's address and the client's name",
    "LEN",
    "    Reply with the number of entries in the slow log.",
    "RESET",
    "    Remove every entry from the slow log.",
};

}  // namespace

void SlowlogHelpCommand(CommandContext& ctx) { ReplyHelp(ctx.reply(), "SLOWLOG", kSlowlogHelp); }

}  // namespace cairn
