// kv-server as a service, as a process: protected mode (a client on a
// non-loopback address gets Redis 7.0's -DENIED bytes and is closed while
// loopback clients are served; the same bytes redis-server sends),
// rename-command in the config file (renamed and disabled commands, replies
// compared with redis-server), logging to stdout or logfile with SIGHUP
// reopening it after rotation, the pidfile, and daemonize yes refused.
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/protected_mode.h"
#include "tests/support/raw_client.h"
#include "tests/support/server_process.h"

namespace cairn::testing {
namespace {

// The first IPv4 address of an interface that is up and not loopback, or ""
// (a machine without one cannot show a remote client).
std::string NonLoopbackIpv4() {
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return "";
  std::string found;
  for (ifaddrs* i = list; i != nullptr && found.empty(); i = i->ifa_next) {
    if (i->ifa_addr == nullptr || i->ifa_addr->sa_family != AF_INET) continue;
    if ((i->ifa_flags & IFF_UP) == 0 || (i->ifa_flags & IFF_LOOPBACK) != 0) continue;
    char buf[INET_ADDRSTRLEN];
    auto* in = reinterpret_cast<sockaddr_in*>(i->ifa_addr);
    if (::inet_ntop(AF_INET, &in->sin_addr, buf, sizeof buf) != nullptr) found = buf;
  }
  ::freeifaddrs(list);
  return found;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool Exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

// Polls cond every 20 ms for up to ms.
template <class F>
bool WaitFor(F cond, int ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (std::chrono::steady_clock::now() < deadline) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return cond();
}

// A reply's bytes, or "<error: why>".
std::string Or(const Result<std::string>& r) {
  return r.ok() ? r.value() : "<error: " + r.status().message() + ">";
}

std::unique_ptr<ServerProcess> StartOrFail(ServerSpec spec) {
  auto p = ServerProcess::Start(std::move(spec));
  EXPECT_TRUE(p.ok()) << p.status().message();
  return p.ok() ? std::move(p.value()) : nullptr;
}

// What a client connecting to ip:port receives before the server closes it
// (after sending PING, as a client would).
RawClient::UntilClose RemoteVisit(const std::string& ip, int port) {
  auto c = RawClient::ConnectTo(ip, port);
  EXPECT_TRUE(c.ok()) << c.status().message();
  if (!c.ok()) return {};
  (void)c.value()->Send("PING\r\n");
  return c.value()->ReadUntilClose(3000);
}

class ProtectedMode : public ::testing::Test {
 protected:
  void SetUp() override {
    ip_ = NonLoopbackIpv4();
    if (ip_.empty()) GTEST_SKIP() << "this machine has no non-loopback IPv4 address";
  }
  // Both loopback (to be started and checked) and the machine's address.
  std::vector<std::string> BindBoth(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--bind", "127.0.0.1", ip_};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
  std::string ip_;
};

TEST_F(ProtectedMode, RemoteClientIsDeniedAndClosedWhileLoopbackIsServed) {
  auto kv = StartOrFail(KvServerSpec(BindBoth()));
  ASSERT_NE(kv, nullptr);
  auto remote = RemoteVisit(ip_, kv->port());
  EXPECT_TRUE(remote.closed);
  EXPECT_EQ(remote.bytes, std::string(kProtectedModeDenied));
  auto local = RawClient::Connect(kv->port());
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(Or(local.value()->Command({"PING"})), "+PONG\r\n");
  auto info = local.value()->Command({"INFO", "stats"});
  ASSERT_TRUE(info.ok());
  EXPECT_NE(info.value().find("rejected_connections:1\r\n"), std::string::npos) << info.value();
}

TEST_F(ProtectedMode, SameBytesAsRedisServer) {
  std::string redis = FindOnPath("redis-server");
  if (redis.empty()) {
    ASSERT_FALSE(UnderCi()) << "redis-server missing under CI";
    GTEST_SKIP() << "redis-server not installed";
  }
  auto kv = StartOrFail(KvServerSpec(BindBoth()));
  auto rs = StartOrFail(RedisServerSpec(BindBoth()));
  ASSERT_NE(kv, nullptr);
  ASSERT_NE(rs, nullptr);
  auto from_kv = RemoteVisit(ip_, kv->port());
  auto from_rs = RemoteVisit(ip_, rs->port());
  EXPECT_TRUE(from_rs.closed);
  EXPECT_TRUE(from_kv.closed);
  EXPECT_EQ(from_kv.bytes, from_rs.bytes);
}

TEST_F(ProtectedMode, PasswordOrProtectedModeOffLetsRemoteClientsIn) {
  auto with_pass = StartOrFail(KvServerSpec(BindBoth({"--requirepass", "s3cret"})));
  auto off = StartOrFail(KvServerSpec(BindBoth({"--protected-mode", "no"})));
  ASSERT_NE(with_pass, nullptr);
  ASSERT_NE(off, nullptr);
  auto a = RawClient::ConnectTo(ip_, with_pass->port());
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(Or(a.value()->Command({"PING"})), "-NOAUTH Authentication required.\r\n");
  EXPECT_EQ(Or(a.value()->Command({"AUTH", "s3cret"})), "+OK\r\n");
  EXPECT_EQ(Or(a.value()->Command({"PING"})), "+PONG\r\n");
  auto b = RawClient::ConnectTo(ip_, off->port());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(Or(b.value()->Command({"PING"})), "+PONG\r\n");
}

// A spec that starts the server from a config file (written into its dir)
// followed by the usual explicit arguments.
ServerSpec WithConfigFile(ServerSpec spec, const std::string& text) {
  ArgvBuilder inner = spec.argv;
  spec.argv = [inner, text](int port, const std::string& dir) {
    std::string path = dir + "/server.conf";
    std::ofstream(path) << text;
    std::vector<std::string> args = {path};
    std::vector<std::string> rest = inner(port, dir);
    args.insert(args.end(), rest.begin(), rest.end());
    return args;
  };
  return spec;
}

TEST(RenameCommand, ConfigFileRenamesAndDisablesLikeRedis) {
  const std::string conf =
      "# renamed and disabled commands\n"
      "rename-command SET put\n"
      "rename-command flushall \"\"\n"
      "rename-command CONFIG \"\"\n";
  std::vector<std::vector<std::string>> script = {
      {"SET", "k", "v"},         {"put", "k", "v"}, {"GET", "k"},      {"FLUSHALL"},
      {"CONFIG", "GET", "port"}, {"set", "a", "b"}, {"PUT", "a", "b"}, {"DBSIZE"},
  };
  auto run = [&](ServerSpec spec) {
    std::vector<std::string> replies;
    auto p = StartOrFail(WithConfigFile(std::move(spec), conf));
    if (p == nullptr) return replies;
    auto c = RawClient::Connect(p->port());
    EXPECT_TRUE(c.ok());
    if (!c.ok()) return replies;
    for (const auto& cmd : script) replies.push_back(Or(c.value()->Command(cmd)));
    return replies;
  };
  std::vector<std::string> kv = run(KvServerSpec());
  ASSERT_EQ(kv.size(), script.size());
  EXPECT_EQ(kv[0], "-ERR unknown command 'SET', with args beginning with: 'k' 'v' \r\n");
  EXPECT_EQ(kv[1], "+OK\r\n");
  EXPECT_EQ(kv[2], "$1\r\nv\r\n");
  EXPECT_EQ(kv[3], "-ERR unknown command 'FLUSHALL', with args beginning with: \r\n");
  EXPECT_EQ(kv[7], ":2\r\n");
  std::string redis = FindOnPath("redis-server");
  if (redis.empty()) {
    ASSERT_FALSE(UnderCi()) << "redis-server missing under CI";
    return;
  }
  EXPECT_EQ(kv, run(RedisServerSpec()));
}

TEST(RenameCommand, UnknownCommandInConfigFileIsRefusedAtItsLine) {
  auto dir = TempDir::Create("cairn-rename");
  ASSERT_TRUE(dir.ok());
  std::string path = dir.value()->path() + "/bad.conf";
  std::ofstream(path) << "port 0\nrename-command NOSUCHCMD foo\n";
  std::string cmd = KvServerPath() + " " + path + " 2>&1";
  std::FILE* f = ::popen(cmd.c_str(), "r");
  ASSERT_NE(f, nullptr);
  std::string out;
  char buf[512];
  while (size_t n = std::fread(buf, 1, sizeof buf, f)) out.append(buf, n);
  int status = ::pclose(f);
  EXPECT_EQ(WEXITSTATUS(status), 1);
  EXPECT_NE(out.find("FATAL CONFIG FILE ERROR"), std::string::npos) << out;
  EXPECT_NE(out.find("line 2"), std::string::npos) << out;
  EXPECT_NE(out.find("No such command in rename-command"), std::string::npos) << out;
}

TEST(Logging, StdoutByDefault) {
  auto kv = StartOrFail(KvServerSpec({"--loglevel", "notice"}));
  ASSERT_NE(kv, nullptr);
  EXPECT_TRUE(WaitFor(
      [&] { return kv->Log().find("Ready to accept connections") != std::string::npos; }, 3000))
      << kv->Log();
}

TEST(Logging, LogfileIsReopenedOnSighupAfterRotation) {
  auto scratch = TempDir::Create("cairn-log");
  ASSERT_TRUE(scratch.ok());
  const std::string log = scratch.value()->path() + "/kv.log";
  auto kv = StartOrFail(KvServerSpec({"--loglevel", "notice", "--logfile", log}));
  ASSERT_NE(kv, nullptr);
  ASSERT_TRUE(
      WaitFor([&] { return ReadFile(log).find("Ready to accept") != std::string::npos; }, 3000))
      << ReadFile(log);
  EXPECT_EQ(kv->Log().find("Ready to accept"), std::string::npos) << "logged to stdout as well";
  // Rotate: rename, then SIGHUP; new lines go to a fresh file by the name.
  ASSERT_EQ(::rename(log.c_str(), (log + ".1").c_str()), 0);
  ASSERT_EQ(::kill(kv->pid(), SIGHUP), 0);
  EXPECT_TRUE(WaitFor([&] { return ReadFile(log).find("reopened") != std::string::npos; }, 3000));
  auto c = RawClient::Connect(kv->port());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(Or(c.value()->Command({"PING"})), "+PONG\r\n");  // still running
  EXPECT_EQ(ReadFile(log + ".1").find("reopened"), std::string::npos);
  // A clean shutdown logs to the new file.
  EXPECT_EQ(kv->Stop(), 0);
  EXPECT_NE(ReadFile(log).find("ready to exit"), std::string::npos) << ReadFile(log);
}

TEST(Pidfile, WrittenWhenListeningAndRemovedOnExit) {
  auto scratch = TempDir::Create("cairn-pid");
  ASSERT_TRUE(scratch.ok());
  const std::string pidfile = scratch.value()->path() + "/kv.pid";
  auto kv = StartOrFail(KvServerSpec({"--pidfile", pidfile}));
  ASSERT_NE(kv, nullptr);
  EXPECT_EQ(ReadFile(pidfile), std::to_string(kv->pid()) + "\n");
  EXPECT_EQ(kv->Stop(), 0);
  EXPECT_FALSE(Exists(pidfile));
}

TEST(Daemonize, YesIsRefusedPointingToTheSupervisor) {
  std::string cmd = KvServerPath() + " --port 0 --daemonize yes 2>&1";
  std::FILE* f = ::popen(cmd.c_str(), "r");
  ASSERT_NE(f, nullptr);
  std::string out;
  char buf[512];
  while (size_t n = std::fread(buf, 1, sizeof buf, f)) out.append(buf, n);
  int status = ::pclose(f);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  EXPECT_NE(out.find("supervisor"), std::string::npos) << out;
  EXPECT_NE(out.find("daemonize no"), std::string::npos) << out;
}

}  // namespace
}  // namespace cairn::testing
