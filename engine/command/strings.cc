// String commands: GET, SET and its variants, GETSET, GETDEL, GETEX, MGET,
// MSET, MSETNX -- and the string family's handler list.
//
// Effects are recorded in the form that replays to the same state whatever
// the options were: SET key value [PXAT absolute-ms] for every SET-like
// write, PEXPIREAT/PERSIST for GETEX, DEL (UNLINK under lazyfree) for
// deletions, one MSET for MSET and MSETNX.
#include <string>

#include "engine/command/string_commands.h"
#include "engine/command/string_options.h"
#include "engine/util/strconv.h"

namespace cairn {
namespace string_commands {
namespace {

// SET's effective options once parsed and resolved.
struct SetRequest {
  std::string_view key;
  std::string_view value;
  bool nx = false;
  bool xx = false;
  bool get = false;
  bool keepttl = false;
  int64_t deadline = 0;  // absolute ms, 0 for none
};

// Which replies the command gives when it stores / does not store.
enum class SetReplies : uint8_t {
  kOkOrNull,  // SET, SETEX, PSETEX: +OK or a null
  kOneOrZero  // SETNX: :1 or :0
};

// SET with resolved options. With GET the reply is the old value (read with
// a read lookup first, so it counts a hit or miss and refuses other types).
void SetGeneric(CommandContext& ctx, const SetRequest& r, SetReplies replies) {
  if (r.get) {
    Entry* old = ctx.LookupRead(r.key);
    if (old == nullptr) {
      ctx.reply().NullBulk();
    } else if (old->type() != ObjType::kString) {
      ctx.reply().WrongType();
      return;
    } else {
      ReplyStringValue(ctx, old);
    }
  }
  Database::Slot slot = ctx.LocateWrite(r.key);
  bool found = slot.entry() != nullptr;
  if ((r.nx && found) || (r.xx && !found)) {
    if (!r.get) {
      if (replies == SetReplies::kOneOrZero) {
        ctx.reply().Integer(0);
      } else {
        ctx.reply().NullBulk();
      }
    }
    return;
  }
  int64_t deadline = r.deadline;
  if (deadline == 0 && r.keepttl && found) deadline = slot.entry()->expire_at();
  // The entry keeps its access clock either way (LruForStore).
  if (!found || deadline != 0 || !OverwriteSameShape(slot.entry(), r.value)) {
    Entry* e =
        NewEncodedString(r.key, r.value, ShareIntegers(ctx), deadline, LruForStore(ctx, slot));
    PutEntry(ctx.db(), slot, e);
  }
  ctx.AddDirty();
  PropagateSet(ctx, r.key, r.value, deadline);
  if (!r.get) {
    if (replies == SetReplies::kOneOrZero) {
      ctx.reply().Integer(1);
    } else {
      ctx.reply().Ok();
    }
  }
}

// SETEX and PSETEX.
void SetWithTtl(CommandContext& ctx, bool seconds) {
  std::optional<int64_t> deadline =
      ExpireArgToDeadline(ctx, ctx.arg(2), seconds, /*relative=*/true);
  if (!deadline) return;
  SetGeneric(ctx, {.key = ctx.arg(1), .value = ctx.arg(3), .deadline = *deadline},
             SetReplies::kOkOrNull);
}

// MSET and MSETNX (nx): all pairs are stored, or none (MSETNX when a key
// exists). One MSET record keeps the command atomic on replay.
void MSetGeneric(CommandContext& ctx, bool nx) {
  if (ctx.argc() % 2 == 0) {
    ctx.reply().Error("ERR wrong number of arguments for '" + ctx.command().fullname + "' command");
    return;
  }
  if (nx) {
    for (size_t i = 1; i < ctx.argc(); i += 2) {
      if (ctx.LookupWrite(ctx.arg(i)) != nullptr) {
        ctx.reply().Integer(0);
        return;
      }
    }
  }
  bool share = ShareIntegers(ctx);
  for (size_t i = 1; i < ctx.argc(); i += 2) {
    std::string_view key = ctx.arg(i);
    Database::Slot slot = ctx.LocateWrite(key);
    Entry* e = NewEncodedString(key, ctx.arg(i + 1), share, 0, LruForStore(ctx, slot));
    PutEntry(ctx.db(), slot, e);
  }
  ctx.AddDirty((ctx.argc() - 1) / 2);
  // The request's own argument vector, with the command name made "MSET".
  auto& argv = ctx.session().argv;
  std::string_view name = argv[0];
  argv[0] = "MSET";
  ctx.Propagate(std::span<const std::string_view>(argv));
  argv[0] = name;
  if (nx) {
    ctx.reply().Integer(1);
  } else {
    ctx.reply().Ok();
  }
}

// The verb that records a deletion (Redis writes UNLINK when the matching
// lazyfree option is on).
std::string_view DeleteVerb(bool lazy) { return lazy ? "UNLINK" : "DEL"; }

}  // namespace

void PropagateSet(CommandContext& ctx, std::string_view key, std::string_view value,
                  int64_t deadline) {
  if (deadline > 0) {
    char buf[kInt64Chars];
    std::string_view when(buf, FormatInt64(deadline, buf));
    ctx.Propagate({"SET", key, value, "PXAT", when});
  } else {
    ctx.Propagate({"SET", key, value});
  }
}

bool CheckStringLength(CommandContext& ctx, uint64_t size, uint64_t extra) {
  uint64_t total = size + extra;
  uint64_t limit = static_cast<uint64_t>(ctx.settings().proto_max_bulk_len);
  if (total > limit || total < size) {
    ctx.reply().Error("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    return false;
  }
  return true;
}

void Get(CommandContext& ctx) {
  Entry* e = ctx.LookupRead(ctx.arg(1));
  if (e == nullptr) {
    ctx.reply().NullBulk();
  } else if (e->type() != ObjType::kString) {
    ctx.reply().WrongType();
  } else {
    ReplyStringValue(ctx, e);
  }
}

void Set(CommandContext& ctx) {
  SetOptions o;
  if (!ParseSetOptions(ctx, 3, OptionGrammar::kSet, &o)) return;
  std::optional<int64_t> deadline = ResolveExpire(ctx, o);
  if (!deadline) return;
  SetGeneric(ctx,
             {.key = ctx.arg(1),
              .value = ctx.arg(2),
              .nx = o.nx,
              .xx = o.xx,
              .get = o.get,
              .keepttl = o.keepttl,
              .deadline = *deadline},
             SetReplies::kOkOrNull);
}

void SetNx(CommandContext& ctx) {
  SetGeneric(ctx, {.key = ctx.arg(1), .value = ctx.arg(2), .nx = true}, SetReplies::kOneOrZero);
}

void SetEx(CommandContext& ctx) { SetWithTtl(ctx, /*seconds=*/true); }

void PSetEx(CommandContext& ctx) { SetWithTtl(ctx, /*seconds=*/false); }

void GetSet(CommandContext& ctx) {
  SetGeneric(ctx, {.key = ctx.arg(1), .value = ctx.arg(2), .get = true}, SetReplies::kOkOrNull);
}

void GetDel(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  Entry* e = ctx.LookupRead(key);
  if (e == nullptr) {
    ctx.reply().NullBulk();
    return;
  }
  if (e->type() != ObjType::kString) {
    ctx.reply().WrongType();
    return;
  }
  ReplyStringValue(ctx, e);
  Database::Slot slot = ctx.db().Locate(key);
  ctx.db().Delete(slot);
  ctx.Propagate({DeleteVerb(ctx.settings().lazyfree_lazy_user_del), key});
  ctx.AddDirty();
}

void GetEx(CommandContext& ctx) {
  SetOptions o;
  if (!ParseSetOptions(ctx, 2, OptionGrammar::kGetex, &o)) return;
  std::string_view key = ctx.arg(1);
  Entry* e = ctx.LookupRead(key);
  if (e == nullptr) {
    ctx.reply().NullBulk();
    return;
  }
  if (e->type() != ObjType::kString) {
    ctx.reply().WrongType();
    return;
  }
  // The time value is checked only once the key is known to exist.
  std::optional<int64_t> deadline = ResolveExpire(ctx, o);
  if (!deadline) return;
  ReplyStringValue(ctx, e);
  bool absolute = o.time == TimeOption::kExat || o.time == TimeOption::kPxat;
  if (absolute && *deadline <= ctx.now_ms() && !ctx.engine().loading()) {
    // A deadline already passed deletes the key now (not counted as expiry).
    Database::Slot slot = ctx.db().Locate(key);
    ctx.db().Delete(slot);
    ctx.Propagate({DeleteVerb(ctx.settings().lazyfree_lazy_expire), key});
    ctx.AddDirty();
  } else if (o.time != TimeOption::kNone) {
    Database::Slot slot = ctx.db().Locate(key);
    ctx.db().SetExpire(slot, *deadline);
    char buf[kInt64Chars];
    ctx.Propagate({"PEXPIREAT", key, std::string_view(buf, FormatInt64(*deadline, buf))});
    ctx.AddDirty();
  } else if (o.persist) {
    Database::Slot slot = ctx.db().Locate(key);
    if (ctx.db().Persist(slot)) {
      ctx.Propagate({"PERSIST", key});
      ctx.AddDirty();
    }
  }
}

void MGet(CommandContext& ctx) {
  ctx.reply().Array(ctx.argc() - 1);
  for (size_t i = 1; i < ctx.argc(); ++i) {
    Entry* e = ctx.LookupRead(ctx.arg(i));
    if (e == nullptr || e->type() != ObjType::kString) {
      ctx.reply().NullBulk();
    } else {
      ReplyStringValue(ctx, e);
    }
  }
}

void MSet(CommandContext& ctx) { MSetGeneric(ctx, /*nx=*/false); }

void MSetNx(CommandContext& ctx) { MSetGeneric(ctx, /*nx=*/true); }

}  // namespace string_commands

namespace {

namespace sc = string_commands;

constexpr HandlerBinding kHandlers[] = {
    {"get", sc::Get},           {"set", sc::Set},
    {"setnx", sc::SetNx},       {"setex", sc::SetEx},
    {"psetex", sc::PSetEx},     {"getset", sc::GetSet},
    {"getdel", sc::GetDel},     {"getex", sc::GetEx},
    {"mget", sc::MGet},         {"mset", sc::MSet},
    {"msetnx", sc::MSetNx},     {"incr", sc::Incr},
    {"decr", sc::Decr},         {"incrby", sc::IncrBy},
    {"decrby", sc::DecrBy},     {"incrbyfloat", sc::IncrByFloat},
    {"append", sc::Append},     {"strlen", sc::StrLen},
    {"getrange", sc::GetRange}, {"substr", sc::GetRange},
    {"setrange", sc::SetRange}, {"lcs", sc::Lcs},
};

}  // namespace

std::span<const HandlerBinding> StringHandlers() { return kHandlers; }

}  // namespace cairn
