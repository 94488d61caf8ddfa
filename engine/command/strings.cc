// String commands: GET, SET and the rest of the string family.
#include "engine/command/context.h"
#include "engine/command/string_value.h"

namespace cairn {
namespace {

void Get(CommandContext& ctx) {
  Entry* e = ctx.LookupRead(ctx.arg(1));
  if (e == nullptr) {
    ctx.reply().NullBulk();
    return;
  }
  if (e->type() != ObjType::kString) {
    ctx.reply().WrongType();
    return;
  }
  if (e->is_int()) {
    ctx.reply().BulkInt(e->int_value());
  } else {
    ctx.reply().Bulk(e->bytes());
  }
}

void Set(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  std::string_view value = ctx.arg(2);
  Database::Slot slot = ctx.LocateWrite(key);
  StoreString(ctx.db(), slot, key, value, /*keep_ttl=*/false);
  ctx.Propagate({"SET", key, value});
  ctx.AddDirty();
  ctx.reply().Ok();
}

constexpr HandlerBinding kHandlers[] = {
    {"get", Get},
    {"set", Set},
};

}  // namespace

std::span<const HandlerBinding> StringHandlers() { return kHandlers; }

}  // namespace cairn
