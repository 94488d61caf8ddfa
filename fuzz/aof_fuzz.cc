// libFuzzer target: the AOF manifest parser, the record scanner and the
// loader on damaged files. The first byte picks what the rest of the input
// is fed to:
//   0  Manifest::Parse: text that parses prints to text that parses back to
//      the same manifest (when its printed lines fit the line limit); a
//      refusal carries the "aof: manifest" prefix.
//   1  ScanRecords over one file: offsets stay inside the file; a torn tail
//      cut off leaves a clean file with exactly the records already applied;
//      damage names a reason.
//   2  LoadAof on an in-memory directory whose manifest names a base and an
//      incr file cut from the input (the manifest itself is fuzzed when the
//      next byte is odd): the load either succeeds or is refused with an
//      "aof: " message; a load that cut a torn tail loads cleanly again, with
//      the same records, and a refusal leaves every file as it was.
// Crashes, hangs and sanitizer reports are the fuzzer's to find.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/aof/file_scan.h"
#include "engine/aof/loader.h"
#include "engine/aof/manifest.h"
#include "fuzz/fuzz_input.h"
#include "tests/support/fake_env.h"

namespace {

using cairn::Status;
using cairn::fuzz::FuzzInput;
namespace aof = cairn::aof;

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "aof_fuzz: %s\n", what.c_str());
  std::abort();
}

// Keeps every record it is given (as one joined string) to compare runs.
class CollectingReplayer final : public aof::Replayer {
 public:
  Status Apply(std::span<const std::string_view> args) override {
    std::string r;
    for (std::string_view a : args) {
      r += std::to_string(a.size());
      r += ':';
      r += a;
    }
    records.push_back(std::move(r));
    return Status::Ok();
  }
  std::vector<std::string> records;
};

class NullRdb final : public aof::RdbSink {
 public:
  Status SelectDb(int) override { return Status::Ok(); }
  Status SetString(std::string_view, std::string_view, int64_t) override { return Status::Ok(); }
};

void FuzzManifest(std::string_view text) {
  auto m = aof::Manifest::Parse(text);
  if (!m.ok()) {
    if (m.status().message().rfind("aof: manifest", 0) != 0) {
      Fail("manifest refusal without its prefix: " + std::string(m.status().message()));
    }
    return;
  }
  std::string printed = m.value().Print();
  // A name of odd bytes prints quoted with escapes, which can push its line
  // past the 1024-byte limit both Redis and Cairn put on manifest lines; only
  // names whose printed line fits must come back.
  for (size_t p = 0, nl; (nl = printed.find('\n', p)) != std::string::npos; p = nl + 1) {
    if (nl - p > 1024) return;
  }
  auto again = aof::Manifest::Parse(printed);
  if (!again.ok())
    Fail("printed manifest does not parse: " + std::string(again.status().message()));
  if (!(again.value() == m.value())) Fail("manifest round trip changed it:\n" + printed);
}

void FuzzScan(std::string_view data) {
  CollectingReplayer all;
  aof::ScanResult r = aof::ScanRecords(data, 0, &all);
  if (r.offset > data.size()) Fail("scan offset past the end of the file");
  if (r.records != all.records.size()) Fail("record count differs from records applied");
  switch (r.outcome) {
    case aof::ScanResult::Outcome::kClean:
      return;
    case aof::ScanResult::Outcome::kDamaged:
      if (r.reason.empty()) Fail("damage without a reason");
      return;
    case aof::ScanResult::Outcome::kTornTail: {
      if (r.reason.empty()) Fail("torn tail without a reason");
      CollectingReplayer cut;
      aof::ScanResult c = aof::ScanRecords(data.substr(0, r.offset), 0, &cut);
      if (c.outcome != aof::ScanResult::Outcome::kClean) {
        Fail("the file cut at its torn tail (offset " + std::to_string(r.offset) +
             ") is not clean: " + c.reason);
      }
      if (cut.records != all.records) Fail("the cut file replays different records");
      return;
    }
  }
}

void FuzzLoad(FuzzInput& in) {
  cairn::testing::MemoryFs fs;
  cairn::testing::CapturingLogger log;
  aof::AofPaths paths{"/data", "appendonlydir", "appendonly.aof"};
  std::string manifest;
  if (in.Bool()) {
    manifest = in.String(256);
  } else {
    manifest =
        "file appendonly.aof.1.base.aof seq 1 type b\n"
        "file appendonly.aof.1.incr.aof seq 1 type i\n";
  }
  std::string base = in.String(4096);
  std::string incr(in.Rest());
  if (!fs.CreateDir("/data").ok() || !fs.CreateDir(paths.AofDir()).ok()) Fail("mkdir");
  fs.files()[paths.ManifestPath()] = manifest;
  fs.files()[paths.InAofDir("appendonly.aof.1.base.aof")] = base;
  fs.files()[paths.InAofDir("appendonly.aof.1.incr.aof")] = incr;
  auto before = fs.files();

  CollectingReplayer first;
  NullRdb rdb;
  auto loaded = aof::LoadAof(fs, log, paths, /*load_truncated=*/true, first, rdb);
  if (!loaded.ok()) {
    if (loaded.status().message().rfind("aof: ", 0) != 0) {
      Fail("load refusal without its prefix: " + std::string(loaded.status().message()));
    }
    if (fs.files() != before) Fail("a refused load changed the files");
    return;
  }
  if (loaded.value().records != first.records.size()) Fail("load record count differs");
  CollectingReplayer second;
  auto again = aof::LoadAof(fs, log, paths, /*load_truncated=*/false, second, rdb);
  if (!again.ok()) {
    Fail("a loaded directory does not load again: " + std::string(again.status().message()));
  }
  if (again.value().last_cut) Fail("the second load cut the last file again");
  if (second.records != first.records) Fail("the second load replays different records");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzInput in(data, size);
  switch (in.Byte() % 3) {
    case 0:
      FuzzManifest(in.Rest());
      break;
    case 1:
      FuzzScan(in.Rest());
      break;
    default:
      FuzzLoad(in);
      break;
  }
  return 0;
}
