#include "net/cli/history.h"

#include <cstdlib>

#include <editline/readline.h>
#include <strings.h>

namespace cairn::cli {

namespace {

bool Eq(const std::string& a, const char* b) { return strcasecmp(a.c_str(), b) == 0; }

}  // namespace

std::string HistoryPath() {
  if (const char* f = std::getenv("KVCLI_HISTFILE")) return f;
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') return "";
  return std::string(home) + "/.kvcli_history";
}

bool IsSensitiveCommand(const std::vector<std::string>& args) {
  if (args.empty()) return false;
  const std::string& cmd = args[0];
  if (Eq(cmd, "auth")) return true;
  if (Eq(cmd, "hello") || Eq(cmd, "migrate")) {
    for (size_t i = 1; i < args.size(); i++) {
      if (Eq(args[i], "auth") || Eq(args[i], "auth2")) return true;
    }
    return false;
  }
  if (args.size() >= 2 && Eq(cmd, "acl") && Eq(args[1], "setuser")) return true;
  if (args.size() >= 2 && Eq(cmd, "config") && Eq(args[1], "set")) {
    for (size_t i = 2; i < args.size(); i += 2) {
      if (Eq(args[i], "requirepass") || Eq(args[i], "masterauth") || Eq(args[i], "masteruser")) {
        return true;
      }
    }
  }
  return false;
}

void History::Load() {
  ::using_history();
  if (!path_.empty()) ::read_history(path_.c_str());
}

void History::Add(const std::string& line, const std::vector<std::string>& args) {
  if (IsSensitiveCommand(args)) return;
  ::add_history(line.c_str());
  if (!path_.empty()) ::write_history(path_.c_str());
}

}  // namespace cairn::cli
