// LATENCY LATEST, HISTORY, RESET, HELP over the engine's LatencyMonitor.
// Events are listed by name (Redis lists them in hash order).
#include "engine/command/context.h"
#include "engine/command/help_reply.h"
#include "engine/command/latency_monitor.h"
#include "engine/command/server_handlers.h"

namespace cairn {

// Per event: [name, time of the latest sample, its milliseconds, the
// maximum].
void LatencyLatestCommand(CommandContext& ctx) {
  const auto& events = ctx.engine().latency().events();
  ReplyWriter& w = ctx.reply();
  w.Array(events.size());
  for (const auto& [name, ev] : events) {
    const LatencySample last = ev.samples.empty() ? LatencySample{} : ev.samples.back();
    w.Array(4);
    w.Bulk(name);
    w.Integer(last.time_sec);
    w.Integer(last.latency_ms);
    w.Integer(ev.max_ms);
  }
}

// [time, milliseconds] pairs of one event, oldest first; none for an event
// never recorded.
void LatencyHistoryCommand(CommandContext& ctx) {
  const auto& events = ctx.engine().latency().events();
  auto it = events.find(ctx.arg(2));
  ReplyWriter& w = ctx.reply();
  if (it == events.end()) {
    w.Array(0);
    return;
  }
  w.Array(it->second.samples.size());
  for (const LatencySample& s : it->second.samples) {
    w.Array(2);
    w.Integer(s.time_sec);
    w.Integer(s.latency_ms);
  }
}

// Forgets the named events (every event when none is named); replies how
// many were forgotten.
void LatencyResetCommand(CommandContext& ctx) {
  std::vector<std::string_view> names;
  for (size_t i = 2; i < ctx.argc(); ++i) names.push_back(ctx.arg(i));
  ctx.reply().Integer(static_cast<int64_t>(ctx.engine().latency().Reset(names)));
}

namespace {

constexpr std::string_view kLatencyHelp[] = {
    "HISTORY <event>",
    "    Reply with the recorded [time, milliseconds] samples of the <event> class.",
    "LATEST",
    "    Reply with the newest sample and the maximum of every event class.",
    "RESET [<event> ...]",
    "    Forget the samples of the given <event> classes",
    "    (of every event class when none is named).",
};

}  // namespace

void LatencyHelpCommand(CommandContext& ctx) { ReplyHelp(ctx.reply(), "LATENCY", kLatencyHelp); }

}  // namespace cairn
