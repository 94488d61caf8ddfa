#include "bench/kvbench/options.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>

namespace cairn::kvbench {
namespace {

Status Bad(const std::string& msg) { return Status::Invalid("kv-bench: " + msg); }

bool ParseInt(std::string_view s, int64_t* out) {
  if (s.empty()) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool ParseDouble(const std::string& s, double* out) {
  if (s.empty()) return false;
  char* end = nullptr;
  *out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

std::vector<std::string> SplitList(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    if (comma == std::string_view::npos) comma = s.size();
    std::string item(s.substr(start, comma - start));
    std::transform(item.begin(), item.end(), item.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!item.empty()) out.push_back(std::move(item));
    start = comma + 1;
  }
  return out;
}

// "a:b" or "a-b" into two non-negative integers.
bool ParsePair(std::string_view s, char sep, int64_t* a, int64_t* b) {
  size_t at = s.find(sep);
  if (at == std::string_view::npos) return false;
  return ParseInt(s.substr(0, at), a) && ParseInt(s.substr(at + 1), b) && *a >= 0 && *b >= 0;
}

}  // namespace

const std::vector<std::string>& KnownTests() {
  static const std::vector<std::string> kTests = {"ping", "set", "get", "incr", "mset", "mixed"};
  return kTests;
}

Result<Options> ParseOptions(std::span<const std::string> args) {
  Options o;
  bool tests_given = false;
  bool ratio_given = false;
  int modes = 0;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    // The value of an option that takes one.
    auto value = [&](std::string* out) -> bool {
      if (i + 1 >= args.size()) return false;
      *out = args[++i];
      return true;
    };
    auto int_value = [&](int64_t lo, int64_t hi, int64_t* out) -> Status {
      std::string v;
      std::string what = "option ";
      what += a;
      if (!value(&v)) return Bad(what + " needs a value");
      if (!ParseInt(v, out) || *out < lo || *out > hi) {
        what += ": invalid value '";
        what += v;
        what += "'";
        return Bad(what);
      }
      return Status::Ok();
    };
    int64_t n = 0;
    std::string v;
    Status st;
    if (a == "-h") {
      if (!value(&o.host)) return Bad("option -h needs a value");
    } else if (a == "-p") {
      if (!(st = int_value(1, 65535, &n)).ok()) return st;
      o.port = static_cast<int>(n);
    } else if (a == "-a") {
      if (!value(&o.password)) return Bad("option -a needs a value");
    } else if (a == "--user") {
      if (!value(&o.user)) return Bad("option --user needs a value");
    } else if (a == "-c") {
      if (!(st = int_value(1, 100000, &n)).ok()) return st;
      o.clients = static_cast<int>(n);
    } else if (a == "-n") {
      if (!(st = int_value(1, INT64_MAX / 2, &n)).ok()) return st;
      o.requests = n;
    } else if (a == "-d") {
      if (!(st = int_value(0, 512LL << 20, &n)).ok()) return st;
      o.value_min = o.value_max = static_cast<size_t>(n);
    } else if (a == "--value-range") {
      int64_t lo = 0;
      int64_t hi = 0;
      if (!value(&v) || !ParsePair(v, '-', &lo, &hi) || lo > hi || hi > (512LL << 20)) {
        return Bad("option --value-range: expected MIN-MAX bytes, got '" + v + "'");
      }
      o.value_min = static_cast<size_t>(lo);
      o.value_max = static_cast<size_t>(hi);
    } else if (a == "-r") {
      if (!(st = int_value(1, 1000000000000LL, &n)).ok()) return st;
      o.keyspace = n;
    } else if (a == "-P") {
      if (!(st = int_value(1, 1000000, &n)).ok()) return st;
      o.pipeline = static_cast<int>(n);
    } else if (a == "-t") {
      if (!value(&v)) return Bad("option -t needs a value");
      o.tests = SplitList(v);
      tests_given = true;
    } else if (a == "-l") {
      o.loop = true;
    } else if (a == "-q") {
      o.output = OutputMode::kQuiet;
      ++modes;
    } else if (a == "--csv") {
      o.output = OutputMode::kCsv;
      ++modes;
    } else if (a == "--json") {
      o.output = OutputMode::kJson;
      ++modes;
    } else if (a == "--threads") {
      if (!(st = int_value(1, 500, &n)).ok()) return st;
      o.threads = static_cast<int>(n);
    } else if (a == "--precision") {
      if (!(st = int_value(0, 6, &n)).ok()) return st;
      o.precision = static_cast<int>(n);
    } else if (a == "--duration") {
      if (!value(&v) || !ParseDouble(v, &o.duration_s) || o.duration_s <= 0) {
        return Bad("option --duration: expected seconds > 0, got '" + v + "'");
      }
    } else if (a == "--ratio") {
      int64_t w = 0;
      int64_t r = 0;
      if (!value(&v) || !ParsePair(v, ':', &w, &r) || w + r == 0 || w > 1000000 || r > 1000000) {
        return Bad("option --ratio: expected WRITES:READS, got '" + v + "'");
      }
      o.ratio_writes = static_cast<int>(w);
      o.ratio_reads = static_cast<int>(r);
      ratio_given = true;
    } else if (a == "--dist") {
      if (!value(&v)) return Bad("option --dist needs a value");
      if (v == "uniform") {
        o.dist = KeyDist::kUniform;
      } else if (v == "zipfian" || v == "zipf") {
        o.dist = KeyDist::kZipfian;
      } else if (v == "sequential") {
        o.dist = KeyDist::kSequential;
      } else {
        return Bad("option --dist: expected uniform, zipfian or sequential, got '" + v + "'");
      }
    } else if (a == "--zipf-theta") {
      if (!value(&v) || !ParseDouble(v, &o.zipf_theta) || o.zipf_theta <= 0 || o.zipf_theta >= 1) {
        return Bad("option --zipf-theta: expected a number in (0, 1), got '" + v + "'");
      }
    } else if (a == "--seed") {
      if (!(st = int_value(0, INT64_MAX, &n)).ok()) return st;
      o.seed = static_cast<uint64_t>(n);
    } else if (a == "--inproc") {
      o.inproc = true;
    } else if (a == "--engine-config") {
      size_t sp = std::string::npos;
      if (!value(&v) || v.empty() || (sp = v.find(' ')) == 0 || sp == std::string::npos) {
        return Bad("option --engine-config: expected \"name value\", got '" + v + "'");
      }
      o.engine_config.push_back("--" + v.substr(0, sp));
      o.engine_config.push_back(v.substr(sp + 1));
    } else if (a == "--help") {
      o.help = true;
    } else if (a == "-v" || a == "--version") {
      o.version = true;
    } else {
      return Bad("unrecognized option '" + a + "' (try --help)");
    }
  }
  if (modes > 1) return Bad("choose one of -q, --csv and --json");
  if (!tests_given) {
    if (ratio_given) {
      o.tests = {"mixed"};
    } else {
      o.tests = {"ping", "set", "get", "incr", "mset"};
    }
  }
  if (o.tests.empty()) return Bad("option -t: no test named");
  for (const std::string& t : o.tests) {
    const auto& known = KnownTests();
    if (std::find(known.begin(), known.end(), t) == known.end()) {
      return Bad("unknown test '" + t + "' (known: ping, set, get, incr, mset, mixed)");
    }
  }
  if (o.clients < o.threads) o.threads = o.clients;
  return o;
}

std::string UsageText() {
  return R"(Usage: kv-bench [-h <host>] [-p <port>] [-c <clients>] [-n <requests>] [-P <numreq>] [-t <tests>] [-q|--csv|--json]

 -h <hostname>      Server hostname (default 127.0.0.1)
 -p <port>          Server port (default 6379)
 -a <password>      Password for AUTH
 --user <username>  Username for AUTH (with -a)
 -c <clients>       Number of parallel connections (default 50)
 -n <requests>      Total number of requests (default 100000)
 -d <size>          Data size of SET/GET value in bytes (default 3)
 -r <keyspacelen>   Use random keys for SET/GET/INCR/MSET: "__rand_int__" in key
                    names becomes a 12-digit number in [0, keyspacelen)
 -P <numreq>        Pipeline <numreq> requests (default 1: no pipeline)
 -q                 Quiet: one line per test with requests per second
 -l                 Loop: run the tests forever
 -t <tests>         Comma-separated tests: ping,set,get,incr,mset,mixed
 --csv              Output in CSV format
 --threads <num>    Client threads (default 1)
 --precision        Decimal places of latencies in the full report (default 3)

Beyond redis-benchmark:
 --duration <secs>      Run each test for this long instead of -n requests
 --ratio <W:R>          The "mixed" test's SET:GET ratio (default 1:10); alone it
                        selects -t mixed
 --dist <d>             Key distribution over -r keys: uniform (default),
                        zipfian, sequential
 --zipf-theta <t>       Zipfian skew in (0,1) (default 0.99)
 --value-range <a-b>    Values of a to b bytes, uniformly (instead of -d)
 --json                 One JSON document with every test's results
 --inproc               Send the same request stream through an Engine in this
                        process (no sockets): the engine's ceiling
 --engine-config "<name> <value>"
                        With --inproc: a configuration parameter of the engine
                        (repeatable), e.g. "appendonly yes"; its files go to
                        a fresh directory under $TMPDIR
 --seed <n>             Seed of the key and value generators (default 1)
 --help                 This text
)";
}

}  // namespace cairn::kvbench
