// The in-process runner: the same request stream through an Engine in this
// process, driven as kv-server's loop drives it -- every client with nothing
// in flight feeds its next pipeline, then the batch ends and every released
// reply is counted -- but with no sockets, so the figure is the engine's own
// ceiling on one core.
#include <memory>
#include <unordered_map>
#include <vector>

#include "bench/kvbench/claim.h"
#include "bench/kvbench/progress.h"
#include "bench/kvbench/runner.h"
#include "bench/support/bench_env.h"
#include "engine/resp/reply_reader.h"

namespace cairn::kvbench {
namespace {

struct InprocClient {
  Session* session = nullptr;
  std::unique_ptr<BatchBuilder> builder;
  ReplyScanner scanner;
  int64_t owed = 0;
  int64_t sent_ns = 0;
  bool done = false;
};

}  // namespace

Result<TestResult> RunInProcess(const Options& o, const TestSpec& test,
                                bench::InprocEngine& inproc) {
  Engine& engine = inproc.engine();
  std::atomic<uint64_t> sequence{0};
  std::vector<std::unique_ptr<InprocClient>> clients;
  std::unordered_map<Session*, InprocClient*> by_session;
  for (int i = 0; i < o.clients; ++i) {
    auto c = std::make_unique<InprocClient>();
    c->session = inproc.NewSession();
    c->builder = std::make_unique<BatchBuilder>(
        o, test, o.seed * 0x9e3779b97f4a7c15ULL + static_cast<uint64_t>(i) + 1, &sequence);
    by_session[c->session] = c.get();
    clients.push_back(std::move(c));
  }
  TestResult r;
  r.name = test.name;
  r.title = test.title;
  int64_t start = NowNs();
  RequestBudget budget(o.duration_s > 0 ? 0 : o.requests,
                       start + static_cast<int64_t>(o.duration_s * 1e9));
  Progress progress(test.title, start);
  const int64_t tick_ns = engine.TickIntervalUs() * 1000;
  int64_t last_tick = start;
  std::vector<Session*> ready;
  size_t active = clients.size();
  while (active > 0) {
    // Every idle client sends its next pipeline.
    for (auto& c : clients) {
      if (c->done || c->owed > 0) continue;
      int64_t now = NowNs();
      int64_t n = budget.Claim(o.pipeline, now);
      if (n <= 0) {
        c->done = true;
        --active;
        continue;
      }
      c->owed = n;
      c->sent_ns = now;
      engine.Feed(c->session, c->builder->Next(static_cast<size_t>(n)));
    }
    engine.EndBatch();
    engine.TakeReady(ready);
    int64_t now = NowNs();
    uint64_t replies_total = 0;
    for (Session* s : ready) {
      auto it = by_session.find(s);
      std::string_view out = engine.Output(s);
      if (it == by_session.end()) {
        engine.ConsumeOutput(s, out.size());
        continue;
      }
      InprocClient& c = *it->second;
      size_t used = 0;
      uint64_t replies = 0;
      while (used < out.size()) {
        size_t len = 0;
        std::string_view rest = out.substr(used);
        auto outcome = c.scanner.Scan(rest, &len);
        if (outcome != ReplyScanner::Outcome::kComplete) break;
        if (rest[0] == '-' && r.errors++ == 0) {
          r.first_error = std::string(rest.substr(1, rest.find('\r') - 1));
        }
        c.scanner.Reset();
        used += len;
        ++replies;
      }
      engine.ConsumeOutput(s, used);
      if (engine.ShouldClose(s)) return Status::Io("kv-bench: the engine closed a session");
      c.owed -= static_cast<int64_t>(replies);
      if (replies > 0) r.latency.RecordN(static_cast<uint64_t>(now - c.sent_ns), replies);
      replies_total += replies;
    }
    if (now - last_tick >= tick_ns) {
      engine.Tick();
      last_tick = now;
    }
    // Completed syncs go back to the engine at every wake-up, as the server's
    // loop hands them over (everysec postpones writes while one is pending);
    // replies held for a sync (appendfsync always) are waited for.
    inproc.DeliverSyncs(replies_total == 0 && active > 0);
    if (progress.Due(now)) progress.Update(now, r.latency.count(), r.latency.Percentile(99));
  }
  r.seconds = static_cast<double>(NowNs() - start) / 1e9;
  r.requests = r.latency.count();
  progress.Clear();
  for (auto& c : clients) engine.CloseSession(c->session);
  return r;
}

}  // namespace cairn::kvbench
