// Handlers of the server family that live in files of their own (one
// concern each); server.cc binds them all in ServerHandlers(), so the command
// table needs no list per file.
#pragma once

namespace cairn {

class CommandContext;

// info.cc
void InfoCommand(CommandContext& ctx);
// monitor.cc
void MonitorCommand(CommandContext& ctx);
// shutdown.cc
void ShutdownCommand(CommandContext& ctx);
// slowlog_cmd.cc
void SlowlogGetCommand(CommandContext& ctx);
void SlowlogLenCommand(CommandContext& ctx);
void SlowlogResetCommand(CommandContext& ctx);
void SlowlogHelpCommand(CommandContext& ctx);
// latency_cmd.cc
void LatencyLatestCommand(CommandContext& ctx);
void LatencyHistoryCommand(CommandContext& ctx);
void LatencyResetCommand(CommandContext& ctx);
void LatencyHelpCommand(CommandContext& ctx);

}  // namespace cairn
