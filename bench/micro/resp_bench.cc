// The protocol layer alone: request parsing (multibulk and inline), command
// lookup by name, and reply encoding into a reused output buffer.
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench/micro/alloc_meter.h"
#include "bench/support/request_encoder.h"
#include "engine/command/command.h"
#include "engine/resp/reply_writer.h"
#include "engine/resp/request_parser.h"

namespace cairn::bench {
namespace {

void RunParser(benchmark::State& state, const std::string& input) {
  RequestParser parser;
  ParserLimits limits;
  std::vector<std::string_view> args;
  args.reserve(16);
  size_t consumed = 0;
  std::string buf = input;
  // Inline parsing unescapes in place; these inputs have no escapes, so the
  // bytes stay the same and one buffer serves every iteration. One parse
  // first: the parser's own scratch reaches its working size.
  parser.Parse(std::span<char>(buf.data(), buf.size()), limits, args, &consumed);
  AllocMeter meter;
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores)
    auto outcome = parser.Parse(std::span<char>(buf.data(), buf.size()), limits, args, &consumed);
    benchmark::DoNotOptimize(outcome);
    benchmark::DoNotOptimize(args.data());
  }
  meter.Report(state);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(input.size()));
}

void BM_ParseMultibulkGet(benchmark::State& state) {
  RunParser(state, EncodeRequest({"GET", "key:000000000001"}));
}
void BM_ParseMultibulkSet(benchmark::State& state) {
  RunParser(state, EncodeRequest({"SET", "key:000000000001", std::string(16, 'x')}));
}
void BM_ParseMultibulkMget10(benchmark::State& state) {
  std::string req = "*11\r\n$4\r\nMGET\r\n";
  for (int i = 0; i < 10; ++i) AppendBulk(req, "key:00000000000" + std::to_string(i));
  RunParser(state, req);
}
void BM_ParseMultibulkSet1K(benchmark::State& state) {
  RunParser(state, EncodeRequest({"SET", "key:000000000001", std::string(1024, 'x')}));
}
void BM_ParseInlineSet(benchmark::State& state) {
  RunParser(state, "SET key:000000000001 xxxxxxxxxxxxxxxx\r\n");
}
void BM_ParseInlineQuoted(benchmark::State& state) {
  // Quoted but without escapes: unescaping in place leaves it unchanged.
  RunParser(state, "SET \"key 000000000001\" 'a value'\r\n");
}

BENCHMARK(BM_ParseMultibulkGet);
BENCHMARK(BM_ParseMultibulkSet);
BENCHMARK(BM_ParseMultibulkMget10);
BENCHMARK(BM_ParseMultibulkSet1K);
BENCHMARK(BM_ParseInlineSet);
BENCHMARK(BM_ParseInlineQuoted);

void RunLookup(benchmark::State& state, std::string_view name) {
  auto table = CommandTable::Build();
  if (!table.ok()) {
    state.SkipWithError("command table did not build");
    return;
  }
  const CommandTable& t = *table.value();
  AllocMeter meter;
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores)
    const Command* c = t.Find(name);
    benchmark::DoNotOptimize(c);
  }
  meter.Report(state);
}

void BM_CommandLookupGet(benchmark::State& state) { RunLookup(state, "get"); }
void BM_CommandLookupUpperSet(benchmark::State& state) { RunLookup(state, "SET"); }
void BM_CommandLookupLong(benchmark::State& state) { RunLookup(state, "INCRBYFLOAT"); }
void BM_CommandLookupUnknown(benchmark::State& state) { RunLookup(state, "NOSUCHCOMMAND"); }

BENCHMARK(BM_CommandLookupGet);
BENCHMARK(BM_CommandLookupUpperSet);
BENCHMARK(BM_CommandLookupLong);
BENCHMARK(BM_CommandLookupUnknown);

// fn writes one reply; the buffer is emptied each iteration (as a session's
// output is once written) and never shrinks.
template <class F>
void RunReply(benchmark::State& state, int resp, F&& fn) {
  ByteBuffer out;
  out.PrepareWrite(4096);  // the working size, before anything is timed
  ReplyWriter w(out, resp, nullptr);
  fn(w);
  out.Clear();
  AllocMeter meter;
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores)
    fn(w);
    benchmark::DoNotOptimize(out.data());
    out.Clear();
  }
  meter.Report(state);
}

const std::string kValue16(16, 'v');

void BM_ReplyOk(benchmark::State& state) {
  RunReply(state, 2, [](ReplyWriter& w) { w.Ok(); });
}
void BM_ReplyBulk16(benchmark::State& state) {
  RunReply(state, 2, [](ReplyWriter& w) { w.Bulk(kValue16); });
}
void BM_ReplyInteger(benchmark::State& state) {
  RunReply(state, 2, [](ReplyWriter& w) { w.Integer(1234567890123); });
}
void BM_ReplyNullResp3(benchmark::State& state) {
  RunReply(state, 3, [](ReplyWriter& w) { w.NullBulk(); });
}
void BM_ReplyArray10Bulk16(benchmark::State& state) {
  RunReply(state, 2, [](ReplyWriter& w) {
    w.Array(10);
    for (int i = 0; i < 10; ++i) w.Bulk(kValue16);
  });
}
void BM_ReplyDouble(benchmark::State& state) {
  RunReply(state, 3, [](ReplyWriter& w) { w.Double(3.14159265358979); });
}

BENCHMARK(BM_ReplyOk);
BENCHMARK(BM_ReplyBulk16);
BENCHMARK(BM_ReplyInteger);
BENCHMARK(BM_ReplyNullResp3);
BENCHMARK(BM_ReplyArray10Bulk16);
BENCHMARK(BM_ReplyDouble);

}  // namespace
}  // namespace cairn::bench
