// COMMAND and its subcommands (COUNT, INFO, DOCS, LIST, GETKEYS,
// GETKEYSANDFLAGS, HELP): the command table described to clients.
//
// Reply shapes are Redis 7.0's element for element, in RESP2 and RESP3
// (flags and ACL categories as sets of status strings, key specs as maps,
// docs as maps of maps, argument trees), because client libraries and
// redis-cli read them by position. The order of commands and subcommands is
// the table's (Redis answers in hash-table order, which differs run to run).
#include <string>

#include "engine/command/context.h"
#include "engine/command/key_specs.h"
#include "engine/util/glob.h"

namespace cairn {
namespace {

// --- Looking commands up. ---

// A command by its full name ("get", "config|get"), any case; nullptr for
// anything else (Redis's lookupCommandBySds).
const Command* LookupFullName(CommandTable& table, std::string_view name) {
  size_t bar = name.find('|');
  if (bar == std::string_view::npos) return table.Find(name);
  std::string_view sub = name.substr(bar + 1);
  if (sub.find('|') != std::string_view::npos) return nullptr;  // one level only
  const Command* base = table.Find(name.substr(0, bar));
  if (base == nullptr || !base->is_container()) return nullptr;
  return base->FindSubcommand(sub);
}

// The command a command line would run (Redis's lookupCommand).
const Command* LookupLine(CommandTable& table, std::span<const std::string_view> line) {
  const Command* base = table.Find(line[0]);
  if (base == nullptr || line.size() == 1 || !base->is_container()) return base;
  return base->FindSubcommand(line[1]);
}

// --- COMMAND INFO. ---

void ReplyStatusSet(ReplyWriter& w, std::span<const std::string_view> names) {
  w.Set(names.size());
  for (std::string_view n : names) w.Simple(n);
}

void ReplyCommandFlags(ReplyWriter& w, uint32_t flags) {
  size_t n = 0;
  for (size_t i = 0; i < std::size(kCommandFlagNames); ++i) n += (flags >> i) & 1u;
  w.Set(n);
  for (size_t i = 0; i < std::size(kCommandFlagNames); ++i) {
    if ((flags >> i) & 1u) w.Simple(kCommandFlagNames[i]);
  }
}

void ReplyAclCategories(ReplyWriter& w, uint32_t acl) {
  size_t n = 0;
  for (size_t i = 0; i < std::size(kAclCategoryNames); ++i) n += (acl >> i) & 1u;
  w.Set(n);
  std::string name;
  for (size_t i = 0; i < std::size(kAclCategoryNames); ++i) {
    if (((acl >> i) & 1u) == 0) continue;
    name = "@";
    name += kAclCategoryNames[i];
    w.Simple(name);
  }
}

void ReplyKeySpec(ReplyWriter& w, const KeySpec& ks) {
  w.Map(ks.notes.empty() ? 3 : 4);
  if (!ks.notes.empty()) {
    w.Bulk("notes");
    w.Bulk(ks.notes);
  }
  w.Bulk("flags");
  ReplyStatusSet(w, ks.flags);

  w.Bulk("begin_search");
  w.Map(2);
  w.Bulk("type");
  switch (ks.begin) {
    case KeySpec::Begin::kIndex:
      w.Bulk("index");
      w.Bulk("spec");
      w.Map(1);
      w.Bulk("index");
      w.Integer(ks.begin_index);
      break;
    case KeySpec::Begin::kKeyword:
      w.Bulk("keyword");
      w.Bulk("spec");
      w.Map(2);
      w.Bulk("keyword");
      w.Bulk(ks.begin_keyword);
      w.Bulk("startfrom");
      w.Integer(ks.begin_startfrom);
      break;
    case KeySpec::Begin::kUnknown:
      w.Bulk("unknown");
      w.Bulk("spec");
      w.Map(0);
      break;
  }

  w.Bulk("find_keys");
  w.Map(2);
  w.Bulk("type");
  switch (ks.find) {
    case KeySpec::Find::kRange:
      w.Bulk("range");
      w.Bulk("spec");
      w.Map(3);
      w.Bulk("lastkey");
      w.Integer(ks.range_lastkey);
      w.Bulk("keystep");
      w.Integer(ks.range_keystep);
      w.Bulk("limit");
      w.Integer(ks.range_limit);
      break;
    case KeySpec::Find::kKeynum:
      w.Bulk("keynum");
      w.Bulk("spec");
      w.Map(3);
      w.Bulk("keynumidx");
      w.Integer(ks.keynum_index);
      w.Bulk("firstkey");
      w.Integer(ks.keynum_firstkey);
      w.Bulk("keystep");
      w.Integer(ks.keynum_keystep);
      break;
    case KeySpec::Find::kUnknown:
      w.Bulk("unknown");
      w.Bulk("spec");
      w.Map(0);
      break;
  }
}

// [name, arity, flags, first key, last key, step, ACL categories, tips,
//  key specs, subcommands]
void ReplyCommandInfo(ReplyWriter& w, const Command& cmd) {
  const CommandSpec& spec = *cmd.spec;
  w.Array(10);
  w.Bulk(cmd.fullname);
  w.Integer(spec.arity);
  ReplyCommandFlags(w, spec.flags);
  w.Integer(spec.first_key);
  w.Integer(spec.last_key);
  w.Integer(spec.key_step);
  ReplyAclCategories(w, spec.acl);
  w.Set(spec.tips.size());
  for (std::string_view tip : spec.tips) w.Bulk(tip);
  w.Set(spec.key_specs.size());
  for (const KeySpec& ks : spec.key_specs) ReplyKeySpec(w, ks);
  if (!cmd.is_container()) {
    w.Set(0);
    return;
  }
  w.Array(cmd.subcommands.size());
  for (const auto& sub : cmd.subcommands) ReplyCommandInfo(w, *sub);
}

// --- COMMAND DOCS. ---

void ReplyOptional(ReplyWriter& w, std::string_view key, std::string_view value) {
  if (value.empty()) return;
  w.Bulk(key);
  w.Bulk(value);
}

void ReplyArgs(ReplyWriter& w, std::span<const ArgSpec> args) {
  w.Array(args.size());
  for (const ArgSpec& a : args) {
    const bool composite = a.type == "oneof" || a.type == "block";
    const size_t flag_count =
        (a.optional ? 1 : 0) + (a.multiple ? 1 : 0) + (a.multiple_token ? 1 : 0);
    size_t n = 2;
    n += a.key_spec_index != -1;
    n += !a.token.empty();
    n += !a.summary.empty();
    n += !a.since.empty();
    n += !a.deprecated_since.empty();
    n += flag_count > 0;
    n += composite;
    w.Map(n);
    w.Bulk("name");
    w.Bulk(a.name);
    w.Bulk("type");
    w.Bulk(a.type);
    if (a.key_spec_index != -1) {
      w.Bulk("key_spec_index");
      w.Integer(a.key_spec_index);
    }
    ReplyOptional(w, "token", a.token);
    ReplyOptional(w, "summary", a.summary);
    ReplyOptional(w, "since", a.since);
    ReplyOptional(w, "deprecated_since", a.deprecated_since);
    if (flag_count > 0) {
      w.Bulk("flags");
      w.Set(flag_count);
      if (a.optional) w.Simple("optional");
      if (a.multiple) w.Simple("multiple");
      if (a.multiple_token) w.Simple("multiple_token");
    }
    if (composite) {
      w.Bulk("arguments");
      ReplyArgs(w, a.args);
    }
  }
}

void ReplyCommandDocs(ReplyWriter& w, const Command& cmd) {
  const CommandSpec& spec = *cmd.spec;
  size_t n = 1;  // the group is always there
  n += !spec.summary.empty();
  n += !spec.since.empty();
  n += !spec.complexity.empty();
  n += !spec.doc_flags.empty();
  n += !spec.deprecated_since.empty();
  n += !spec.replaced_by.empty();
  n += !spec.history.empty();
  n += !spec.args.empty();
  n += cmd.is_container();
  w.Map(n);
  ReplyOptional(w, "summary", spec.summary);
  ReplyOptional(w, "since", spec.since);
  w.Bulk("group");
  w.Bulk(spec.group);
  ReplyOptional(w, "complexity", spec.complexity);
  if (!spec.doc_flags.empty()) {
    w.Bulk("doc_flags");
    ReplyStatusSet(w, spec.doc_flags);
  }
  ReplyOptional(w, "deprecated_since", spec.deprecated_since);
  ReplyOptional(w, "replaced_by", spec.replaced_by);
  if (!spec.history.empty()) {
    w.Bulk("history");
    w.Set(spec.history.size());
    for (const HistoryEntry& h : spec.history) {
      w.Array(2);
      w.Bulk(h.version);
      w.Bulk(h.description);
    }
  }
  if (!spec.args.empty()) {
    w.Bulk("arguments");
    ReplyArgs(w, spec.args);
  }
  if (cmd.is_container()) {
    w.Bulk("subcommands");
    w.Map(cmd.subcommands.size());
    for (const auto& sub : cmd.subcommands) {
      w.Bulk(sub->fullname);
      ReplyCommandDocs(w, *sub);
    }
  }
}

// --- Handlers. ---

void CommandAll(CommandContext& ctx) {
  const auto& all = ctx.engine().commands().commands();
  ctx.reply().Array(all.size());
  for (const auto& cmd : all) ReplyCommandInfo(ctx.reply(), *cmd);
}

void CommandCount(CommandContext& ctx) {
  ctx.reply().Integer(static_cast<int64_t>(ctx.engine().commands().commands().size()));
}

void CommandInfo(CommandContext& ctx) {
  if (ctx.argc() == 2) {
    CommandAll(ctx);
    return;
  }
  ReplyWriter& w = ctx.reply();
  w.Array(ctx.argc() - 2);
  for (size_t i = 2; i < ctx.argc(); ++i) {
    const Command* cmd = LookupFullName(ctx.engine().commands(), ctx.arg(i));
    if (cmd == nullptr) {
      w.NullBulk();  // Redis 7.0 answers an unknown name with a null bulk in RESP2
    } else {
      ReplyCommandInfo(w, *cmd);
    }
  }
}

void CommandDocs(CommandContext& ctx) {
  ReplyWriter& w = ctx.reply();
  if (ctx.argc() == 2) {
    const auto& all = ctx.engine().commands().commands();
    w.Map(all.size());
    for (const auto& cmd : all) {
      w.Bulk(cmd->fullname);
      ReplyCommandDocs(w, *cmd);
    }
    return;
  }
  // Unknown names are left out, so the map's size is known only at the end.
  size_t mark = w.BeginDeferred();
  size_t found = 0;
  for (size_t i = 2; i < ctx.argc(); ++i) {
    const Command* cmd = LookupFullName(ctx.engine().commands(), ctx.arg(i));
    if (cmd == nullptr) continue;
    w.Bulk(cmd->fullname);
    ReplyCommandDocs(w, *cmd);
    ++found;
  }
  w.EndDeferredMap(mark, found);
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

// COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN glob]:
// every command followed by its subcommands.
void CommandList(CommandContext& ctx) {
  enum class Filter { kNone, kModule, kAclCat, kPattern } filter = Filter::kNone;
  std::string_view arg;
  for (size_t i = 2; i < ctx.argc(); ++i) {
    size_t more = ctx.argc() - 1 - i;
    if (EqualsNoCase(ctx.arg(i), "filterby") && more == 2) {
      std::string_view type = ctx.arg(i + 1);
      if (EqualsNoCase(type, "module")) {
        filter = Filter::kModule;
      } else if (EqualsNoCase(type, "aclcat")) {
        filter = Filter::kAclCat;
      } else if (EqualsNoCase(type, "pattern")) {
        filter = Filter::kPattern;
      } else {
        ctx.reply().SyntaxError();
        return;
      }
      arg = ctx.arg(i + 2);
      i += 2;
    } else {
      ctx.reply().SyntaxError();
      return;
    }
  }
  uint32_t category = 0;
  if (filter == Filter::kAclCat) {
    for (size_t i = 0; i < std::size(kAclCategoryNames); ++i) {
      if (EqualsNoCase(arg, kAclCategoryNames[i])) category = 1u << i;
    }
  }
  auto keep = [&](const Command& cmd) {
    switch (filter) {
      case Filter::kNone:
        return true;
      case Filter::kModule:
        return false;  // Cairn loads no modules
      case Filter::kAclCat:
        return category != 0 && (cmd.spec->acl & category) != 0;
      case Filter::kPattern:
        return GlobMatch(arg, cmd.fullname, /*nocase=*/true);
    }
    return false;
  };
  ReplyWriter& w = ctx.reply();
  size_t mark = w.BeginDeferred();
  size_t n = 0;
  for (const auto& cmd : ctx.engine().commands().commands()) {
    if (keep(*cmd)) {
      w.Bulk(cmd->fullname);
      ++n;
    }
    for (const auto& sub : cmd->subcommands) {
      if (keep(*sub)) {
        w.Bulk(sub->fullname);
        ++n;
      }
    }
  }
  w.EndDeferredArray(mark, n);
}

void GetKeys(CommandContext& ctx, bool with_flags) {
  std::span<const std::string_view> line = ctx.argv().subspan(2);
  const Command* cmd = LookupLine(ctx.engine().commands(), line);
  ReplyWriter& w = ctx.reply();
  if (cmd == nullptr) {
    w.Error("ERR Invalid command specified");
    return;
  }
  if (!CommandHasKeys(*cmd)) {
    w.Error("ERR The command has no key arguments");
    return;
  }
  const int arity = cmd->arity();
  const int argc = static_cast<int>(line.size());
  if ((arity > 0 && arity != argc) || argc < -arity) {
    w.Error("ERR Invalid number of arguments specified for command");
    return;
  }
  std::vector<KeyRef> keys;
  if (!FindCommandKeys(*cmd, line, &keys) || keys.empty()) {
    if (cmd->has(kCmdNoMandatoryKeys)) {
      w.Array(0);
    } else {
      w.Error("ERR Invalid arguments specified for command");
    }
    return;
  }
  w.Array(keys.size());
  for (const KeyRef& k : keys) {
    if (!with_flags) {
      w.Bulk(line[static_cast<size_t>(k.pos)]);
      continue;
    }
    w.Array(2);
    w.Bulk(line[static_cast<size_t>(k.pos)]);
    size_t n = 0;
    for (std::string_view f : k.flags) n += f != "variable_flags";
    w.Set(n);
    for (std::string_view f : k.flags) {
      if (f != "variable_flags") w.Simple(f);
    }
  }
}

void CommandGetKeys(CommandContext& ctx) { GetKeys(ctx, false); }
void CommandGetKeysAndFlags(CommandContext& ctx) { GetKeys(ctx, true); }

void CommandHelp(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "(no subcommand)",
      "    Describe every command the server knows.",
      "COUNT",
      "    Say how many commands the server knows.",
      "LIST",
      "    Name every command and subcommand.",
      "INFO [<command-name> ...]",
      "    Describe the named commands: arity, flags, key positions, ACL",
      "    categories, tips, key specs and subcommands. Without names,",
      "    describe every command.",
      "DOCS [<command-name> ...]",
      "    Give the documentation of the named commands: summary, versions,",
      "    complexity and arguments. Without names, document every",
      "    command.",
      "GETKEYS <full-command>",
      "    Name the keys a full command line would touch.",
      "GETKEYSANDFLAGS <full-command>",
      "    Name the keys a full command line would touch, with how it uses each.",
      "HELP",
      "    Print this help.",
  };
  ctx.reply().Array(std::size(kLines));
  for (std::string_view line : kLines) ctx.reply().Simple(line);
}

constexpr HandlerBinding kHandlers[] = {
    {"command", CommandAll},
    {"command|count", CommandCount},
    {"command|info", CommandInfo},
    {"command|docs", CommandDocs},
    {"command|list", CommandList},
    {"command|getkeys", CommandGetKeys},
    {"command|getkeysandflags", CommandGetKeysAndFlags},
    {"command|help", CommandHelp},
};

}  // namespace

std::span<const HandlerBinding> CommandHandlers() { return kHandlers; }

}  // namespace cairn
