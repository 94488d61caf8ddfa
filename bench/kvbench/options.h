// kv-bench's command line: redis-benchmark's flags with their meaning, plus
// Cairn's extras (duration, read/write mix, key distributions, value-size
// ranges, JSON, in-process engine).
//
// Invariants of a parsed Options: clients >= 1, pipeline >= 1, threads >= 1,
// value_min <= value_max, tests is non-empty and holds only known names
// (lower case), exactly one output mode is chosen.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/util/status.h"

namespace cairn::kvbench {

enum class KeyDist : uint8_t { kUniform, kZipfian, kSequential };
enum class OutputMode : uint8_t { kFull, kQuiet, kCsv, kJson };

struct Options {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string password;       // -a: AUTH on every connection when non-empty
  std::string user;           // --user: AUTH user password
  int clients = 50;           // -c
  int64_t requests = 100000;  // -n, over all clients
  size_t value_min = 3;       // -d (or --value-range min-max)
  size_t value_max = 3;
  int64_t keyspace = 0;            // -r: 0 keeps redis-benchmark's literal "__rand_int__"
  int pipeline = 1;                // -P
  std::vector<std::string> tests;  // -t, lower case; defaults to every test
  bool loop = false;               // -l
  OutputMode output = OutputMode::kFull;
  int threads = 1;        // --threads
  int precision = 3;      // --precision: decimals of the full report's latencies
  double duration_s = 0;  // --duration: run each test this long instead of -n
  int ratio_writes = 1;   // --ratio W:R for the "mixed" test (SET:GET)
  int ratio_reads = 10;
  KeyDist dist = KeyDist::kUniform;  // --dist
  double zipf_theta = 0.99;          // --zipf-theta
  bool inproc = false;               // --inproc: an Engine in this process
  // --engine-config "name value" (repeatable): the in-process engine's
  // configuration, as "--name value" arguments (e.g. "appendonly yes").
  std::vector<std::string> engine_config;
  uint64_t seed = 1;  // --seed
  bool help = false;
  bool version = false;
};

// The tests kv-bench knows, in the order they run.
const std::vector<std::string>& KnownTests();

// Parses argv (without the program name).
Result<Options> ParseOptions(std::span<const std::string> args);

// The --help text.
std::string UsageText();

}  // namespace cairn::kvbench
