#include "engine/command/context.h"

namespace cairn {

std::span<const HandlerBinding> ClientHandlers() { return {}; }

}  // namespace cairn
