#include <algorithm>
#include <map>

#include "engine/command/command.h"
#include "engine/command/context.h"
#include "engine/util/siphash.h"

namespace cairn {
namespace {

// A fixed key: the command table's layout need not be secret.
constexpr SipKey kNameHashKey = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

uint64_t NameHash(std::string_view lower) { return SipHash12(kNameHashKey, lower); }

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
    buf[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
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
  char buf[kMaxNameLen];
  std::string_view lower = LowerName(name, buf);
  if (lower.empty() && !name.empty()) return nullptr;
  size_t mask = slots_.size() - 1;
  size_t pos = NameHash(lower) & mask;
  while (slots_[pos] != nullptr) {
    if (slot_names_[pos] == lower) return slots_[pos];
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
