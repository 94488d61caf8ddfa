#include <gtest/gtest.h>

#include "tests/support/engine_harness.h"

namespace cairn::testing {
namespace {

TEST(Harness, SetGetRoundTrip) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"SET", "k", "v"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"GET", "k"}), "$1\r\nv\r\n");
  EXPECT_EQ(h.Run({"GET", "missing"}), "$-1\r\n");
  EXPECT_EQ(h.Effects(), std::vector<std::string>{"0:SET k v"});
}

TEST(Harness, ProtocolErrorClosesAfterEarlierReplies) {
  EngineHarness h;
  std::string out = h.Send("PING\r\n*1\r\n$x\r\nPING\r\n");
  EXPECT_EQ(out, "+PONG\r\n-ERR Protocol error: invalid bulk length\r\n");
  EXPECT_TRUE(h.engine().ShouldClose(h.session()));
}

}  // namespace
}  // namespace cairn::testing
