// CrashFs: an in-memory FileSystem that knows, per file and per directory,
// what is durable, and injects storage faults.
//
// Model (after RocksDB's FaultInjectionTestFS, LazyFS and TigerBeetle's
// storage simulator):
//   - An inode holds the bytes reads see (data) and the bytes a crash is sure
//     to keep (durable). A sync completion makes durable what the file held
//     when the sync was requested; completions may arrive late, out of order,
//     failed (EIO) or never (lost at a crash).
//   - A failed file sync follows Linux: the dirty pages are marked clean and
//     their contents are lost to a crash (they read back as zeros); the next
//     sync reports success. Only the engine's refusal to trust it saves data.
//   - Names live in directories. Creates, renames and unlinks are logged per
//     directory; a directory sync makes the log up to its request durable.
//     At a crash each directory keeps its durable names plus some prefix of
//     the operations after them (a journaling filesystem keeps metadata order).
//   - At a crash the unsynced tail of each surviving file is lost, kept, torn
//     at a 512-byte sector boundary (with zeros or garbage after the tear), or
//     kept page by page in any combination (writes reaching the disk out of
//     order); an unsynced truncate may be undone.
//   - Between crashes: appends may fail with ENOSPC (having written part) or
//     be short.
// Every fault has a switch and a probability in CrashFsFaults; all randomness
// comes from the SimRandom given at construction.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/env/env.h"
#include "sim/sim_random.h"

namespace cairn::sim {

// Probabilities in permille; 0 switches a fault off.
struct CrashFsFaults {
  uint32_t enospc = 0;         // an append fails with ENOSPC after a partial write
  uint32_t short_write = 0;    // an append writes fewer bytes and says so
  uint32_t sync_eio = 0;       // a file sync fails with EIO (pages dropped)
  uint32_t sync_lost = 0;      // a sync never completes (until the crash)
  uint32_t sync_reorder = 0;   // a sync's delay is long (completes after later ones)
  uint32_t tail_lost = 0;      // at a crash an unsynced tail is dropped entirely
  uint32_t tail_torn = 0;      // ... or cut at a sector boundary
  uint32_t tail_garbage = 0;   // ... and a torn tail ends in garbage, not a clean cut
  uint32_t pages_reorder = 0;  // ... or kept page by page, out of order
  uint32_t names_undone = 0;   // an unsynced name operation is lost at a crash
  int64_t max_sync_delay_us = 2000;

  // Swarm testing: the seed picks which faults this run sees and how often.
  static CrashFsFaults Swarm(SimRandom& rng);
  static CrashFsFaults None() { return CrashFsFaults{}; }
};

// Counters of what was injected, by kind.
struct CrashFsStats {
  uint64_t enospc = 0, short_writes = 0, sync_eio = 0, syncs_lost = 0, syncs_ok = 0;
  uint64_t crashes = 0, tails_lost = 0, tails_torn = 0, tails_garbage = 0, pages_reordered = 0;
  uint64_t names_undone = 0;
};

class CrashFs final : public FileSystem {
 public:
  using SyncCallback = std::function<void(uint64_t token, const Status& status)>;

  CrashFs(SimRandom rng, CrashFsFaults faults);
  ~CrashFs() override;

  // FileSystem.
  Result<std::unique_ptr<WritableFile>> OpenAppend(const std::string& path, bool truncate) override;
  Result<std::unique_ptr<SequentialFile>> OpenRead(const std::string& path) override;
  Result<uint64_t> FileSize(const std::string& path) override;
  bool Exists(const std::string& path) override;
  Status CreateDir(const std::string& path) override;
  Result<std::vector<std::string>> ListDir(const std::string& path) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status Remove(const std::string& path) override;
  Status Truncate(const std::string& path, uint64_t size) override;
  void RequestSync(WritableFile& file, uint64_t token) override;
  void RequestDirSync(const std::string& path, uint64_t token) override;

  // Delivers every sync completion due at or before now_us (monotonic), in
  // due order; returns how many.
  size_t DeliverDue(int64_t now_us, const SyncCallback& cb);
  // Delivers everything still pending (lost syncs stay lost).
  size_t DeliverAll(const SyncCallback& cb);
  size_t pending_syncs() const;
  // Pending syncs that will never complete (sync_lost) until the next crash.
  size_t lost_syncs_pending() const;

  // Power loss: every open handle becomes dead, pending syncs are dropped
  // and the namespace and contents become what the disk kept.
  void Crash();

  CrashFsFaults& faults() { return faults_; }
  const CrashFsStats& stats() const { return stats_; }
  // Current contents (what reads see), for tests and the checker.
  std::map<std::string, std::string> Snapshot() const;
  // What a crash now is sure to keep (durable names, durable bytes).
  std::map<std::string, std::string> DurableSnapshot() const;
  // Per durable path, how many leading bytes a successful sync made durable
  // with no page a failed sync dropped before them: the offset past which a
  // loader may find damage that is not a storage bug.
  std::map<std::string, uint64_t> TrustedLengths() const;

  struct Inode;
  struct NameOp;
  struct Pending;

 private:
  friend class CrashFsFile;
  Status DoAppend(const std::shared_ptr<Inode>& inode, uint64_t epoch, std::string_view data,
                  size_t* written);
  void LogName(const std::string& dir, NameOp op);
  void Schedule(Pending p);

  SimRandom rng_;
  CrashFsFaults faults_;
  CrashFsStats stats_;
  uint64_t epoch_ = 0;  // bumped by Crash: older handles are dead
  uint64_t seq_ = 0;    // orders requests
  int64_t now_us_ = 0;  // last delivery time seen (requests are due after it)
  std::map<std::string, std::shared_ptr<Inode>> live_;     // path -> inode (what reads see)
  std::map<std::string, std::shared_ptr<Inode>> durable_;  // path -> inode (survives a crash)
  std::map<std::string, bool> dirs_;
  std::map<std::string, std::vector<NameOp>> dir_log_;  // unsynced name ops per directory
  std::vector<Pending> pending_;
};

}  // namespace cairn::sim
