#include "sim/crash_fs.h"

#include <algorithm>
#include <cstring>
#include <set>

namespace cairn::sim {

struct CrashFs::Inode {
  std::string data;     // what reads see
  std::string durable;  // what a crash is sure to keep
  uint64_t durable_seq = 0;
  // Ranges whose pages a failed sync dropped: zeros to the disk.
  std::vector<std::pair<uint64_t, uint64_t>> poisoned;
  // The latest failed sync: when its pages were dropped (a request order
  // number) and from which offset. A sync requested before that and
  // completing after it covered those pages: it reports the error too.
  uint64_t poison_seq = 0;
  uint64_t poison_from = 0;
  // The largest chunk of zeros a handle asked to keep written ahead.
  uint64_t reserved = 0;
};

struct CrashFs::NameOp {
  enum Kind { kLink, kUnlink, kRename } kind;
  std::string path;
  std::string to;  // kRename
  std::shared_ptr<Inode> inode;
  uint64_t seq;
};

struct CrashFs::Pending {
  int64_t due_us;
  uint64_t seq;
  uint64_t token;
  bool dir;
  std::string dir_path;
  std::shared_ptr<Inode> inode;
  std::string snapshot;  // file contents at the request
  bool eio;
  bool lost;
};

namespace {

constexpr uint64_t kSector = 512;  // the unit a power loss keeps or drops out of order

std::string Parent(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string Base(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Cutting a file to size: pages past it are gone, and pages written later
// are fresh ones a failed sync never touched.
void TrimPoison(std::vector<std::pair<uint64_t, uint64_t>>& poison, uint64_t size) {
  std::vector<std::pair<uint64_t, uint64_t>> kept;
  for (auto [a, b] : poison) {
    if (a < size) kept.emplace_back(a, std::min(b, size));
  }
  poison.swap(kept);
}

// Bytes s as they reach the disk: poisoned ranges read back as zeros.
std::string Disk(const std::string& s, const std::vector<std::pair<uint64_t, uint64_t>>& poison) {
  std::string out = s;
  for (auto [a, b] : poison) {
    for (uint64_t i = a; i < b && i < out.size(); ++i) out[i] = '\0';
  }
  return out;
}

}  // namespace

CrashFsFaults CrashFsFaults::Swarm(SimRandom& rng) {
  CrashFsFaults f;
  // Each fault is on for about half the seeds, at a rate the seed picks.
  auto pick = [&](uint32_t max) -> uint32_t {
    return rng.Chance(500) ? static_cast<uint32_t>(rng.Range(1, max)) : 0;
  };
  f.enospc = pick(30);
  f.short_write = pick(100);
  f.sync_eio = pick(30);
  f.sync_lost = pick(20);
  f.sync_reorder = pick(300);
  f.tail_lost = pick(500);
  f.tail_torn = pick(500);
  f.tail_garbage = pick(500);
  f.pages_reorder = pick(300);
  f.names_undone = pick(500);
  f.max_sync_delay_us = rng.Range(100, 20000);
  SimRandom zero = rng.Fork("zero-tail");  // leaves rng's draws as they were
  f.zero_tail = zero.Chance(500) ? static_cast<uint32_t>(zero.Range(1, 700)) : 0;
  return f;
}

// A handle on an inode; dead after a crash.
class CrashFsFile final : public WritableFile {
 public:
  CrashFsFile(CrashFs& fs, std::shared_ptr<CrashFs::Inode> inode, std::string path, uint64_t epoch)
      : fs_(fs), inode_(std::move(inode)), path_(std::move(path)), epoch_(epoch) {}
  Status Append(std::string_view data, size_t* written) override {
    return fs_.DoAppend(inode_, epoch_, data, written);
  }
  Status Truncate(uint64_t size) override {
    if (epoch_ != fs_.epoch_) return Status::Io("crashfs: handle from before a crash", 5);
    if (size < inode_->data.size()) inode_->data.resize(size);
    return Status::Ok();
  }
  uint64_t Size() const override { return inode_->data.size(); }
  const std::string& path() const override { return path_; }
  void SetPreallocation(uint64_t chunk) override {
    if (epoch_ == fs_.epoch_) inode_->reserved = std::max(inode_->reserved, chunk);
  }
  const std::shared_ptr<CrashFs::Inode>& inode() const { return inode_; }
  uint64_t epoch() const { return epoch_; }

 private:
  CrashFs& fs_;
  std::shared_ptr<CrashFs::Inode> inode_;
  std::string path_;
  uint64_t epoch_;
};

namespace {

class StringReader final : public SequentialFile {
 public:
  explicit StringReader(std::string data) : data_(std::move(data)) {}
  Result<size_t> Read(char* buf, size_t n) override {
    size_t k = std::min(n, data_.size() - pos_);
    if (k) std::memcpy(buf, data_.data() + pos_, k);
    pos_ += k;
    return k;
  }

 private:
  std::string data_;
  size_t pos_ = 0;
};

}  // namespace

CrashFs::CrashFs(SimRandom rng, CrashFsFaults faults)
    : rng_(rng), zero_rng_(rng.Fork("zero-tail")), faults_(faults) {
  dirs_["/"] = true;
  dirs_["."] = true;
}

CrashFs::~CrashFs() = default;

size_t CrashFs::pending_syncs() const { return pending_.size(); }

Status CrashFs::DoAppend(const std::shared_ptr<Inode>& inode, uint64_t epoch, std::string_view data,
                         size_t* written) {
  *written = 0;
  if (epoch != epoch_) return Status::Io("crashfs: handle from before a crash", 5);
  if (!fail_append_.empty() && !data.empty()) {
    auto plan = fail_append_.find(PathOf(inode.get()));
    if (plan != fail_append_.end()) {
      AppendPlan a = plan->second;
      fail_append_.erase(plan);
      size_t n = std::min(a.keep, data.size() - 1);
      inode->data.append(data.substr(0, n));
      *written = n;
      if (a.kind == AppendFault::kNoSpace) {
        ++stats_.enospc;
        return Status::NoSpace("crashfs: write: No space left on device");
      }
      ++stats_.short_writes;
      return Status::Ok();
    }
  }
  if (!data.empty() && faults_.enospc && rng_.Chance(faults_.enospc)) {
    size_t n = rng_.Below(data.size());
    inode->data.append(data.substr(0, n));
    *written = n;
    ++stats_.enospc;
    return Status::NoSpace("crashfs: no space left on device");
  }
  size_t n = data.size();
  if (n > 1 && faults_.short_write && rng_.Chance(faults_.short_write)) {
    n = 1 + rng_.Below(n - 1);
    ++stats_.short_writes;
  }
  inode->data.append(data.substr(0, n));
  *written = n;
  return Status::Ok();
}

void CrashFs::LogName(const std::string& dir, NameOp op) { dir_log_[dir].push_back(std::move(op)); }

Result<std::unique_ptr<WritableFile>> CrashFs::OpenAppend(const std::string& path, bool truncate) {
  std::string dir = Parent(path);
  if (!dirs_.count(dir)) return Status::NotFound("crashfs: no directory " + dir);
  auto it = live_.find(path);
  std::shared_ptr<Inode> inode;
  if (it == live_.end()) {
    inode = std::make_shared<Inode>();
    live_[path] = inode;
    LogName(dir, NameOp{NameOp::kLink, path, "", inode, ++seq_});
  } else {
    inode = it->second;
    if (truncate) {
      inode->data.clear();
      TrimPoison(inode->poisoned, 0);
    }
  }
  return std::unique_ptr<WritableFile>(new CrashFsFile(*this, inode, path, epoch_));
}

Result<std::unique_ptr<SequentialFile>> CrashFs::OpenRead(const std::string& path) {
  auto it = live_.find(path);
  if (it == live_.end()) return Status::NotFound("crashfs: no file " + path);
  return std::unique_ptr<SequentialFile>(new StringReader(it->second->data));
}

Result<uint64_t> CrashFs::FileSize(const std::string& path) {
  auto it = live_.find(path);
  if (it == live_.end()) return Status::NotFound("crashfs: no file " + path);
  return static_cast<uint64_t>(it->second->data.size());
}

bool CrashFs::Exists(const std::string& path) { return live_.count(path) || dirs_.count(path); }

Status CrashFs::CreateDir(const std::string& path) {
  // Directories are created durable at once: the engine makes its data
  // directory before anything else and never removes it.
  dirs_[path] = true;
  return Status::Ok();
}

Result<std::vector<std::string>> CrashFs::ListDir(const std::string& path) {
  if (!dirs_.count(path)) return Status::NotFound("crashfs: no directory " + path);
  std::vector<std::string> names;
  for (const auto& [p, inode] : live_) {
    if (Parent(p) == path) names.push_back(Base(p));
  }
  return names;
}

Status CrashFs::Rename(const std::string& from, const std::string& to) {
  auto it = live_.find(from);
  if (it == live_.end()) return Status::NotFound("crashfs: no file " + from);
  std::shared_ptr<Inode> inode = it->second;
  live_.erase(it);
  live_[to] = inode;
  // Logged in the destination's directory (the engine renames within one).
  LogName(Parent(to), NameOp{NameOp::kRename, from, to, inode, ++seq_});
  return Status::Ok();
}

Status CrashFs::Remove(const std::string& path) {
  auto it = live_.find(path);
  if (it == live_.end()) return Status::NotFound("crashfs: no file " + path);
  live_.erase(it);
  LogName(Parent(path), NameOp{NameOp::kUnlink, path, "", nullptr, ++seq_});
  return Status::Ok();
}

Status CrashFs::Truncate(const std::string& path, uint64_t size) {
  auto it = live_.find(path);
  if (it == live_.end()) return Status::NotFound("crashfs: no file " + path);
  if (size < it->second->data.size()) {
    it->second->data.resize(size);
    TrimPoison(it->second->poisoned, size);
  }
  return Status::Ok();
}

void CrashFs::Schedule(Pending p) {
  p.seq = ++seq_;
  int64_t delay = rng_.Range(0, faults_.max_sync_delay_us);
  if (faults_.sync_reorder && rng_.Chance(faults_.sync_reorder)) delay *= 10;
  p.due_us = now_us_ + delay;
  p.lost = faults_.sync_lost && rng_.Chance(faults_.sync_lost);
  pending_.push_back(std::move(p));
}

void CrashFs::RequestSync(WritableFile& file, uint64_t token) {
  auto& f = static_cast<CrashFsFile&>(file);
  Pending p{};
  p.token = token;
  p.dir = false;
  p.inode = f.inode();
  p.snapshot = f.inode()->data;
  p.eio = faults_.sync_eio && rng_.Chance(faults_.sync_eio);
  if (f.epoch() != epoch_) p.eio = true;  // a dead handle cannot sync
  if (!fail_sync_.empty()) {
    auto plan = fail_sync_.find(PathOf(f.inode().get()));
    if (plan != fail_sync_.end()) {
      p.eio = true;
      if (--plan->second <= 0) fail_sync_.erase(plan);
    }
  }
  Schedule(std::move(p));
}

void CrashFs::RequestDirSync(const std::string& path, uint64_t token) {
  Pending p{};
  p.token = token;
  p.dir = true;
  p.dir_path = path;
  p.eio = false;
  Schedule(std::move(p));
}

size_t CrashFs::DeliverDue(int64_t now_us, const SyncCallback& cb) {
  now_us_ = std::max(now_us_, now_us);
  size_t delivered = 0;
  for (;;) {
    // The earliest due completion (ties by request order).
    auto best = pending_.end();
    for (auto it = pending_.begin(); it != pending_.end(); ++it) {
      if (it->lost || it->due_us > now_us) continue;
      if (best == pending_.end() || it->due_us < best->due_us ||
          (it->due_us == best->due_us && it->seq < best->seq)) {
        best = it;
      }
    }
    if (best == pending_.end()) return delivered;
    Pending p = std::move(*best);
    pending_.erase(best);
    Complete(std::move(p), cb);
    ++delivered;
  }
}

void CrashFs::Complete(Pending p, const SyncCallback& cb) {
  Status st;
  if (p.dir) {
    // Name operations logged before the request become durable.
    auto& log = dir_log_[p.dir_path];
    size_t n = 0;
    while (n < log.size() && log[n].seq < p.seq) {
      const NameOp& op = log[n];
      if (op.kind == NameOp::kLink) durable_[op.path] = op.inode;
      if (op.kind == NameOp::kUnlink) durable_.erase(op.path);
      if (op.kind == NameOp::kRename) {
        durable_.erase(op.path);
        durable_[op.to] = op.inode;
      }
      ++n;
    }
    log.erase(log.begin(), log.begin() + static_cast<ptrdiff_t>(n));
    ++stats_.syncs_ok;
  } else if (p.eio) {
    // Linux: the dirty pages are marked clean and their contents dropped.
    Inode& in = *p.inode;
    if (in.data.size() > in.durable.size()) {
      in.poisoned.emplace_back(in.durable.size(), in.data.size());
      in.poison_seq = ++seq_;
      in.poison_from = in.durable.size();
    }
    ++stats_.sync_eio;
    st = Status::Io("crashfs: fsync: Input/output error", 5);
  } else if (p.seq < p.inode->poison_seq && p.inode->poison_from < p.snapshot.size()) {
    // Its pages were dropped by a failure reported meanwhile: it fails too.
    ++stats_.sync_eio;
    st = Status::Io("crashfs: fsync: Input/output error", 5);
  } else {
    Inode& in = *p.inode;
    if (p.seq > in.durable_seq) {
      in.durable = Disk(p.snapshot, in.poisoned);
      in.durable_seq = p.seq;
    }
    ++stats_.syncs_ok;
  }
  cb(p.token, st);
}

size_t CrashFs::DeliverAll(const SyncCallback& cb) {
  int64_t far = now_us_;
  for (const Pending& p : pending_) far = std::max(far, p.due_us);
  return DeliverDue(far, cb);
}

size_t CrashFs::lost_syncs_pending() const {
  size_t n = 0;
  for (const Pending& p : pending_) n += p.lost ? 1 : 0;
  return n;
}

void CrashFs::Crash() {
  ++stats_.crashes;
  ++epoch_;
  for (const Pending& p : pending_) {
    if (p.lost) ++stats_.syncs_lost;
  }
  pending_.clear();
  // Names: each directory keeps a prefix of its unsynced operations.
  for (auto& [dir, log] : dir_log_) {
    size_t keep = log.size();
    auto plan = name_plans_.find(dir);
    if (plan == name_plans_.end()) plan = name_plans_.find(kAllDirs);
    if (plan != name_plans_.end()) {
      keep = std::min(keep, plan->second);
      stats_.names_undone += log.size() - keep;
    } else if (keep && faults_.names_undone && rng_.Chance(faults_.names_undone)) {
      keep = rng_.Below(log.size());
      stats_.names_undone += log.size() - keep;
    }
    for (size_t i = 0; i < keep; ++i) {
      const NameOp& op = log[i];
      if (op.kind == NameOp::kLink) durable_[op.path] = op.inode;
      if (op.kind == NameOp::kUnlink) durable_.erase(op.path);
      if (op.kind == NameOp::kRename) {
        durable_.erase(op.path);
        durable_[op.to] = op.inode;
      }
    }
  }
  dir_log_.clear();
  // Contents: durable bytes plus whatever part of the unsynced tail made it.
  std::map<Inode*, std::shared_ptr<Inode>> fresh;
  std::map<std::string, std::shared_ptr<Inode>> next;
  for (const auto& [path, old] : durable_) {
    auto [it, inserted] = fresh.try_emplace(old.get());
    if (inserted) {
      std::string disk = Disk(old->data, old->poisoned);
      std::string out = old->durable;
      if (disk.size() < out.size()) {
        if (rng_.Chance(500)) out = disk;  // the unsynced truncate happened
      } else if (disk.size() > out.size() && disk.compare(0, out.size(), out) == 0) {
        std::string tail = disk.substr(out.size());
        uint64_t base = out.size();
        auto plan = tail_plans_.find(path);
        if (plan != tail_plans_.end() || all_tails_plan_) {
          tail =
              PlannedTail(plan != tail_plans_.end() ? plan->second : *all_tails_plan_, tail, base);
        } else if (faults_.tail_lost && rng_.Chance(faults_.tail_lost)) {
          tail.clear();
          ++stats_.tails_lost;
        } else if (faults_.tail_torn && rng_.Chance(faults_.tail_torn)) {
          // Cut at a sector boundary of the file.
          uint64_t end = base + tail.size();
          uint64_t first = (base / 512 + 1) * 512;
          std::vector<uint64_t> cuts;
          for (uint64_t c = first; c < end; c += 512) cuts.push_back(c);
          uint64_t cut = cuts.empty() ? base : cuts[rng_.Below(cuts.size())];
          tail.resize(cut - base);
          ++stats_.tails_torn;
          if (faults_.tail_garbage && rng_.Chance(faults_.tail_garbage)) {
            size_t n = 1 + rng_.Below(511);
            for (size_t i = 0; i < n; ++i) tail.push_back(static_cast<char>(rng_.Next64()));
            ++stats_.tails_garbage;
          }
        } else if (faults_.pages_reorder && rng_.Chance(faults_.pages_reorder)) {
          // Writes reach the disk in any order, sector by sector (a device
          // promises no more than a sector's atomicity, and a small file's
          // tail seldom spans two 4 KiB pages): each unsynced sector kept or
          // not; the file reaches its last kept sector, earlier missing ones
          // read as zeros.
          uint64_t end = base + tail.size();
          uint64_t last_kept = base;
          std::string mixed = tail;
          for (uint64_t page = base / kSector * kSector; page < end; page += kSector) {
            uint64_t a = std::max(page, base), b = std::min(page + kSector, end);
            if (rng_.Chance(500)) {
              last_kept = b;
            } else {
              for (uint64_t i = a; i < b; ++i) mixed[i - base] = '\0';
            }
          }
          mixed.resize(last_kept - base);
          tail = mixed;
          ++stats_.pages_reordered;
        }
        out += tail;
      }
      // The file system allocated the zeros written ahead; some of them
      // reached the disk before the power went.
      if (old->reserved > 0 && faults_.zero_tail && zero_rng_.Chance(faults_.zero_tail)) {
        const uint64_t most = std::min<uint64_t>(old->reserved, 3 * kSector);
        out.append(static_cast<size_t>(zero_rng_.Range(1, static_cast<int64_t>(most))), '\0');
        ++stats_.zero_tails;
      }
      auto inode = std::make_shared<Inode>();
      inode->data = out;
      inode->durable = out;
      it->second = inode;
    }
    next[path] = it->second;
  }
  durable_ = next;
  live_ = next;
  // Plans are one-shot: the script sets them for this crash only.
  tail_plans_.clear();
  all_tails_plan_.reset();
  name_plans_.clear();
}

std::string CrashFs::PlannedTail(const TailPlan& plan, std::string tail, uint64_t base) {
  uint64_t end = base + tail.size();
  switch (plan.kind) {
    case TailPlan::kKept:
      break;
    case TailPlan::kLost:
      tail.clear();
      ++stats_.tails_lost;
      break;
    case TailPlan::kTorn:
    case TailPlan::kGarbage: {
      uint64_t cut = (base / 512 + plan.sector) * 512;
      if (plan.sector == 0) cut = base;
      tail.resize(std::min(cut, end) - base);
      ++stats_.tails_torn;
      if (plan.kind == TailPlan::kGarbage) {
        for (size_t i = 0; i < plan.garbage; ++i) {
          tail.push_back(static_cast<char>(rng_.Next64()));
        }
        ++stats_.tails_garbage;
      }
      break;
    }
    case TailPlan::kPages: {
      uint64_t last_kept = base;
      int index = 0;
      for (uint64_t page = base / 4096 * 4096; page < end; page += 4096, ++index) {
        uint64_t a = std::max(page, base), b = std::min(page + 4096, end);
        if (index < 64 && ((plan.pages >> index) & 1)) {
          last_kept = b;
        } else {
          for (uint64_t i = a; i < b; ++i) tail[i - base] = '\0';
        }
      }
      tail.resize(last_kept - base);
      ++stats_.pages_reordered;
      break;
    }
  }
  return tail;
}

std::string CrashFs::PathOf(const Inode* inode) const {
  for (const auto& [path, in] : live_) {
    if (in.get() == inode) return path;
  }
  return "";
}

void CrashFs::FailNextSync(const std::string& path) { ++fail_sync_[path]; }

void CrashFs::FailNextAppend(const std::string& path, AppendFault kind, size_t keep) {
  fail_append_[path] = AppendPlan{kind, keep};
}

void CrashFs::PlanCrashTail(const std::string& path, TailPlan plan) { tail_plans_[path] = plan; }

void CrashFs::PlanCrashTails(TailPlan plan) { all_tails_plan_ = plan; }

void CrashFs::PlanCrashNames(const std::string& dir, size_t keep) { name_plans_[dir] = keep; }

size_t CrashFs::unsynced_name_ops(const std::string& dir) const {
  auto it = dir_log_.find(dir);
  return it == dir_log_.end() ? 0 : it->second.size();
}

Status CrashFs::Corrupt(const std::string& path, uint64_t offset, std::string_view bytes) {
  auto it = live_.find(path);
  if (it == live_.end()) return Status::NotFound("crashfs: no file " + path);
  Inode& in = *it->second;
  if (offset + bytes.size() > in.data.size()) return Status::Invalid("crashfs: past the end");
  in.data.replace(offset, bytes.size(), bytes);
  if (offset < in.durable.size()) {
    size_t n = std::min<size_t>(bytes.size(), in.durable.size() - offset);
    in.durable.replace(offset, n, bytes.substr(0, n));
  }
  return Status::Ok();
}

std::vector<CrashFs::PendingSync> CrashFs::PendingSyncs() const {
  std::vector<const Pending*> order;
  for (const Pending& p : pending_) order.push_back(&p);
  std::sort(order.begin(), order.end(),
            [](const Pending* a, const Pending* b) { return a->seq < b->seq; });
  std::vector<PendingSync> out;
  for (const Pending* p : order) {
    out.push_back(
        PendingSync{p->token, p->dir ? p->dir_path : PathOf(p->inode.get()), p->dir, p->lost});
  }
  return out;
}

bool CrashFs::DeliverOne(uint64_t token, const SyncCallback& cb) {
  for (auto it = pending_.begin(); it != pending_.end(); ++it) {
    if (it->token != token || it->lost) continue;
    Pending p = std::move(*it);
    pending_.erase(it);
    Complete(std::move(p), cb);
    return true;
  }
  return false;
}

uint64_t CrashFs::DurableSize(const std::string& path) const {
  auto it = durable_.find(path);
  return it == durable_.end() ? 0 : it->second->durable.size();
}

std::map<std::string, std::string> CrashFs::Snapshot() const {
  std::map<std::string, std::string> out;
  for (const auto& [p, inode] : live_) out[p] = inode->data;
  return out;
}

std::map<std::string, uint64_t> CrashFs::TrustedLengths() const {
  std::map<std::string, uint64_t> out;
  for (const auto& [p, inode] : durable_) {
    uint64_t n = inode->durable.size();
    for (auto [a, b] : inode->poisoned) n = std::min<uint64_t>(n, a);
    out[p] = n;
  }
  return out;
}

std::map<std::string, std::string> CrashFs::DurableSnapshot() const {
  std::map<std::string, std::string> out;
  for (const auto& [p, inode] : durable_) out[p] = inode->durable;
  return out;
}

}  // namespace cairn::sim
