#include "engine/command/context.h"

namespace cairn {

std::span<const HandlerBinding> ExpireHandlers() { return {}; }

}  // namespace cairn
