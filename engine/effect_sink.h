// EffectSink: receives the effect of every write, in execution order.
//
// Commands record what they changed in deterministic form (absolute expiry
// times, SET ... KEEPTTL for counters, DEL for expired keys) through
// CommandContext::Propagate. The append-only file consumes these effects;
// tests install a recording sink to check them.
#pragma once

#include <span>
#include <string_view>

namespace cairn {

class EffectSink {
 public:
  virtual ~EffectSink() = default;
  // args[0] is the command name; the views are valid only during the call.
  virtual void OnEffect(int db, std::span<const std::string_view> args) = 0;
};

}  // namespace cairn
