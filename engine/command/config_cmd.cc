// CONFIG GET / SET / RESETSTAT / REWRITE / HELP. The parameter table, its
// validation and its error texts live in engine/config; these handlers shape
// the replies and connect CONFIG SET to the world: a change the world must
// act on (a new port, bind address, log level...) goes through
// Engine::OnConfigChanged, and when that fails the whole CONFIG SET is rolled
// back, as Redis does.
#include <string>
#include <vector>

#include "engine/command/context.h"

namespace cairn {
namespace {

void ConfigGet(CommandContext& ctx) {
  std::vector<std::string_view> patterns(ctx.argv().begin() + 2, ctx.argv().end());
  std::vector<std::pair<std::string, std::string>> pairs;
  ctx.engine().config().Get(patterns, pairs);
  ReplyWriter& w = ctx.reply();
  w.Map(pairs.size());
  for (const auto& [name, value] : pairs) {
    w.Bulk(name);
    w.Bulk(value);
  }
}

// Redis's reasons when applying a change fails; the world's own error goes
// to the log ("Check server logs").
std::string ApplyFailureReason(std::string_view name) {
  if (name == "port") return "Unable to listen on this port. Check server logs.";
  if (name == "bind") return "Failed to bind to specified addresses.";
  return {};
}

void ConfigSet(CommandContext& ctx) {
  Engine& engine = ctx.engine();
  std::vector<std::string_view> pairs(ctx.argv().begin() + 2, ctx.argv().end());
  Config::SetOptions options;
  options.local_client = IsLocalPeer(ctx.session().info.peer, ctx.session().info.unix_socket);
  auto apply = [&engine](std::string_view name) -> Status {
    if (name == "dir") {
      // Redis chdirs into the new directory; Cairn keeps the path, but a
      // directory that does not exist is refused the same way.
      if (!engine.env().fs().Exists(engine.settings().dir)) {
        return Status::NotFound("No such file or directory");
      }
      return Status::Ok();
    }
    Status st = engine.OnConfigChanged({std::string(name)});
    if (st.ok()) return st;
    engine.env().logger().Log(LogLevel::kWarning, "CONFIG SET " + std::string(name) +
                                                      " could not be applied: " + st.message());
    std::string reason = ApplyFailureReason(name);
    return reason.empty() ? st : Status::Invalid(std::move(reason));
  };
  Status st = engine.config().Set(pairs, options, apply, nullptr);
  if (!st.ok()) {
    ctx.reply().Error(st.message());
    return;
  }
  ctx.reply().Ok();
}

void ConfigResetStat(CommandContext& ctx) {
  ctx.engine().ResetStats();
  ctx.reply().Ok();
}

void ConfigRewrite(CommandContext& ctx) {
  Engine& engine = ctx.engine();
  Status st = engine.config().RewriteFile(engine.env().fs());
  if (!st.ok()) {
    if (!engine.config().config_file().empty()) {
      engine.env().logger().Log(LogLevel::kWarning, "CONFIG REWRITE failed: " + st.message());
    }
    ctx.reply().Error(st.message());
    return;
  }
  engine.env().logger().Log(LogLevel::kNotice, "CONFIG REWRITE executed with success.");
  ctx.reply().Ok();
}

void ConfigHelp(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "GET <pattern>",
      "    Show the parameters whose names match the glob-style <pattern>, with their values.",
      "SET <directive> <value>",
      "    Change parameters; several directive/value pairs change together or not at all.",
      "RESETSTAT",
      "    Zero the statistics INFO shows.",
      "REWRITE",
      "    Write the running configuration back to the configuration file.",
      "HELP",
      "    Print this help.",
  };
  ctx.reply().Array(std::size(kLines));
  for (std::string_view line : kLines) ctx.reply().Simple(line);
}

constexpr HandlerBinding kHandlers[] = {
    {"config|get", ConfigGet},
    {"config|set", ConfigSet},
    {"config|resetstat", ConfigResetStat},
    {"config|rewrite", ConfigRewrite},
    {"config|help", ConfigHelp},
};

}  // namespace

std::span<const HandlerBinding> ConfigHandlers() { return kHandlers; }

}  // namespace cairn
