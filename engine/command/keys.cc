// Key commands: DEL, UNLINK, EXISTS, TYPE, KEYS, SCAN, RENAME, ...
#include "engine/command/context.h"

namespace cairn {
namespace {

void Del(CommandContext& ctx) {
  int64_t deleted = 0;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    Database::Slot slot = ctx.LocateWrite(ctx.arg(i));
    if (!slot) continue;
    ctx.db().Delete(slot);
    ctx.Propagate({"DEL", ctx.arg(i)});
    ctx.AddDirty();
    ++deleted;
  }
  ctx.reply().Integer(deleted);
}

constexpr HandlerBinding kHandlers[] = {
    {"del", Del},
};

}  // namespace

std::span<const HandlerBinding> KeyHandlers() { return kHandlers; }

}  // namespace cairn
