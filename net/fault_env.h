// FaultEnv: the POSIX Env with faults a test can switch on while kv-server
// runs -- for process tests of the append-only file's error handling
// (ENOSPC, EIO, short writes, failed fdatasync) through the real server.
//
// kv-server uses it only when CAIRN_FAULT_FILE names a control file. Before
// every append and every sync it reads that file (when it exists):
//   "enospc"     appends fail with ENOSPC after writing nothing
//   "short"      appends write half their bytes, then fail with ENOSPC
//   "eio"        appends fail with EIO
//   "fsync-eio"  syncs of regular files complete with EIO (the data stays in
//                the page cache, as after a real failed fdatasync)
//   "kill-meta N" the process kills itself with SIGKILL just before the Nth
//                name operation (create, rename, remove, truncate, directory
//                sync) it makes after the mode appeared -- with the log open
//                only a rewrite makes those, so N walks a rewrite step by step
// No file (or any other text): no fault. Tests create, change and remove the
// file to script a disk that fails and recovers.
#pragma once

#include <memory>
#include <set>
#include <string>

#include "net/posix_env.h"

namespace cairn {

class FaultFileSystem final : public FileSystem {
 public:
  FaultFileSystem(FileSystem& base, std::string control)
      : base_(base), control_(std::move(control)) {}

  Result<std::unique_ptr<WritableFile>> OpenAppend(const std::string& path, bool truncate) override;
  Result<std::unique_ptr<SequentialFile>> OpenRead(const std::string& path) override {
    return base_.OpenRead(path);
  }
  Result<uint64_t> FileSize(const std::string& path) override { return base_.FileSize(path); }
  bool Exists(const std::string& path) override { return base_.Exists(path); }
  Status CreateDir(const std::string& path) override {
    MaybeKill("mkdir", path);
    return base_.CreateDir(path);
  }
  Result<std::vector<std::string>> ListDir(const std::string& path) override {
    return base_.ListDir(path);
  }
  Status Rename(const std::string& from, const std::string& to) override {
    MaybeKill("rename", from + " -> " + to);
    return base_.Rename(from, to);
  }
  Status Remove(const std::string& path) override {
    MaybeKill("unlink", path);
    return base_.Remove(path);
  }
  Status Truncate(const std::string& path, uint64_t size) override {
    MaybeKill("truncate", path);
    return base_.Truncate(path, size);
  }
  void RequestSync(WritableFile& file, uint64_t token) override;
  void RequestWaitedSync(WritableFile& file, uint64_t token) override;
  void RequestDirSync(const std::string& path, uint64_t token) override {
    MaybeKill("fsync dir", path);
    base_.RequestDirSync(path, token);
  }

  // The fault now in force ("" for none).
  std::string Mode() const;
  // Whether token's completion must report a failure (called on the engine
  // thread when the completion arrives; forgets the token).
  bool TakeFailedSync(uint64_t token);

 private:
  // Under "kill-meta N": counts name operations, dies before the Nth.
  void MaybeKill(const char* op, const std::string& what);

  FileSystem& base_;
  std::string control_;
  int meta_ops_ = 0;                 // name operations since "kill-meta" appeared
  std::set<uint64_t> failed_syncs_;  // engine thread only
};

class FaultEnv final : public Env {
 public:
  FaultEnv(PosixEnv& base, std::string control) : base_(base), fs_(base.fs(), std::move(control)) {}
  Clock& clock() override { return base_.clock(); }
  RandomSource& random() override { return base_.random(); }
  FileSystem& fs() override { return fs_; }
  Logger& logger() override { return base_.logger(); }
  FaultFileSystem& fault_fs() { return fs_; }

 private:
  PosixEnv& base_;
  FaultFileSystem fs_;
};

}  // namespace cairn
