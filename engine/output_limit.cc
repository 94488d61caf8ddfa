#include "engine/output_limit.h"

namespace cairn {

bool OutputLimitReached(Session& s, const Settings& settings, int64_t now_ms) {
  const OutputBufferLimit& limit = settings.client_output_buffer_limit[kObufNormal];
  auto used = static_cast<int64_t>(s.output.size());
  int64_t hard = limit.hard > 0 ? limit.hard : kBuiltinNormalHardLimit;
  if (used >= hard) return true;
  if (limit.soft <= 0 || used < limit.soft) {
    s.output_soft_since_ms = 0;
    return false;
  }
  if (s.output_soft_since_ms == 0) {
    s.output_soft_since_ms = now_ms;
    return false;
  }
  return now_ms - s.output_soft_since_ms > limit.soft_seconds * 1000;
}

}  // namespace cairn
