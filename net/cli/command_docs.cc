#include "net/cli/command_docs.h"

#include <algorithm>
#include <cctype>
#include <set>

#include <strings.h>

#include "net/cli/client.h"

namespace cairn::cli {

namespace {

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A field of a doc map (RESP3 map or RESP2 flat array of name, value).
const Reply* Field(const Reply& m, std::string_view name) {
  for (size_t i = 0; i + 1 < m.elements.size(); i += 2) {
    if (m.elements[i].str == name) return &m.elements[i + 1];
  }
  return nullptr;
}

std::string FieldText(const Reply& m, std::string_view name) {
  const Reply* f = Field(m, name);
  return f == nullptr ? std::string() : f->str;
}

bool HasFlag(const Reply& arg, std::string_view flag) {
  const Reply* flags = Field(arg, "flags");
  if (flags == nullptr) return false;
  for (const Reply& f : flags->elements) {
    if (f.str == flag) return true;
  }
  return false;
}

std::string OneArgument(const Reply& arg) {
  std::string type = FieldText(arg, "type");
  std::string body;
  if (type == "oneof" || type == "block") {
    const Reply* children = Field(arg, "arguments");
    std::string sep = type == "oneof" ? "|" : " ";
    if (children != nullptr) {
      for (size_t i = 0; i < children->elements.size(); i++) {
        if (i > 0) body += sep;
        body += OneArgument(children->elements[i]);
      }
    }
  } else if (type == "pure-token") {
    body = FieldText(arg, "token");
  } else {
    std::string shown = FieldText(arg, "display_text");
    if (shown.empty()) shown = FieldText(arg, "value");
    if (shown.empty()) shown = FieldText(arg, "name");
    body = shown;
  }
  std::string token = type == "pure-token" ? std::string() : FieldText(arg, "token");
  std::string one = token.empty() ? body : token + " " + body;
  if (HasFlag(arg, "multiple")) {
    std::string repeated = HasFlag(arg, "multiple_token") ? one : body;
    one += " [" + repeated + " ...]";
  }
  if (HasFlag(arg, "optional")) one = "[" + one + "]";
  return one;
}

}  // namespace

std::string ArgumentSyntax(const Reply& arguments) {
  std::string out;
  for (size_t i = 0; i < arguments.elements.size(); i++) {
    if (i > 0) out += " ";
    out += OneArgument(arguments.elements[i]);
  }
  return out;
}

bool CommandDocs::Load(Client& c) {
  auto r = c.Command({"COMMAND", "DOCS"});
  if (!r.ok() || r->is_error()) return false;
  LoadFromReply(r.value());
  return !docs_.empty();
}

void CommandDocs::Add(const std::string& name, const Reply& doc) {
  CommandDoc d;
  d.name = Upper(name);
  std::replace(d.name.begin(), d.name.end(), '|', ' ');
  d.summary = FieldText(doc, "summary");
  d.since = FieldText(doc, "since");
  d.group = FieldText(doc, "group");
  if (const Reply* args = Field(doc, "arguments")) d.syntax = ArgumentSyntax(*args);
  docs_[d.name] = d;
  if (const Reply* subs = Field(doc, "subcommands")) {
    for (size_t i = 0; i + 1 < subs->elements.size(); i += 2) {
      Add(subs->elements[i].str, subs->elements[i + 1]);
    }
  }
}

void CommandDocs::LoadFromReply(const Reply& r) {
  docs_.clear();
  for (size_t i = 0; i + 1 < r.elements.size(); i += 2) Add(r.elements[i].str, r.elements[i + 1]);
}

std::vector<std::string> CommandDocs::Complete(const std::vector<std::string>& before,
                                               const std::string& text) const {
  std::set<std::string> out;
  bool lower = !text.empty() && std::islower(static_cast<unsigned char>(text[0]));
  auto emit = [&](const std::string& word) { out.insert(lower ? Lower(word) : word); };
  std::string prefix = Upper(text);
  auto starts = [&](const std::string& s) { return s.compare(0, prefix.size(), prefix) == 0; };
  if (before.empty() || (before.size() == 1 && strcasecmp(before[0].c_str(), "help") == 0)) {
    bool help = !before.empty();
    for (const auto& [name, d] : docs_) {
      if (name.find(' ') != std::string::npos) continue;
      if (starts(name)) emit(name);
      if (help && !d.group.empty()) {
        std::string g = "@" + d.group;
        if (starts(Upper(g))) out.insert(g);
      }
    }
  } else if (before.size() == 1) {
    std::string parent = Upper(before[0]) + " ";
    for (const auto& [name, d] : docs_) {
      if (name.compare(0, parent.size(), parent) != 0) continue;
      std::string sub = name.substr(parent.size());
      if (starts(sub)) emit(sub);
    }
  }
  return {out.begin(), out.end()};
}

std::string CommandDocs::Help(const std::vector<std::string>& topic) const {
  if (topic.empty()) {
    return "kv-cli 0.1.0 (redis-cli 7.0 compatible)\n"
           "To get help about commands type:\n"
           "      \"help @<group>\" to get a list of commands in <group>\n"
           "      \"help <command>\" for help on <command>\n"
           "      \"help <tab>\" to get a list of possible help topics\n"
           "      \"quit\" to exit\n";
  }
  auto entry = [](const CommandDoc& d) {
    std::string s = "\n  " + d.name + (d.syntax.empty() ? "" : " " + d.syntax) + "\n";
    s += "  summary: " + d.summary + "\n";
    s += "  since: " + d.since + "\n";
    if (!d.group.empty()) s += "  group: " + d.group + "\n";
    return s;
  };
  std::string out;
  if (topic[0].size() > 1 && topic[0][0] == '@') {
    std::string group = Lower(topic[0].substr(1));
    for (const auto& [name, d] : docs_) {
      if (d.group == group) out += entry(d);
    }
  } else {
    std::string name = Upper(topic[0]);
    if (topic.size() > 1) name += " " + Upper(topic[1]);
    auto it = docs_.find(name);
    if (it == docs_.end() && topic.size() > 1) it = docs_.find(Upper(topic[0]));
    if (it != docs_.end()) {
      out += entry(it->second);
    } else if (docs_.empty()) {
      return "No help: the server did not answer COMMAND DOCS.\n";
    }
  }
  if (!out.empty()) out += "\n";
  return out;
}

}  // namespace cairn::cli
