// kv-cli's command line, read the way redis-cli 7.0 reads its own: options
// first; the first word that is not an option starts the command, and
// everything after it belongs to the command.
//
// Invariants: a parsed Options is complete (defaults filled in: 127.0.0.1,
// port 6379, database 0, RESP2 unless -3, or JSON output, asks for RESP3);
// a refused command line gives a message in redis-cli's words, and nothing
// is parsed half-way.
#pragma once

#include <string>
#include <vector>

#include "engine/util/status.h"
#include "net/cli/reply_format.h"

namespace cairn::cli {

struct Options {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string socket;  // -s: a Unix socket instead of host:port
  std::string user;
  std::string password;
  bool password_on_command_line = false;  // -a, --pass or a password in -u
  bool no_auth_warning = false;
  int db = 0;
  int protocol = 2;  // 2 or 3
  bool protocol_forced = false;

  long long repeat = 1;  // -r; -1 means forever
  double interval = 0;   // -i, seconds
  bool interval_set = false;
  bool stdin_last_arg = false;  // -x
  bool exit_on_error = false;   // -e

  OutputMode mode = OutputMode::kRaw;
  bool mode_forced = false;
  std::string raw_delim = "\n";    // -d
  std::string reply_delim = "\n";  // -D
  int show_pushes = -1;            // -1 default (on a terminal), 0 no, 1 yes

  bool stat = false;
  bool latency = false;
  bool latency_history = false;
  bool scan = false;
  bool bigkeys = false;
  bool pipe = false;
  int pipe_timeout = 30;
  std::string pattern;  // --pattern for --scan

  bool help = false;
  bool version = false;

  std::vector<std::string> command;  // the command words, if any
};

// Parses argv (without argv[0]). auth_env is $KVCLI_AUTH or nullptr.
Result<Options> ParseOptions(const std::vector<std::string>& argv, const char* auth_env);

// The leading integer of s, 0 when there is none (redis-cli reads ports,
// databases and repeat counts this way, without refusing junk).
int AtoiLike(const std::string& s);

// Applies redis://[[user]:password@]host[:port][/db] to o.
Status ApplyUri(const std::string& uri, Options* o);

extern const char kUsage[];

}  // namespace cairn::cli
