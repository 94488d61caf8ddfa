// Command and CommandTable: the runtime command table the dispatcher uses.
//
// A Command joins a CommandSpec (facts from spec.h) with its handler and its
// statistics. Handlers are bound by full name ("get", "client|list") from one
// list per command family (HandlerBinding spans); building the table fails if
// a spec has no handler or a handler no spec, so the two cannot drift apart.
//
// Lookup is case-insensitive and allocation-free: a name is hashed and
// compared lower-cased, byte by byte, in an open-addressing table of
// string_views; the last name found, as the client spelled it, is remembered
// with its command, since a pipeline mostly repeats one command.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/command/spec.h"
#include "engine/util/status.h"

namespace cairn {

class CommandContext;
using CommandHandler = void (*)(CommandContext&);

struct HandlerBinding {
  std::string_view fullname;  // "get", "client|list"
  CommandHandler handler;
};

// Per-command counters, as INFO commandstats reports them.
struct CommandStats {
  uint64_t calls = 0;
  uint64_t usec = 0;
  uint64_t rejected_calls = 0;
  uint64_t failed_calls = 0;
};

struct Command {
  const CommandSpec* spec = nullptr;
  CommandHandler handler = nullptr;
  std::string fullname;    // "client|list": error texts, COMMAND INFO, statistics
  std::string table_name;  // what clients call it (rename-command may change it)
  const Command* parent = nullptr;
  std::vector<std::unique_ptr<Command>> subcommands;
  CommandStats stats;  // mutable through the table's owner (the engine thread)
  // Refused with -MISCONF while writes are refused: the writes, and PING
  // (Redis's rule). Decided once here rather than by comparing names per call.
  bool refused_with_writes = false;

  int arity() const { return spec->arity; }
  bool has(uint32_t flag) const { return (spec->flags & flag) != 0; }
  bool is_container() const { return !subcommands.empty(); }
  const Command* FindSubcommand(std::string_view name) const;
};

class CommandTable {
 public:
  // Builds the table from every spec and every family's handlers.
  static Result<std::unique_ptr<CommandTable>> Build();

  // Finds a top-level command by name, in any case.
  Command* Find(std::string_view name) const;
  // Every top-level command, in table order (deterministic).
  const std::vector<std::unique_ptr<Command>>& commands() const { return commands_; }

  // rename-command: renames (to a non-empty name) or removes a command.
  Status Rename(std::string_view from, std::string_view to);

  // Sets every command's statistics to zero (CONFIG RESETSTAT).
  void ResetStats();

  // Full names of specs with no handler: they answer "command ... is not
  // available". A unit test requires this list to be empty.
  const std::vector<std::string>& unbound() const { return unbound_; }

  static constexpr size_t kMaxNameLen = 64;

 private:
  void Bind(Command& cmd, const std::map<std::string_view, CommandHandler>& handlers,
            std::map<std::string_view, bool>& used);
  void Index();

  std::vector<std::string> unbound_;

  std::vector<std::unique_ptr<Command>> commands_;
  std::vector<Command*> slots_;  // open addressing by name hash
  std::vector<std::string_view> slot_names_;
  // The last name Find found, as the client spelled it, and its command: a
  // pipeline mostly repeats one command, and comparing a few bytes costs less
  // than hashing them and probing. Only Find (the engine thread) and Rename
  // touch it.
  static constexpr size_t kRememberedNameLen = 16;
  mutable char last_name_[kRememberedNameLen] = {};
  mutable size_t last_name_len_ = kRememberedNameLen + 1;  // nothing remembered
  mutable Command* last_found_ = nullptr;
};

// Lower-cases name into buf (size >= kMaxNameLen); returns the view, or an
// empty view if the name is too long to be a command.
std::string_view LowerName(std::string_view name, char* buf);

// Every family's handler list (engine/command/*.cc).
std::span<const HandlerBinding> StringHandlers();
std::span<const HandlerBinding> BitHandlers();
std::span<const HandlerBinding> KeyHandlers();
std::span<const HandlerBinding> ExpireHandlers();
std::span<const HandlerBinding> ConnectionHandlers();
std::span<const HandlerBinding> ClientHandlers();
std::span<const HandlerBinding> ServerHandlers();
std::span<const HandlerBinding> ConfigHandlers();   // CONFIG (config_cmd.cc)
std::span<const HandlerBinding> CommandHandlers();  // COMMAND (command_cmd.cc)

}  // namespace cairn
