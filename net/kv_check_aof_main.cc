// kv-check-aof: checks (and with --fix repairs) an append-only file the way
// redis-check-aof 7.0 does, on a manifest (every file it names) or on one
// file (Redis 6 style). Uses the engine's own scan rules (engine/aof/
// file_scan.h), so it reports exactly what the server's loader would refuse
// or cut -- including Cairn's per-batch checksums.
//
//   kv-check-aof [--fix] [--yes] [--truncate-to-timestamp T] <file.manifest|file.aof>
//
// Exit status: 0 when valid (or repaired), 1 otherwise.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include "engine/aof/file_scan.h"
#include "engine/aof/manifest.h"
#include "engine/aof/rdb_reader.h"

namespace {

using cairn::aof::ScanResult;

struct Options {
  bool fix = false;
  bool yes = false;
  int64_t truncate_ts = -1;
  std::string path;
};

void Usage() {
  std::printf(
      "Usage: kv-check-aof [--fix|--truncate-to-timestamp $timestamp] [--yes] "
      "<file.manifest|file.aof>\n");
}

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

class NullRdb final : public cairn::aof::RdbSink {
 public:
  cairn::Status SelectDb(int) override { return cairn::Status::Ok(); }
  cairn::Status SetString(std::string_view, std::string_view, int64_t) override {
    return cairn::Status::Ok();
  }
};

bool LooksLikeManifest(const std::string& data) {
  size_t p = 0;
  while (p < data.size()) {
    size_t nl = data.find('\n', p);
    std::string line = data.substr(p, nl == std::string::npos ? std::string::npos : nl - p);
    if (!line.empty() && line[0] != '#') return line.rfind("file ", 0) == 0;
    if (nl == std::string::npos) break;
    p = nl + 1;
  }
  return false;
}

bool Confirm(const Options& o) {
  if (o.yes) return true;
  std::printf("Continue? [y/N]: ");
  std::fflush(stdout);
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return !answer.empty() && (answer[0] == 'y' || answer[0] == 'Y');
}

struct FileCheck {
  bool ok = true;
  size_t ok_up_to = 0;
  size_t size = 0;
  size_t ts_cut = std::string::npos;
  size_t space = 0;  // trailing zeros: space kv-server reserved, not records
};

// Checks one file; prints Redis's "AOF analyzed" line. line_base carries the
// line count across files, as redis-check-aof reports it.
FileCheck CheckFile(const std::string& path, const std::string& shown, int64_t truncate_ts,
                    size_t* line_base) {
  FileCheck fc;
  std::string data;
  if (!ReadFile(path, &data)) {
    std::printf("Cannot open file: %s\n", path.c_str());
    fc.ok = false;
    return fc;
  }
  fc.size = data.size();
  size_t start = 0;
  if (data.compare(0, 5, "REDIS") == 0) {
    NullRdb sink;
    auto end = cairn::aof::ReadRdbPreamble(data, sink);
    if (!end.ok()) {
      std::printf("RDB preamble of AOF %s is not valid: %s\n", shown.c_str(),
                  end.status().message().c_str());
      fc.ok = false;
      return fc;
    }
    std::printf("RDB preamble is OK, proceeding with AOF tail...\n");
    start = end.value();
  }
  ScanResult r = cairn::aof::ScanRecords(data, start, nullptr, truncate_ts);
  fc.ts_cut = r.timestamp_cut;
  size_t stop = data.size();
  if (r.outcome != ScanResult::Outcome::kClean) {
    fc.ok = false;
    fc.ok_up_to = r.offset;
    stop = r.outcome == ScanResult::Outcome::kTornTail && !r.checksummed ? data.size() : r.offset;
    std::printf("0x%16zx: %s\n", r.offset, r.reason.c_str());
    if (r.outcome == ScanResult::Outcome::kDamaged) {
      std::printf("AOF %s format error\n", shown.c_str());
    }
  } else {
    fc.ok_up_to = r.content_end;
    fc.space = data.size() - r.content_end;
  }
  // Redis counts lines from 1, skipping annotation lines.
  size_t lines = *line_base;
  for (size_t p = start; p < stop;) {
    size_t nl = data.find('\n', p);
    if (nl == std::string::npos || nl >= stop) break;
    if (data[p] != '#') ++lines;
    p = nl + 1;
  }
  *line_base = lines;
  std::printf("AOF analyzed: filename=%s, size=%zu, ok_up_to=%zu, ok_up_to_line=%zu, diff=%zu\n",
              shown.c_str(), fc.size, fc.ok_up_to, lines, fc.size - fc.ok_up_to);
  if (fc.space > 0) {
    std::printf(
        "AOF %s ends in %zu zero bytes after offset %zu: space kv-server reserved, not records. "
        "kv-server loads the file as it is; --fix cuts them for redis-server\n",
        shown.c_str(), fc.space, fc.ok_up_to);
  }
  return fc;
}

// Cuts the file and makes the cut durable before the server can start on it:
// an unsynced truncate can be undone by a power loss after the server has
// appended where the cut was, leaving damage before bytes it synced.
bool TruncateDurably(const std::string& path, size_t size) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::ftruncate(fd, static_cast<off_t>(size)) == 0 && ::fsync(fd) == 0;
  int saved = errno;
  ::close(fd);
  errno = saved;
  return ok;
}

// --fix on a valid file that ends in reserved space: cut it, so that
// redis-server, which takes zeros for a format error, can load the file.
int CutSpace(const std::string& path, const std::string& shown, const FileCheck& fc) {
  if (!TruncateDurably(path, fc.ok_up_to)) {
    std::printf("Failed to truncate AOF %s: %s\n", shown.c_str(), std::strerror(errno));
    return 1;
  }
  std::printf("Successfully truncated AOF %s (%zu zero bytes cut)\n", shown.c_str(), fc.space);
  return 0;
}

int Truncate(const Options& o, const std::string& path, const std::string& shown,
             const FileCheck& fc) {
  std::printf("This will shrink the AOF %s from %zu bytes, with %zu bytes, to %zu bytes\n",
              shown.c_str(), fc.size, fc.size - fc.ok_up_to, fc.ok_up_to);
  if (!Confirm(o)) {
    std::printf("Aborting...\n");
    return 1;
  }
  if (!TruncateDurably(path, fc.ok_up_to)) {
    std::printf("Failed to truncate AOF %s: %s\n", shown.c_str(), std::strerror(errno));
    return 1;
  }
  std::printf("Successfully truncated AOF %s\n", shown.c_str());
  return 0;
}

int TruncateToTimestamp(const std::string& path, const std::string& shown, size_t at, int64_t ts) {
  if (!TruncateDurably(path, at)) {
    std::printf("Failed to truncate AOF %s to timestamp %lld: %s\n", shown.c_str(),
                static_cast<long long>(ts), std::strerror(errno));
    return 1;
  }
  std::printf("Successfully truncated AOF %s to timestamp %lld\n", shown.c_str(),
              static_cast<long long>(ts));
  return 0;
}

int CheckSingle(const Options& o) {
  std::printf("Start checking Old-Style AOF\n");
  size_t lines = 1;
  FileCheck fc = CheckFile(o.path, o.path, o.truncate_ts, &lines);
  if (fc.size == 0 && !fc.ok && fc.ok_up_to == 0 && lines == 1) return 1;
  if (o.truncate_ts >= 0) {
    if (!fc.ok) {
      std::printf("AOF %s is not valid: fix it before truncating to a timestamp\n", o.path.c_str());
      return 1;
    }
    if (fc.ts_cut == std::string::npos) {
      std::printf("No record after timestamp %lld in AOF %s: nothing to truncate\n",
                  static_cast<long long>(o.truncate_ts), o.path.c_str());
      return 0;
    }
    return TruncateToTimestamp(o.path, o.path, fc.ts_cut, o.truncate_ts);
  }
  if (fc.ok) {
    std::printf("AOF %s is valid\n", o.path.c_str());
    return fc.space > 0 && o.fix ? CutSpace(o.path, o.path, fc) : 0;
  }
  if (!o.fix) {
    std::printf("AOF %s is not valid. Use the --fix option to try fixing it.\n", o.path.c_str());
    return 1;
  }
  return Truncate(o, o.path, o.path, fc);
}

int CheckManifest(const Options& o, const std::string& text) {
  std::printf("Start checking Multi Part AOF\n");
  auto m = cairn::aof::Manifest::Parse(text);
  if (!m.ok()) {
    std::printf("Invalid AOF manifest file format: %s\n", m.status().message().c_str());
    return 1;
  }
  std::string dir = ".";
  size_t slash = o.path.rfind('/');
  if (slash != std::string::npos) dir = o.path.substr(0, slash);
  std::vector<const cairn::aof::ManifestFile*> files;
  if (m.value().base) files.push_back(&*m.value().base);
  for (const auto& f : m.value().incrs) files.push_back(&f);
  size_t lines = 1;
  bool incr_started = false;
  for (size_t i = 0; i < files.size(); ++i) {
    const auto& f = *files[i];
    bool base = f.type == cairn::aof::FileType::kBase;
    std::string path = dir + "/" + f.name;
    if (base) {
      std::string head;
      std::ifstream in(path, std::ios::binary);
      char buf[5] = {};
      in.read(buf, 5);
      bool rdb = in.gcount() == 5 && std::memcmp(buf, "REDIS", 5) == 0;
      std::printf("Start to check BASE AOF (%s format).\n", rdb ? "RDB" : "RESP");
    } else if (!incr_started) {
      std::printf("Start to check INCR files.\n");
      incr_started = true;
    }
    FileCheck fc = CheckFile(path, f.name, o.truncate_ts, &lines);
    bool last = i + 1 == files.size();
    if (o.truncate_ts >= 0 && fc.ok && fc.ts_cut != std::string::npos) {
      if (!last) {
        std::printf("Failed to truncate AOF %s to timestamp %lld: the file is not the last one\n",
                    f.name.c_str(), static_cast<long long>(o.truncate_ts));
        return 1;
      }
      return TruncateToTimestamp(path, f.name, fc.ts_cut, o.truncate_ts);
    }
    if (fc.ok) {
      std::printf("%s AOF %s is valid\n", base ? "BASE" : "INCR", f.name.c_str());
      if (fc.space > 0 && o.fix && CutSpace(path, f.name, fc) != 0) return 1;
      continue;
    }
    if (!last) {
      std::printf(
          "AOF %s is not valid, and it is not the last file: it cannot be fixed by "
          "truncation\n",
          f.name.c_str());
      return 1;
    }
    if (!o.fix) {
      std::printf("AOF %s is not valid. Use the --fix option to try fixing it.\n", f.name.c_str());
      return 1;
    }
    return Truncate(o, path, f.name, fc);
  }
  std::printf("All AOF files and manifest are valid\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  std::vector<std::string> args(argv + 1, argv + argc);
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--fix") {
      o.fix = true;
    } else if (args[i] == "--yes") {
      o.yes = true;
    } else if (args[i] == "--truncate-to-timestamp" && i + 1 < args.size()) {
      char* end = nullptr;
      o.truncate_ts = std::strtoll(args[++i].c_str(), &end, 10);
      if (*end != '\0' || o.truncate_ts < 0) {
        std::printf("Invalid timestamp: %s\n", args[i].c_str());
        return 1;
      }
    } else if (o.path.empty() && (args[i].empty() || args[i][0] != '-')) {
      o.path = args[i];
    } else {
      Usage();
      return 1;
    }
  }
  if (o.path.empty() || (o.fix && o.truncate_ts >= 0)) {
    Usage();
    return 1;
  }
  std::string data;
  if (!ReadFile(o.path, &data)) {
    std::printf("Cannot open file: %s\n", o.path.c_str());
    return 1;
  }
  if (LooksLikeManifest(data)) return CheckManifest(o, data);
  return CheckSingle(o);
}
