#include "net/fault_env.h"

#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace cairn {
namespace {

class FaultWritableFile final : public WritableFile {
 public:
  FaultWritableFile(std::unique_ptr<WritableFile> base, const FaultFileSystem& fs)
      : base_(std::move(base)), fs_(fs) {}
  WritableFile& base() { return *base_; }

  Status Append(std::string_view data, size_t* written) override {
    std::string mode = fs_.Mode();
    if (mode == "enospc") {
      *written = 0;
      return Status::NoSpace("write " + path() + ": No space left on device");
    }
    if (mode == "eio") {
      *written = 0;
      return Status::Io("write " + path() + ": Input/output error", 5);
    }
    if (mode == "short" && data.size() > 1) {
      Status st = base_->Append(data.substr(0, data.size() / 2), written);
      if (!st.ok()) return st;
      return Status::NoSpace("write " + path() + ": No space left on device");
    }
    return base_->Append(data, written);
  }
  Status Truncate(uint64_t size) override { return base_->Truncate(size); }
  uint64_t Size() const override { return base_->Size(); }
  const std::string& path() const override { return base_->path(); }
  void SetPreallocation(uint64_t chunk) override { base_->SetPreallocation(chunk); }

 private:
  std::unique_ptr<WritableFile> base_;
  const FaultFileSystem& fs_;
};

}  // namespace

std::string FaultFileSystem::Mode() const {
  std::ifstream in(control_);
  if (!in) return "";
  std::string word;
  in >> word;
  return word;
}

void FaultFileSystem::MaybeKill(const char* op, const std::string& what) {
  std::ifstream in(control_);
  std::string word;
  int n = 0;
  if (!(in >> word >> n) || word != "kill-meta") {
    meta_ops_ = 0;
    return;
  }
  if (++meta_ops_ < n) return;
  std::fprintf(stderr, "fault: SIGKILL before name operation %d (%s %s)\n", meta_ops_, op,
               what.c_str());
  std::fflush(stderr);
  ::raise(SIGKILL);
}

Result<std::unique_ptr<WritableFile>> FaultFileSystem::OpenAppend(const std::string& path,
                                                                  bool truncate) {
  if (truncate || !base_.Exists(path)) MaybeKill("create", path);
  auto f = base_.OpenAppend(path, truncate);
  if (!f.ok()) return f.status();
  return std::unique_ptr<WritableFile>(
      std::make_unique<FaultWritableFile>(std::move(f).value(), *this));
}

void FaultFileSystem::RequestSync(WritableFile& file, uint64_t token) {
  if (Mode() == "fsync-eio") failed_syncs_.insert(token);
  base_.RequestSync(static_cast<FaultWritableFile&>(file).base(), token);
}

void FaultFileSystem::RequestWaitedSync(WritableFile& file, uint64_t token) {
  if (Mode() == "fsync-eio") failed_syncs_.insert(token);
  base_.RequestWaitedSync(static_cast<FaultWritableFile&>(file).base(), token);
}

bool FaultFileSystem::TakeFailedSync(uint64_t token) { return failed_syncs_.erase(token) != 0; }

}  // namespace cairn
