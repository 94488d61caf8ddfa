// RENAME, RENAMENX, COPY and MOVE: a value changes its name or database.
//
// All four keep the key's deadline as it is (absolute), and follow Redis
// 7.0's lookups: the source is looked up for writing (COPY: for reading, so
// it counts a hit or miss), the destination for writing, so an expired
// destination is deleted (and its DEL recorded) before the command decides
// whether the destination exists. RENAME moves the value under the new name
// (a grown string is not copied) and keeps its access clock; MOVE moves the
// entry itself; COPY duplicates the value with the same encoding as a new
// object (a shared integer's copy is private, refcount 1).
//
// Records: RENAME src dst (RENAMENX too, once it succeeded), COPY src dst DB
// n [REPLACE] and MOVE key db, in the source database. A RENAME of a key onto
// itself changes nothing and records nothing.
#include <string>

#include "engine/command/key_commands.h"
#include "engine/engine.h"
#include "engine/util/planted_bugs.h"
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

void RenameGeneric(CommandContext& ctx, bool nx) {
  std::string_view src = ctx.arg(1);
  std::string_view dst = ctx.arg(2);
  if (ctx.LookupWrite(src) == nullptr) {
    ctx.reply().Error("ERR no such key");
    return;
  }
  if (src == dst) {
    if (nx) {
      ctx.reply().Integer(0);
    } else {
      ctx.reply().Ok();
    }
    return;
  }
  Database& db = ctx.db();
  if (ctx.LookupWrite(dst) != nullptr) {
    if (nx) {
      ctx.reply().Integer(0);
      return;
    }
    db.Delete(dst);
  }
  // The lookups above may have changed the table: locate the source again.
  Entry* e = db.Detach(db.Locate(src));
  const uint32_t clock = e->lru();
  bool keep_expiry = e->expire_at() > 0;
  if (Planted(ctx.engine().planted_bugs, kBugRenameDropsTtl)) keep_expiry = false;
  Entry* renamed = Entry::Rekey(e, dst, keep_expiry);
  db.Add(renamed);
  renamed->set_lru(clock);  // the same object under a new name
  ctx.Propagate({"RENAME", src, dst});
  ctx.AddDirty();
  if (nx) {
    ctx.reply().Integer(1);
  } else {
    ctx.reply().Ok();
  }
}

}  // namespace

void RenameCommand(CommandContext& ctx) { RenameGeneric(ctx, /*nx=*/false); }
void RenameNxCommand(CommandContext& ctx) { RenameGeneric(ctx, /*nx=*/true); }

void CopyCommand(CommandContext& ctx) {
  const int src_db = ctx.db_index();
  int dst_db = src_db;
  bool replace = false;
  for (size_t i = 3; i < ctx.argc(); ++i) {
    std::string_view opt = ctx.arg(i);
    if (EqualsIgnoreCase(opt, "replace")) {
      replace = true;
    } else if (EqualsIgnoreCase(opt, "db") && i + 1 < ctx.argc()) {
      if (!ParseDbIndex(ctx, ctx.arg(i + 1), &dst_db)) return;
      ++i;
    } else {
      ctx.reply().SyntaxError();
      return;
    }
  }
  std::string_view src = ctx.arg(1);
  std::string_view dst = ctx.arg(2);
  if (src_db == dst_db && src == dst) {
    ctx.reply().Error("ERR source and destination objects are the same");
    return;
  }
  Entry* e = ctx.LookupRead(src);
  if (e == nullptr) {
    ctx.reply().Integer(0);
    return;
  }
  Database& target = ctx.db(dst_db);
  if (ctx.Lookup(dst_db, dst, kLookupNone, /*write=*/true) != nullptr) {
    if (!replace) {
      ctx.reply().Integer(0);
      return;
    }
    target.Delete(dst);  // another entry than e: e stays valid
  }
  target.Add(Entry::Duplicate(e, dst, e->expire_at() > 0));
  char buf[kInt64Chars];
  std::string_view db_arg(buf, FormatInt64(dst_db, buf));
  if (replace) {
    ctx.Propagate({"COPY", src, dst, "DB", db_arg, "REPLACE"});
  } else {
    ctx.Propagate({"COPY", src, dst, "DB", db_arg});
  }
  ctx.AddDirty();
  ctx.reply().Integer(1);
}

void MoveCommand(CommandContext& ctx) {
  int dst_db = 0;
  if (!ParseDbIndex(ctx, ctx.arg(2), &dst_db)) return;
  const int src_db = ctx.db_index();
  if (dst_db == src_db) {
    ctx.reply().Error("ERR source and destination objects are the same");
    return;
  }
  std::string_view key = ctx.arg(1);
  if (ctx.LookupWrite(key) == nullptr ||
      ctx.Lookup(dst_db, key, kLookupNone, /*write=*/true) != nullptr) {
    ctx.reply().Integer(0);
    return;
  }
  Database& source = ctx.db();
  Entry* e = source.Detach(source.Locate(key));
  const uint32_t clock = e->lru();
  ctx.db(dst_db).Add(e);
  e->set_lru(clock);  // the same object in another database
  char buf[kInt64Chars];
  ctx.Propagate({"MOVE", key, std::string_view(buf, FormatInt64(dst_db, buf))});
  ctx.AddDirty();
  ctx.reply().Integer(1);
}

}  // namespace cairn
