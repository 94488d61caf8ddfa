#include "net/cli/session.h"

#include <chrono>
#include <cstdlib>
#include <thread>

#include <strings.h>
#include <unistd.h>

#include "net/cli/split_args.h"

namespace cairn::cli {

namespace {

bool IsSubscribe(const std::string& cmd) {
  return strcasecmp(cmd.c_str(), "subscribe") == 0 || strcasecmp(cmd.c_str(), "psubscribe") == 0 ||
         strcasecmp(cmd.c_str(), "ssubscribe") == 0;
}

void SleepSeconds(double s) {
  if (s > 0)
    std::this_thread::sleep_for(std::chrono::microseconds(static_cast<long long>(s * 1e6)));
}

}  // namespace

bool StdoutIsTty() { return ::isatty(STDOUT_FILENO) != 0 || std::getenv("FAKETTY") != nullptr; }

Session::Session(Options o) : o_(std::move(o)), client_(o_), stdout_tty_(StdoutIsTty()) {
  mode_ = o_.mode_forced ? o_.mode : stdout_tty_ ? OutputMode::kTty : OutputMode::kRaw;
  show_pushes_ = o_.show_pushes == 1 || (o_.show_pushes == -1 && stdout_tty_);
}

bool Session::EnsureConnected() {
  if (client_.connected()) return true;
  Status s = client_.Connect();
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.message().c_str());
    return false;
  }
  return true;
}

void Session::Print(const std::vector<std::string>& args, const Reply& r) {
  std::string out;
  // -e sends error replies to stderr in one-shot mode only (as redis-cli:
  // piped and interactive lines print them as usual).
  if (r.is_error() && o_.exit_on_error && !o_.command.empty()) {
    std::fprintf(stderr, "%s\n", r.str.c_str());
    return;
  }
  bool report = !r.is_error() && !args.empty() &&
                IsReportCommand(args[0], args.size() > 1 ? args[1] : std::string());
  out = FormatReply(r, mode_, report, o_.raw_delim, o_.reply_delim);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
}

int Session::Issue(const std::vector<std::string>& args) {
  if (args.empty()) return 0;
  Result<Reply> r = Status::Io("not connected");
  for (int attempt = 0; attempt < 2; attempt++) {
    if (!EnsureConnected()) return -1;
    r = client_.Command(args);
    if (r.ok() || client_.connected()) break;
    // The server went away: redis-cli reconnects once and resends.
  }
  if (!r.ok()) {
    std::fprintf(stderr, "Error: %s\n", r.status().message().c_str());
    return -1;
  }
  // Push messages that arrive before the reply (RESP3 tracking).
  while (r->type == Reply::Type::kPush && !IsSubscribe(args[0])) {
    if (show_pushes_) Print({}, r.value());
    r = client_.Read();
    if (!r.ok()) {
      std::fprintf(stderr, "Error: %s\n", r.status().message().c_str());
      return -1;
    }
  }
  const char* cmd = args[0].c_str();
  bool streams = !r->is_error() && (IsSubscribe(args[0]) || strcasecmp(cmd, "monitor") == 0);
  // redis-cli announces subscriber mode by the command, before the reply
  // (even an error reply).
  if (IsSubscribe(args[0]) && mode_ != OutputMode::kRaw) {
    std::printf("Reading messages... (press Ctrl-C to quit)\n");
  }
  Print(args, r.value());
  if (!r->is_error()) {
    if (strcasecmp(cmd, "multi") == 0) in_transaction_ = true;
    if (strcasecmp(cmd, "exec") == 0 || strcasecmp(cmd, "discard") == 0) in_transaction_ = false;
  } else if (strcasecmp(cmd, "exec") == 0) {
    in_transaction_ = false;
  }
  if (r->is_error()) return 1;
  if (streams) return StreamReplies();
  return 0;
}

int Session::StreamReplies() {
  while (true) {
    auto r = client_.Read();
    if (!r.ok()) {
      std::fprintf(stderr, "Error: %s\n", r.status().message().c_str());
      return -1;
    }
    Print({}, r.value());
  }
}

int Session::IssueRepeat(const std::vector<std::string>& args, long long repeat) {
  int code = 0;
  for (long long i = 0; repeat < 0 || i < repeat; i++) {
    int rc = Issue(args);
    if (rc < 0) return rc;
    if (rc > 0) code = 1;
    SleepSeconds(o_.interval);
  }
  return code;
}

int Session::RunOneShot() {
  std::vector<std::string> args = o_.command;
  if (o_.stdin_last_arg) {
    std::string data;
    char buf[65536];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof(buf), stdin)) > 0) data.append(buf, n);
    args.push_back(std::move(data));
  }
  if (!EnsureConnected()) return 1;
  int rc = IssueRepeat(args, o_.repeat);
  if (rc < 0) return 1;
  // Without -e an error reply still exits 0, as redis-cli 7.0 does.
  return rc > 0 && o_.exit_on_error ? 1 : 0;
}

int Session::RunLines(std::FILE* in) {
  // As redis-cli: connect first (a failure is reported, each command then
  // tries again); unlike redis-cli, a command that could not be sent makes
  // the exit status 1.
  bool failed = !EnsureConnected();
  char* line = nullptr;
  size_t cap = 0;
  ssize_t len;
  while ((len = ::getline(&line, &cap, in)) >= 0) {
    std::string_view text(line, static_cast<size_t>(len));
    SplitLine split = SplitArgs(text);
    if (!split.ok) {
      std::printf("%s\n", kUnbalancedQuotesMessage);
      std::fflush(stdout);
      continue;
    }
    auto& args = split.args;
    if (args.empty()) continue;
    if (strcasecmp(args[0].c_str(), "quit") == 0 || strcasecmp(args[0].c_str(), "exit") == 0) {
      break;
    }
    long long repeat = 1;
    if (args.size() > 1) {
      char* end = nullptr;
      long long n = std::strtoll(args[0].c_str(), &end, 10);
      if (*end == '\0' && !args[0].empty()) {
        repeat = n;
        args.erase(args.begin());
      }
    }
    if (IssueRepeat(args, repeat) < 0) failed = true;
  }
  std::free(line);
  return failed ? 1 : 0;
}

int Session::Run() {
  bool tool = o_.pipe || o_.stat || o_.latency || o_.scan || o_.bigkeys;
  if (tool && !EnsureConnected()) return 1;
  if (o_.pipe) return RunPipe();
  if (o_.stat) return RunStat();
  if (o_.latency) return RunLatency();
  if (o_.scan) return RunScan();
  if (o_.bigkeys) return RunBigKeys();
  if (!o_.command.empty()) return RunOneShot();
  if (::isatty(STDIN_FILENO)) return RunShell();
  return RunLines(stdin);
}

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto parsed = ParseOptions(args, std::getenv("KVCLI_AUTH"));
  if (!parsed.ok()) {
    std::fprintf(stderr, "%s\n", parsed.status().message().c_str());
    return 1;
  }
  Options& o = parsed.value();
  if (o.help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (o.version) {
    std::printf("kv-cli 0.1.0 (redis-cli 7.0 compatible)\n");
    return 0;
  }
  if (o.password_on_command_line && !o.no_auth_warning) {
    std::fprintf(stderr,
                 "Warning: Using a password with '-a' or '-u' option on the command line "
                 "interface may not be safe.\n");
  }
  Session session(std::move(o));
  return session.Run();
}

}  // namespace cairn::cli
