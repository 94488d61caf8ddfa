// MONITOR: the session receives every command the server executes from then
// on, as "+<sec>.<usec> [<db> <addr>] "arg" ..." lines (Engine::FeedMonitors
// writes them after each command, leaving out admin commands and rejected
// requests, as Redis does). RESET or a disconnect ends it.
#include "engine/command/context.h"
#include "engine/command/server_handlers.h"

namespace cairn {

void MonitorCommand(CommandContext& ctx) {
  Session& s = ctx.session();
  // Redis ignores MONITOR from a session that is already monitoring: no
  // reply at all.
  if (s.monitor) return;
  ctx.engine().AddMonitor(&s);
  ctx.reply().Ok();
}

}  // namespace cairn
