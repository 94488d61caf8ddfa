// Workload: random requests over the engine's string and key commands --
// SET with its options, the INCR family, APPEND, SETRANGE/GETRANGE, bit
// operations, DEL/UNLINK, the EXPIRE family with past and future times,
// RENAME, COPY, MOVE, SWAPDB, SELECT, FLUSHDB/FLUSHALL, MSET/MSETNX/MGET.
// Keys come from a small set so commands collide; values mix integers and
// words so the INCR family meets both. Databases 0-2 only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/sim_random.h"

namespace cairn::sim {

class Workload {
 public:
  explicit Workload(SimRandom rng) : rng_(rng) {}
  // One request; now_ms is the wall clock (for EXPIREAT/PXAT around it).
  std::vector<std::string> Next(int64_t now_ms);

 private:
  std::string Key();
  std::string Value();
  SimRandom rng_;
};

}  // namespace cairn::sim
