// SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]: modifiers in any order,
// repeats allowed, ABORT alone, not SAVE with NOSAVE (Redis 7.0's rules).
// A shutdown that goes ahead sends no reply: the connection closes as the
// server exits. One that fails replies an error and the server runs on.
#include "engine/command/context.h"
#include "engine/command/server_handlers.h"
#include "engine/util/ascii.h"

namespace cairn {

void ShutdownCommand(CommandContext& ctx) {
  ShutdownOptions options;
  bool abort = false;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    std::string_view a = ctx.arg(i);
    if (AsciiEqualsIgnoreCase(a, "nosave")) {
      options.nosave = true;
    } else if (AsciiEqualsIgnoreCase(a, "save")) {
      options.save = true;
    } else if (AsciiEqualsIgnoreCase(a, "now")) {
      options.now = true;
    } else if (AsciiEqualsIgnoreCase(a, "force")) {
      options.force = true;
    } else if (AsciiEqualsIgnoreCase(a, "abort")) {
      abort = true;
    } else {
      ctx.reply().SyntaxError();
      return;
    }
  }
  bool any_modifier = options.nosave || options.save || options.now || options.force;
  if ((abort && any_modifier) || (options.nosave && options.save)) {
    ctx.reply().SyntaxError();
    return;
  }
  if (abort) {
    if (ctx.engine().AbortShutdown()) {
      ctx.reply().Ok();
    } else {
      ctx.reply().Error("ERR No shutdown in progress.");
    }
    return;
  }
  Status st = ctx.engine().RequestShutdown(options);
  if (!st.ok()) ctx.reply().Error("ERR Errors trying to SHUTDOWN. Check logs.");
}

}  // namespace cairn
