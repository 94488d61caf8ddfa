// Protected mode in the engine: which peers count as loopback, and that a
// refused session gets the -DENIED line and is closed before anything it
// sends is executed, while loopback and in-process sessions are served.
#include "engine/protected_mode.h"

#include <string>

#include <gtest/gtest.h>

#include "tests/support/engine_harness.h"

namespace cairn {
namespace {

SessionInfo Peer(std::string peer, bool unix_socket = false) {
  SessionInfo info;
  info.peer = std::move(peer);
  info.unix_socket = unix_socket;
  return info;
}

TEST(ProtectedModeRule, LoopbackPeers) {
  EXPECT_TRUE(IsLoopbackPeer(Peer("127.0.0.1:5000")));
  EXPECT_TRUE(IsLoopbackPeer(Peer("127.3.2.1:5000")));
  EXPECT_TRUE(IsLoopbackPeer(Peer("::1:5000")));
  EXPECT_TRUE(IsLoopbackPeer(Peer("::ffff:127.0.0.1:5000")));
  EXPECT_TRUE(IsLoopbackPeer(Peer("/tmp/kv.sock:0", true)));
  EXPECT_TRUE(IsLoopbackPeer(Peer("")));
  EXPECT_FALSE(IsLoopbackPeer(Peer("10.0.0.1:5000")));
  EXPECT_FALSE(IsLoopbackPeer(Peer("128.0.0.1:5000")));
  EXPECT_FALSE(IsLoopbackPeer(Peer("::ffff:10.0.0.1:5000")));
  EXPECT_FALSE(IsLoopbackPeer(Peer("fd00::2:5000")));
}

TEST(ProtectedModeRule, RemoteSessionIsDeniedUnlessPasswordOrOff) {
  testing::EngineHarness h({"--protected-mode", "yes"});
  Session* remote = h.NewSession("192.0.2.7:40000");
  EXPECT_TRUE(remote->closing());
  std::string out = h.Send(remote, "SET k v\r\n");
  EXPECT_EQ(out, std::string(kProtectedModeDenied));
  EXPECT_EQ(h.Run({"EXISTS", "k"}), ":0\r\n");  // the remote SET never ran
  EXPECT_NE(h.Run({"INFO", "stats"}).find("rejected_connections:1\r\n"), std::string::npos);

  testing::EngineHarness with_pass({"--protected-mode", "yes", "--requirepass", "pw"});
  EXPECT_FALSE(with_pass.NewSession("192.0.2.7:40000")->closing());
  testing::EngineHarness off({"--protected-mode", "no"});
  Session* s = off.NewSession("192.0.2.7:40000");
  EXPECT_FALSE(s->closing());
  EXPECT_EQ(off.Run(s, {"PING"}), "+PONG\r\n");
}

}  // namespace
}  // namespace cairn
