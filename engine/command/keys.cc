// Key commands: DEL, UNLINK, EXISTS, TOUCH, TYPE, KEYS, RANDOMKEY, and the
// binding of the whole key family (see key_commands.h).
//
// Lookups follow Redis's flags: EXISTS and TYPE count hits and misses but do
// not touch the access clock, TOUCH does both, DEL and UNLINK only expire a
// due key first (so an expired key is not counted as deleted). KEYS skips
// expired keys without deleting them; RANDOMKEY deletes the expired keys it
// draws and draws again.
#include <array>
#include <span>
#include <vector>

#include "engine/command/key_commands.h"
#include "engine/util/glob.h"
#include "engine/util/strconv.h"

namespace cairn {

std::string_view TypeName(const Entry* e) {
  if (e == nullptr) return "none";
  switch (e->type()) {
    case ObjType::kString:
      return "string";
  }
  return "none";
}

bool ParseIntArg(CommandContext& ctx, std::string_view arg, int* out, std::string_view error) {
  std::optional<int64_t> v = ParseInt64(arg);
  if (!v) {
    ctx.reply().Error(error.empty() ? "ERR value is not an integer or out of range"
                                    : std::string("ERR ").append(error));
    return false;
  }
  if (*v < INT32_MIN || *v > INT32_MAX) {
    ctx.reply().Error(error.empty()
                          ? "ERR value is out of range, value must between -2147483648 and "
                            "2147483647"
                          : std::string("ERR ").append(error));
    return false;
  }
  *out = static_cast<int>(*v);
  return true;
}

bool ParseDbIndex(CommandContext& ctx, std::string_view arg, int* out) {
  if (!ParseIntArg(ctx, arg, out)) return false;
  if (*out < 0 || *out >= ctx.engine().keyspace().count()) {
    ctx.reply().Error("ERR DB index is out of range");
    return false;
  }
  return true;
}

namespace {

// The arguments of one effect record naming a variable number of keys,
// without allocating for the common short case.
class EffectArgs {
 public:
  explicit EffectArgs(std::string_view verb) { Add(verb); }
  void Add(std::string_view a) {
    if (n_ < inline_.size()) {
      inline_[n_] = a;
    } else {
      if (spill_.empty()) spill_.assign(inline_.begin(), inline_.end());
      spill_.push_back(a);
    }
    ++n_;
  }
  size_t size() const { return n_; }
  std::span<const std::string_view> args() const {
    if (n_ <= inline_.size()) return {inline_.data(), n_};
    return spill_;
  }

 private:
  std::array<std::string_view, 8> inline_;
  std::vector<std::string_view> spill_;
  size_t n_ = 0;
};

// DEL and UNLINK: both free the values at once here; the record names the
// keys that were removed, under the command's own name.
void DeleteKeys(CommandContext& ctx, std::string_view verb) {
  EffectArgs effect(verb);
  for (size_t i = 1; i < ctx.argc(); ++i) {
    Database::Slot slot = ctx.db().Locate(ctx.arg(i));
    if (!slot || ctx.ExpireIfNeeded(ctx.db_index(), slot)) continue;
    ctx.db().Delete(slot);
    ctx.AddDirty();
    effect.Add(ctx.arg(i));
  }
  if (effect.size() > 1) ctx.Propagate(effect.args());
  ctx.reply().Integer(static_cast<int64_t>(effect.size() - 1));
}

void Del(CommandContext& ctx) { DeleteKeys(ctx, "DEL"); }
void Unlink(CommandContext& ctx) { DeleteKeys(ctx, "UNLINK"); }

// EXISTS and TOUCH count the arguments naming live keys, repeats included.
void CountLiveKeys(CommandContext& ctx, uint32_t flags) {
  int64_t n = 0;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    if (ctx.LookupRead(ctx.arg(i), flags) != nullptr) ++n;
  }
  ctx.reply().Integer(n);
}

void Exists(CommandContext& ctx) { CountLiveKeys(ctx, kLookupNoTouch); }
void Touch(CommandContext& ctx) { CountLiveKeys(ctx, kLookupNone); }

void Type(CommandContext& ctx) {
  ctx.reply().Simple(TypeName(ctx.LookupRead(ctx.arg(1), kLookupNoTouch)));
}

void Keys(CommandContext& ctx) {
  std::string_view pattern = ctx.arg(1);
  const bool all = pattern == "*";
  ReplyWriter& reply = ctx.reply();
  size_t mark = reply.BeginDeferred();
  size_t n = 0;
  ctx.db().main().ForEach([&](Entry* e) {
    if (!all && !GlobMatch(pattern, e->key())) return;
    if (ctx.IsExpired(e)) return;  // skipped, not deleted: KEYS only reads
    reply.Bulk(e->key());
    ++n;
  });
  reply.EndDeferredArray(mark, n);
}

void RandomKey(CommandContext& ctx) {
  Database& db = ctx.db();
  RandomSource& random = ctx.engine().env().random();
  auto draw = [&random] { return random.Next64(); };
  while (true) {
    Entry* e = db.main().RandomEntry(draw);
    if (e == nullptr) {
      ctx.reply().NullBulk();
      return;
    }
    if (!ctx.IsExpired(e)) {
      ctx.reply().Bulk(e->key());
      return;
    }
    Database::Slot slot = db.Locate(e->key());
    ctx.ExpireIfNeeded(ctx.db_index(), slot);
  }
}

constexpr HandlerBinding kHandlers[] = {
    {"del", Del},
    {"unlink", Unlink},
    {"exists", Exists},
    {"touch", Touch},
    {"type", Type},
    {"keys", Keys},
    {"randomkey", RandomKey},
    {"dbsize", DbSizeCommand},
    {"scan", ScanCommand},
    {"rename", RenameCommand},
    {"renamenx", RenameNxCommand},
    {"copy", CopyCommand},
    {"move", MoveCommand},
    {"object|encoding", ObjectEncodingCommand},
    {"object|refcount", ObjectRefcountCommand},
    {"object|idletime", ObjectIdletimeCommand},
    {"object|freq", ObjectFreqCommand},
    {"object|help", ObjectHelpCommand},
    {"select", SelectCommand},
    {"swapdb", SwapDbCommand},
    {"flushdb", FlushDbCommand},
    {"flushall", FlushAllCommand},
};

}  // namespace

std::span<const HandlerBinding> KeyHandlers() { return kHandlers; }

}  // namespace cairn
