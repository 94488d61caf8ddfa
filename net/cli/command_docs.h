// CommandDocs: what the shell knows about the server's commands, read once
// from COMMAND DOCS: names, subcommands, summaries, groups and argument
// syntax, for Tab completion and `help`.
//
// Invariant: an empty CommandDocs (an old server, or none reachable) still
// answers every call -- completion offers nothing and help says where to
// look -- so the shell works without COMMAND DOCS.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/resp/reply_reader.h"

namespace cairn::cli {

class Client;

struct CommandDoc {
  std::string name;    // upper case; "CONFIG GET" for a subcommand
  std::string syntax;  // arguments, as in "key value [NX|XX]"
  std::string summary;
  std::string since;
  std::string group;
};

class CommandDocs {
 public:
  // Asks the server; false (and stays empty) when it cannot answer.
  bool Load(Client& c);
  // Builds from a COMMAND DOCS reply (RESP2 or RESP3).
  void LoadFromReply(const Reply& r);
  bool empty() const { return docs_.empty(); }

  // Completion candidates for `text`, the word being typed after the
  // already typed words `before`.
  std::vector<std::string> Complete(const std::vector<std::string>& before,
                                    const std::string& text) const;
  // What `help <topic...>` prints.
  std::string Help(const std::vector<std::string>& topic) const;

 private:
  void Add(const std::string& name, const Reply& doc);

  std::map<std::string, CommandDoc> docs_;  // by name ("CONFIG GET")
};

// The argument syntax of a COMMAND DOCS "arguments" array.
std::string ArgumentSyntax(const Reply& arguments);

}  // namespace cairn::cli
