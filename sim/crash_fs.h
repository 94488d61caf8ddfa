// CrashFs: an in-memory FileSystem that knows, per file and per directory,
// what is durable, and injects storage faults.
//
// Model (after RocksDB's FaultInjectionTestFS, LazyFS and TigerBeetle's
// storage simulator):
//   - An inode holds the bytes reads see (data) and the bytes a crash is sure
//     to keep (durable). A file asked to keep zeros written ahead
//     (WritableFile::SetPreallocation) may come back from a crash with zeros
//     after whatever its tail kept: the space a real file system allocated. A sync completion makes
//     durable what the file held when the sync was requested; completions may arrive late, out of
//     order, failed (EIO) or never (lost at a crash).
//   - A failed file sync follows Linux: the dirty pages are marked clean and
//     their contents are lost to a crash (they read back as zeros); the next
//     sync reports success. Only the engine's refusal to trust it saves data.
//   - Names live in directories. Creates, renames and unlinks are logged per
//     directory; a directory sync makes the log up to its request durable.
//     At a crash each directory keeps its durable names plus some prefix of
//     the operations after them (a journaling filesystem keeps metadata order).
//   - At a crash the unsynced tail of each surviving file is lost, kept, torn
//     at a 512-byte sector boundary (with zeros or garbage after the tear), or
//     kept sector by sector in any combination (writes reaching the disk out
//     of order: a hole of zeros with whole batches after it, damage a loader
//     must refuse); an unsynced truncate may be undone.
//   - Between crashes: appends may fail with ENOSPC (having written part) or
//     be short.
//   - Scripted faults (sim/scenarios.h): one-shot, by path, decided by the
//     script instead of the generator -- fail the next sync or append of a
//     file, choose each file's tail outcome and each directory's kept name
//     operations at the next crash, deliver one chosen sync completion, rot
//     durable bytes. A plan is consumed when it applies; random faults keep
//     working beside them, and without plans nothing changes.
// Every fault has a switch and a probability in CrashFsFaults; all randomness
// comes from the SimRandom given at construction.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
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
  uint32_t pages_reorder = 0;  // ... or kept sector by sector, out of order
  uint32_t names_undone = 0;   // an unsynced name operation is lost at a crash
  uint32_t zero_tail = 0;      // a preallocating file keeps zeros after its end
  int64_t max_sync_delay_us = 2000;

  // Swarm testing: the seed picks which faults this run sees and how often.
  static CrashFsFaults Swarm(SimRandom& rng);
  static CrashFsFaults None() { return CrashFsFaults{}; }
};

// Counters of what was injected, by kind.
struct CrashFsStats {
  uint64_t enospc = 0, short_writes = 0, sync_eio = 0, syncs_lost = 0, syncs_ok = 0;
  uint64_t crashes = 0, tails_lost = 0, tails_torn = 0, tails_garbage = 0, pages_reordered = 0;
  uint64_t names_undone = 0, zero_tails = 0;
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

  // --- Scripted faults (one-shot; a path is a file's current name). ---
  // The next sync requested for path fails with EIO (Linux semantics above).
  void FailNextSync(const std::string& path);
  // The next append to path writes only keep bytes: kShort reports success
  // with the count, kNoSpace fails with ENOSPC after writing them.
  enum class AppendFault { kShort, kNoSpace };
  void FailNextAppend(const std::string& path, AppendFault kind, size_t keep);
  // What the next crash does to a file's unsynced tail (bytes past what a
  // successful sync made durable).
  struct TailPlan {
    enum Kind { kLost, kKept, kTorn, kGarbage, kPages } kind = kKept;
    // kTorn, kGarbage: the tail is cut at the n-th 512-byte sector boundary
    // of the file after its durable end (clamped to the tail's end).
    uint64_t sector = 1;
    // kGarbage: this many garbage bytes follow the cut.
    size_t garbage = 64;
    // kPages: bit i keeps the i-th 4096-byte page the tail touches; the file
    // reaches its last kept page, missing pages before it read as zeros.
    uint64_t pages = 0;
  };
  // For path at the next crash; PlanCrashTails sets it for every file
  // without a plan of its own. A plan replaces the random tail faults.
  void PlanCrashTail(const std::string& path, TailPlan plan);
  void PlanCrashTails(TailPlan plan);
  // At the next crash dir keeps only the first keep of its unsynced name
  // operations (creates, renames, unlinks); kAllDirs: every directory.
  static inline const std::string kAllDirs = "*";
  void PlanCrashNames(const std::string& dir, size_t keep);
  // Unsynced name operations logged in dir.
  size_t unsynced_name_ops(const std::string& dir) const;
  // Bit rot: overwrites bytes at offset of path in what reads see and what
  // is durable -- a storage fault below any synced offset, which a loader
  // must refuse, never skip.
  Status Corrupt(const std::string& path, uint64_t offset, std::string_view bytes);
  // A pending sync completion, in request order: its token, the file's
  // current name (or the directory), lost (never completes).
  struct PendingSync {
    uint64_t token;
    std::string path;
    bool dir;
    bool lost;
  };
  std::vector<PendingSync> PendingSyncs() const;
  // Delivers the pending completion with this token now, whatever its due
  // time (completions reordered by the script); false if none or lost.
  bool DeliverOne(uint64_t token, const SyncCallback& cb);
  // Bytes of path a crash is sure to keep (0 when its name is not durable).
  uint64_t DurableSize(const std::string& path) const;

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
  // Completes one pending request (removed from pending_ by the caller).
  void Complete(Pending p, const SyncCallback& cb);
  std::string PathOf(const Inode* inode) const;
  // The kept part of an unsynced tail starting at file offset base, per plan.
  std::string PlannedTail(const TailPlan& plan, std::string tail, uint64_t base);

  SimRandom rng_;
  // Zero tails draw from their own stream: the other faults of a seed stay
  // what they were before files could preallocate.
  SimRandom zero_rng_;
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
  // Scripted faults (see FailNextSync and below).
  std::map<std::string, int> fail_sync_;  // path -> syncs left to fail
  struct AppendPlan {
    AppendFault kind;
    size_t keep;
  };
  std::map<std::string, AppendPlan> fail_append_;
  std::map<std::string, TailPlan> tail_plans_;
  std::optional<TailPlan> all_tails_plan_;
  std::map<std::string, size_t> name_plans_;
};

}  // namespace cairn::sim
