// The hot paths allocate nothing per command once buffers are warm: GET,
// SET (overwrite, and a new key while the table has room), INCR, MGET, and a
// pipelined batch, each played through the engine as a client's bytes
// (Engine::Feed, EndBatch, TakeReady, ConsumeOutput): parsing, dispatch,
// execution and reply writing together. Counted with the replacement
// operator new of tests/support/counting_allocator.cc; the keyspace's
// entries come from malloc and are not counted (see that header).
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "engine/command/context.h"
#include "tests/support/counting_allocator.h"
#include "tests/support/engine_harness.h"

namespace cairn::testing {
namespace {

class HotPath : public ::testing::Test {
 protected:
  HotPath() {
    // The harness records effects as strings; the engine itself does not.
    h_.engine().set_effect_observer(nullptr);
    ready_.reserve(16);
  }

  // Feeds bytes as one batch and drains the reply; returns the reply.
  std::string_view Play(std::string_view bytes) {
    Engine& e = h_.engine();
    e.Feed(h_.session(), bytes);
    e.EndBatch();
    // Completes the log's syncs as the server's fs worker would; a sync that
    // never completes would keep everysec's writes postponed and growing.
    h_.DeliverSyncs();
    ready_.clear();
    e.TakeReady(ready_);
    last_ = e.Output(h_.session());
    e.ConsumeOutput(h_.session(), last_.size());
    return last_;
  }

  // The test's in-memory files grow by std::string appends, which would be
  // counted as the engine's; give them room first (the engine's own AOF
  // buffer is warm by then and is what the count is about).
  void ReserveFileRoom() {
    for (auto& [path, bytes] : h_.env().memory_fs().files())
      bytes.reserve(bytes.size() + (1u << 20));
  }

  // operator new calls made while the engine handles bytes (after the test
  // encoded them), and the reply it gave.
  size_t NewCalls(std::string_view bytes, std::string* reply = nullptr) {
    size_t n = CountAllocations([&] {
      std::string_view r = Play(bytes);
      if (reply != nullptr) reply->assign(r.data(), r.size());  // outside: reply has capacity
    });
    return n;
  }

  EngineHarness h_;
  std::vector<Session*> ready_;
  std::string_view last_;
};

TEST_F(HotPath, GetSetIncrMgetAllocateNothing) {
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
  std::vector<std::string> encoded;
  for (const auto& c : commands) encoded.push_back(EncodeCommand(c));
  // Warm up: buffers reach their working size and the keys exist.
  for (int i = 0; i < 3; ++i) {
    for (const auto& bytes : encoded) Play(bytes);
  }
  ReserveFileRoom();
  std::string reply;
  reply.reserve(4096);
  for (size_t i = 0; i < encoded.size(); ++i) {
    EXPECT_EQ(NewCalls(encoded[i], &reply), 0u) << commands[i][0] << " " << commands[i].size();
    EXPECT_NE(reply[0], '-') << reply;
  }
  // The replies are what they should be (the counting did not change them).
  EXPECT_EQ(Play(EncodeCommand({"GET", "n"})), "$5\r\n12345\r\n");
  // Four rounds of INCR, INCRBY 1000, DECR.
  EXPECT_EQ(Play(EncodeCommand({"INCR", "counter"})), ":4001\r\n");
}

TEST_F(HotPath, SetOfNewKeysAllocatesNothingThroughOperatorNew) {
  // Grow the table to its working size, then empty it without shrinking
  // below what the new keys need (half stay).
  constexpr int kKeys = 512;
  std::vector<std::string> sets;
  std::vector<std::string> dels;
  for (int i = 0; i < kKeys; ++i) {
    std::string key = "k:" + std::to_string(i);
    Play(EncodeCommand({"SET", key, "warm"}));
    sets.push_back(EncodeCommand({"SET", "new:" + std::to_string(i), "value"}));
    dels.push_back(EncodeCommand({"DEL", "new:" + std::to_string(i)}));
  }
  for (const auto& s : sets) Play(s);
  for (const auto& d : dels) Play(d);
  ReserveFileRoom();
  size_t total = 0;
  for (size_t i = 0; i < sets.size(); ++i) {
    size_t n = NewCalls(sets[i]);
    EXPECT_EQ(n, 0u) << "SET #" << i;
    total += n;
  }
  EXPECT_EQ(total, 0u) << "operator new calls for " << kKeys << " SETs of new keys";
  EXPECT_EQ(Play(EncodeCommand({"DBSIZE"})), ":1024\r\n");
}

TEST_F(HotPath, PipelinedBatchAllocatesNothing) {
  std::string batch;
  for (int i = 0; i < 50; ++i) {
    std::string key = "p:" + std::to_string(i % 10);
    batch += EncodeCommand({"SET", key, "value-" + std::to_string(i)});
    batch += EncodeCommand({"GET", key});
    batch += EncodeCommand({"INCR", "pipelined-counter"});
    batch += EncodeCommand({"MGET", key, "p:0", "missing"});
  }
  for (int i = 0; i < 3; ++i) Play(batch);
  ReserveFileRoom();
  std::string reply;
  reply.reserve(64 * 1024);
  EXPECT_EQ(NewCalls(batch, &reply), 0u) << "200 pipelined commands";
  EXPECT_EQ(reply.find("\r\n-"), std::string::npos) << reply;
  EXPECT_NE(reply[0], '-') << reply;
  EXPECT_NE(reply.find(":200\r\n"), std::string::npos);  // 4th batch's 50th INCR
}

// The counter itself works: a test of zero that cannot fail proves nothing.
TEST(CountingAllocator, CountsOperatorNew) {
  size_t n = CountAllocations([] {
    // Through a volatile pointer: an optimiser may drop a new/delete pair
    // whose pointer never escapes (as -O3 did here).
    static std::vector<int>* volatile escaped;
    escaped = new std::vector<int>(100);
    delete escaped;
  });
  EXPECT_EQ(n, 2u);
  EXPECT_EQ(CountAllocations([] {}), 0u);
}

}  // namespace
}  // namespace cairn::testing
