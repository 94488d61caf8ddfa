// PosixFileSystem's sync worker and kv-server's way of handing completions
// back: the worker thread posts each result onto the engine's io_context,
// and only the thread running it sees them. Under TSan this is where a race
// between the two threads would show.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <gtest/gtest.h>

#include "net/posix_env.h"
#include "tests/support/server_process.h"

namespace cairn::testing {
namespace {

TEST(PosixSync, CompletionsArePostedToTheEngineThreadInRequestOrder) {
  auto dir = TempDir::Create("cairn-sync");
  ASSERT_TRUE(dir.ok());
  boost::asio::io_context io(1);
  std::thread::id engine_thread;
  std::vector<uint64_t> seen;  // touched on the engine thread only
  bool wrong_thread = false;
  PosixFileSystem fs([&io, &seen, &engine_thread, &wrong_thread](uint64_t token, Status st) {
    boost::asio::post(io, [&, token, st] {
      if (std::this_thread::get_id() != engine_thread || !st.ok()) wrong_thread = true;
      seen.push_back(token);
    });
  });
  constexpr uint64_t kSyncs = 200;
  std::thread engine([&] {
    engine_thread = std::this_thread::get_id();
    auto file = fs.OpenAppend(dir.value()->path() + "/log", true);
    ASSERT_TRUE(file.ok()) << file.status().message();
    auto guard = boost::asio::make_work_guard(io);
    for (uint64_t t = 1; t <= kSyncs; ++t) {
      size_t written = 0;
      ASSERT_TRUE(file.value()->Append("record\n", &written).ok());
      // Requests interleave with completions being run on this thread.
      if (t % 2 == 0) {
        fs.RequestDirSync(dir.value()->path(), t);
      } else {
        fs.RequestSync(*file.value(), t);
      }
      io.poll();
    }
    while (seen.size() < kSyncs) io.run_one();
  });
  engine.join();
  fs.StopSyncs();
  EXPECT_FALSE(wrong_thread);
  ASSERT_EQ(seen.size(), kSyncs);
  for (uint64_t i = 0; i < kSyncs; ++i) EXPECT_EQ(seen[i], i + 1);
}

}  // namespace
}  // namespace cairn::testing
