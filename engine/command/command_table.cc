#include <algorithm>
#include <cstring>
#include <map>

#include "engine/command/command.h"
#include "engine/command/context.h"
#include "engine/util/ascii.h"
#include "engine/util/same_bytes.h"

namespace cairn {
namespace {

// FNV-1a over the name in lower case. The table holds only the server's own
// names and never grows, so no client can crowd it whatever names it sends:
// a keyed hash would buy nothing (SipHash here was 3% of the server's time
// at the original load).
uint64_t NameHash(std::string_view name) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : name) {
    h ^= static_cast<unsigned char>(AsciiLower(c));
    h *= 0x100000001b3ULL;
  }
  return h;
}

// A table name (lower case) against a client's spelling in any case. Lowered
// as it is compared, not into a buffer first: wide loads from bytes just
// stored one at a time stall (3% of the server's time in Find).
bool SameNameAnyCase(std::string_view table_name, std::string_view name) {
  if (table_name.size() != name.size()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (table_name[i] != AsciiLower(name[i])) return false;
  }
  return true;
}

std::span<const HandlerBinding> (*const kFamilies[])() = {
    StringHandlers, BitHandlers,    KeyHandlers,    ExpireHandlers,  ConnectionHandlers,
    ClientHandlers, ServerHandlers, ConfigHandlers, CommandHandlers,
};

void Unavailable(CommandContext& ctx) {
  ctx.reply().Error("ERR command '" + ctx.command().fullname + "' is not available");
}

}  // namespace

std::string_view LowerName(std::string_view name, char* buf) {
  if (name.size() > CommandTable::kMaxNameLen) return {};
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    buf[i] = AsciiLower(c);
  }
  return {buf, name.size()};
}

const Command* Command::FindSubcommand(std::string_view name) const {
  char buf[CommandTable::kMaxNameLen];
  std::string_view lower = LowerName(name, buf);
  if (lower.empty()) return nullptr;
  for (const auto& sub : subcommands) {
    if (sub->spec->name == lower) return sub.get();
  }
  return nullptr;
}

Result<std::unique_ptr<CommandTable>> CommandTable::Build() {
  std::map<std::string_view, CommandHandler> handlers;
  for (auto family : kFamilies) {
    for (const HandlerBinding& b : family()) {
      if (!handlers.emplace(b.fullname, b.handler).second) {
        return Status::Invalid("command: handler bound twice: " + std::string(b.fullname));
      }
    }
  }
  auto table = std::make_unique<CommandTable>();
  std::map<std::string_view, bool> used;
  for (const CommandSpec& spec : AllCommandSpecs()) {
    auto cmd = std::make_unique<Command>();
    cmd->spec = &spec;
    cmd->fullname = std::string(spec.name);
    cmd->table_name = cmd->fullname;
    for (const CommandSpec& sub_spec : spec.subcommands) {
      auto sub = std::make_unique<Command>();
      sub->spec = &sub_spec;
      sub->fullname = cmd->fullname + "|" + std::string(sub_spec.name);
      sub->parent = cmd.get();
      table->Bind(*sub, handlers, used);
      cmd->subcommands.push_back(std::move(sub));
    }
    if (spec.subcommands.empty()) {
      table->Bind(*cmd, handlers, used);
    } else if (auto it = handlers.find(cmd->fullname); it != handlers.end()) {
      // A container that also runs on its own (COMMAND with no subcommand).
      cmd->handler = it->second;
      used[it->first] = true;
    } else {
      cmd->handler = &Unavailable;  // unreachable: containers' arity needs a subcommand
    }
    auto gate = [](Command& c) {
      c.refused_with_writes = c.has(kCmdWrite) || c.fullname == "ping";
    };
    gate(*cmd);
    for (auto& sub : cmd->subcommands) gate(*sub);
    table->commands_.push_back(std::move(cmd));
  }
  for (const auto& [name, handler] : handlers) {
    if (!used.count(name)) {
      return Status::Invalid("command: handler without a spec: " + std::string(name));
    }
  }
  table->Index();
  return table;
}

void CommandTable::Bind(Command& cmd, const std::map<std::string_view, CommandHandler>& handlers,
                        std::map<std::string_view, bool>& used) {
  auto it = handlers.find(cmd.fullname);
  if (it == handlers.end()) {
    cmd.handler = &Unavailable;
    unbound_.push_back(cmd.fullname);
    return;
  }
  cmd.handler = it->second;
  used[it->first] = true;
}

void CommandTable::Index() {
  last_name_len_ = kRememberedNameLen + 1;  // names may now mean something else
  last_found_ = nullptr;
  size_t n = 16;
  while (n < commands_.size() * 3) n <<= 1;
  slots_.assign(n, nullptr);
  slot_names_.assign(n, {});
  for (size_t i = 0; i < commands_.size(); ++i) {
    std::string_view name = commands_[i]->table_name;
    size_t pos = NameHash(name) & (n - 1);
    while (slots_[pos] != nullptr) pos = (pos + 1) & (n - 1);
    slots_[pos] = commands_[i].get();
    slot_names_[pos] = name;
  }
}

Command* CommandTable::Find(std::string_view name) const {
  if (name.size() == last_name_len_ &&
      SameBytes(std::string_view(last_name_, last_name_len_), name)) {
    return last_found_;
  }
  if (name.size() > kMaxNameLen) return nullptr;
  size_t mask = slots_.size() - 1;
  size_t pos = NameHash(name) & mask;
  while (slots_[pos] != nullptr) {
    if (SameNameAnyCase(slot_names_[pos], name)) {
      if (name.size() <= kRememberedNameLen) {
        std::memcpy(last_name_, name.data(), name.size());
        last_name_len_ = name.size();
        last_found_ = slots_[pos];
      }
      return slots_[pos];
    }
    pos = (pos + 1) & mask;
  }
  return nullptr;
}

Status CommandTable::Rename(std::string_view from, std::string_view to) {
  Command* cmd = Find(from);
  if (cmd == nullptr) return Status::Invalid("No such command in rename-command");
  if (!to.empty()) {
    char buf[kMaxNameLen];
    std::string_view lower = LowerName(to, buf);
    if (lower.empty() || Find(lower) != nullptr) {
      return Status::Invalid("Target command name already exists");
    }
    cmd->table_name = std::string(lower);
  } else {
    auto it = std::find_if(commands_.begin(), commands_.end(),
                           [&](const auto& c) { return c.get() == cmd; });
    commands_.erase(it);
  }
  Index();
  return Status::Ok();
}

void CommandTable::ResetStats() {
  for (auto& cmd : commands_) {
    cmd->stats = {};
    for (auto& sub : cmd->subcommands) sub->stats = {};
  }
}

}  // namespace cairn
