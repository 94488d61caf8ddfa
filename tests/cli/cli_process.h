// Running command-line clients (kv-cli, redis-cli) for the kv-cli tests:
// a child with the given argv, environment additions and standard input,
// stdout and stderr captured apart, bounded by a timeout (then killed).
// FakeServer: a RESP server on a free port that answers ECHOREPLY <bytes>
// with <bytes> verbatim, so both clients can be shown every reply shape.
#pragma once

#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace cairn::testing {

struct ProcessResult {
  int code = -1;  // exit status, or -signal
  std::string out;
  std::string err;
  bool timed_out = false;
};

ProcessResult RunProcess(const std::string& binary, const std::vector<std::string>& args,
                         const std::string& stdin_bytes = "",
                         const std::map<std::string, std::string>& env = {},
                         int timeout_ms = 10000);

// Runs the binary with stdin, stdout and stderr on a pseudo-terminal and
// returns everything it printed (the terminal turns "\n" into "\r\n").
ProcessResult RunInPty(const std::string& binary, const std::vector<std::string>& args,
                       int timeout_ms = 10000);

// kv-cli built with these tests ($CAIRN_KV_CLI, else beside the test
// binary).
std::string KvCliPath();

class FakeServer {
 public:
  FakeServer();
  ~FakeServer();
  int port() const { return port_; }

 private:
  void Serve();
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace cairn::testing
