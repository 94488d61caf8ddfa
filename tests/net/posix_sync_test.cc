// PosixFileSystem's sync worker and kv-server's way of handing completions
// back: the worker thread posts each result onto the engine's io_context,
// and only the thread running it sees them. Under TSan this is where a race
// between the two threads would show. Waited syncs (appendfsync always) run
// on the calling thread, in RunWaitedSyncs, when a waited completion is set.
#include <atomic>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
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

struct WaitedSyncFixture {
  WaitedSyncFixture() {
    auto d = TempDir::Create("cairn-waited-sync");
    EXPECT_TRUE(d.ok());
    dir = std::move(d).value();
  }
  std::unique_ptr<WritableFile> Open(PosixFileSystem& fs) {
    auto file = fs.OpenAppend(dir->path() + "/log", true);
    EXPECT_TRUE(file.ok()) << file.status().message();
    size_t written = 0;
    EXPECT_TRUE(file.value()->Append("record\n", &written).ok());
    return std::move(file).value();
  }
  std::unique_ptr<TempDir> dir;
};

TEST(PosixSync, WaitedSyncsRunOnTheCallingThreadInRunWaitedSyncs) {
  WaitedSyncFixture fx;
  std::atomic<int> background{0};
  PosixFileSystem fs([&background](uint64_t, const Status&) { ++background; });
  std::vector<uint64_t> waited;
  bool wrong_thread = false;
  const std::thread::id self = std::this_thread::get_id();
  std::unique_ptr<WritableFile> file = fx.Open(fs);
  fs.set_waited_completion([&](uint64_t token, const Status& st) {
    if (std::this_thread::get_id() != self || !st.ok()) wrong_thread = true;
    waited.push_back(token);
    // A completion may ask for the next sync (group commit): it runs in the
    // same call.
    if (token == 2) fs.RequestWaitedSync(*file, 3);
  });
  fs.RequestWaitedSync(*file, 1);
  fs.RequestWaitedSync(*file, 2);
  EXPECT_TRUE(waited.empty()) << "a waited sync ran before RunWaitedSyncs";
  fs.RunWaitedSyncs();
  EXPECT_EQ(waited, (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_FALSE(wrong_thread);
  fs.RunWaitedSyncs();  // nothing left: no completion twice
  EXPECT_EQ(waited.size(), 3u);
  // Background syncs still go to the worker and its completion.
  fs.RequestSync(*file, 4);
  file.reset();
  fs.StopSyncs();
  EXPECT_EQ(background.load(), 1);
  EXPECT_EQ(waited.size(), 3u);
}

TEST(PosixSync, WaitedSyncsGoToTheWorkerWithoutAWaitedCompletion) {
  WaitedSyncFixture fx;
  std::vector<uint64_t> seen;
  std::mutex mu;
  PosixFileSystem fs([&](uint64_t token, const Status& st) {
    std::lock_guard<std::mutex> lock(mu);
    EXPECT_TRUE(st.ok());
    seen.push_back(token);
  });
  std::unique_ptr<WritableFile> file = fx.Open(fs);
  fs.RequestWaitedSync(*file, 7);
  fs.RunWaitedSyncs();  // no-op here: the worker has it
  file.reset();
  fs.StopSyncs();
  EXPECT_EQ(seen, (std::vector<uint64_t>{7}));
}

TEST(PosixSync, StopSyncsRunsTheWaitedSyncsLeft) {
  WaitedSyncFixture fx;
  PosixFileSystem fs([](uint64_t, const Status&) {});
  std::vector<uint64_t> waited;
  fs.set_waited_completion([&waited](uint64_t token, const Status&) { waited.push_back(token); });
  std::unique_ptr<WritableFile> file = fx.Open(fs);
  fs.RequestWaitedSync(*file, 9);
  file.reset();  // the pending sync holds the descriptor
  fs.StopSyncs();
  EXPECT_EQ(waited, (std::vector<uint64_t>{9}));
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(PosixPreallocation, ZerosAheadStayPastTheEndAndAreCutAtClose) {
  auto dir = TempDir::Create("cairn-prealloc");
  ASSERT_TRUE(dir.ok());
  const std::string path = dir.value()->path() + "/log";
  constexpr uint64_t kChunk = 256 * 1024;
  {
    PosixFileSystem fs([](uint64_t, const Status&) {});
    auto opened = fs.OpenAppend(path, true);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    WritableFile& f = *opened.value();
    size_t n = 0;
    ASSERT_TRUE(f.Append("before\n", &n).ok());
    EXPECT_EQ(ReadAll(path), "before\n");  // nothing ahead until asked
    f.SetPreallocation(kChunk);
    ASSERT_TRUE(f.Append("one\n", &n).ok());
    EXPECT_EQ(f.Size(), 11u);
    std::string disk = ReadAll(path);
    ASSERT_EQ(disk.size(), 11u + kChunk);
    EXPECT_EQ(disk.substr(0, 11), "before\none\n");
    EXPECT_EQ(disk.find_first_not_of('\0', 11), std::string::npos);
    // Appends land at the end of the records, inside the zeros.
    ASSERT_TRUE(f.Append("two\n", &n).ok());
    EXPECT_EQ(ReadAll(path).size(), 11u + kChunk);
    EXPECT_EQ(ReadAll(path).substr(0, 15), "before\none\ntwo\n");
    // Past the zeros, the next chunk is written ahead.
    const std::string big(kChunk, 'b');
    ASSERT_TRUE(f.Append(big, &n).ok());
    EXPECT_EQ(ReadAll(path).size(), 15u + 2 * kChunk);
    // A cut (a failed batch) drops the zeros too; they come back with the
    // next append.
    ASSERT_TRUE(f.Truncate(15).ok());
    EXPECT_EQ(ReadAll(path), "before\none\ntwo\n");
    ASSERT_TRUE(f.Append("three\n", &n).ok());
    EXPECT_EQ(ReadAll(path).size(), 21u + kChunk);
    // Switched off: the zeros left are written over, none are added.
    f.SetPreallocation(0);
    ASSERT_TRUE(f.Append(big, &n).ok());
    ASSERT_TRUE(f.Append("end\n", &n).ok());
    EXPECT_EQ(ReadAll(path).size(), f.Size());
    f.SetPreallocation(kChunk);
    ASSERT_TRUE(f.Append("again\n", &n).ok());
    EXPECT_GT(ReadAll(path).size(), f.Size());
    const uint64_t size = f.Size();
    opened.value().reset();  // closed: the zeros are cut
    // (EXPECT_TRUE: a failure must not print a quarter of a megabyte.)
    EXPECT_TRUE(ReadAll(path) == "before\none\ntwo\nthree\n" + big + "end\nagain\n");
    EXPECT_EQ(ReadAll(path).size(), size);
  }
  // A file opened again goes on at its end.
  PosixFileSystem fs([](uint64_t, const Status&) {});
  auto again = fs.OpenAppend(path, false);
  ASSERT_TRUE(again.ok());
  again.value()->SetPreallocation(kChunk);
  size_t n = 0;
  ASSERT_TRUE(again.value()->Append("more\n", &n).ok());
  again.value().reset();
  const std::string disk = ReadAll(path);
  EXPECT_EQ(disk.substr(disk.size() - 11), "again\nmore\n");
}

}  // namespace
}  // namespace cairn::testing
