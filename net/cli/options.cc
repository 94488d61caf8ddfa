#include "net/cli/options.h"

#include <cstdlib>
#include <cstring>

namespace cairn::cli {

namespace {

bool ParseInt(const std::string& s, long long* out) {
  if (s.empty()) return false;
  char* end = nullptr;
  *out = std::strtoll(s.c_str(), &end, 10);
  return *end == '\0';
}

}  // namespace

int AtoiLike(const std::string& s) { return static_cast<int>(std::strtol(s.c_str(), nullptr, 10)); }

Status ApplyUri(const std::string& uri, Options* o) {
  std::string rest;
  if (uri.rfind("redis://", 0) == 0) {
    rest = uri.substr(8);
  } else if (uri.rfind("rediss://", 0) == 0) {
    return Status::Invalid("Invalid URI scheme: TLS is not supported by kv-cli");
  } else {
    return Status::Invalid("Invalid URI scheme");
  }
  size_t at = rest.rfind('@');
  if (at != std::string::npos) {
    std::string userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    size_t colon = userinfo.find(':');
    if (colon == std::string::npos) {
      o->user = userinfo;  // redis-cli: "user@" alone names a user without password
    } else {
      o->user = userinfo.substr(0, colon);
      o->password = userinfo.substr(colon + 1);
      o->password_on_command_line = true;
    }
  }
  size_t slash = rest.find('/');
  std::string hostport = rest.substr(0, slash);
  if (slash != std::string::npos) {
    std::string path = rest.substr(slash + 1);
    if (!path.empty()) o->db = AtoiLike(path);
  }
  size_t colon = hostport.rfind(':');
  std::string host = hostport.substr(0, colon);
  if (!host.empty()) o->host = host;
  if (colon != std::string::npos) o->port = AtoiLike(hostport.substr(colon + 1));
  return Status::Ok();
}

Result<Options> ParseOptions(const std::vector<std::string>& argv, const char* auth_env) {
  Options o;
  if (auth_env != nullptr && *auth_env != '\0') o.password = auth_env;
  const size_t n = argv.size();
  for (size_t i = 0; i < n; i++) {
    const std::string& a = argv[i];
    bool last = i + 1 == n;
    auto bad = [&a] {
      return Status::Invalid("Unrecognized option or bad number of args for: '" + a + "'");
    };
    // An option that takes a value: redis-cli treats a missing value as an
    // unknown option.
    auto value = [&](std::string* dst) -> bool {
      if (last) return false;
      *dst = argv[++i];
      return true;
    };
    std::string v;
    long long num = 0;
    if (a == "--help" || (a == "-h" && last)) {
      o.help = true;  // as redis-cli: a lone trailing -h asks for help too
    } else if (a == "-h") {
      if (!value(&o.host)) return bad();
    } else if (a == "-p") {
      if (!value(&v)) return bad();
      o.port = AtoiLike(v);
    } else if (a == "-s") {
      if (!value(&o.socket)) return bad();
    } else if (a == "-a" || a == "--pass") {
      if (!value(&o.password)) return bad();
      o.password_on_command_line = true;
    } else if (a == "--user") {
      if (!value(&o.user)) return bad();
    } else if (a == "-u") {
      if (!value(&v)) return bad();
      Status s = ApplyUri(v, &o);
      if (!s.ok()) return s;
    } else if (a == "-n") {
      if (!value(&v)) return bad();
      o.db = AtoiLike(v);
    } else if (a == "-r") {
      if (!value(&v)) return bad();
      o.repeat = std::strtoll(v.c_str(), nullptr, 10);
    } else if (a == "-i") {
      if (!value(&v)) return bad();
      o.interval = std::strtod(v.c_str(), nullptr);
      o.interval_set = true;
    } else if (a == "-2") {
      o.protocol = 2;
      o.protocol_forced = true;
    } else if (a == "-3") {
      o.protocol = 3;
      o.protocol_forced = true;
    } else if (a == "-x") {
      o.stdin_last_arg = true;
    } else if (a == "-e") {
      o.exit_on_error = true;
    } else if (a == "-d") {
      if (!value(&o.raw_delim)) return bad();
    } else if (a == "-D") {
      if (!value(&o.reply_delim)) return bad();
    } else if (a == "--raw") {
      o.mode = OutputMode::kRaw;
      o.mode_forced = true;
    } else if (a == "--no-raw") {
      o.mode = OutputMode::kTty;
      o.mode_forced = true;
    } else if (a == "--csv") {
      o.mode = OutputMode::kCsv;
      o.mode_forced = true;
    } else if (a == "--json") {
      o.mode = OutputMode::kJson;
      o.mode_forced = true;
    } else if (a == "--quoted-json") {
      o.mode = OutputMode::kQuotedJson;
      o.mode_forced = true;
    } else if (a == "--show-pushes") {
      if (!value(&v)) return bad();
      o.show_pushes = (strcasecmp(v.c_str(), "yes") == 0 || v == "1") ? 1 : 0;
    } else if (a == "--stat") {
      o.stat = true;
    } else if (a == "--latency") {
      o.latency = true;
    } else if (a == "--latency-history") {
      o.latency = true;
      o.latency_history = true;
    } else if (a == "--scan") {
      o.scan = true;
    } else if (a == "--pattern") {
      if (!value(&o.pattern)) return bad();
    } else if (a == "--bigkeys") {
      o.bigkeys = true;
    } else if (a == "--pipe") {
      o.pipe = true;
    } else if (a == "--pipe-timeout") {
      if (!value(&v) || !ParseInt(v, &num)) return bad();
      o.pipe_timeout = static_cast<int>(num);
    } else if (a == "--no-auth-warning") {
      o.no_auth_warning = true;
    } else if (a == "-v" || a == "--version") {
      o.version = true;
    } else if (a.size() > 1 && a[0] == '-') {
      return bad();
    } else {
      o.command.assign(argv.begin() + static_cast<std::ptrdiff_t>(i), argv.end());
      break;
    }
  }
  if (!o.interval_set && o.latency_history) o.interval = 15;
  if ((o.mode == OutputMode::kJson || o.mode == OutputMode::kQuotedJson) && !o.protocol_forced) {
    o.protocol = 3;  // as redis-cli: JSON output asks for RESP3 unless -2 says otherwise
  }
  return o;
}

const char kUsage[] =
    R"(kv-cli: a command-line client for Cairn (and Redis), redis-cli 7.0 compatible

Usage: kv-cli [OPTIONS] [cmd [arg [arg ...]]]
  -h <hostname>      Server hostname (default: 127.0.0.1).
  -p <port>          Server port (default: 6379).
  -s <socket>        Server socket (overrides hostname and port).
  -a <password>      Password; the KVCLI_AUTH environment variable keeps it out of ps.
  --user <username>  ACL user (AUTH <user> <password>).
  --pass <password>  Same as -a.
  -u <uri>           redis://[[user]:password@]host[:port][/db].
  -n <db>            Database number.
  -2 / -3            Speak RESP2 / RESP3 (HELLO 3).
  -r <repeat>        Run the command N times (-1: forever).
  -i <interval>      Seconds between repeats (fractions allowed); also --stat and
                     --latency-history intervals.
  -x                 Read the last argument from standard input.
  -e                 Exit status 1 when the command replies with an error.
  -d <delimiter>     Between elements of an aggregate in raw output (default \n).
  -D <delimiter>     After each reply in raw output (default \n).
  --raw              Raw replies (default when stdout is not a terminal).
  --no-raw           Terminal formatting even when stdout is not a terminal.
  --csv              CSV output.
  --json             JSON output (asks for RESP3 unless -2).
  --quoted-json      JSON with strings quoted as on a terminal.
  --show-pushes <yn> Print RESP3 push messages (default: yes on a terminal).
  --stat             A line of keys, memory, clients, requests every interval.
  --latency          PING latency: min, max, avg, samples.
  --latency-history  Like --latency, one line per 15 s window (-i changes it).
  --scan             List keys with SCAN; --pattern <pat> filters them.
  --bigkeys          The biggest key of each type.
  --pipe             Send raw RESP from standard input (mass insertion).
  --pipe-timeout <n> Seconds to wait for the last replies in --pipe (default 30).
  --no-auth-warning  No warning for a password on the command line.
  --help             This help.  -v, --version: the version.

Without a command, kv-cli reads commands from a terminal (history in
~/.kvcli_history or $KVCLI_HISTFILE, Tab completion, `help <command>`), or one
per line from standard input when it is not a terminal.
)";

}  // namespace cairn::cli
