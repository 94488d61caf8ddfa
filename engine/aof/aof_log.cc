#include "engine/aof/aof_log.h"

#include <array>

#include "engine/aof/record.h"

namespace cairn::aof {
namespace {

// The OS's words for an error ("No space left on device"), the tail of an
// Env status message ("write /x/y: No space left on device").
std::string ErrorText(const Status& st) {
  const std::string& m = st.message();
  size_t colon = m.rfind(": ");
  return colon == std::string::npos ? m : m.substr(colon + 2);
}

}  // namespace

struct AofLog::Rewrite {
  int64_t start_ms = 0;
  std::string temp_name;
  std::shared_ptr<WritableFile> temp;
  std::unique_ptr<WritableFile> old_incr;  // kept open until its sync completes
  std::vector<std::string> old_files;      // removed once the new manifest is durable
  size_t old_incr_count = 0;
  int waits = 0;
  bool failed = false;
  bool old_incr_synced = false;
  bool base_synced = false;
  bool final_swap = false;
  std::string error;
  uint64_t sync_failures_at_start = 0;
  size_t failed_syncs_at_start = 0;  // failed_syncs_ it repairs on success
};

AofLog::AofLog(Env& env, LogOptions options) : env_(env), options_(std::move(options)) {
  next_fs_token_ = options_.token_base + 1;
  // Effects append into reused capacity: no allocation per command.
  batch_.reserve(64 * 1024);
}

AofLog::~AofLog() = default;

void AofLog::Sync(WritableFile* file, const std::string& dir, Action then, bool replies_wait) {
  uint64_t token = next_fs_token_++;
  pending_[token] = std::move(then);
  if (file != nullptr && replies_wait) {
    env_.fs().RequestWaitedSync(*file, token);
  } else if (file != nullptr) {
    env_.fs().RequestSync(*file, token);
  } else if (Planted(options_.bugs, kBugNoDirFsync)) {
    OnSynced(token, Status::Ok());
  } else {
    env_.fs().RequestDirSync(dir, token);
  }
}

bool AofLog::OnSynced(uint64_t token, const Status& status) {
  auto it = pending_.find(token);
  if (it == pending_.end()) return false;
  Action action = std::move(it->second);
  pending_.erase(it);
  action(status);
  return true;
}

void AofLog::SyncFailed(const std::string& what, const Status& st, uint64_t logical) {
  ++sync_failures_;
  env_.logger().Log(LogLevel::kWarning, "aof: " + what + " failed: " + st.message());
  if (options_.policy == FsyncPolicy::kAlways) {
    fatal_error_ = "Can't persist AOF for fsync error when the AOF fsync policy is 'always': " +
                   ErrorText(st) + ". Exiting...";
  } else {
    // MISCONF names the first failure: later ones (a manifest not swapped
    // because of it) are its consequences.
    if (sync_error_.empty()) sync_error_ = ErrorText(st);
    // Not durable, and never will be by retrying (a later fsync of the same
    // file reports success over the dropped pages): durable() stays below it
    // until a rewrite has put the data into a new base whose manifest is
    // durable. Writes are refused (MISCONF) meanwhile; a shutdown does not
    // wait for it (shutdown_settled()).
    if (logical != 0) failed_syncs_.push_back(logical);
  }
}

Status AofLog::Open(const LoadOutcome& loaded) {
  FileSystem& fs = env_.fs();
  const AofPaths& p = options_.paths;
  Status st = fs.CreateDir(p.AofDir());
  if (!st.ok()) return st.Prefixed("aof: cannot create " + p.AofDir());
  // The directory's own name must be durable before anything in it counts.
  uint64_t dir_barrier = tracker_.Add(0);
  Sync(nullptr, p.dir, [this, dir_barrier](const Status& s) {
    if (s.ok()) {
      tracker_.Complete(dir_barrier);
    } else {
      SyncFailed("fsync of the data directory", s, dir_barrier);
    }
  });
  // Temp files of a rewrite or manifest swap a crash interrupted.
  if (auto names = fs.ListDir(p.AofDir()); names.ok()) {
    for (const std::string& name : names.value()) {
      if (name.rfind("temp-", 0) == 0) (void)fs.Remove(p.InAofDir(name));
    }
  }
  bool need_manifest = false;
  if (!loaded.found || loaded.manifest.empty()) {
    Status fresh = WriteFreshBase(loaded.manifest, BaseWriter());
    if (!fresh.ok()) return fresh;
    need_manifest = true;
  } else {
    manifest_ = loaded.manifest;
    base_size_ = loaded.base_size;
    incr_bytes_ = loaded.total_size - loaded.base_size;
    // History files are not part of the data: drop them (Redis does too).
    for (const ManifestFile& h : manifest_.history) (void)fs.Remove(p.InAofDir(h.name));
    if (!manifest_.history.empty()) need_manifest = true;
    manifest_.history.clear();
  }
  if (manifest_.incrs.empty()) {
    st = OpenNewIncr();
    if (!st.ok()) return st;
    need_manifest = true;
  } else {
    std::string path = p.InAofDir(manifest_.incrs.back().name);
    auto f = fs.OpenAppend(path, /*truncate=*/false);
    if (!f.ok()) return f.status().Prefixed("aof: cannot open incr file");
    file_ = std::move(f).value();
    ApplyPreallocation();
    selected_db_ = -1;
    bool sealed = false;
    // Records kept after the file's last checksum (a Redis-written file, a
    // torn batch whose kept part ends on a record boundary, or a file cut by
    // kv-check-aof --fix) were loaded: they are sealed with a checksum.
    if (loaded.last_size > loaded.last_covered_end && file_->Size() == loaded.last_size) {
      auto bytes = ReadWholeFile(fs, path);
      if (!bytes.ok()) return bytes.status().Prefixed("aof: reading the last incr file");
      uncovered_ = bytes.value().substr(loaded.last_covered_end);
      sealed = SealUncoveredTail();
    }
    // A torn tail the load cut off: the cut is made durable before anything
    // is appended where the tail was. Otherwise a power loss could bring back
    // the old tail's sector under newer ones -- damage in the middle, before
    // bytes already durable, which no later start could accept.
    if (loaded.last_cut && !sealed) SyncBeforeAppending();
  }
  if (need_manifest) {
    uint64_t barrier = tracker_.Add(0);
    SwapManifest(manifest_.Print(), [this, barrier](const Status& s) {
      if (s.ok()) {
        tracker_.Complete(barrier);
      } else {
        SyncFailed("writing the manifest", s, barrier);
      }
    });
  }
  rewrite_base_size_ = current_size();
  return Status::Ok();
}

bool AofLog::SealUncoveredTail() {
  // The loaded state includes these records, so it must not lose them again.
  // Were the first batch's checksum the only one covering them, a crash that
  // tore that batch would make the next load cut back to the last checksum,
  // taking records clients have already seen. So a checksum line covering
  // them alone is written and made durable before anything follows it.
  std::array<char, kChecksumLineMax> line{};
  const size_t len = FormatChecksum(uncovered_, line);
  const uint64_t before = file_->Size();
  size_t n = 0;
  Status st = file_->Append(std::string_view(line.data(), len), &n);
  if (!st.ok() || n != len) {
    // The first batch's checksum covers them instead (uncovered_ stays).
    if (n > 0) (void)file_->Truncate(before);
    return false;
  }
  uncovered_.clear();
  uncovered_.shrink_to_fit();
  written_ += n;
  incr_bytes_ += n;
  SyncBeforeAppending();
  return true;
}

void AofLog::SyncBeforeAppending() {
  const uint64_t position = written_;
  const uint64_t logical = tracker_.Add(position);
  ++file_sync_inflight_;
  synced_request_ = position;
  sealing_ = true;
  Sync(file_.get(), "", [this, logical, position](const Status& s) {
    sealing_ = false;
    OnFileSyncDone(logical, position, s);
  });
}

Status AofLog::WriteFreshBase(const Manifest& previous, const BaseWriter& writer,
                              const Action& then) {
  FileSystem& fs = env_.fs();
  const AofPaths& p = options_.paths;
  // Sequence numbers continue from any earlier manifest, so no name is reused.
  manifest_ = Manifest{};
  manifest_.base_seq = previous.base_seq;
  manifest_.incr_seq = previous.incr_seq;
  std::string base = manifest_.StartNewBase(p.appendfilename);
  auto f = fs.OpenAppend(p.InAofDir(base), /*truncate=*/true);
  if (!f.ok()) return f.status().Prefixed("aof: cannot create base file");
  std::shared_ptr<WritableFile> base_file = std::move(f).value();
  std::string text;
  if (writer) writer(text);
  size_t n = 0;
  Status st = base_file->Append(text, &n);
  if (st.ok() && n != text.size()) st = Status::NoSpace("short write: No space left on device");
  if (!st.ok()) return st.Prefixed("aof: writing the base file");
  uint64_t barrier = tracker_.Add(0);
  Sync(base_file.get(), "", [this, barrier, base_file, then](const Status& s) {
    if (s.ok()) {
      tracker_.Complete(barrier);
    } else {
      SyncFailed("fsync of the base file", s, barrier);
    }
    if (then) then(s);
  });
  base_size_ = text.size();
  incr_bytes_ = 0;
  return Status::Ok();
}

Status AofLog::OpenFresh(const Manifest& previous, const BaseWriter& writer) {
  Status st = env_.fs().CreateDir(options_.paths.AofDir());
  if (!st.ok()) return st.Prefixed("aof: cannot create " + options_.paths.AofDir());
  // The manifest naming the new base is swapped in only once the base is
  // durable: a manifest that names a base a crash can still empty would lose
  // the whole data set. No rewrite starts meanwhile (its manifest would name
  // the base too).
  uint64_t manifest_barrier = tracker_.Add(0);
  fresh_pending_ = true;
  st = WriteFreshBase(previous, writer, [this, manifest_barrier](const Status& s) {
    if (!s.ok()) {
      fresh_pending_ = false;
      base_trusted_ = false;                      // no manifest may name this base now
      failed_syncs_.push_back(manifest_barrier);  // repaired with the base
      return;
    }
    SwapManifest(manifest_.Print(), [this, manifest_barrier](const Status& ms) {
      fresh_pending_ = false;
      if (ms.ok()) {
        tracker_.Complete(manifest_barrier);
      } else {
        SyncFailed("writing the manifest", ms, manifest_barrier);
      }
    });
  });
  if (!st.ok()) {
    fresh_pending_ = false;
    return st;
  }
  st = OpenNewIncr();
  if (!st.ok()) return st;
  rewrite_base_size_ = current_size();
  return Status::Ok();
}

Status AofLog::OpenNewIncr() {
  const AofPaths& p = options_.paths;
  // The previous file's unchecked tail stays where it is: a new file's
  // checksums cover only its own bytes.
  uncovered_.clear();
  std::string name = manifest_.AddNewIncr(p.appendfilename);
  // A file of that name left by a crash (a rewrite whose manifest never
  // became durable) is removed, not truncated: an unsynced truncate can be
  // undone by the next power loss, and the manifest about to name this file
  // would then bring the stale records back. A new file starts empty on disk.
  if (env_.fs().Exists(p.InAofDir(name))) (void)env_.fs().Remove(p.InAofDir(name));
  auto f = env_.fs().OpenAppend(p.InAofDir(name), /*truncate=*/true);
  if (!f.ok()) {
    manifest_.incrs.pop_back();
    --manifest_.incr_seq;
    return f.status().Prefixed("aof: cannot create incr file");
  }
  file_ = std::move(f).value();
  ApplyPreallocation();
  selected_db_ = -1;
  return Status::Ok();
}

void AofLog::set_policy(FsyncPolicy p) {
  options_.policy = p;
  if (file_ != nullptr) ApplyPreallocation();
}

void AofLog::ApplyPreallocation() {
  file_->SetPreallocation(options_.policy == FsyncPolicy::kAlways ? kPreallocationChunk : 0);
}

void AofLog::SwapManifest(std::string text, Action done) {
  swaps_.push_back(ManifestSwap{std::move(text), std::move(done)});
  if (!swap_running_) RunNextManifestSwap();
}

void AofLog::RunNextManifestSwap() {
  if (swaps_.empty()) {
    swap_running_ = false;
    return;
  }
  swap_running_ = true;
  const AofPaths& p = options_.paths;
  std::string temp = p.InAofDir(TempManifestName(p.appendfilename));
  auto finish = [this](const Status& st) {
    manifest_swap_step_ = 0;
    Action done = std::move(swaps_.front().done);
    swaps_.erase(swaps_.begin());
    done(st);
    RunNextManifestSwap();
  };
  auto f = env_.fs().OpenAppend(temp, /*truncate=*/true);
  if (!f.ok()) {
    finish(f.status());
    return;
  }
  std::shared_ptr<WritableFile> file = std::move(f).value();
  size_t n = 0;
  Status st = file->Append(swaps_.front().text, &n);
  if (st.ok() && n != swaps_.front().text.size()) st = Status::Io("aof: short manifest write");
  if (!st.ok()) {
    finish(st);
    return;
  }
  manifest_swap_step_ = 1;
  Sync(file.get(), "", [this, file, temp, finish](const Status& s) {
    if (!s.ok()) {
      finish(s);
      return;
    }
    const AofPaths& paths = options_.paths;
    Status r = env_.fs().Rename(temp, paths.ManifestPath());
    if (!r.ok()) {
      finish(r);
      return;
    }
    manifest_swap_step_ = 2;
    Sync(nullptr, paths.AofDir(), finish);
  });
}

void AofLog::Append(int db, std::span<const std::string_view> args, int64_t now_ms) {
  if (options_.timestamps && now_ms / 1000 != last_ts_sec_) {
    last_ts_sec_ = now_ms / 1000;
    AppendTimestamp(batch_, last_ts_sec_);
  }
  if (db != selected_db_) {
    AppendSelect(batch_, db);
    selected_db_ = db;
  }
  AppendRecord(batch_, args);
}

bool AofLog::WriteBatch() {
  if (batch_.size() > batch_checked_) {
    std::string_view fresh = std::string_view(batch_).substr(batch_checked_);
    // Formatted on the stack: the fresh bytes live in batch_, which the
    // append may move, and a heap string would cost an allocation per batch.
    std::array<char, kChecksumLineMax> line{};
    size_t n = 0;
    if (uncovered_.empty()) {
      n = FormatChecksum(fresh, line);
    } else {
      uncovered_.append(fresh);  // once per log: the file's unchecked tail
      n = FormatChecksum(uncovered_, line);
      uncovered_.clear();
      uncovered_.shrink_to_fit();
    }
    batch_.append(line.data(), n);
    batch_checked_ = batch_.size();
  }
  uint64_t before = file_->Size();
  size_t n = 0;
  Status st = file_->Append(batch_, &n);
  if (st.ok() && n == batch_.size()) {
    written_ += n;
    incr_bytes_ += n;
    batch_.clear();
    batch_checked_ = 0;
    postponed_since_ms_ = -1;
    if (!write_error_.empty()) {
      env_.logger().Log(LogLevel::kWarning, "AOF write error looks solved, Redis can write again.");
      write_error_.clear();
    }
    return true;
  }
  if (st.ok()) st = Status::NoSpace("short write: No space left on device");
  last_write_retry_ms_ = MonoMs();
  if (write_error_.empty()) {
    env_.logger().Log(LogLevel::kWarning, "Error writing to the AOF file: " + ErrorText(st));
  }
  write_error_ = ErrorText(st);
  if (n > 0 && !file_->Truncate(before).ok()) {
    // The partial batch stays in the file: continue after it, as Redis does,
    // so the file stays a sequence of whole records.
    written_ += n;
    incr_bytes_ += n;
    batch_.erase(0, n);
    batch_checked_ = batch_checked_ > n ? batch_checked_ - n : 0;
  }
  if (options_.policy == FsyncPolicy::kAlways) {
    fatal_error_ =
        "Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...";
  }
  return false;
}

void AofLog::Flush(bool force) {
  if (file_ == nullptr || fatal()) return;
  // Nothing goes into a new incr file before a manifest naming it is in
  // place: a crash must never leave records in a file no manifest lists.
  if (!incr_listed_) return;
  // Nor after a seal or a cut tail until it is durable (SyncBeforeAppending).
  if (sealing_) return;
  // Periods are measured on the monotonic clock: a wall clock set back
  // must not stall the everysec fsync (Redis's wall-clock test would).
  const int64_t mono_ms = MonoMs();
  if (!batch_.empty()) {
    if (options_.policy == FsyncPolicy::kEverysec && !force && file_sync_inflight_ > 0) {
      // Redis's rule: while a background fsync runs, hold the writes back
      // for up to 2 s rather than pile more onto a busy disk.
      if (postponed_since_ms_ < 0) {
        postponed_since_ms_ = mono_ms;
        return;
      }
      if (mono_ms - postponed_since_ms_ < 2000) return;
      ++delayed_fsync_;
      env_.logger().Log(LogLevel::kNotice,
                        "Asynchronous AOF fsync is taking too long (disk is busy?). Writing the "
                        "AOF buffer without waiting for fsync to complete, this may slow down "
                        "Redis.");
    }
    if (!WriteBatch()) return;
  }
  if (options_.policy == FsyncPolicy::kAlways || shutting_down_) {
    // A shutdown waits for everything written, whatever the policy.
    RequestFileSync();
  } else if (options_.policy == FsyncPolicy::kEverysec &&
             mono_ms - last_fsync_ms_ >= options_.everysec_ms) {
    if (file_sync_inflight_ == 0 && written_ > synced_request_) {
      last_fsync_ms_ = mono_ms;
      RequestFileSync();
    }
  }
}

void AofLog::SyncNow() {
  if (file_ == nullptr) return;
  RequestFileSync();
}

void AofLog::RequestFileSync() {
  if (file_sync_inflight_ > 0 || synced_request_ >= written_ || fatal()) return;
  uint64_t position = written_;
  uint64_t logical = tracker_.Add(position);
  ++file_sync_inflight_;
  synced_request_ = position;
  // Under always every reply of the batch waits for this sync.
  Sync(
      file_.get(), "",
      [this, logical, position](const Status& st) { OnFileSyncDone(logical, position, st); },
      options_.policy == FsyncPolicy::kAlways);
}

void AofLog::OnFileSyncDone(uint64_t logical, uint64_t position, const Status& st) {
  (void)position;
  --file_sync_inflight_;
  if (!st.ok() && !Planted(options_.bugs, kBugIgnoreFailedFsync)) {
    SyncFailed("fsync of the AOF file", st, logical);
    return;
  }
  tracker_.Complete(logical);
  // Group commit: what was written while this sync ran gets the next one.
  if (options_.policy == FsyncPolicy::kAlways || shutting_down_) RequestFileSync();
}

void AofLog::Tick() {
  if (file_ == nullptr || fatal()) return;
  const int64_t mono_ms = MonoMs();
  if (!write_ok()) {
    if (mono_ms - last_write_retry_ms_ >= 1000) Flush(/*force=*/true);
    return;
  }
  if (!batch_.empty() && postponed_since_ms_ >= 0) Flush();
  if (options_.policy == FsyncPolicy::kEverysec && file_sync_inflight_ == 0 &&
      written_ > synced_request_ && mono_ms - last_fsync_ms_ >= options_.everysec_ms) {
    last_fsync_ms_ = mono_ms;
    RequestFileSync();
  }
}

int64_t AofLog::MonoMs() const { return env_.clock().MonotonicUs() / 1000; }

std::string AofLog::RefusalText() const {
  if (!write_error_.empty()) return "MISCONF Errors writing to the AOF file: " + write_error_;
  if (!sync_error_.empty()) return "MISCONF Errors writing to the AOF file: " + sync_error_;
  return "";
}

int64_t AofLog::rewrite_start_ms() const { return rewrite_ ? rewrite_->start_ms : -1; }

AofLog::RewriteSteps AofLog::rewrite_steps() const {
  RewriteSteps steps;
  if (!rewrite_) return steps;
  steps.old_incr_unsynced = !rewrite_->old_incr_synced;
  steps.new_incr_unlisted = !incr_listed_;
  steps.base_unsynced = !rewrite_->base_synced;
  steps.final_swap = rewrite_->final_swap;
  return steps;
}

Status AofLog::StartRewrite(const BaseWriter& writer, int64_t now_ms) {
  Status st = BeginRewrite(now_ms);
  if (!st.ok()) return st;
  std::string text;
  writer(text);
  AppendBase(text);
  EndBase();
  return Status::Ok();
}

Status AofLog::BeginRewrite(int64_t now_ms) {
  if (rewrite_) return Status::Invalid("Background append only file rewriting already in progress");
  if (fresh_pending_) return Status::Invalid("the new base is not durable yet");
  if (file_ == nullptr) return Status::Invalid("aof: the log is not open");
  Flush(/*force=*/true);
  if (!write_ok()) return Status::Io("aof: cannot rewrite while writes fail");
  if (!incr_listed_) {
    // A failed rewrite left its incr file unnamed by any manifest, and the
    // records meant for it waiting here. They precede this cut, so the new
    // base holds their effects; written after it, they would replay twice.
    batch_.clear();
    batch_checked_ = 0;
  }
  const AofPaths& p = options_.paths;
  auto rw = std::make_unique<Rewrite>();
  rw->start_ms = now_ms;
  rw->sync_failures_at_start = sync_failures_;
  rw->failed_syncs_at_start = failed_syncs_.size();
  if (manifest_.base) rw->old_files.push_back(manifest_.base->name);
  for (const ManifestFile& f : manifest_.incrs) rw->old_files.push_back(f.name);
  rw->old_incr_count = manifest_.incrs.size();

  // The base goes to a temp file, written in steps (AppendBase), then synced.
  rw->temp_name = "temp-rewriteaof-bg-" + std::to_string(options_.pid) + "-" +
                  std::to_string(++temp_counter_) + ".aof";
  auto tf = env_.fs().OpenAppend(p.InAofDir(rw->temp_name), /*truncate=*/true);
  if (!tf.ok()) return tf.status().Prefixed("aof: cannot create the rewrite's temp file");
  rw->temp = std::move(tf).value();

  // The cut: the old incr file is synced before the first write to the next
  // one, so a crash never keeps the new file and loses the old one's tail.
  rw->old_incr = std::move(file_);
  Status st = OpenNewIncr();
  if (!st.ok()) {
    file_ = std::move(rw->old_incr);
    (void)env_.fs().Remove(p.InAofDir(rw->temp_name));
    return st;
  }
  rewrite_ = std::move(rw);
  Rewrite* r = rewrite_.get();
  r->waits = 1;  // the base: released by EndBase's sync
  uint64_t old_barrier = tracker_.Add(written_);
  auto old_done = Waited("fsync of the previous incr file", old_barrier);
  // The manifest names the new incr file before anything is written to it;
  // meanwhile the batch waits in memory. It is swapped in only once the old
  // incr file is durable: naming a new file makes the old one a middle one,
  // and a torn tail there (a crash's, or a loader's cut not yet synced)
  // would be damage in the middle of the history.
  incr_listed_ = false;
  uint64_t manifest_barrier = tracker_.Add(written_);
  auto manifest_done = Waited("writing the manifest", manifest_barrier);
  std::string manifest_text = manifest_.Print();
  auto swap = [this, manifest_done, manifest_text]() {
    SwapManifest(manifest_text, [this, manifest_done](const Status& s) {
      incr_listed_ = true;
      manifest_done(s);
      Flush(/*force=*/true);
    });
  };
  if (!base_trusted_ || sync_failed()) {
    // The in-memory manifest names a base whose sync failed, or an incr file
    // whose fsync failed and lost its unsynced pages (a hole, if anything
    // were named after it): only the rewrite's final manifest, naming its
    // own base, may reach the disk.
    r->old_incr_synced = true;
    old_done(Status::Ok());
    incr_listed_ = true;
    manifest_done(Status::Ok());
  } else if (Planted(options_.bugs, kBugNoOldIncrSync)) {
    r->old_incr_synced = true;
    old_done(Status::Ok());
    swap();
  } else {
    Sync(r->old_incr.get(), "", [r, old_done, swap, manifest_done](const Status& s) {
      r->old_incr_synced = true;
      old_done(s);
      if (s.ok()) {
        swap();
      } else {
        // The old file's dropped pages stay its tail until a repair rewrite:
        // no manifest may make it a middle file meanwhile.
        manifest_done(Status::Io("aof: not swapped: the previous incr file's fsync failed"));
      }
    });
  }
  env_.logger().Log(LogLevel::kNotice, "Background append only file rewriting started");
  return Status::Ok();
}

AofLog::Action AofLog::Waited(const std::string& what, uint64_t barrier) {
  Rewrite* r = rewrite_.get();
  ++r->waits;
  return [this, r, what, barrier](const Status& s) {
    if (s.ok()) {
      if (barrier != 0) tracker_.Complete(barrier);
    } else {
      r->failed = true;
      r->error = what + ": " + s.message();
      if (barrier != 0) SyncFailed(what, s, barrier);
    }
    --r->waits;
    MaybeFinishRewrite();
  };
}

void AofLog::AppendBase(std::string_view text) {
  Rewrite* r = rewrite_.get();
  if (r == nullptr || r->failed || text.empty()) return;
  size_t n = 0;
  Status st = r->temp->Append(text, &n);
  if (st.ok() && n != text.size()) st = Status::NoSpace("short write: No space left on device");
  if (!st.ok()) {
    r->failed = true;
    r->error = "writing the rewritten base: " + st.message();
  }
}

void AofLog::EndBase() {
  Rewrite* r = rewrite_.get();
  if (r == nullptr) return;
  Sync(r->temp.get(), "", [this, r](const Status& s) {
    r->base_synced = true;
    if (!s.ok()) {
      r->failed = true;
      r->error = "fsync of the rewritten base: " + s.message();
    }
    --r->waits;
    MaybeFinishRewrite();
  });
}

void AofLog::MaybeFinishRewrite() {
  Rewrite* r = rewrite_.get();
  if (r == nullptr || r->waits > 0) return;
  const AofPaths& p = options_.paths;
  if (r->failed) {
    (void)env_.fs().Remove(p.InAofDir(r->temp_name));
    FinishRewrite(Status::Io(r->error));
    return;
  }
  // 3. The base gets its name, the manifest names it and the new incr file
  //    only; once that manifest is durable the old files go.
  Manifest next = manifest_;
  std::string base_name = next.StartNewBase(p.appendfilename);
  next.IncrsToHistory(r->old_incr_count);
  Status st = env_.fs().Rename(p.InAofDir(r->temp_name), p.InAofDir(base_name));
  if (!st.ok()) {
    (void)env_.fs().Remove(p.InAofDir(r->temp_name));
    FinishRewrite(st);
    return;
  }
  r->final_swap = true;
  uint64_t new_base_size = r->temp->Size();
  Manifest written = next;
  written.history.clear();
  SwapManifest(written.Print(), [this, written, new_base_size](const Status& s) {
    if (!s.ok()) {
      FinishRewrite(s.Prefixed("aof: writing the manifest"));
      return;
    }
    Rewrite* rw = rewrite_.get();
    for (const std::string& name : rw->old_files) {
      (void)env_.fs().Remove(options_.paths.InAofDir(name));
    }
    manifest_ = written;
    base_size_ = new_base_size;
    incr_bytes_ = file_ ? file_->Size() : 0;
    if (sync_failures_ == rw->sync_failures_at_start) sync_error_.clear();
    base_trusted_ = true;
    // The new base holds everything written before the cut, failed syncs'
    // bytes included: they are durable now.
    for (size_t i = 0; i < rw->failed_syncs_at_start && i < failed_syncs_.size(); ++i) {
      tracker_.Complete(failed_syncs_[i]);
    }
    failed_syncs_.erase(
        failed_syncs_.begin(),
        failed_syncs_.begin() +
            static_cast<ptrdiff_t>(std::min(rw->failed_syncs_at_start, failed_syncs_.size())));
    FinishRewrite(Status::Ok());
  });
}

void AofLog::FinishRewrite(const Status& st) {
  int64_t now_ms = env_.clock().WallUs() / 1000;
  last_rewrite_ms_ = now_ms - rewrite_->start_ms;
  last_rewrite_ok_ = st.ok();
  if (st.ok()) {
    ++rewrites_;
    rewrite_base_size_ = current_size();
    env_.logger().Log(LogLevel::kNotice, "Background AOF rewrite finished successfully");
  } else {
    ++rewrite_failures_;
    env_.logger().Log(LogLevel::kWarning, "Background AOF rewrite failed: " + st.message());
  }
  rewrite_.reset();
}

}  // namespace cairn::aof
