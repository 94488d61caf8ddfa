#include "engine/command/context.h"

namespace cairn {

std::span<const HandlerBinding> ServerHandlers() { return {}; }

}  // namespace cairn
