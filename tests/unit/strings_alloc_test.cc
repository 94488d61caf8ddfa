// The string hot paths allocate nothing per command beyond the stored entry:
// GET, MGET and INCR on an int allocate nothing at all; SET allocates only
// the entry (with malloc, which is not counted here). Counted by replacing
// the global operator new for this test binary; the counter is active only
// while a handler runs, so other tests are unaffected. The handlers are
// called directly, so what the layers around them do per request (parsing,
// dispatch) does not count here.
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/command/context.h"
#include "tests/support/engine_harness.h"

namespace {
bool g_counting = false;
size_t g_new_calls = 0;
}  // namespace

void* operator new(size_t n) {
  if (g_counting) ++g_new_calls;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }

namespace cairn::testing {
namespace {

class HandlerRunner {
 public:
  explicit HandlerRunner(EngineHarness& h) : h_(h) {}

  // operator new calls made by the handler of args[0] while it runs.
  size_t NewCalls(std::vector<std::string_view> args) {
    Session* s = h_.session();
    s->argv.assign(args.begin(), args.end());
    Command* cmd = h_.engine().commands().Find(args[0]);
    EXPECT_NE(cmd, nullptr);
    ReplyWriter w(out_, s->resp, &h_.engine().stats());
    CommandContext ctx(h_.engine(), *s, *cmd, w);
    g_new_calls = 0;
    g_counting = true;
    cmd->handler(ctx);
    g_counting = false;
    out_.Clear();
    return g_new_calls;
  }

 private:
  EngineHarness& h_;
  ByteBuffer out_;
};

TEST(StringsHotPath, NoAllocationPerCommand) {
  EngineHarness h;
  // The harness records effects as strings; the engine itself does not.
  h.engine().set_effect_observer(nullptr);
  HandlerRunner run(h);
  const std::vector<std::vector<std::string_view>> commands = {
      {"SET", "key:000001", "some value of moderate size"},
      {"SET", "key:000001", "v", "EX", "100", "GET"},
      {"SET", "n", "12345"},
      {"GET", "key:000001"},
      {"GET", "n"},
      {"GET", "nokey"},
      {"MGET", "key:000001", "nokey", "n"},
      {"INCR", "counter"},
      {"INCRBY", "counter", "1000"},
      {"DECR", "counter"},
  };
  // Warm up: buffers reach their working size and the keys exist.
  for (int i = 0; i < 3; ++i) {
    for (const auto& c : commands) run.NewCalls(c);
  }
  for (const auto& c : commands) EXPECT_EQ(run.NewCalls(c), 0u) << c[0] << " " << c.size();
}

}  // namespace
}  // namespace cairn::testing
