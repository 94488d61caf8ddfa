// Connection commands: PING, ECHO, QUIT, HELLO, AUTH, SELECT, SWAPDB, RESET.
#include "engine/command/context.h"

namespace cairn {
namespace {

void Ping(CommandContext& ctx) {
  if (ctx.argc() > 2) {
    ctx.reply().Error("ERR wrong number of arguments for 'ping' command");
    return;
  }
  if (ctx.argc() == 2) {
    ctx.reply().Bulk(ctx.arg(1));
  } else {
    ctx.reply().Simple("PONG");
  }
}

void Echo(CommandContext& ctx) { ctx.reply().Bulk(ctx.arg(1)); }

void Quit(CommandContext& ctx) {
  ctx.reply().Ok();
  ctx.session().close_after_reply = true;
}

constexpr HandlerBinding kHandlers[] = {
    {"ping", Ping},
    {"echo", Echo},
    {"quit", Quit},
};

}  // namespace

std::span<const HandlerBinding> ConnectionHandlers() { return kHandlers; }

}  // namespace cairn
