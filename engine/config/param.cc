#include "engine/config/param.h"

#include <cinttypes>
#include <cstdio>

#include "engine/config/config.h"
#include "engine/config/config_text.h"
#include "engine/config/config_values.h"
#include "engine/config/special_params.h"
#include "engine/util/strconv.h"

namespace cairn {
namespace {

std::string Format(const char* fmt, auto... args) {
  char buf[256];
  int n = std::snprintf(buf, sizeof(buf), fmt, args...);
  return std::string(buf, static_cast<size_t>(n > 0 ? n : 0));
}

// Redis's numericBoundaryCheck: unsigned types compare as unsigned (and an
// octal parameter prints its bounds in octal); a negative value of a
// percentage parameter is a percentage.
bool InBounds(const ParamSpec& spec, int64_t v, std::string* error) {
  if (spec.has(kParamUnsigned)) {
    auto u = static_cast<uint64_t>(v);
    auto lo = static_cast<uint64_t>(spec.lower);
    auto hi = static_cast<uint64_t>(spec.upper);
    if (u > hi || u < lo) {
      *error =
          spec.kind == ParamKind::kOctal
              ? Format("argument must be between %" PRIo64 " and %" PRIo64 " inclusive", lo, hi)
              : Format("argument must be between %" PRIu64 " and %" PRIu64 " inclusive", lo, hi);
      return false;
    }
    return true;
  }
  if (spec.has(kParamPercent) && v < 0) {
    if (v < spec.lower) {
      *error = Format("percentage argument must be less or equal to %" PRId64, -spec.lower);
      return false;
    }
    return true;
  }
  if (v > spec.upper || v < spec.lower) {
    *error = Format("argument must be between %" PRId64 " and %" PRId64 " inclusive", spec.lower,
                    spec.upper);
    return false;
  }
  return true;
}

std::string EnumOptions(const ParamSpec& spec) {
  std::string out = "argument(s) must be one of the following: ";
  for (size_t i = 0; i < spec.enum_values.size(); ++i) {
    if (i > 0) out += ", ";
    out += spec.enum_values[i].name;
  }
  return out;
}

// Redis's configEnumGetValue: every word must name a value; OR them.
std::optional<int> EnumValue(const ParamSpec& spec, std::span<const std::string> words) {
  bool flags = spec.kind == ParamKind::kFlagsEnum;
  if (words.empty() || (!flags && words.size() != 1)) return std::nullopt;
  int value = 0;
  for (const std::string& w : words) {
    bool matched = false;
    for (const EnumName& e : spec.enum_values) {
      if (EqualsIgnoreCase(w, e.name)) {
        value |= e.value;
        matched = true;
      }
    }
    if (!matched) return std::nullopt;
  }
  return value;
}

// Redis's configEnumGetName: an exact value's first name, or (flags) the
// names of the bits set, in table order.
std::string EnumNameOf(const ParamSpec& spec, int value) {
  std::string names;
  int unmatched = value;
  bool flags = spec.kind == ParamKind::kFlagsEnum;
  for (const auto& e : spec.enum_values) {
    if (e.value == value) return std::string(e.name);
    if (flags && e.value != 0 && e.value == (unmatched & e.value)) {
      if (!names.empty()) names.push_back(' ');
      names += e.name;
      unmatched &= ~e.value;
    }
  }
  if (names.empty() || unmatched != 0) return "unknown";
  return names;
}

bool ParseNumber(const ParamSpec& spec, const std::string& s, int64_t* out, std::string* error) {
  switch (spec.kind) {
    case ParamKind::kInt:
      if (auto v = ParseInt64(s)) {
        *out = *v;
        return true;
      }
      *error = "argument couldn't be parsed into an integer";
      return false;
    case ParamKind::kOctal:
      if (auto v = ParseOctal(s)) {
        *out = *v;
        return true;
      }
      *error = "argument couldn't be parsed as an octal number";
      return false;
    default:
      break;
  }
  if (auto v = ParseMemoryValue(s)) {
    *out = static_cast<int64_t>(*v);  // values past INT64_MAX wrap, as in Redis
    return true;
  }
  if (spec.has(kParamPercent) && s.size() > 1 && s.back() == '%') {
    if (auto v = ParseInt64(std::string_view(s).substr(0, s.size() - 1)); v && *v >= 0) {
      *out = -*v;  // percentages are kept negative
      return true;
    }
  }
  *error = spec.has(kParamPercent) ? "argument must be a memory or percent value"
                                   : "argument must be a memory value";
  return false;
}

}  // namespace

bool ParseParamValue(const ParamSpec& spec, std::span<const std::string> args,
                     std::string_view current, std::string* canonical, std::string* error) {
  if (spec.kind != ParamKind::kSpecial && spec.kind != ParamKind::kFlagsEnum && args.size() != 1) {
    *error = "wrong number of arguments";
    return false;
  }
  switch (spec.kind) {
    case ParamKind::kBool:
      if (EqualsIgnoreCase(args[0], "yes")) {
        *canonical = "yes";
      } else if (EqualsIgnoreCase(args[0], "no")) {
        *canonical = "no";
      } else {
        *error = "argument must be 'yes' or 'no'";
        return false;
      }
      break;
    case ParamKind::kInt:
    case ParamKind::kMemory:
    case ParamKind::kOctal: {
      int64_t v;
      if (!ParseNumber(spec, args[0], &v, error) || !InBounds(spec, v, error)) return false;
      if (spec.clamp_upper > 0) v = std::max(spec.clamp_lower, std::min(v, spec.clamp_upper));
      if (spec.kind == ParamKind::kOctal) {
        *canonical = Format("%" PRIo64, static_cast<uint64_t>(v));
      } else if (spec.kind == ParamKind::kMemory) {
        *canonical = spec.has(kParamPercent) && v < 0 ? std::to_string(-v) + "%"
                                                      : std::to_string(static_cast<uint64_t>(v));
      } else {
        *canonical = std::to_string(v);
      }
      break;
    }
    case ParamKind::kEnum:
    case ParamKind::kFlagsEnum: {
      auto v = EnumValue(spec, args);
      if (!v) {
        *error = EnumOptions(spec);
        return false;
      }
      *canonical = EnumNameOf(spec, *v);
      break;
    }
    case ParamKind::kString:
      *canonical = args[0];
      break;
    case ParamKind::kSpecial:
      if (!spec.special(args, current, canonical, error)) return false;
      break;
  }
  if (spec.check != nullptr && !spec.check(*canonical, error)) return false;
  return true;
}

std::vector<RewriteLine> RewriteParam(const ParamSpec& spec, std::string_view value) {
  const std::string name(spec.name);
  const bool is_default = value == spec.default_value;
  switch (spec.rewrite) {
    case RewriteStyle::kAlwaysQuoted:
      return {{name + " " + Quoted(value), true}};
    case RewriteStyle::kAlways: {
      if (spec.name == "save") {
        std::vector<RewriteLine> lines;
        for (std::string& l : SaveRewriteLines(value)) lines.push_back({std::move(l), true});
        return lines;
      }
      return {{name + " " + (value.empty() ? std::string("\"\"") : std::string(value)), true}};
    }
    case RewriteStyle::kNoneWhenDefault:
      if (is_default) return {};
      return {{name + " " + (value.empty() ? std::string("\"\"") : std::string(value)), true}};
    case RewriteStyle::kDefault:
      break;
  }
  switch (spec.kind) {
    case ParamKind::kMemory: {
      if (spec.has(kParamPercent) && !value.empty() && value.back() == '%') {
        return {{name + " " + std::string(value), !is_default}};
      }
      auto bytes = static_cast<int64_t>(ParseMemoryValue(value).value_or(0));
      return {{name + " " + FormatMemoryUnit(bytes), !is_default}};
    }
    case ParamKind::kString:
      if (spec.has(kParamEmptyIsNull)) {
        if (value.empty()) return {};  // unset: the file must not mention it
        return {{name + " " + Quoted(value), true}};
      }
      return {{name + " " + Quoted(value), !is_default}};
    case ParamKind::kSpecial:
      if (spec.name == "client-output-buffer-limit") {
        std::vector<RewriteLine> lines;
        for (auto& [line, force] : OutputBufferLimitRewriteLines(value)) {
          lines.push_back({std::move(line), force});
        }
        return lines;
      }
      if (spec.name == "notify-keyspace-events") {
        return {{name + " " + Quoted(value), !value.empty()}};
      }
      return {{name + " " + std::string(value), !is_default}};
    default:
      return {{name + " " + std::string(value), !is_default}};
  }
}

void BindParam(const ParamSpec& spec, Settings& settings, std::string_view canonical) {
  if (spec.binder != nullptr) {
    spec.binder(settings, canonical);
    return;
  }
  if (spec.bool_field != nullptr) {
    settings.*spec.bool_field = canonical == "yes";
  } else if (spec.string_field != nullptr) {
    settings.*spec.string_field = std::string(canonical);
  } else if (spec.int_field != nullptr) {
    int64_t v = 0;
    switch (spec.kind) {
      case ParamKind::kInt:
        v = ParseInt64(canonical).value_or(0);
        break;
      case ParamKind::kOctal:
        v = ParseOctal(canonical).value_or(0);
        break;
      case ParamKind::kMemory:
        if (!canonical.empty() && canonical.back() == '%') {
          v = -ParseInt64(canonical.substr(0, canonical.size() - 1)).value_or(0);
        } else {
          uint64_t u = ParseMemoryValue(canonical).value_or(0);
          v = u > static_cast<uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<int64_t>(u);
        }
        break;
      case ParamKind::kFlagsEnum:
      case ParamKind::kEnum: {
        std::vector<std::string> words = SplitOnSpaces(canonical);
        v = EnumValue(spec, words).value_or(0);
        break;
      }
      default:
        break;
    }
    settings.*spec.int_field = v;
  }
}

}  // namespace cairn
