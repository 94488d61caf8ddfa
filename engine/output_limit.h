// Output buffer limits (client-output-buffer-limit): when a client's unsent
// replies have grown too large, the engine closes it instead of holding them.
//
// A normal client is judged by its pending output bytes against the
// "normal" class: at or over the hard limit it goes at once; over the soft
// limit for longer than its seconds it goes too (the clock starts when it
// first goes over and resets once it falls back under). Redis has no limit
// for normal clients by default; Cairn keeps a built-in hard cap for them
// even then, so one client that never reads cannot take the machine's
// memory. Monitors count as normal clients, as in Redis. Cairn has no
// replicas or Pub/Sub clients, so the other classes are stored, not used.
#pragma once

#include <cstdint>

#include "engine/config/config.h"
#include "engine/session.h"

namespace cairn {

// The hard cap of a normal client when the configured hard limit is 0.
inline constexpr int64_t kBuiltinNormalHardLimit = 1024LL * 1024 * 1024;

// Tracks s's soft-limit clock and says whether s is over its limit now.
bool OutputLimitReached(Session& s, const Settings& settings, int64_t now_ms);

}  // namespace cairn
