// CLIENT: ID, SETNAME, GETNAME, LIST, INFO, KILL, REPLY, NO-EVICT, HELP.
//
// Sessions are visited in id order (creation order, as Redis's client list),
// so CLIENT LIST and CLIENT KILL never depend on addresses.
#include <string>
#include <string_view>
#include <vector>

#include "engine/command/client_line.h"
#include "engine/command/client_name.h"
#include "engine/command/context.h"
#include "engine/command/help_reply.h"
#include "engine/util/ascii.h"
#include "engine/util/strconv.h"

namespace cairn {
namespace {

void ClientId(CommandContext& ctx) { ctx.reply().Integer(static_cast<int64_t>(ctx.session().id)); }

void ClientSetName(CommandContext& ctx) {
  if (!ValidClientName(ctx.arg(2))) {
    ctx.reply().Error(kInvalidClientNameError);
    return;
  }
  ctx.session().name = std::string(ctx.arg(2));
  ctx.reply().Ok();
}

void ClientGetName(CommandContext& ctx) {
  const std::string& name = ctx.session().name;
  if (name.empty()) {
    ctx.reply().NullBulk();
  } else {
    ctx.reply().Bulk(name);
  }
}

void ClientInfo(CommandContext& ctx) {
  std::string text;
  AppendClientLine(ctx.engine(), ctx.session(), &ctx.session(), text);
  text += '\n';
  ctx.reply().Verbatim(text);
}

void UnknownClientType(CommandContext& ctx, std::string_view name) {
  std::string text = "ERR Unknown client type '";
  text += name.substr(0, name.find('\0'));
  text += '\'';
  ctx.reply().Error(text);
}

// CLIENT LIST [TYPE type | ID id [id ...]]: Redis 7.0 takes one filter.
// Lines for ID come in the order the ids were given.
void ClientList(CommandContext& ctx) {
  Engine& engine = ctx.engine();
  std::string text;
  if (ctx.argc() == 4 && AsciiEqualsIgnoreCase(ctx.arg(2), "type")) {
    auto type = ParseClientType(ctx.arg(3));
    if (!type) {
      UnknownClientType(ctx, ctx.arg(3));
      return;
    }
    for (const auto& [id, s] : engine.sessions()) {
      if (TypeOf(*s) != *type) continue;
      AppendClientLine(engine, *s, &ctx.session(), text);
      text += '\n';
    }
  } else if (ctx.argc() > 3 && AsciiEqualsIgnoreCase(ctx.arg(2), "id")) {
    std::vector<int64_t> ids;
    for (size_t i = 3; i < ctx.argc(); ++i) {
      auto id = ParseInt64(ctx.arg(i));
      if (!id) {
        ctx.reply().Error("ERR Invalid client ID");
        return;
      }
      ids.push_back(*id);
    }
    for (int64_t id : ids) {
      if (id <= 0) continue;
      Session* s = engine.FindSession(static_cast<uint64_t>(id));
      if (s == nullptr) continue;
      AppendClientLine(engine, *s, &ctx.session(), text);
      text += '\n';
    }
  } else if (ctx.argc() != 2) {
    ctx.reply().SyntaxError();
    return;
  } else {
    for (const auto& [id, s] : engine.sessions()) {
      AppendClientLine(engine, *s, &ctx.session(), text);
      text += '\n';
    }
  }
  ctx.reply().Verbatim(text);
}

// Closes target on behalf of the session running CLIENT KILL: a session that
// kills itself gets its reply first, as in Redis.
void Kill(CommandContext& ctx, Session* target) {
  if (target == &ctx.session()) {
    target->close_after_reply = true;
  } else {
    ctx.engine().KillSession(target);
  }
}

// CLIENT KILL ip:port (the old form: replies +OK or an error, may kill the
// caller) or CLIENT KILL <filter> <value> ... (replies the number killed;
// SKIPME yes by default).
void ClientKill(CommandContext& ctx) {
  Engine& engine = ctx.engine();
  bool old_form = ctx.argc() == 3;
  std::string_view addr;
  std::string_view laddr;
  bool have_addr = false;
  bool have_laddr = false;
  std::optional<ClientType> type;
  uint64_t id = 0;
  bool skip_me = true;
  if (old_form) {
    addr = ctx.arg(2);
    have_addr = true;
    skip_me = false;
  } else {
    for (size_t i = 2; i < ctx.argc(); i += 2) {
      std::string_view opt = ctx.arg(i);
      if (i + 1 >= ctx.argc()) {
        ctx.reply().SyntaxError();
        return;
      }
      std::string_view value = ctx.arg(i + 1);
      if (AsciiEqualsIgnoreCase(opt, "id")) {
        auto v = ParseInt64(value);
        if (!v || *v < 1) {
          ctx.reply().Error("ERR client-id should be greater than 0");
          return;
        }
        id = static_cast<uint64_t>(*v);
      } else if (AsciiEqualsIgnoreCase(opt, "type")) {
        type = ParseClientType(value);
        if (!type) {
          UnknownClientType(ctx, value);
          return;
        }
      } else if (AsciiEqualsIgnoreCase(opt, "addr")) {
        addr = value;
        have_addr = true;
      } else if (AsciiEqualsIgnoreCase(opt, "laddr")) {
        laddr = value;
        have_laddr = true;
      } else if (AsciiEqualsIgnoreCase(opt, "user")) {
        // "default" is the only user and every session is logged in as it:
        // the filter matches every session.
        if (value != "default") {
          std::string text = "ERR No such user '";
          text += value.substr(0, value.find('\0'));
          text += '\'';
          ctx.reply().Error(text);
          return;
        }
      } else if (AsciiEqualsIgnoreCase(opt, "skipme")) {
        if (AsciiEqualsIgnoreCase(value, "yes")) {
          skip_me = true;
        } else if (AsciiEqualsIgnoreCase(value, "no")) {
          skip_me = false;
        } else {
          ctx.reply().SyntaxError();
          return;
        }
      } else {
        ctx.reply().SyntaxError();
        return;
      }
    }
  }
  std::vector<Session*> victims;
  for (const auto& [sid, s] : engine.sessions()) {
    if (have_addr && s->info.peer != addr) continue;
    if (have_laddr && s->info.local != laddr) continue;
    if (type && TypeOf(*s) != *type) continue;
    if (id != 0 && s->id != id) continue;
    if (skip_me && s.get() == &ctx.session()) continue;
    if (s->close_asap) continue;  // already going
    victims.push_back(s.get());
  }
  for (Session* s : victims) Kill(ctx, s);
  if (old_form) {
    if (victims.empty()) {
      ctx.reply().Error("ERR No such client");
    } else {
      ctx.reply().Ok();
    }
  } else {
    ctx.reply().Integer(static_cast<int64_t>(victims.size()));
  }
}

// CLIENT REPLY ON|OFF|SKIP. The dispatcher picks where this command's own
// reply goes before it runs (Engine::Execute); ON must send its +OK to the
// session even when replies were off, so it points the writer back at the
// session's output. OFF and SKIP answer nothing.
void ClientReply(CommandContext& ctx) {
  Session& s = ctx.session();
  std::string_view mode = ctx.arg(2);
  if (AsciiEqualsIgnoreCase(mode, "on")) {
    s.reply_mode = ReplyMode::kOn;
    ctx.reply().set_buffer(s.output);
    ctx.reply().Ok();
  } else if (AsciiEqualsIgnoreCase(mode, "off")) {
    s.reply_mode = ReplyMode::kOff;
  } else if (AsciiEqualsIgnoreCase(mode, "skip")) {
    if (s.reply_mode != ReplyMode::kOff) s.reply_mode = ReplyMode::kSkipNext;
  } else {
    ctx.reply().SyntaxError();
  }
}

void ClientNoEvict(CommandContext& ctx) {
  std::string_view v = ctx.arg(2);
  if (AsciiEqualsIgnoreCase(v, "on")) {
    ctx.session().no_evict = true;
  } else if (AsciiEqualsIgnoreCase(v, "off")) {
    ctx.session().no_evict = false;
  } else {
    ctx.reply().SyntaxError();
    return;
  }
  ctx.reply().Ok();
}

constexpr std::string_view kClientHelp[] = {
    "GETNAME",
    "    Reply with the name of this connection, or a null when it has none.",
    "ID",
    "    Reply with the unique numeric ID of this connection.",
    "INFO",
    "    Describe this connection, in the same format as one CLIENT LIST line.",
    "KILL <ip:port>",
    "    Close the connection that comes from <ip:port>.",
    "KILL <option> <value> [<option> <value> [...]]",
    "    Close every connection that matches all of these filters:",
    "    * ADDR (<ip:port>|<unixsocket>:0)",
    "      The connection's remote address.",
    "    * LADDR (<ip:port>|<unixsocket>:0)",
    "      The local address the connection was accepted on.",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      The kind of connection.",
    "    * USER <username>",
    "      The user the connection is logged in as.",
    "    * SKIPME (YES|NO)",
    "      Whether to spare the connection sending the command (yes unless told).",
    "LIST [options ...]",
    "    Describe every connection, one line each. Options:",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Only connections of this kind.",
    "REPLY (ON|OFF|SKIP)",
    "    Send replies to this connection, stop sending them, or drop the next one.",
    "SETNAME <name>",
    "    Give this connection the name <name>.",
    "NO-EVICT (ON|OFF)",
    "    Keep client eviction away from this connection, or let it apply again.",
};

void ClientHelp(CommandContext& ctx) { ReplyHelp(ctx.reply(), "CLIENT", kClientHelp); }

constexpr HandlerBinding kHandlers[] = {
    {"client|id", ClientId},           {"client|setname", ClientSetName},
    {"client|getname", ClientGetName}, {"client|list", ClientList},
    {"client|info", ClientInfo},       {"client|kill", ClientKill},
    {"client|reply", ClientReply},     {"client|no-evict", ClientNoEvict},
    {"client|help", ClientHelp},
};

}  // namespace

std::span<const HandlerBinding> ClientHandlers() { return kHandlers; }

}  // namespace cairn
