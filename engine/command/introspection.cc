#include "engine/command/context.h"

namespace cairn {

std::span<const HandlerBinding> IntrospectionHandlers() { return {}; }

}  // namespace cairn
