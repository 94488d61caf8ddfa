// kv-bench: a load generator that speaks redis-benchmark's command line and
// output (see options.h for the flags, report.h for the formats), against a
// server over TCP or, with --inproc, against an Engine in this process.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <unistd.h>

#include "bench/kvbench/options.h"
#include "bench/kvbench/report.h"
#include "bench/kvbench/runner.h"
#include "bench/kvbench/workload.h"
#include "bench/support/bench_env.h"
#include "engine/version.h"

namespace {

int Run(int argc, char** argv) {
  using namespace cairn::kvbench;
  // A server that goes away mid-write is an error kv-bench reports, not a
  // signal that kills it silently.
  std::signal(SIGPIPE, SIG_IGN);
  std::vector<std::string> args(argv + 1, argv + argc);
  auto parsed = ParseOptions(args);
  if (!parsed.ok()) {
    std::fprintf(stderr, "%s\n", parsed.status().message().c_str());
    return 1;
  }
  const Options& o = parsed.value();
  if (o.help) {
    std::fputs(UsageText().c_str(), stdout);
    return 0;
  }
  if (o.version) {
    std::printf("kv-bench v=%s (Cairn)\n", cairn::kCairnVersion);
    return 0;
  }
  std::unique_ptr<cairn::bench::InprocEngine> inproc;
  std::string inproc_dir;
  if (o.inproc) {
    // Like the servers the harness compares, the engine runs without its
    // log unless --engine-config "appendonly yes" asks for it (Cairn's own
    // default is on); its files go to a directory of its own, removed at the
    // end.
    const char* tmp = std::getenv("TMPDIR");
    std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/kv-bench-inproc-XXXXXX";
    if (::mkdtemp(templ.data()) == nullptr) {
      std::perror("kv-bench: mkdtemp");
      return 1;
    }
    inproc_dir = templ;
    std::vector<std::string> config = {"--dir", inproc_dir, "--appendonly", "no"};
    config.insert(config.end(), o.engine_config.begin(), o.engine_config.end());
    try {
      inproc = std::make_unique<cairn::bench::InprocEngine>(config);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s\n", e.what());
      std::filesystem::remove_all(inproc_dir);
      return 1;
    }
  }
  struct RemoveDir {
    std::string path;
    ~RemoveDir() {
      if (!path.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
      }
    }
  } remove_dir{inproc_dir};

  std::vector<TestSpec> tests = ExpandTests(o);
  std::vector<TestResult> results;
  bool csv_header = false;
  do {
    for (const TestSpec& test : tests) {
      auto result = o.inproc ? RunInProcess(o, test, *inproc) : RunOverNetwork(o, test);
      if (!result.ok()) {
        std::fprintf(stderr, "%s\n", result.status().message().c_str());
        return 1;
      }
      const TestResult& r = result.value();
      if (r.errors > 0 && o.output != OutputMode::kFull) {
        std::fprintf(stderr, "%s: %llu error replies, first: %s\n", r.title.c_str(),
                     static_cast<unsigned long long>(r.errors), r.first_error.c_str());
      }
      switch (o.output) {
        case OutputMode::kQuiet:
          std::fputs(QuietLine(r).c_str(), stdout);
          break;
        case OutputMode::kCsv:
          if (!csv_header) std::fputs(CsvHeader().c_str(), stdout);
          csv_header = true;
          std::fputs(CsvLine(r).c_str(), stdout);
          break;
        case OutputMode::kFull:
          std::fputs(FullReport(r, o).c_str(), stdout);
          break;
        case OutputMode::kJson:
          results.push_back(r);
          break;
      }
      std::fflush(stdout);
    }
  } while (o.loop);
  if (o.output == OutputMode::kJson) std::fputs(JsonDocument(results, o).c_str(), stdout);
  if (o.output == OutputMode::kQuiet || o.output == OutputMode::kCsv) std::fputs("\n", stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kv-bench: %s\n", e.what());
    return 1;
  }
}
