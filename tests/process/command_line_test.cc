// kv-server's command line and config file, as a process: `kv-server [file]
// [--name value ...]`. A bad option or value names itself and exits 1 with
// nothing started; port 0 means no TCP listener; dir is created; the
// command line overrides the file.
#include <chrono>
#include <csignal>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/raw_client.h"
#include "tests/support/server_process.h"

namespace cairn::testing {
namespace {

struct Finished {
  bool exited = false;  // false: still running after the wait (then killed)
  int code = -1;
  std::string output;  // stdout and stderr
};

// Runs kv-server with args in cwd, waits up to wait_ms for it to exit, and
// kills it if it has not.
Finished RunKv(const std::vector<std::string>& args, const std::string& cwd, int wait_ms) {
  Finished f;
  std::string out_path = cwd + "/out.txt";
  pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(cwd.c_str()) != 0) _exit(127);
    int fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    std::string bin = KvServerPath();
    std::vector<char*> argv;
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(bin.c_str(), argv.data());
    _exit(127);
  }
  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
  while (true) {
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      f.exited = true;
      f.code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
      break;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::ifstream in(out_path);
  f.output.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return f;
}

std::unique_ptr<TempDir> Dir() {
  auto d = TempDir::Create("cairn-cmdline");
  EXPECT_TRUE(d.ok());
  return d.ok() ? std::move(d.value()) : nullptr;
}

bool IsDir(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

TEST(CommandLine, UnknownOptionIsNamedAndExitsOneWithNothingStarted) {
  auto dir = Dir();
  ASSERT_TRUE(dir);
  auto f = RunKv({"--port", "0", "--dir", dir->path() + "/data", "--no-such-option", "1"},
                 dir->path(), 10000);
  ASSERT_TRUE(f.exited) << f.output;
  EXPECT_EQ(f.code, 1);
  EXPECT_NE(f.output.find("no-such-option"), std::string::npos) << f.output;
  EXPECT_FALSE(IsDir(dir->path() + "/data")) << "nothing may start on a bad option";
}

TEST(CommandLine, BadValueIsNamedAndExitsOne) {
  auto dir = Dir();
  ASSERT_TRUE(dir);
  auto f = RunKv({"--port", "0", "--maxclients", "lots"}, dir->path(), 10000);
  ASSERT_TRUE(f.exited) << f.output;
  EXPECT_EQ(f.code, 1);
  EXPECT_NE(f.output.find("maxclients"), std::string::npos) << f.output;
  auto g = RunKv({"--port", "70000"}, dir->path(), 10000);
  ASSERT_TRUE(g.exited) << g.output;
  EXPECT_EQ(g.code, 1);
  EXPECT_NE(g.output.find("port"), std::string::npos) << g.output;
}

TEST(CommandLine, BadConfigFileLineIsNamedAndExitsOne) {
  auto dir = Dir();
  ASSERT_TRUE(dir);
  std::string conf = dir->path() + "/bad.conf";
  std::ofstream(conf) << "port 0\nappendfsync sometimes\n";
  auto f = RunKv({conf}, dir->path(), 10000);
  ASSERT_TRUE(f.exited) << f.output;
  EXPECT_EQ(f.code, 1);
  EXPECT_NE(f.output.find("appendfsync"), std::string::npos) << f.output;
}

TEST(CommandLine, PortZeroMeansNoListenerAndDirIsCreated) {
  auto dir = Dir();
  ASSERT_TRUE(dir);
  auto port = PickFreePort();
  ASSERT_TRUE(port.ok());
  std::string data = dir->path() + "/data";
  // The file says a port; the command line's port 0 wins, so nothing listens.
  std::string conf = dir->path() + "/kv.conf";
  std::ofstream(conf) << "port " << port.value() << "\nbind 127.0.0.1\n";
  auto f = RunKv({conf, "--port", "0", "--dir", data}, dir->path(), 1500);
  EXPECT_FALSE(f.exited) << "kv-server with port 0 should keep running: " << f.output;
  EXPECT_TRUE(IsDir(data));
  EXPECT_NE(f.output.find("port=0"), std::string::npos) << f.output;
}

TEST(CommandLine, ConfigFileWithCommandLineOverride) {
  auto dir = Dir();
  ASSERT_TRUE(dir);
  std::string conf = dir->path() + "/kv.conf";
  std::ofstream(conf) << "port 1\nmaxclients 7\ndatabases 4\n";
  ServerSpec spec = KvServerSpec();
  spec.argv = [conf](int p, const std::string& d) {
    return std::vector<std::string>{conf,          "--port", std::to_string(p), "--dir", d,
                                    "--databases", "8"};
  };
  auto server = ServerProcess::Start(spec);
  ASSERT_TRUE(server.ok()) << server.status().message();
  auto c = RawClient::Connect(server.value()->port());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c.value()->Command({"CONFIG", "GET", "maxclients"}).value(),
            "*2\r\n$10\r\nmaxclients\r\n$1\r\n7\r\n");
  EXPECT_EQ(c.value()->Command({"CONFIG", "GET", "databases"}).value(),
            "*2\r\n$9\r\ndatabases\r\n$1\r\n8\r\n");
  EXPECT_EQ(server.value()->Stop(), 0);
}

}  // namespace
}  // namespace cairn::testing
