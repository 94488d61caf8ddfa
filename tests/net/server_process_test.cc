// kv-server as a process: the event loop's promises seen from real sockets.
// Pipelines of any depth, many clients at once, a client that never reads or
// vanishes must not hold up anyone else (also while replies wait for syncs
// under appendfsync always), maxclients, idle timeout, graceful SIGTERM,
// CONFIG SET port and close-after-reply (QUIT).
#include "tests/support/server_process.h"

#include <chrono>
#include <csignal>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/raw_client.h"

namespace cairn::testing {
namespace {

std::unique_ptr<ServerProcess> StartKv(std::vector<std::string> extra = {}) {
  auto server = ServerProcess::Start(KvServerSpec(std::move(extra)));
  if (!server.ok()) {
    ADD_FAILURE() << server.status().message();
    return nullptr;
  }
  return std::move(server.value());
}

std::unique_ptr<RawClient> ConnectTo(int port) {
  auto c = RawClient::Connect(port);
  if (!c.ok()) {
    ADD_FAILURE() << c.status().message();
    return nullptr;
  }
  return std::move(c.value());
}

std::string Repeat(const std::string& request, int n) {
  std::string out;
  out.reserve(request.size() * static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) out += request;
  return out;
}

TEST(ServerProcess, DeepPipelineInOneWriteIsAnsweredInOrder) {
  auto server = StartKv();
  ASSERT_TRUE(server);
  auto c = ConnectTo(server->port());
  ASSERT_TRUE(c);
  constexpr int kRequests = 10000;
  ASSERT_TRUE(c->Send(Repeat(EncodeMultibulk({"INCR", "n"}), kRequests)).ok());
  for (int i = 1; i <= kRequests; ++i) {
    auto reply = c->ReadFrame(10000);
    ASSERT_TRUE(reply.ok()) << "reply " << i << ": " << reply.status().message();
    ASSERT_EQ(reply.value(), ":" + std::to_string(i) + "\r\n");
  }
}

// Under always a session whose replies wait for a sync is not read until
// they are released (net/server.cc): a deep pipeline still drains, chunk by
// chunk, while other clients' requests go through beside it.
TEST(ServerProcess, UnderAlwaysPipelinesAndOtherClientsGetEveryReply) {
  auto server = StartKv({"--appendonly", "yes", "--appendfsync", "always"});
  ASSERT_TRUE(server);
  auto deep = ConnectTo(server->port());
  ASSERT_TRUE(deep);
  std::vector<std::unique_ptr<RawClient>> others;
  for (int i = 0; i < 8; ++i) {
    others.push_back(ConnectTo(server->port()));
    ASSERT_TRUE(others.back());
  }
  constexpr int kRequests = 20000;  // ~500 KB: many reads, many syncs
  ASSERT_TRUE(deep->Send(Repeat(EncodeMultibulk({"INCR", "deep"}), kRequests)).ok());
  for (int r = 0; r < 20; ++r) {
    for (auto& c : others) ASSERT_TRUE(c->Send(EncodeMultibulk({"INCR", "shared"})).ok());
    for (auto& c : others) {
      auto reply = c->ReadFrame(10000);
      ASSERT_TRUE(reply.ok()) << reply.status().message();
      ASSERT_EQ(reply.value()[0], ':');
    }
  }
  for (int i = 1; i <= kRequests; ++i) {
    auto reply = deep->ReadFrame(10000);
    ASSERT_TRUE(reply.ok()) << "reply " << i << ": " << reply.status().message();
    ASSERT_EQ(reply.value(), ":" + std::to_string(i) + "\r\n");
  }
  auto shared = others[0]->Command({"GET", "shared"});
  ASSERT_TRUE(shared.ok());
  EXPECT_EQ(shared.value(), "$3\r\n160\r\n");
}

TEST(ServerProcess, ManyConcurrentClientsAllServed) {
  auto server = StartKv();
  ASSERT_TRUE(server);
  constexpr int kClients = 40;
  constexpr int kRounds = 50;
  std::vector<std::unique_ptr<RawClient>> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(ConnectTo(server->port()));
    ASSERT_TRUE(clients.back());
  }
  // Every round, every client has a request in flight before any reply is
  // read: the server serves them from one loop.
  for (int r = 0; r < kRounds; ++r) {
    for (auto& c : clients) ASSERT_TRUE(c->Send(EncodeMultibulk({"INCR", "shared"})).ok());
    for (auto& c : clients) {
      auto reply = c->ReadFrame();
      ASSERT_TRUE(reply.ok()) << reply.status().message();
      ASSERT_EQ(reply.value()[0], ':');
    }
  }
  auto total = clients[0]->Command({"GET", "shared"});
  ASSERT_TRUE(total.ok());
  std::string expected = std::to_string(kClients * kRounds);
  EXPECT_EQ(total.value(), "$" + std::to_string(expected.size()) + "\r\n" + expected + "\r\n");
}

TEST(ServerProcess, ClientThatNeverReadsDoesNotBlockOthers) {
  auto server = StartKv();
  ASSERT_TRUE(server);
  auto setter = ConnectTo(server->port());
  ASSERT_TRUE(setter);
  ASSERT_EQ(setter->Command({"SET", "big", std::string(100000, 'x')}).value(), "+OK\r\n");
  // 400 replies of 100 kB: far more than the socket buffers take.
  auto stuck = ConnectTo(server->port());
  ASSERT_TRUE(stuck);
  ASSERT_TRUE(stuck->Send(Repeat(EncodeMultibulk({"GET", "big"}), 400)).ok());
  auto other = ConnectTo(server->port());
  ASSERT_TRUE(other);
  for (int i = 0; i < 100; ++i) {
    auto start = std::chrono::steady_clock::now();
    auto reply = other->Command({"PING"}, 2000);
    ASSERT_TRUE(reply.ok()) << "ping " << i << ": " << reply.status().message();
    ASSERT_EQ(reply.value(), "+PONG\r\n");
    ASSERT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  }
  // The stuck client's replies were kept, not dropped: it gets them all.
  for (int i = 0; i < 400; ++i) {
    auto reply = stuck->ReadFrame(10000);
    ASSERT_TRUE(reply.ok()) << "reply " << i << ": " << reply.status().message();
    ASSERT_TRUE(reply.value() == "$100000\r\n" + std::string(100000, 'x') + "\r\n")
        << "reply " << i << " differs";
  }
}

TEST(ServerProcess, ClientVanishingMidRequestOrMidReplyLeavesServerServing) {
  auto server = StartKv();
  ASSERT_TRUE(server);
  auto setter = ConnectTo(server->port());
  ASSERT_TRUE(setter);
  ASSERT_EQ(setter->Command({"SET", "big", std::string(100000, 'y')}).value(), "+OK\r\n");
  for (int i = 0; i < 20; ++i) {
    auto mid_request = ConnectTo(server->port());
    ASSERT_TRUE(mid_request);
    ASSERT_TRUE(mid_request->Send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$10\r\nabc").ok());
    auto mid_reply = ConnectTo(server->port());
    ASSERT_TRUE(mid_reply);
    ASSERT_TRUE(mid_reply->Send(Repeat(EncodeMultibulk({"GET", "big"}), 200)).ok());
    ASSERT_TRUE(mid_reply->ReadFrame(5000).ok());  // the reply has started
    mid_request->Close();
    mid_reply->Close();
  }
  ASSERT_EQ(setter->Command({"PING"}).value(), "+PONG\r\n");
  ASSERT_EQ(setter->Command({"EXISTS", "k"}).value(), ":0\r\n");  // the cut SET never ran
  // Every vanished connection was forgotten: the setter is the only client.
  auto clients = [&] {
    std::string list = setter->Command({"CLIENT", "LIST"}).value();
    int n = 0;
    for (size_t at = list.find(" addr="); at != std::string::npos;
         at = list.find(" addr=", at + 1)) {
      ++n;
    }
    return n;
  };
  int n = clients();
  for (int attempt = 0; attempt < 50 && n != 1; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    n = clients();
  }
  EXPECT_EQ(n, 1);
  EXPECT_TRUE(server->Running());
}

TEST(ServerProcess, MaxClientsRefusesTheExtraClientAndClosesIt) {
  auto server = StartKv({"--maxclients", "2"});
  ASSERT_TRUE(server);
  auto a = ConnectTo(server->port());
  auto b = ConnectTo(server->port());
  ASSERT_TRUE(a && b);
  ASSERT_EQ(a->Command({"PING"}).value(), "+PONG\r\n");
  ASSERT_EQ(b->Command({"PING"}).value(), "+PONG\r\n");
  auto c = ConnectTo(server->port());
  ASSERT_TRUE(c);
  auto got = c->ReadUntilClose(5000);
  EXPECT_TRUE(got.closed);
  EXPECT_EQ(got.bytes, "-ERR max number of clients reached\r\n");
  // Once one leaves, a newcomer is welcome again.
  QuitAndWaitClose(*a);
  auto d = ConnectTo(server->port());
  ASSERT_TRUE(d);
  auto pong = d->Command({"PING"});
  ASSERT_TRUE(pong.ok()) << pong.status().message();
  EXPECT_EQ(pong.value(), "+PONG\r\n");
}

TEST(ServerProcess, IdleClientsAreClosedAfterTimeout) {
  auto server = StartKv({"--timeout", "1"});
  ASSERT_TRUE(server);
  auto idle = ConnectTo(server->port());
  ASSERT_TRUE(idle);
  ASSERT_EQ(idle->Command({"PING"}).value(), "+PONG\r\n");
  auto start = std::chrono::steady_clock::now();
  auto got = idle->ReadUntilClose(8000);
  EXPECT_TRUE(got.closed);
  EXPECT_EQ(got.bytes, "");
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(900));
}

TEST(ServerProcess, SigtermAnswersWhatWasReadAndExitsZero) {
  auto server = StartKv();
  ASSERT_TRUE(server);
  auto c = ConnectTo(server->port());
  ASSERT_TRUE(c);
  constexpr int kRequests = 5000;
  ASSERT_TRUE(c->Send(Repeat(EncodeMultibulk({"INCR", "n"}), kRequests)).ok());
  ASSERT_EQ(c->ReadFrame(10000).value(), ":1\r\n");  // the server is reading
  ASSERT_EQ(::kill(server->pid(), SIGTERM), 0);
  // Replies form a prefix 1..k of the requests: nothing read is left
  // unanswered out of order, and the connection ends.
  int answered = 1;
  while (true) {
    auto reply = c->ReadFrame(10000);
    if (!reply.ok()) break;
    ASSERT_EQ(reply.value(), ":" + std::to_string(answered + 1) + "\r\n");
    ++answered;
  }
  EXPECT_TRUE(c->closed());
  auto code = server->WaitExit(10000);
  ASSERT_TRUE(code.ok()) << "kv-server did not exit after SIGTERM";
  EXPECT_EQ(code.value(), 0) << server->Log();
  EXPECT_GE(answered, 1);
}

TEST(ServerProcess, ShutdownCommandExitsZero) {
  auto server = StartKv();
  ASSERT_TRUE(server);
  auto c = ConnectTo(server->port());
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->Send(EncodeMultibulk({"SET", "a", "1"}) + EncodeMultibulk({"SHUTDOWN"})).ok());
  ASSERT_EQ(c->ReadFrame().value(), "+OK\r\n");
  auto rest = c->ReadUntilClose(10000);
  EXPECT_TRUE(rest.closed);
  EXPECT_EQ(rest.bytes, "");  // a successful SHUTDOWN has no reply
  auto code = server->WaitExit(10000);
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(code.value(), 0);
}

TEST(ServerProcess, ConfigSetPortMovesTheListener) {
  auto server = StartKv();
  ASSERT_TRUE(server);
  auto c = ConnectTo(server->port());
  ASSERT_TRUE(c);
  auto port = PickFreePort();
  ASSERT_TRUE(port.ok());
  ASSERT_EQ(c->Command({"CONFIG", "SET", "port", std::to_string(port.value())}).value(), "+OK\r\n");
  // The existing connection stays; new ones go to the new port only.
  EXPECT_EQ(c->Command({"PING"}).value(), "+PONG\r\n");
  auto moved = ConnectTo(port.value());
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->Command({"PING"}).value(), "+PONG\r\n");
  EXPECT_FALSE(RawClient::Connect(server->port(), 1000).ok());
  // A port that cannot be bound fails and keeps the listener where it is.
  std::string taken = std::to_string(port.value());
  auto refused = c->Command({"CONFIG", "SET", "bind", "192.0.2.1"});
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused.value().rfind("-ERR", 0), 0u) << refused.value();
  auto still = ConnectTo(port.value());
  ASSERT_TRUE(still);
  EXPECT_EQ(still->Command({"PING"}).value(), "+PONG\r\n");
}

TEST(ServerProcess, QuitClosesAfterItsReply) {
  auto server = StartKv();
  ASSERT_TRUE(server);
  auto c = ConnectTo(server->port());
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->Send("PING\r\nQUIT\r\nPING\r\n").ok());
  auto got = c->ReadUntilClose(5000);
  EXPECT_TRUE(got.closed);
  EXPECT_EQ(got.bytes, "+PONG\r\n+OK\r\n");
}

}  // namespace
}  // namespace cairn::testing
