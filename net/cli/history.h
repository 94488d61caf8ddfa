// History: the shell's line history, kept by libedit and saved after every
// line to ~/.kvcli_history, or $KVCLI_HISTFILE (set but empty: no file).
//
// Invariant: a line that carries a password -- AUTH, HELLO ... AUTH,
// ACL SETUSER, CONFIG SET requirepass/masterauth/masteruser, MIGRATE ...
// AUTH/AUTH2 -- is never added, neither to the Up-key history nor to the file.
#pragma once

#include <string>
#include <vector>

namespace cairn::cli {

// The history file's path, or "" for none.
std::string HistoryPath();

// True when args (a split command line) carry a password.
bool IsSensitiveCommand(const std::vector<std::string>& args);

class History {
 public:
  explicit History(std::string path) : path_(std::move(path)) {}
  void Load();
  // Adds the line unless it is sensitive; saves the file.
  void Add(const std::string& line, const std::vector<std::string>& args);

 private:
  std::string path_;
};

}  // namespace cairn::cli
