// Commands over whole databases: SELECT, SWAPDB, DBSIZE, FLUSHDB, FLUSHALL.
//
// SELECT changes only the session (the log writes its own SELECT records).
// SWAPDB exchanges two databases' contents; sessions keep their numbers, so
// a session in database 0 sees the other contents at once. FLUSHDB and
// FLUSHALL free everything synchronously whatever the mode (ASYNC, SYNC or
// lazyfree-lazy-user-flush): the engine has no background thread, and the
// reply is the same. They are recorded even when there was nothing to
// remove, as Redis forces them into its log; SWAPDB is recorded unless both
// numbers are the same.
#include "engine/command/key_commands.h"
#include "engine/util/strconv.h"

namespace cairn {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
    if (c != lower[i]) return false;
  }
  return true;
}

// FLUSHDB / FLUSHALL take nothing, SYNC or ASYNC.
bool ValidFlushArgs(CommandContext& ctx) {
  if (ctx.argc() == 1 || (ctx.argc() == 2 && (EqualsIgnoreCase(ctx.arg(1), "sync") ||
                                              EqualsIgnoreCase(ctx.arg(1), "async")))) {
    return true;
  }
  ctx.reply().SyntaxError();
  return false;
}

}  // namespace

void SelectCommand(CommandContext& ctx) {
  int index = 0;
  if (!ParseDbIndex(ctx, ctx.arg(1), &index)) return;
  ctx.session().db = index;
  ctx.reply().Ok();
}

void SwapDbCommand(CommandContext& ctx) {
  int a = 0;
  int b = 0;
  if (!ParseIntArg(ctx, ctx.arg(1), &a, "invalid first DB index")) return;
  if (!ParseIntArg(ctx, ctx.arg(2), &b, "invalid second DB index")) return;
  Keyspace& keyspace = ctx.engine().keyspace();
  if (a < 0 || a >= keyspace.count() || b < 0 || b >= keyspace.count()) {
    ctx.reply().Error("ERR DB index is out of range");
    return;
  }
  if (a != b) {
    keyspace.SwapDatabases(a, b);
    char buf_a[kInt64Chars];
    char buf_b[kInt64Chars];
    ctx.Propagate({"SWAPDB", std::string_view(buf_a, FormatInt64(a, buf_a)),
                   std::string_view(buf_b, FormatInt64(b, buf_b))});
  }
  ctx.AddDirty();  // Redis counts a change even for SWAPDB n n
  ctx.reply().Ok();
}

void DbSizeCommand(CommandContext& ctx) {
  // Keys past their deadline but not yet reclaimed count too, as in Redis.
  ctx.reply().Integer(static_cast<int64_t>(ctx.db().size()));
}

void FlushDbCommand(CommandContext& ctx) {
  if (!ValidFlushArgs(ctx)) return;
  Database& db = ctx.db();
  ctx.AddDirty(db.size());
  db.Clear();
  ctx.Propagate({"FLUSHDB"});
  ctx.reply().Ok();
}

void FlushAllCommand(CommandContext& ctx) {
  if (!ValidFlushArgs(ctx)) return;
  Keyspace& keyspace = ctx.engine().keyspace();
  ctx.AddDirty(keyspace.TotalKeys());
  keyspace.FlushAll();
  ctx.Propagate({"FLUSHALL"});
  ctx.reply().Ok();
}

}  // namespace cairn
