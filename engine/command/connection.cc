// Connection commands: PING, ECHO, QUIT, HELLO, AUTH, RESET.
//
// Authentication follows Redis 7.0 with one user, "default", whose password
// is requirepass; with no requirepass the user takes any password (Redis's
// "nopass"). SELECT and SWAPDB live with the key commands.
#include <string_view>

#include "engine/command/client_name.h"
#include "engine/command/context.h"
#include "engine/util/ascii.h"
#include "engine/util/strconv.h"
#include "engine/version.h"

namespace cairn {
namespace {

constexpr std::string_view kWrongPass =
    "WRONGPASS invalid username-password pair or user is disabled.";

// Compares without an early exit, so the time taken does not tell how much of
// a guessed password was right.
bool SecretEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

bool CredentialsValid(const Settings& settings, std::string_view user, std::string_view pass) {
  if (user != "default") return false;
  return settings.requirepass.empty() || SecretEquals(pass, settings.requirepass);
}

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

void Auth(CommandContext& ctx) {
  if (ctx.argc() > 3) {
    ctx.reply().SyntaxError();
    return;
  }
  // Redis hides the arguments of a well-formed AUTH from MONITOR and the slow
  // log, whether or not they turn out to be right.
  ctx.Redact(1);
  if (ctx.argc() == 3) ctx.Redact(2);
  std::string_view user = "default";
  std::string_view pass = ctx.arg(1);
  if (ctx.argc() == 3) {
    user = ctx.arg(1);
    pass = ctx.arg(2);
  } else if (ctx.settings().requirepass.empty()) {
    ctx.reply().Error(
        "ERR AUTH <password> called without any password configured for the default user. Are "
        "you sure your configuration is correct?");
    return;
  }
  if (!CredentialsValid(ctx.settings(), user, pass)) {
    // A failed attempt leaves an earlier authentication in place.
    ctx.reply().Error(kWrongPass);
    return;
  }
  ctx.session().authenticated = true;
  ctx.reply().Ok();
}

void Hello(CommandContext& ctx) {
  Session& s = ctx.session();
  int64_t version = 0;
  size_t next = 1;
  if (ctx.argc() >= 2) {
    auto v = ParseInt64(ctx.arg(1));
    if (!v) {
      ctx.reply().Error("ERR Protocol version is not an integer or out of range");
      return;
    }
    if (*v < 2 || *v > 3) {
      ctx.reply().Error("NOPROTO unsupported protocol version");
      return;
    }
    version = *v;
    next = 2;
  }
  bool have_auth = false;
  std::string_view user;
  std::string_view pass;
  for (size_t j = next; j < ctx.argc(); ++j) {
    size_t more = ctx.argc() - 1 - j;
    std::string_view opt = ctx.arg(j);
    if (AsciiEqualsIgnoreCase(opt, "auth") && more >= 2) {
      ctx.Redact(j + 1);
      ctx.Redact(j + 2);
      have_auth = true;
      user = ctx.arg(j + 1);
      pass = ctx.arg(j + 2);
      j += 2;
    } else if (AsciiEqualsIgnoreCase(opt, "setname") && more >= 1) {
      // Redis 7.0 names the connection as soon as it reads the option, even
      // when a later option or the authentication fails.
      if (!ValidClientName(ctx.arg(j + 1))) {
        ctx.reply().Error(kInvalidClientNameError);
        return;
      }
      s.name = std::string(ctx.arg(j + 1));
      ++j;
    } else {
      std::string text = "ERR Syntax error in HELLO option '";
      text += opt.substr(0, opt.find('\0'));
      text += '\'';
      ctx.reply().Error(text);
      return;
    }
  }
  if (have_auth) {
    if (!CredentialsValid(ctx.settings(), user, pass)) {
      ctx.reply().Error(kWrongPass);
      return;
    }
    s.authenticated = true;
  }
  if (ctx.engine().AuthRequired(&s)) {
    ctx.reply().Error(
        "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO "
        "AUTH <user> <pass> option can be used to authenticate the client and select the RESP "
        "protocol version at the same time");
    return;
  }
  if (version != 0) {
    s.resp = static_cast<int>(version);
    ctx.reply().set_resp(s.resp);
  }
  ReplyWriter& w = ctx.reply();
  w.Map(7);
  w.Bulk("server");
  w.Bulk("redis");
  w.Bulk("version");
  w.Bulk(kRedisCompatVersion);
  w.Bulk("proto");
  w.Integer(s.resp);
  w.Bulk("id");
  w.Integer(static_cast<int64_t>(s.id));
  w.Bulk("mode");
  w.Bulk("standalone");
  w.Bulk("role");
  w.Bulk("master");
  w.Bulk("modules");
  w.Array(0);
}

// RESET: the connection as it was when it opened -- database 0, RESP2, no
// name, replies on, not monitoring, evictable, and authenticated only if no
// password is required.
void Reset(CommandContext& ctx) {
  Session& s = ctx.session();
  ctx.engine().RemoveMonitor(&s);
  s.db = 0;
  s.resp = 2;
  s.name.clear();
  s.no_evict = false;
  s.authenticated = ctx.settings().requirepass.empty();
  // Replies come back on, and RESET's own reply is sent even under CLIENT
  // REPLY OFF -- unless RESET is the one command CLIENT REPLY SKIP drops
  // (Engine::Execute turns replies back on after it).
  if (s.reply_mode != ReplyMode::kSkipThis) {
    s.reply_mode = ReplyMode::kOn;
    ctx.reply().set_buffer(s.output);
  }
  ctx.reply().set_resp(2);
  ctx.reply().Simple("RESET");
}

constexpr HandlerBinding kHandlers[] = {
    {"ping", Ping}, {"echo", Echo},   {"quit", Quit},
    {"auth", Auth}, {"hello", Hello}, {"reset", Reset},
};

}  // namespace

std::span<const HandlerBinding> ConnectionHandlers() { return kHandlers; }

}  // namespace cairn
