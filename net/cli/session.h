// Session: one run of kv-cli -- its options, its connection and where it
// prints -- and the modes that share them: one-shot, piped standard input,
// the interactive shell (shell.cc) and the tools (tools.cc).
//
// Invariants: every reply is printed through Print() in the session's
// output mode; a command that finds the connection gone reconnects once and
// resends (as redis-cli does), so a restarted server is picked up with the
// same database and protocol.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "net/cli/client.h"
#include "net/cli/options.h"

namespace cairn::cli {

class Session {
 public:
  explicit Session(Options o);

  // Runs the mode the options ask for; returns the exit status.
  int Run();

  // Modes.
  int RunOneShot();
  int RunLines(std::FILE* in);  // piped standard input
  int RunShell();               // shell.cc
  int RunStat();                // tools.cc
  int RunLatency();
  int RunScan();
  int RunBigKeys();
  int RunPipe();

  // Sends args, prints the reply (and, for SUBSCRIBE / MONITOR, everything
  // that follows). Returns 0, 1 for an error reply, or -1 when the server
  // could not be reached (a message has been printed).
  int Issue(const std::vector<std::string>& args);
  // Issue repeated `repeat` times with the -i interval between.
  int IssueRepeat(const std::vector<std::string>& args, long long repeat);

  // Connects if not connected; prints redis-cli's message when it cannot.
  bool EnsureConnected();
  void Print(const std::vector<std::string>& args, const Reply& r);

  Options& options() { return o_; }
  Client& client() { return client_; }
  OutputMode mode() const { return mode_; }
  bool in_transaction() const { return in_transaction_; }

 private:
  // Prints what a subscriber or MONITOR receives until the connection ends.
  int StreamReplies();

  Options o_;
  Client client_;
  OutputMode mode_;
  bool stdout_tty_;
  bool show_pushes_;
  bool in_transaction_ = false;
};

// True when stdout should be treated as a terminal (a tty, or FAKETTY set,
// as redis-cli allows for tests).
bool StdoutIsTty();

// kv-cli's main.
int Main(int argc, char** argv);

}  // namespace cairn::cli
