// Server commands: TIME, LASTSAVE, FUNCTION FLUSH/HELP, SCRIPT FLUSH/HELP,
// and the bindings of the server family's handlers that live in files of
// their own (INFO, MONITOR, SHUTDOWN, SLOWLOG, LATENCY; server_handlers.h).
//
// Cairn runs no scripts and keeps no functions: the flush subcommands check
// their arguments as Redis does and succeed with nothing to remove.
#include "engine/command/context.h"
#include "engine/command/help_reply.h"
#include "engine/command/server_handlers.h"
#include "engine/util/ascii.h"

namespace cairn {
namespace {

void Time(CommandContext& ctx) {
  int64_t us = ctx.engine().env().clock().WallUs();
  ctx.reply().Array(2);
  ctx.reply().BulkInt(us / 1000000);
  ctx.reply().BulkInt(us % 1000000);
}

// BGREWRITEAOF: compaction without fork (engine/aof/aof_log.h).
void BgRewriteAof(CommandContext& ctx) {
  Status st = ctx.engine().durability().StartRewrite();
  if (!st.ok()) {
    ctx.reply().Error(st.message());
    return;
  }
  ctx.reply().Simple("Background append only file rewriting started");
}

void LastSave(CommandContext& ctx) { ctx.reply().Integer(ctx.engine().last_save_time_sec()); }

bool IsFlushMode(std::string_view a) {
  return AsciiEqualsIgnoreCase(a, "sync") || AsciiEqualsIgnoreCase(a, "async");
}

void FunctionFlush(CommandContext& ctx) {
  if (ctx.argc() > 3) {
    ReplySubcommandSyntaxError(ctx.reply(), ctx.arg(0), ctx.arg(1));
    return;
  }
  if (ctx.argc() == 3 && !IsFlushMode(ctx.arg(2))) {
    ctx.reply().Error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
    return;
  }
  ctx.reply().Ok();
}

void ScriptFlush(CommandContext& ctx) {
  // Redis's text differs from FUNCTION FLUSH's ("support"), and it has no
  // separate arity error.
  if (ctx.argc() > 3 || (ctx.argc() == 3 && !IsFlushMode(ctx.arg(2)))) {
    ctx.reply().Error("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
    return;
  }
  ctx.reply().Ok();
}

constexpr std::string_view kFunctionHelp[] = {
    "FLUSH [ASYNC|SYNC]",
    "    Remove every function library.",
    "    Cairn keeps no functions, so there is never anything to remove; the",
    "    mode argument is accepted for compatibility. Modes:",
    "    * ASYNC: free the libraries in the background.",
    "    * SYNC: free the libraries before replying.",
};

constexpr std::string_view kScriptHelp[] = {
    "FLUSH [ASYNC|SYNC]",
    "    Empty the script cache.",
    "    Cairn caches no scripts, so there is never anything to remove; the",
    "    mode argument is accepted for compatibility. Modes:",
    "    * ASYNC: free the scripts in the background.",
    "    * SYNC: free the scripts before replying.",
};

void FunctionHelp(CommandContext& ctx) { ReplyHelp(ctx.reply(), "FUNCTION", kFunctionHelp); }
void ScriptHelp(CommandContext& ctx) { ReplyHelp(ctx.reply(), "SCRIPT", kScriptHelp); }

constexpr HandlerBinding kHandlers[] = {
    {"time", Time},
    {"lastsave", LastSave},
    {"bgrewriteaof", BgRewriteAof},
    {"function|flush", FunctionFlush},
    {"function|help", FunctionHelp},
    {"script|flush", ScriptFlush},
    {"script|help", ScriptHelp},
    {"info", InfoCommand},
    {"monitor", MonitorCommand},
    {"shutdown", ShutdownCommand},
    {"slowlog|get", SlowlogGetCommand},
    {"slowlog|len", SlowlogLenCommand},
    {"slowlog|reset", SlowlogResetCommand},
    {"slowlog|help", SlowlogHelpCommand},
    {"latency|latest", LatencyLatestCommand},
    {"latency|history", LatencyHistoryCommand},
    {"latency|reset", LatencyResetCommand},
    {"latency|help", LatencyHelpCommand},
};

}  // namespace

std::span<const HandlerBinding> ServerHandlers() { return kHandlers; }

}  // namespace cairn
