// PlantedBugs: deliberate durability mistakes the simulator switches on to
// prove it catches them (ARCHITECTURE.md: "the simulator must prove it has
// teeth"). Compiled in only with -DCAIRN_PLANTED_BUGS=ON (the ci preset);
// otherwise every switch is a constant false and costs nothing.
//
//   ack_before_fsync     under always, replies leave before their batch is synced
//   no_dir_fsync         directory fsyncs are skipped (reported done at once)
//   replay_logs          loading writes every replayed record into the log again
//   rewrite_without_cut  a rewrite's walk writes keys as they are when it reaches
//                        them, not as they were at the cut
#pragma once

namespace cairn::aof {

#ifdef CAIRN_PLANTED_BUGS
inline constexpr bool kPlantedBugsCompiled = true;
#else
inline constexpr bool kPlantedBugsCompiled = false;
#endif

struct PlantedBugs {
  bool ack_before_fsync = false;
  bool no_dir_fsync = false;
  bool replay_logs = false;
  bool rewrite_without_cut = false;
};

// Whether a switch is on (always false when the switches are not compiled in).
inline bool Planted(const PlantedBugs* bugs, bool PlantedBugs::*which) {
  if constexpr (kPlantedBugsCompiled) return bugs != nullptr && bugs->*which;
  return false;
}

}  // namespace cairn::aof
