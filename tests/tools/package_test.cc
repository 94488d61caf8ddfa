// The install tree and the Debian package (packaging/): `cmake --install`
// lays out the binaries, the default config and the systemd unit under a
// scratch prefix; `cpack -G DEB` builds the .deb in a scratch directory,
// `dpkg-deb -x` unpacks it into a scratch root, and kv-server is started
// from there the way the unit's ExecStart line starts it, with the
// packaged config adapted to a free port and a scratch data directory
// (the packaged one says /var/lib/cairn). It answers PING, keeps a write in
// its append-only directory, and stops cleanly on SIGTERM.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/raw_client.h"
#include "tests/support/server_process.h"

namespace cairn::testing {
namespace {

struct Ran {
  int code = -1;
  std::string output;
};

// Runs a shell command line, capturing stdout and stderr.
Ran Shell(const std::string& line) {
  Ran r;
  std::FILE* f = ::popen((line + " 2>&1").c_str(), "r");
  if (f == nullptr) return r;
  char buf[4096];
  while (size_t n = std::fread(buf, 1, sizeof buf, f)) r.output.append(buf, n);
  int status = ::pclose(f);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool IsExecutable(const std::string& path) { return ::access(path.c_str(), X_OK) == 0; }

// Tools the package test needs; under CI a missing one fails the test.
bool HaveTools() {
  for (const char* tool : {"dpkg-deb", "dpkg-shlibdeps"}) {
    if (FindOnPath(tool).empty()) {
      EXPECT_FALSE(UnderCi()) << tool << " missing under CI";
      return false;
    }
  }
  return true;
}

// One line "name value" of a redis.conf-style file replaced (or appended).
std::string SetConfLine(std::string conf, const std::string& name, const std::string& value) {
  size_t at = conf.find("\n" + name + " ");
  std::string line = name + " " + value;
  if (at == std::string::npos) return conf + line + "\n";
  size_t end = conf.find('\n', at + 1);
  return conf.replace(at + 1, end - at - 1, line);
}

TEST(Package, InstallTreeHoldsBinariesConfigAndUnit) {
  auto scratch = TempDir::Create("cairn-install");
  ASSERT_TRUE(scratch.ok());
  const std::string prefix = scratch.value()->path() + "/prefix";
  Ran r = Shell(std::string(CAIRN_CMAKE_COMMAND) + " --install " + CAIRN_BINARY_DIR + " --prefix " +
                prefix);
  ASSERT_EQ(r.code, 0) << r.output;
  for (const char* bin : {"kv-server", "kv-cli", "kv-check-aof"}) {
    EXPECT_TRUE(IsExecutable(prefix + "/bin/" + bin)) << bin;
  }
  std::string conf = ReadFile(prefix + "/share/cairn/cairn.conf");
  EXPECT_NE(conf.find("\ndir /var/lib/cairn\n"), std::string::npos);
  EXPECT_NE(conf.find("\ndaemonize no\n"), std::string::npos);
  std::string unit = ReadFile(prefix + "/lib/systemd/system/cairn.service");
  EXPECT_NE(unit.find("ExecStart=/usr/bin/kv-server /etc/cairn/cairn.conf"), std::string::npos);
  EXPECT_NE(unit.find("StateDirectory=cairn"), std::string::npos);
}

TEST(Package, DebUnpacksAndServesFromAScratchRoot) {
  if (!HaveTools()) GTEST_SKIP() << "dpkg-deb or dpkg-shlibdeps not installed";
  auto scratch = TempDir::Create("cairn-deb");
  ASSERT_TRUE(scratch.ok());
  const std::string base = scratch.value()->path();
  Ran r = Shell(std::string(CAIRN_CPACK_COMMAND) + " -G DEB -B " + base + "/out --config " +
                CAIRN_BINARY_DIR + "/CPackConfig.cmake");
  ASSERT_EQ(r.code, 0) << r.output;
  Ran found = Shell("ls " + base + "/out/*.deb");
  ASSERT_EQ(found.code, 0) << found.output;
  std::string deb = found.output.substr(0, found.output.find('\n'));

  Ran info = Shell("dpkg-deb -I " + deb);
  ASSERT_EQ(info.code, 0) << info.output;
  EXPECT_NE(info.output.find("Package: cairn"), std::string::npos) << info.output;
  EXPECT_NE(info.output.find("adduser"), std::string::npos) << info.output;
  EXPECT_NE(info.output.find("postinst"), std::string::npos) << info.output;

  const std::string root = base + "/root";
  r = Shell("dpkg-deb -x " + deb + " " + root);
  ASSERT_EQ(r.code, 0) << r.output;
  const std::string server = root + "/usr/bin/kv-server";
  ASSERT_TRUE(IsExecutable(server));
  std::string unit = ReadFile(root + "/usr/lib/systemd/system/cairn.service");
  ASSERT_NE(unit.find("ExecStart=/usr/bin/kv-server /etc/cairn/cairn.conf"), std::string::npos);
  const std::string packaged = ReadFile(root + "/usr/share/cairn/cairn.conf");
  ASSERT_NE(packaged.find("\ndir /var/lib/cairn\n"), std::string::npos);

  // What postinst does (minus the user), into the scratch root; then the
  // unit's ExecStart with the root prefixed.
  ServerSpec spec;
  spec.name = "packaged kv-server";
  spec.binary = server;
  spec.argv = [&](int port, const std::string&) {
    std::string conf = packaged;
    conf = SetConfLine(conf, "port", std::to_string(port));
    conf = SetConfLine(conf, "dir", root + "/var/lib/cairn");
    ::mkdir((root + "/etc").c_str(), 0755);
    ::mkdir((root + "/etc/cairn").c_str(), 0755);
    ::mkdir((root + "/var").c_str(), 0755);
    ::mkdir((root + "/var/lib").c_str(), 0755);
    ::mkdir((root + "/var/lib/cairn").c_str(), 0750);
    std::ofstream(root + "/etc/cairn/cairn.conf") << conf;
    return std::vector<std::string>{root + "/etc/cairn/cairn.conf"};
  };
  auto p = ServerProcess::Start(spec);
  ASSERT_TRUE(p.ok()) << p.status().message();
  auto c = RawClient::Connect(p.value()->port());
  ASSERT_TRUE(c.ok());
  auto pong = c.value()->Command({"PING"});
  ASSERT_TRUE(pong.ok());
  EXPECT_EQ(pong.value(), "+PONG\r\n");
  auto set = c.value()->Command({"SET", "packaged", "yes"});
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set.value(), "+OK\r\n");
  auto dir = c.value()->Command({"CONFIG", "GET", "dir"});
  ASSERT_TRUE(dir.ok());
  EXPECT_NE(dir.value().find(root + "/var/lib/cairn"), std::string::npos) << dir.value();
  EXPECT_EQ(p.value()->Stop(), 0) << p.value()->Log();
  std::string manifest = ReadFile(root + "/var/lib/cairn/appendonlydir/appendonly.aof.manifest");
  EXPECT_NE(manifest.find("type i"), std::string::npos) << manifest;
}

}  // namespace
}  // namespace cairn::testing
