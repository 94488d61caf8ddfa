// Planted bugs: deliberate faults the simulator's teeth tests switch on, one
// at a time, at run time, to prove a seed range catches each -- the engine's
// batch logic and the durability rules alike (ARCHITECTURE.md: "the
// simulator must prove it has teeth").
//
// Compiled in only with CAIRN_PLANTED_BUGS (the ci preset): elsewhere
// Planted() is a constant false the compiler drops. Off by default:
// Engine::planted_bugs holds the bits a test sets.
#pragma once

#include <cstdint>
#include <string_view>

namespace cairn {

#ifdef CAIRN_PLANTED_BUGS
inline constexpr bool kPlantedBugsCompiled = true;
#else
inline constexpr bool kPlantedBugsCompiled = false;
#endif

enum PlantedBug : uint32_t {
  kBugLostWakeup = 1u << 0,          // MarkReady sometimes forgets a session
  kBugStalledPipeline = 1u << 1,     // one request per read; the rest waits for more input
  kBugRenameDropsTtl = 1u << 2,      // RENAME loses the source's expiry
  kBugAckBeforeFsync = 1u << 3,      // under always, replies leave before their batch is synced
  kBugNoDirFsync = 1u << 4,          // directory fsyncs are skipped (reported done at once)
  kBugReplayLogs = 1u << 5,          // loading writes every replayed record into the log again
  kBugRewriteWithoutCut = 1u << 6,   // the walk writes keys as it finds them, not at the cut
  kBugIgnoreFailedFsync = 1u << 7,   // a failed fsync of the AOF counts as done
  kBugNoOldIncrSync = 1u << 8,       // a rewrite does not sync the old incr file first
  kBugRelativeTtl = 1u << 9,         // EXPIRE is logged as a relative PEXPIRE
  kBugReadBeforeDurable = 1u << 10,  // under always, sessions that wrote nothing are not held
  kBugLoaderSkipsDamage = 1u << 11,  // the loader skips damage in the middle and loads on
  kBugZerosEndRecords = 1u << 12,    // the first zero byte starts reserved space, not the last run
};

struct PlantedBugName {
  const char* name;
  PlantedBug bit;
};
inline constexpr PlantedBugName kPlantedBugNames[] = {
    {"lost-wakeup", kBugLostWakeup},
    {"stalled-pipeline", kBugStalledPipeline},
    {"rename-drops-ttl", kBugRenameDropsTtl},
    {"ack-before-fsync", kBugAckBeforeFsync},
    {"no-dir-fsync", kBugNoDirFsync},
    {"replay-logs", kBugReplayLogs},
    {"rewrite-without-cut", kBugRewriteWithoutCut},
    {"ignore-failed-fsync", kBugIgnoreFailedFsync},
    {"no-old-incr-sync", kBugNoOldIncrSync},
    {"relative-ttl", kBugRelativeTtl},
    {"read-before-durable", kBugReadBeforeDurable},
    {"loader-skips-damage", kBugLoaderSkipsDamage},
    {"zeros-end-records", kBugZerosEndRecords},
};

inline uint32_t PlantedBugByName(std::string_view name) {
  for (const PlantedBugName& b : kPlantedBugNames) {
    if (name == b.name) return b.bit;
  }
  return 0;
}

// Whether bug is switched on in bits (always false when not compiled in).
inline bool Planted(uint32_t bits, PlantedBug bug) {
  if constexpr (kPlantedBugsCompiled) return (bits & bug) != 0;
  return false;
}
// The same through a pointer that may be null (units handed the engine's bits).
inline bool Planted(const uint32_t* bits, PlantedBug bug) {
  return bits != nullptr && Planted(*bits, bug);
}

}  // namespace cairn
