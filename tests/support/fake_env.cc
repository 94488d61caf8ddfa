#include "tests/support/fake_env.h"

#include <algorithm>
#include <cstring>

namespace cairn::testing {
namespace {

class MemoryWritableFile final : public WritableFile {
 public:
  MemoryWritableFile(MemoryFs& fs, std::map<std::string, std::string>& files, std::string path)
      : fs_(fs), files_(files), path_(std::move(path)) {}
  Status Append(std::string_view data, size_t* written) override {
    if (!fs_.append_error().ok()) {
      size_t n = std::min(data.size(), fs_.short_write_bytes());
      files_[path_].append(data.substr(0, n));
      *written = n;
      return fs_.append_error();
    }
    files_[path_].append(data);
    *written = data.size();
    return Status::Ok();
  }
  Status Truncate(uint64_t size) override {
    files_[path_].resize(size);
    return Status::Ok();
  }
  uint64_t Size() const override {
    auto it = files_.find(path_);
    return it == files_.end() ? 0 : it->second.size();
  }
  const std::string& path() const override { return path_; }
  void SetPreallocation(uint64_t chunk) override { fs_.preallocation()[path_] = chunk; }

 private:
  MemoryFs& fs_;
  std::map<std::string, std::string>& files_;
  std::string path_;
};

class MemorySequentialFile final : public SequentialFile {
 public:
  explicit MemorySequentialFile(std::string data) : data_(std::move(data)) {}
  Result<size_t> Read(char* buf, size_t n) override {
    size_t k = std::min(n, data_.size() - pos_);
    std::memcpy(buf, data_.data() + pos_, k);
    pos_ += k;
    return k;
  }

 private:
  std::string data_;
  size_t pos_ = 0;
};

std::string Parent(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

std::string Base(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

Result<std::unique_ptr<WritableFile>> MemoryFs::OpenAppend(const std::string& path, bool truncate) {
  auto& f = files_[path];
  if (truncate) f.clear();
  return std::unique_ptr<WritableFile>(std::make_unique<MemoryWritableFile>(*this, files_, path));
}

Result<std::unique_ptr<SequentialFile>> MemoryFs::OpenRead(const std::string& path) {
  auto it = files_.find(path);
  if (it == files_.end()) return Status::NotFound("open " + path + ": No such file or directory");
  return std::unique_ptr<SequentialFile>(std::make_unique<MemorySequentialFile>(it->second));
}

Result<uint64_t> MemoryFs::FileSize(const std::string& path) {
  auto it = files_.find(path);
  if (it == files_.end()) return Status::NotFound("stat " + path + ": No such file or directory");
  return static_cast<uint64_t>(it->second.size());
}

bool MemoryFs::Exists(const std::string& path) {
  return files_.count(path) > 0 || dirs_.count(path) > 0;
}

Status MemoryFs::CreateDir(const std::string& path) {
  dirs_[path] = true;
  return Status::Ok();
}

Result<std::vector<std::string>> MemoryFs::ListDir(const std::string& path) {
  std::vector<std::string> out;
  for (const auto& [name, data] : files_) {
    if (Parent(name) == path) out.push_back(Base(name));
  }
  return out;
}

Status MemoryFs::Rename(const std::string& from, const std::string& to) {
  auto it = files_.find(from);
  if (it == files_.end()) return Status::NotFound("rename " + from + ": No such file or directory");
  files_[to] = std::move(it->second);
  files_.erase(from);
  return Status::Ok();
}

Status MemoryFs::Remove(const std::string& path) {
  if (files_.erase(path) == 0) return Status::NotFound("unlink " + path);
  return Status::Ok();
}

Status MemoryFs::Truncate(const std::string& path, uint64_t size) {
  auto it = files_.find(path);
  if (it == files_.end()) return Status::NotFound("truncate " + path);
  it->second.resize(size);
  return Status::Ok();
}

void MemoryFs::RequestSync(WritableFile&, uint64_t token) { pending_.push_back(token); }

void MemoryFs::RequestWaitedSync(WritableFile&, uint64_t token) {
  pending_.push_back(token);
  waited_.push_back(token);
}

void MemoryFs::RequestDirSync(const std::string&, uint64_t token) { pending_.push_back(token); }

}  // namespace cairn::testing
