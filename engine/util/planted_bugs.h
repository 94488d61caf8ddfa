// Planted bugs: deliberate faults the simulator's teeth tests switch on, one
// at a time, at run time, to prove a seed range catches each.
//
// Compiled in only with CAIRN_PLANTED_BUGS (the ci preset); release and
// bench builds have no switch and no branch. Off by default: Engine's
// planted_bugs field holds the bits a test sets.
#pragma once

#include <cstdint>
#include <string_view>

namespace cairn {

enum PlantedBug : uint32_t {
  kBugLostWakeup = 1u << 0,       // MarkReady sometimes forgets a session
  kBugStalledPipeline = 1u << 1,  // one request per read; the rest waits for more input
  kBugRenameDropsTtl = 1u << 2,   // RENAME loses the source's expiry
};

inline uint32_t PlantedBugByName(std::string_view name) {
  if (name == "lost-wakeup") return kBugLostWakeup;
  if (name == "stalled-pipeline") return kBugStalledPipeline;
  if (name == "rename-drops-ttl") return kBugRenameDropsTtl;
  return 0;
}

}  // namespace cairn
