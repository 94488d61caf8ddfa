#include "engine/command/context.h"

namespace cairn {

std::span<const HandlerBinding> BitHandlers() { return {}; }

}  // namespace cairn
