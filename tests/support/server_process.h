// Real server processes for tests: kv-server or redis-server started with an
// explicit argument list on a free port of 127.0.0.1, in a fresh temporary
// directory, stopped (SIGTERM, then SIGKILL) when the test is done.
//
// Invariants that keep test runs bounded and self-cleaning:
//   - A started process answers PING (+PONG or -NOAUTH) before Start
//     returns, or Start fails within ready_timeout_ms and kills it.
//   - A child dies with the test process (PR_SET_PDEATHSIG), so a crashed
//     or killed test binary leaves no server behind.
//   - The destructor stops the process and removes its directory.
//   - stdout and stderr go to <dir>/server.log; Log() returns it.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <sys/types.h>

#include "engine/util/status.h"

namespace cairn::testing {

// A TCP port on 127.0.0.1 that was free a moment ago.
Result<int> PickFreePort();

// True when the environment variable CI is "true": missing tools then fail
// a suite instead of skipping it.
bool UnderCi();

// The kv-server built with these tests: $CAIRN_KV_SERVER, else the path CMake
// compiled in, else kv-server beside the running test binary. "" if none.
std::string KvServerPath();

// name's full path on $PATH, or "".
std::string FindOnPath(const std::string& name);

// A fresh directory under $TMPDIR (or /tmp), removed with its contents when
// the object goes away.
class TempDir {
 public:
  static Result<std::unique_ptr<TempDir>> Create(const std::string& prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // Keeps the directory on disk (to look at a failed run).
  void Keep() { keep_ = true; }

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
  bool keep_ = false;
};

// Builds a process's argument list (without argv[0]) from its port and
// directory.
using ArgvBuilder = std::function<std::vector<std::string>(int port, const std::string& dir)>;

struct ServerSpec {
  std::string name;    // for reports: "kv-server", "redis-server"
  std::string binary;  // full path
  ArgvBuilder argv;
  int ready_timeout_ms = 10000;
  int stop_timeout_ms = 10000;
};

class ServerProcess {
 public:
  // Starts the server and waits until it answers PING. A port taken
  // between picking and binding makes it retry with another (3 attempts).
  static Result<std::unique_ptr<ServerProcess>> Start(ServerSpec spec);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  const std::string& name() const { return spec_.name; }
  int port() const { return port_; }
  const std::string& dir() const { return dir_->path(); }
  const std::vector<std::string>& args() const { return args_; }
  pid_t pid() const { return pid_; }
  // The command line as one string, for reports.
  std::string CommandLine() const;

  // Everything the process wrote to stdout and stderr so far.
  std::string Log() const;

  // True while the process has not exited (reaps it when it has).
  bool Running();
  // SIGTERM, wait up to stop_timeout_ms, then SIGKILL. Returns the exit
  // code, or -signal when a signal ended it (-9 when it had to be killed).
  int Stop();
  // SIGKILL and reap.
  void Kill();
  // Waits up to timeout_ms for the process to exit by itself; returns its
  // exit status as Stop does, or nothing (Result error) on timeout.
  Result<int> WaitExit(int timeout_ms);
  // Starts it again with the same port, directory and arguments.
  Status Restart();
  // Keeps the directory (data and log) after the process is gone.
  void KeepDir() { dir_->Keep(); }

 private:
  ServerProcess(ServerSpec spec, std::unique_ptr<TempDir> dir);
  Status Spawn();
  Status WaitReady();
  int ExitStatus() const;

  ServerSpec spec_;
  std::unique_ptr<TempDir> dir_;
  std::string log_path_;
  int port_ = 0;
  std::vector<std::string> args_;
  pid_t pid_ = -1;
  bool exited_ = false;
  int wait_status_ = 0;
};

// The explicit configuration both servers of a comparison start from, so
// neither side's defaults show: no AOF, no RDB saves, a private dir, bound
// to 127.0.0.1, warnings only. extra come last and override.
std::vector<std::string> ExplicitServerArgs(int port, const std::string& dir,
                                            const std::vector<std::string>& extra = {});

// Specs for the two servers of this repository's tests.
ServerSpec KvServerSpec(std::vector<std::string> extra = {});
ServerSpec RedisServerSpec(std::vector<std::string> extra = {});

}  // namespace cairn::testing
