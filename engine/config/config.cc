// Config's parameter state, CONFIG GET and CONFIG SET. Loading lives in
// config_load.cc, CONFIG REWRITE in config_rewrite.cc.
#include "engine/config/config.h"

#include <algorithm>
#include <set>

#include "engine/config/config_table.h"
#include "engine/config/config_text.h"
#include "engine/config/config_values.h"
#include "engine/util/glob.h"

namespace cairn {
namespace {

// TLS parameters whose change Redis applies to its TLS context (every tls-*
// parameter except tls-auth-clients).
bool IsTlsApplied(std::string_view name) {
  return name.starts_with("tls-") && name != "tls-auth-clients";
}

std::string SetFailed(std::string_view name, std::string_view reason) {
  std::string out = "ERR CONFIG SET failed (possibly related to argument '";
  out.append(name);
  out += "') - ";
  out.append(reason);
  return out;
}

}  // namespace

Config::Table::Table() : params(AllParams()) {
  values.reserve(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    values.emplace_back(params[i].default_value);
    names.push_back({std::string(params[i].name), i, false});
    if (!params[i].alias.empty()) names.push_back({std::string(params[i].alias), i, true});
  }
  std::sort(names.begin(), names.end(),
            [](const ParamName& a, const ParamName& b) { return a.name < b.name; });
}

const ParamName* Config::Table::Find(std::string_view name) const {
  std::string lower = ToLowerAscii(name);
  auto it =
      std::lower_bound(names.begin(), names.end(), lower,
                       [](const ParamName& n, const std::string& key) { return n.name < key; });
  if (it == names.end() || it->name != lower) return nullptr;
  return &*it;
}

size_t Config::Table::IndexOf(std::string_view canonical_name) const {
  const ParamName* n = Find(canonical_name);
  return n == nullptr ? params.size() : n->index;
}

Config::Config() : table_(std::make_unique<Table>()) {
  for (size_t i = 0; i < table_->params.size(); ++i) {
    BindParam(table_->params[i], settings_, table_->values[i]);
  }
}

Config::~Config() = default;
Config::Config(Config&&) noexcept = default;
Config& Config::operator=(Config&&) noexcept = default;

void Config::Store(size_t index, std::string value) {
  table_->values[index] = std::move(value);
  BindParam(table_->params[index], settings_, table_->values[index]);
}

std::optional<std::string> Config::Value(std::string_view name) const {
  const ParamName* n = table_->Find(name);
  if (n == nullptr) return std::nullopt;
  return table_->values[n->index];
}

void Config::Get(std::string_view pattern,
                 std::vector<std::pair<std::string, std::string>>& out) const {
  Get(std::span<const std::string_view>(&pattern, 1), out);
}

void Config::Get(std::span<const std::string_view> patterns,
                 std::vector<std::pair<std::string, std::string>>& out) const {
  // Each name once, compared without case (Redis keeps the matches in a
  // case-insensitive dict). Redis answers in hash order; Cairn in pattern
  // order, and in name order within a glob.
  std::set<std::string> seen;
  for (std::string_view pattern : patterns) {
    if (pattern.find_first_of("[*?") == std::string_view::npos) {
      const ParamName* n = table_->Find(pattern);
      if (n != nullptr && seen.insert(ToLowerAscii(pattern)).second) {
        out.emplace_back(std::string(pattern), table_->values[n->index]);
      }
      continue;
    }
    for (const ParamName& n : table_->names) {
      if (table_->params[n.index].has(kParamHidden)) continue;  // exact names only
      if (seen.count(n.name) != 0) continue;
      if (GlobMatch(pattern, n.name, /*nocase=*/true)) {
        seen.insert(n.name);
        out.emplace_back(n.name, table_->values[n.index]);
      }
    }
  }
}

Status Config::CheckTls() const {
  const Table& t = *table_;
  if (t.values[t.IndexOf("tls-port")] != "0" || t.values[t.IndexOf("tls-replication")] == "yes" ||
      t.values[t.IndexOf("tls-cluster")] == "yes") {
    // Cairn has no TLS; the text is what Redis answers when its TLS
    // context cannot be configured.
    return Status::Invalid("Unable to update TLS configuration. Check server logs.");
  }
  return Status::Ok();
}

Status Config::Set(std::span<const std::string_view> pairs, std::vector<std::string>* changed) {
  return Set(pairs, SetOptions{}, nullptr, changed);
}

Status Config::Set(std::span<const std::string_view> pairs, const SetOptions& options,
                   const ApplyFn& apply, std::vector<std::string>* changed) {
  if (pairs.empty()) {
    return Status::Invalid("ERR wrong number of arguments for 'config|set' command");
  }
  if (pairs.size() % 2 != 0) return Status::Invalid("ERR syntax error");
  const size_t n = pairs.size() / 2;
  Table& t = *table_;

  // 1. Look every name up, as Redis does: the first unknown name wins over
  // everything else; otherwise the first immutable, protected or repeated
  // parameter. An alias and its parameter count as different names.
  std::vector<const ParamName*> targets(n, nullptr);
  std::string_view unknown;
  std::string_view error_name;
  std::string error_text;
  bool invalid = false;
  const std::string& protected_mode = settings_.enable_protected_configs;
  const bool protected_ok =
      protected_mode == "yes" || (protected_mode == "local" && options.local_client);
  for (size_t i = 0; i < n; ++i) {
    const ParamName* entry = t.Find(pairs[2 * i]);
    if (entry == nullptr) {
      if (!invalid) {
        unknown = pairs[2 * i];
        invalid = true;
      }
      continue;
    }
    if (invalid) continue;
    const ParamSpec& spec = t.spec(entry->index);
    if (spec.has(kParamImmutable) || (spec.has(kParamProtected) && !protected_ok)) {
      error_text =
          spec.has(kParamImmutable) ? "can't set immutable config" : "can't set protected config";
      error_name = pairs[2 * i];
      invalid = true;
      continue;
    }
    for (size_t j = 0; j < i; ++j) {
      if (targets[j] == entry) {
        error_text = "duplicate parameter";
        error_name = pairs[2 * i];
        invalid = true;
        break;
      }
    }
    targets[i] = entry;
  }
  if (invalid) {
    if (!unknown.empty() || error_text.empty()) {
      return Status::Invalid("ERR Unknown option or number of arguments for CONFIG SET - '" +
                             std::string(unknown) + "'");
    }
    return Status::Invalid(SetFailed(error_name, error_text));
  }

  // 2. Parse every value in order, each against the values the earlier
  // pairs left (so an alias and its parameter given together merge like two
  // config lines); the first bad value restores everything.
  const std::vector<std::string> backup = t.values;
  std::vector<size_t> changed_indexes;
  std::vector<const ParamName*> changed_entries;
  auto restore = [&] {
    t.values = backup;
    for (size_t index : changed_indexes) BindParam(t.spec(index), settings_, t.values[index]);
  };
  for (size_t i = 0; i < n; ++i) {
    const ParamName* entry = targets[i];
    const ParamSpec& spec = t.spec(entry->index);
    std::vector<std::string> words;
    if (spec.has(kParamMultiArg)) {
      words = SplitOnSpaces(pairs[2 * i + 1]);
    } else {
      words.emplace_back(pairs[2 * i + 1]);
    }
    std::string canonical, reason;
    if (!ParseParamValue(spec, words, t.values[entry->index], &canonical, &reason)) {
      restore();
      return Status::Invalid(SetFailed(entry->name, reason));
    }
    if (canonical != t.values[entry->index]) {
      Store(entry->index, std::move(canonical));
      if (std::find(changed_indexes.begin(), changed_indexes.end(), entry->index) ==
          changed_indexes.end()) {
        changed_indexes.push_back(entry->index);
        changed_entries.push_back(entry);
      }
    }
  }

  // 3. Apply the changes to the world; a failure undoes all of them and
  // re-applies the old values where the new ones were already applied.
  std::vector<size_t> applied;
  auto apply_one = [&](size_t index) -> Status {
    std::string_view name = t.spec(index).name;
    if (IsTlsApplied(name)) return CheckTls();
    if (apply) return apply(name);
    return Status::Ok();
  };
  for (size_t k = 0; k < changed_indexes.size(); ++k) {
    Status st = apply_one(changed_indexes[k]);
    if (!st.ok()) {
      restore();
      applied.push_back(changed_indexes[k]);
      for (size_t index : applied) (void)apply_one(index);  // best effort, as Redis
      return Status::Invalid(SetFailed(changed_entries[k]->name, st.message()));
    }
    applied.push_back(changed_indexes[k]);
  }
  if (changed != nullptr) {
    for (size_t index : changed_indexes) changed->emplace_back(t.spec(index).name);
  }
  return Status::Ok();
}

bool IsLocalPeer(std::string_view peer, bool unix_socket) {
  if (unix_socket) return true;
  size_t colon = peer.rfind(':');
  std::string_view host = colon == std::string_view::npos ? peer : peer.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return host == "127.0.0.1" || host == "::1";
}

}  // namespace cairn
