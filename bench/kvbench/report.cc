#include "bench/kvbench/report.h"

#include <fmt/format.h>

namespace cairn::kvbench {
namespace {

// JSON string escaping for the few strings kv-bench prints.
std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      out += fmt::format("\\u{:04x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

const char* DistName(KeyDist d) {
  switch (d) {
    case KeyDist::kUniform:
      return "uniform";
    case KeyDist::kZipfian:
      return "zipfian";
    case KeyDist::kSequential:
      return "sequential";
  }
  return "?";
}

}  // namespace

std::string QuietLine(const TestResult& r) {
  return fmt::format("{}: {:.2f} requests per second, p50={:.3f} msec\n", r.title, r.rps(),
                     Ms(r.latency.Percentile(50)));
}

std::string CsvHeader() {
  return "\"test\",\"rps\",\"avg_latency_ms\",\"min_latency_ms\",\"p50_latency_ms\","
         "\"p95_latency_ms\",\"p99_latency_ms\",\"max_latency_ms\"\n";
}

std::string CsvLine(const TestResult& r) {
  const LatencyHistogram& h = r.latency;
  return fmt::format(
      "\"{}\",\"{:.2f}\",\"{:.3f}\",\"{:.3f}\",\"{:.3f}\",\"{:.3f}\",\"{:.3f}\",\"{:.3f}\"\n",
      r.title, r.rps(), h.mean() / 1e6, Ms(h.min()), Ms(h.Percentile(50)), Ms(h.Percentile(95)),
      Ms(h.Percentile(99)), Ms(h.max()));
}

std::string FullReport(const TestResult& r, const Options& o) {
  const LatencyHistogram& h = r.latency;
  const int p = o.precision;
  std::string out = fmt::format("====== {} ======\n", r.title);
  out += fmt::format("  {} requests completed in {:.2f} seconds\n", r.requests, r.seconds);
  out += fmt::format("  {} parallel clients\n", o.clients);
  if (o.value_min == o.value_max) {
    out += fmt::format("  {} bytes payload\n", o.value_min);
  } else {
    out += fmt::format("  {}-{} bytes payload\n", o.value_min, o.value_max);
  }
  out += "  keep alive: 1\n";
  out += fmt::format("  multi-thread: {}\n", o.threads > 1 ? "yes" : "no");
  if (o.threads > 1) out += fmt::format("  threads: {}\n", o.threads);
  if (o.inproc) out += "  in-process engine (no sockets)\n";
  out += "\nLatency by percentile distribution:\n";
  for (double pct : {0.0, 50.0, 75.0, 90.0, 95.0, 99.0, 99.9, 99.99, 100.0}) {
    uint64_t v = pct == 0.0 ? h.min() : h.Percentile(pct);
    out += fmt::format("{:.3f}% <= {:.{}f} milliseconds\n", pct, Ms(v), p);
  }
  if (r.errors > 0) {
    out += fmt::format("\nErrors: {} error replies, first: {}\n", r.errors, r.first_error);
  }
  out += "\nSummary:\n";
  out += fmt::format("  throughput summary: {:.2f} requests per second\n", r.rps());
  out += "  latency summary (msec):\n";
  out += fmt::format("  {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}\n", "avg", "min", "p50",
                     "p90", "p95", "p99", "p99.9", "max");
  out += fmt::format(
      "  {:>9.{}f} {:>9.{}f} {:>9.{}f} {:>9.{}f} {:>9.{}f} {:>9.{}f} {:>9.{}f} "
      "{:>9.{}f}\n\n",
      h.mean() / 1e6, p, Ms(h.min()), p, Ms(h.Percentile(50)), p, Ms(h.Percentile(90)), p,
      Ms(h.Percentile(95)), p, Ms(h.Percentile(99)), p, Ms(h.Percentile(99.9)), p, Ms(h.max()), p);
  return out;
}

std::string JsonDocument(const std::vector<TestResult>& results, const Options& o) {
  std::string out = "{\n  \"config\": {";
  out += fmt::format(
      "\"host\": {}, \"port\": {}, \"clients\": {}, \"requests\": {}, \"pipeline\": {}, "
      "\"value_min\": {}, \"value_max\": {}, \"keyspace\": {}, \"dist\": \"{}\", "
      "\"threads\": {}, \"duration_s\": {}, \"ratio\": \"{}:{}\", \"inproc\": {}",
      JsonString(o.host), o.port, o.clients, o.requests, o.pipeline, o.value_min, o.value_max,
      o.keyspace, DistName(o.dist), o.threads, o.duration_s, o.ratio_writes, o.ratio_reads,
      o.inproc ? "true" : "false");
  out += "},\n  \"tests\": [";
  for (size_t i = 0; i < results.size(); ++i) {
    const TestResult& r = results[i];
    const LatencyHistogram& h = r.latency;
    out += i == 0 ? "\n" : ",\n";
    out += fmt::format(
        "    {{\"name\": {}, \"title\": {}, \"requests\": {}, \"errors\": {}, \"seconds\": {:.6f}, "
        "\"rps\": {:.2f}, \"avg_ms\": {:.4f}, \"min_ms\": {:.4f}, \"p50_ms\": {:.4f}, "
        "\"p90_ms\": {:.4f}, \"p95_ms\": {:.4f}, \"p99_ms\": {:.4f}, \"p999_ms\": {:.4f}, "
        "\"max_ms\": {:.4f}}}",
        JsonString(r.name), JsonString(r.title), r.requests, r.errors, r.seconds, r.rps(),
        h.mean() / 1e6, Ms(h.min()), Ms(h.Percentile(50)), Ms(h.Percentile(90)),
        Ms(h.Percentile(95)), Ms(h.Percentile(99)), Ms(h.Percentile(99.9)), Ms(h.max()));
  }
  out += "\n  ]\n}\n";
  return out;
}

std::string ProgressLine(const std::string& title, uint64_t done, double elapsed_s, double rps_now,
                         uint64_t p99_ns) {
  return fmt::format("{}: rps={:.1f} (overall: {:.1f}) done={} elapsed={:.1f}s p99={:.3f} msec",
                     title, rps_now, elapsed_s > 0 ? static_cast<double>(done) / elapsed_s : 0.0,
                     done, elapsed_s, Ms(p99_ns));
}

}  // namespace cairn::kvbench
