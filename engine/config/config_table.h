// Config::Table: the runtime state behind Config -- every parameter's
// canonical value, and the name index (canonical names and aliases, sorted)
// that lookups, CONFIG GET globs and CONFIG REWRITE walk.
//
// Invariant: values[i] is always a value parameter i's parser produced (or
// its default), and Config's Settings mirror it.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config/config.h"
#include "engine/config/param.h"

namespace cairn {

struct ParamName {
  std::string name;  // lower case
  size_t index = 0;  // into AllParams()
  bool alias = false;
};

struct Config::Table {
  Table();

  // The parameter called name (any case, aliases too), or nullptr.
  const ParamName* Find(std::string_view name) const;
  const ParamSpec& spec(size_t index) const { return params[index]; }
  size_t IndexOf(std::string_view canonical_name) const;

  std::span<const ParamSpec> params;
  std::vector<std::string> values;  // canonical, by parameter index
  std::vector<ParamName> names;     // sorted by name
};

}  // namespace cairn
