// The interactive shell (Session::RunShell): libedit line editing and
// history, Tab completion of command and subcommand names from the
// server's COMMAND DOCS, help, clear, quit/exit, connect, "N CMD" repeats, the
// prompt (address, [db], (TX), or "not connected").
//
// Argument hints as you type are not shown: libedit's readline layer has no
// hook that redraws text after the cursor on each key (README says so).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <editline/readline.h>
#include <strings.h>

#include "net/cli/command_docs.h"
#include "net/cli/history.h"
#include "net/cli/session.h"
#include "net/cli/split_args.h"

namespace cairn::cli {

namespace {

// Completion candidates of the running shell (libedit's callbacks are plain
// functions, so they reach the shell's state through this pointer).
const CommandDocs* g_docs = nullptr;
std::vector<std::string> g_matches;

char* NextMatch(const char* /*text*/, int state) {
  static size_t next = 0;
  if (state == 0) next = 0;
  if (next >= g_matches.size()) return nullptr;
  return ::strdup(g_matches[next++].c_str());
}

char** Complete(const char* text, int start, int /*end*/) {
  g_matches.clear();
  if (g_docs != nullptr) {
    std::string line(rl_line_buffer, static_cast<size_t>(start));
    SplitLine before = SplitArgs(line);
    if (before.ok) g_matches = g_docs->Complete(before.args, text);
  }
  rl_attempted_completion_over = 1;  // no file name completion
  if (g_matches.empty()) return nullptr;
  return rl_completion_matches(text, NextMatch);
}

std::string Prompt(Session& s) {
  Client& c = s.client();
  if (!c.connected()) return "not connected> ";
  std::string p = c.Address();
  if (c.db() != 0) p += "[" + std::to_string(c.db()) + "]";
  if (s.in_transaction()) p += "(TX)";
  return p + "> ";
}

}  // namespace

int Session::RunShell() {
  EnsureConnected();
  CommandDocs docs;
  if (client_.connected()) docs.Load(client_);
  g_docs = &docs;
  rl_readline_name = "kv-cli";
  rl_attempted_completion_function = Complete;
  History history(HistoryPath());
  history.Load();

  while (true) {
    std::string prompt = Prompt(*this);
    char* raw = ::readline(prompt.c_str());
    if (raw == nullptr) break;  // Ctrl-D
    std::string line(raw);
    std::free(raw);
    SplitLine split = SplitArgs(line);
    if (!split.ok) {
      std::printf("%s\n", kUnbalancedQuotesMessage);
      std::fflush(stdout);
      continue;
    }
    auto& args = split.args;
    if (args.empty()) continue;
    history.Add(line, args);
    const char* cmd = args[0].c_str();
    if (strcasecmp(cmd, "quit") == 0 || strcasecmp(cmd, "exit") == 0) break;
    if (strcasecmp(cmd, "clear") == 0 && args.size() == 1) {
      std::printf("\033[H\033[2J");
      std::fflush(stdout);
      continue;
    }
    if (strcasecmp(cmd, "help") == 0 || strcasecmp(cmd, "?") == 0) {
      if (docs.empty() && EnsureConnected()) docs.Load(client_);
      std::string text = docs.Help(std::vector<std::string>(args.begin() + 1, args.end()));
      std::fwrite(text.data(), 1, text.size(), stdout);
      std::fflush(stdout);
      continue;
    }
    if (strcasecmp(cmd, "connect") == 0 && (args.size() == 2 || args.size() == 3)) {
      // As redis-cli: connect <host> [port] switches servers.
      client_.SetTarget(args[1], args.size() == 3 ? AtoiLike(args[2]) : 6379);
      if (EnsureConnected() && docs.empty()) docs.Load(client_);
      continue;
    }
    long long repeat = 1;
    if (args.size() > 1) {
      char* end = nullptr;
      long long n = std::strtoll(cmd, &end, 10);
      if (*end == '\0') {
        repeat = n;
        args.erase(args.begin());
      }
    }
    bool was_connected = client_.connected();
    IssueRepeat(args, repeat);
    if (!was_connected && client_.connected() && docs.empty()) docs.Load(client_);
  }
  g_docs = nullptr;
  return 0;
}

}  // namespace cairn::cli
