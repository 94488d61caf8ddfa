// AofLog: the write side of the append-only file -- the batch buffer, the
// current incr file, the fsync policy, durable positions, write and sync
// errors, and the manifest swaps a rewrite needs.
//
// Positions: bytes written through this log since it opened, across incr
// files. written() is what reached the OS; durable() the prefix a completed
// sync covers (sync_tracker.h: barriers such as directory syncs and manifest
// swaps gate it). Under appendfsync always the engine releases a reply only
// once durable() reaches the position the reply was executed at.
//
// Every sync is a request to the Env; its completion comes back through
// OnSynced, never inside the call. A failed sync is never retried as if it
// had worked: under always the log turns fatal (the engine exits, as Redis
// does); otherwise it refuses writes (write_refused()) until a rewrite has put
// the data set into a new base and a manifest naming it is durable.
//
// A failed write truncates the partial batch away and keeps the batch; writes
// are refused with Redis's MISCONF text until a retry (each second) succeeds.
// Under always a write error is fatal too.
//
// Under always the current incr file keeps zeros written ahead of its end
// (WritableFile::SetPreallocation), so the batch's fdatasync overwrites
// blocks the file has and commits no new size: 85-93 us against 125-143 us
// per sync on this machine's ext4. A crash may leave them after the records;
// the loader takes them for space and cuts them (file_scan.h).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/aof/loader.h"
#include "engine/aof/manifest.h"
#include "engine/aof/sync_tracker.h"
#include "engine/env/env.h"
#include "engine/util/planted_bugs.h"

namespace cairn::aof {

enum class FsyncPolicy { kNo = 0, kAlways = 1, kEverysec = 2 };

struct LogOptions {
  AofPaths paths;
  FsyncPolicy policy = FsyncPolicy::kEverysec;
  bool timestamps = false;         // aof-timestamp-enabled
  int64_t everysec_ms = 1000;      // appendfsync-everysec-ms
  int64_t pid = 0;                 // names the temp base of a rewrite
  uint64_t token_base = 0;         // sync tokens start above it (one range per log)
  const uint32_t* bugs = nullptr;  // the engine's planted-bug bits (util/planted_bugs.h)
};

// Writes a data set as records for a new base (the rewrite's source).
using BaseWriter = std::function<void(std::string& out)>;

class AofLog {
 public:
  // Zeros the incr file keeps written ahead under always, extended this much
  // at a time: one sync in about 20,000 SETs pays for the size change.
  static constexpr uint64_t kPreallocationChunk = uint64_t{1} << 20;

  AofLog(Env& env, LogOptions options);
  ~AofLog();

  // Opens the log after loading: creates the directory, a base and an incr
  // file and the manifest when nothing was found; otherwise appends to the
  // manifest's last incr file (adding one if it has none).
  Status Open(const LoadOutcome& loaded);
  // Opens a fresh log whose base is the data set writer produces (CONFIG SET
  // appendonly yes at runtime); sequence numbers continue from previous.
  Status OpenFresh(const Manifest& previous, const BaseWriter& writer);
  bool open() const { return file_ != nullptr; }

  // Adds one effect to the current batch.
  void Append(int db, std::span<const std::string_view> args, int64_t now_ms);
  // The batch point: writes the batch (one write) and, per policy, requests
  // a sync. force writes even while an everysec fsync is slow.
  void Flush(bool force = false);
  // Timers: everysec syncs, postponed writes, retries after a write error.
  void Tick();
  // A sync completion; false when the token is not the log's.
  bool OnSynced(uint64_t token, const Status& status);
  // Requests a sync covering everything written (shutdown, policy change).
  void SyncNow();
  // From now on every completed sync requests the next until all is durable.
  void set_shutting_down() { shutting_down_ = true; }

  void set_policy(FsyncPolicy p);
  FsyncPolicy policy() const { return options_.policy; }
  void set_everysec_ms(int64_t ms) { options_.everysec_ms = ms; }
  int64_t everysec_ms() const { return options_.everysec_ms; }
  void set_timestamps(bool on) { options_.timestamps = on; }

  uint64_t written() const { return written_; }
  uint64_t durable() const { return tracker_.durable(); }
  // Whether a reply executed at position may leave under always.
  bool Covers(uint64_t position) const { return tracker_.Covers(position); }
  uint64_t buffered() const { return batch_.size(); }
  // Every byte written is durable and no barrier is open: a fresh base whose
  // manifest is not swapped in yet keeps this false (a shutdown waits for it).
  bool all_durable() const { return batch_.empty() && tracker_.Covers(written_); }
  // A shutdown may finish: all durable, or a failed sync made that
  // impossible and no sync is still running.
  bool shutdown_settled() const {
    return all_durable() || (sync_failed() && batch_.empty() && file_sync_inflight_ == 0);
  }

  // Errors.
  bool write_ok() const { return write_error_.empty(); }
  bool sync_failed() const { return !sync_error_.empty(); }
  // The -MISCONF text for refused writes, or "" when writes are allowed.
  std::string RefusalText() const;
  bool fatal() const { return !fatal_error_.empty(); }
  const std::string& fatal_error() const { return fatal_error_; }

  // INFO persistence figures.
  uint64_t current_size() const { return base_size_ + incr_bytes_; }
  uint64_t base_size() const { return base_size_; }
  uint64_t delayed_fsync() const { return delayed_fsync_; }
  bool sync_in_progress() const { return file_sync_inflight_ > 0; }
  // The log position the last file sync was requested for: under everysec
  // bytes written past it get a sync within a period unless one is already
  // running (the simulator checks).
  uint64_t sync_requested() const { return synced_request_; }

  // Rewrite (compaction). Start: flushes, syncs the current incr file and
  // opens the next one (new writes go there), writes a base from writer (a
  // consistent cut: the engine calls this at a batch point) to a temp file
  // and syncs it; when every sync is done the base is renamed in, a new
  // manifest swapped in (temp, sync, rename, dir sync), and the old files
  // removed.
  Status StartRewrite(const BaseWriter& writer, int64_t now_ms);
  // The same in steps: BeginRewrite makes the cut (flush, next incr file,
  // syncs); AppendBase writes base records as the walk produces them;
  // EndBase asks for the base's sync, after which the swap proceeds.
  Status BeginRewrite(int64_t now_ms);
  void AppendBase(std::string_view text);
  void EndBase();
  bool rewrite_in_progress() const { return rewrite_ != nullptr; }
  // Which of a running rewrite's steps are still open (they overlap: the
  // base is written while the old incr file syncs). The simulator counts its
  // crashes per step to show that every step was crashed at.
  struct RewriteSteps {
    bool old_incr_unsynced = false;  // the cut: the old incr file's fsync pending
    bool new_incr_unlisted = false;  // no manifest on disk names the new incr file yet
    bool base_unsynced = false;      // the new base is being written or synced
    bool final_swap = false;         // the base is renamed in; its manifest is being swapped
  };
  RewriteSteps rewrite_steps() const;
  // A manifest swap's step: 0 none, 1 temp file written (its fsync pending),
  // 2 renamed over the manifest (the directory's fsync pending).
  int manifest_swap_step() const { return manifest_swap_step_; }
  // Outcome of the last finished rewrite ("ok"/"err") and its duration.
  bool last_rewrite_ok() const { return last_rewrite_ok_; }
  int64_t last_rewrite_ms() const { return last_rewrite_ms_; }
  int64_t rewrite_start_ms() const;
  uint64_t rewrites() const { return rewrites_; }
  uint64_t rewrite_failures() const { return rewrite_failures_; }
  // Size of the log after the last rewrite (auto-aof-rewrite-percentage's base).
  uint64_t rewrite_base_size() const { return rewrite_base_size_; }
  void set_rewrite_base_size(uint64_t n) { rewrite_base_size_ = n; }
  const Manifest& manifest() const { return manifest_; }

 private:
  struct Rewrite;
  using Action = std::function<void(const Status&)>;

  int64_t MonoMs() const;  // the monotonic clock, in ms (periods, retries)
  // Requests a sync of file (nullptr: directory dir) and runs then on
  // completion; replies_wait: replies are held until it completes.
  void Sync(WritableFile* file, const std::string& dir, Action then, bool replies_wait = false);
  // Writes text as the manifest: temp file, sync, rename, dir sync; then runs
  // done. Manifest swaps run one at a time, in request order.
  void SwapManifest(std::string text, Action done);
  void RunNextManifestSwap();
  void RequestFileSync();
  void OnFileSyncDone(uint64_t logical, uint64_t position, const Status& st);
  void SyncFailed(const std::string& what, const Status& st, uint64_t logical = 0);
  bool WriteBatch();
  Status OpenNewIncr();
  // Asks file_ for zeros ahead under always, none otherwise.
  void ApplyPreallocation();
  // Writes a base from writer and asks for its sync; then runs on completion.
  Status WriteFreshBase(const Manifest& previous, const BaseWriter& writer,
                        const Action& then = nullptr);
  void MaybeFinishRewrite();
  // A completion a rewrite waits for (barrier: a SyncTracker id, or 0).
  Action Waited(const std::string& what, uint64_t barrier);
  // Writes and syncs a checksum over uncovered_ (Open); false when the
  // write failed and the first batch's checksum must cover them instead.
  bool SealUncoveredTail();
  // Syncs the current file and holds appends back until it is durable.
  void SyncBeforeAppending();
  void FinishRewrite(const Status& st);

  Env& env_;
  LogOptions options_;
  Manifest manifest_;
  std::unique_ptr<WritableFile> file_;  // current incr file
  std::string batch_;                   // effects not yet written
  std::string uncovered_;               // the opened file's bytes after its last checksum (Open)
  size_t batch_checked_ = 0;            // bytes of batch_ covered by a checksum already
  int selected_db_ = -1;                // SELECT state of the current incr file
  int64_t last_ts_sec_ = -1;
  uint64_t written_ = 0;
  uint64_t synced_request_ = 0;  // highest position a file sync was requested for
  int file_sync_inflight_ = 0;
  // Monotonic milliseconds (MonoMs); -1: not set.
  int64_t last_fsync_ms_ = INT64_MIN / 2;  // the first everysec fsync is not delayed
  int64_t postponed_since_ms_ = -1;
  int64_t last_write_retry_ms_ = 0;
  uint64_t delayed_fsync_ = 0;
  uint64_t base_size_ = 0;
  uint64_t incr_bytes_ = 0;  // bytes of incr files in the manifest
  uint64_t rewrite_base_size_ = 0;
  SyncTracker tracker_;
  std::map<uint64_t, Action> pending_;  // fs token -> what its completion does
  uint64_t next_fs_token_ = 1;
  struct ManifestSwap {
    std::string text;
    Action done;
  };
  std::vector<ManifestSwap> swaps_;  // queued; front is running
  bool swap_running_ = false;
  int manifest_swap_step_ = 0;
  std::string write_error_;  // strerror text of the last failed write
  std::string sync_error_;
  std::string fatal_error_;
  std::unique_ptr<Rewrite> rewrite_;
  bool last_rewrite_ok_ = true;
  int64_t last_rewrite_ms_ = -1;
  uint64_t rewrites_ = 0;
  uint64_t rewrite_failures_ = 0;
  uint64_t temp_counter_ = 0;
  uint64_t sync_failures_ = 0;
  std::vector<uint64_t> failed_syncs_;  // tracker ids of failed syncs, until a rewrite repairs them
  bool shutting_down_ = false;
  // The current incr file is named by the manifest on disk (else its records
  // wait in batch_).
  bool incr_listed_ = true;
  // The opened file's seal or torn-tail cut is being synced: nothing may be
  // appended after it until then.
  bool sealing_ = false;
  // OpenFresh's base is not durable and named yet.
  bool fresh_pending_ = false;
  // False once OpenFresh's base failed its sync (manifest_ still names it).
  bool base_trusted_ = true;
};

}  // namespace cairn::aof
