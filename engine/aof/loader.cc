#include "engine/aof/loader.h"

#include <algorithm>

#include "engine/aof/rdb_reader.h"
#include "engine/aof/record.h"
#include "engine/util/planted_bugs.h"

namespace cairn::aof {

Result<std::string> ReadWholeFile(FileSystem& fs, const std::string& path) {
  auto f = fs.OpenRead(path);
  if (!f.ok()) return f.status();
  std::string out;
  auto size = fs.FileSize(path);
  if (size.ok()) out.reserve(size.value());
  char buf[1 << 16];
  while (true) {
    auto n = f.value()->Read(buf, sizeof(buf));
    if (!n.ok()) return n.status();
    if (n.value() == 0) break;
    out.append(buf, n.value());
  }
  return out;
}

namespace {

// Adopts a Redis 6 single file dir/<appendfilename>: a manifest naming it as
// base seq 1 is written first (temp + rename), then the file is moved in.
Status AdoptSingleFile(FileSystem& fs, Logger& log, const AofPaths& p) {
  Status st = fs.CreateDir(p.AofDir());
  if (!st.ok()) return st.Prefixed("aof: cannot create " + p.AofDir());
  Manifest m;
  m.base = ManifestFile{p.appendfilename, 1, FileType::kBase};
  m.base_seq = 1;
  std::string temp = p.InAofDir(TempManifestName(p.appendfilename));
  auto f = fs.OpenAppend(temp, /*truncate=*/true);
  if (!f.ok()) return f.status();
  size_t n = 0;
  std::string text = m.Print();
  st = f.value()->Append(text, &n);
  if (!st.ok()) return st;
  st = fs.Rename(temp, p.ManifestPath());
  if (!st.ok()) return st;
  log.Log(LogLevel::kNotice, "Creating AOF base file " + p.appendfilename + " on server start");
  return Status::Ok();
}

// The planted loader-skips-damage bug's resume point: just past the first
// checksum line after offset (the damaged batch's end), or npos.
size_t PastNextChecksum(const std::string& bytes, size_t offset) {
  std::string needle = "\n";
  needle += kChecksumPrefix;
  size_t p = bytes.find(needle, offset);
  if (p == std::string::npos) return p;
  size_t nl = bytes.find('\n', p + 1);
  return nl == std::string::npos ? nl : nl + 1;
}

struct FileLoad {
  uint64_t size = 0;
  uint64_t records = 0;
  bool cut = false;  // a torn tail or reserved space was cut off
  uint64_t covered_end = 0;
};

Result<FileLoad> LoadFile(FileSystem& fs, Logger& log, const std::string& path,
                          const std::string& name, bool last, bool load_truncated,
                          Replayer& replayer, RdbSink& rdb, const uint32_t* bugs) {
  auto data = ReadWholeFile(fs, path);
  if (!data.ok()) {
    if (data.status().code() == Status::Code::kNotFound) {
      return Status::NotFound("aof: the manifest names " + name + ", which does not exist");
    }
    return data.status().Prefixed("aof: reading " + name);
  }
  const std::string& bytes = data.value();
  FileLoad out;
  out.size = bytes.size();
  replayer.BeginFile();
  size_t start = 0;
  if (bytes.compare(0, 5, "REDIS") == 0) {
    auto end = ReadRdbPreamble(bytes, rdb);
    if (!end.ok()) return end.status().Prefixed("aof: " + name);
    start = end.value();
  }
  ScanResult r = ScanRecords(bytes, start, &replayer, -1, bugs);
  while (r.outcome == ScanResult::Outcome::kDamaged && Planted(bugs, kBugLoaderSkipsDamage)) {
    // Planted bug: the damaged batch is skipped and the load goes on.
    size_t resume = PastNextChecksum(bytes, r.offset);
    if (resume == std::string::npos || resume >= bytes.size()) {
      r.outcome = ScanResult::Outcome::kClean;
      break;
    }
    uint64_t records = r.records;
    r = ScanRecords(bytes, resume, &replayer);
    r.records += records;
  }
  out.records = r.records;
  out.covered_end = r.covered_end;
  switch (r.outcome) {
    case ScanResult::Outcome::kClean:
      if (r.content_end < bytes.size()) {
        // Space the log had reserved ahead (file_scan.h). The log goes on
        // where the records end, so the last file is cut there.
        out.size = r.content_end;
        if (last) {
          Status st = fs.Truncate(path, r.content_end);
          if (!st.ok()) return st.Prefixed("aof: cutting the reserved space of " + name);
          out.cut = true;
        }
        log.Log(LogLevel::kVerbose,
                "AOF " + name + ": " + std::to_string(bytes.size() - r.content_end) +
                    " bytes of reserved space after offset " + std::to_string(r.content_end));
      }
      return out;
    case ScanResult::Outcome::kDamaged:
      return Status::Corruption("aof: " + name + " is damaged at offset " +
                                std::to_string(r.offset) + ": " + r.reason +
                                " (kv-check-aof can report and repair it)");
    case ScanResult::Outcome::kTornTail:
      break;
  }
  if (!last) {
    return Status::Corruption("aof: " + name + " ends in a torn record at offset " +
                              std::to_string(r.offset) + " (" + r.reason +
                              "), and it is not the last file");
  }
  if (!load_truncated) {
    return Status::Corruption("aof: " + name + " has a torn tail at offset " +
                              std::to_string(r.offset) + " (" + r.reason +
                              "); aof-load-truncated is no. Run kv-check-aof --fix");
  }
  log.Log(LogLevel::kWarning,
          "!!! Warning: short read while loading the AOF file " + name + "!!! (" + r.reason + ")");
  Status st = fs.Truncate(path, r.offset);
  if (!st.ok()) return st.Prefixed("aof: cutting the torn tail of " + name);
  log.Log(LogLevel::kWarning, "AOF " + name +
                                  " loaded anyway because aof-load-truncated is "
                                  "enabled; cut " +
                                  std::to_string(bytes.size() - r.offset) + " bytes at offset " +
                                  std::to_string(r.offset));
  out.size = r.offset;
  out.cut = true;
  return out;
}

}  // namespace

Result<LoadOutcome> LoadAof(FileSystem& fs, Logger& log, const AofPaths& p, bool load_truncated,
                            Replayer& replayer, RdbSink& rdb, const uint32_t* bugs) {
  LoadOutcome out;
  std::string single = p.dir + "/" + p.appendfilename;
  bool have_manifest = fs.Exists(p.ManifestPath());
  if (!have_manifest) {
    bool in_root = fs.Exists(single);
    bool moved = fs.Exists(p.InAofDir(p.appendfilename));
    if (!in_root && !moved) return out;  // a fresh start
    Status st = AdoptSingleFile(fs, log, p);
    if (!st.ok()) return st.Prefixed("aof: adopting " + single);
    out.adopted_single_file = true;
  }
  auto text = ReadWholeFile(fs, p.ManifestPath());
  if (!text.ok()) return text.status().Prefixed("aof: reading the manifest");
  auto m = Manifest::Parse(text.value());
  if (!m.ok()) return m.status();
  out.found = true;
  out.manifest = std::move(m).value();
  // Finish a Redis 6 adoption that stopped before the move.
  if (out.manifest.base && out.manifest.base->name == p.appendfilename &&
      !fs.Exists(p.InAofDir(p.appendfilename)) && fs.Exists(single)) {
    Status st = fs.Rename(single, p.InAofDir(p.appendfilename));
    if (!st.ok()) return st.Prefixed("aof: moving " + single + " into " + p.AofDir());
    out.adopted_single_file = true;
  }
  std::vector<const ManifestFile*> files;
  if (out.manifest.base) files.push_back(&*out.manifest.base);
  for (const ManifestFile& f : out.manifest.incrs) files.push_back(&f);
  for (size_t i = 0; i < files.size(); ++i) {
    const ManifestFile& f = *files[i];
    auto loaded = LoadFile(fs, log, p.InAofDir(f.name), f.name, i + 1 == files.size(),
                           load_truncated, replayer, rdb, bugs);
    if (!loaded.ok()) return loaded.status();
    if (f.type == FileType::kBase) out.base_size = loaded.value().size;
    out.total_size += loaded.value().size;
    out.records += loaded.value().records;
    if (i + 1 == files.size()) {
      out.last_cut = loaded.value().cut;
      out.last_size = loaded.value().size;
      out.last_covered_end = std::min(loaded.value().covered_end, loaded.value().size);
    }
  }
  return out;
}

}  // namespace cairn::aof
