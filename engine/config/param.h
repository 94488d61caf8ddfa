// ParamSpec: one configuration parameter -- its names, type, bounds, Cairn's
// default, how a value is parsed into its canonical text (what CONFIG GET
// answers) and which typed Settings field mirrors it.
//
// The table (param_table.cc) lists every parameter redis-server 7.0.15 has,
// with Redis's types, bounds, flags and error texts, plus Cairn's own ones.
// Everything else -- the config file, the command line, CONFIG GET/SET,
// CONFIG REWRITE -- is driven by it, so a parameter added there works
// everywhere at once.
//
// Invariants:
//   - Names and aliases are lower case and unique across the table.
//   - A default parses (through the parameter's own parser) to itself.
//   - Kinds mirror Redis's config types; the numeric flags reproduce Redis's
//     per-type bounds checks (signed or unsigned comparison, octal printing,
//     percentages stored as negative numbers).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cairn {

struct Settings;

enum class ParamKind : uint8_t {
  kBool,       // yes / no, any case
  kInt,        // strict decimal (Redis's string2ll)
  kMemory,     // bytes with an optional unit (memtoull); maybe also "N%"
  kOctal,      // octal digits (unixsocketperm)
  kEnum,       // one name of enum_values, any case
  kFlagsEnum,  // one or more names of enum_values, OR-ed (shutdown-on-sig*)
  kString,     // any bytes
  kSpecial,    // its own parser (save, bind, client-output-buffer-limit, ...)
};

enum ParamFlag : uint32_t {
  kParamImmutable = 1u << 0,    // startup only; CONFIG SET refuses it
  kParamProtected = 1u << 1,    // CONFIG SET needs enable-protected-configs
  kParamMultiArg = 1u << 2,     // several words on a config line
  kParamHidden = 1u << 3,       // CONFIG GET answers it only for its exact name
  kParamEmptyIsNull = 1u << 4,  // string: "" means unset (REWRITE drops the line)
  kParamPercent = 1u << 5,      // memory: "N%" allowed, kept as -N
  kParamUnsigned = 1u << 6,     // bounds compared unsigned (Redis's unsigned types)
  kParamCairn = 1u << 7,        // Cairn's own parameter, not in Redis
};

struct EnumName {
  std::string_view name;
  int value;
};

// How CONFIG REWRITE writes a parameter (Redis's per-type rewrite rules).
enum class RewriteStyle : uint8_t {
  kDefault,          // by kind: "name value", written when it differs from the default
  kAlwaysQuoted,     // dir: always written, quoted
  kAlways,           // save, latency-tracking-info-percentiles: always written
  kNoneWhenDefault,  // bind, replicaof: lines removed when default/unset
};

// A special parameter's parser: args as a config line gives them (CONFIG SET
// splits its value on spaces first); current is the canonical value before
// the change. Returns false with *error set to Redis's reason text.
using SpecialParser = bool (*)(std::span<const std::string> args, std::string_view current,
                               std::string* canonical, std::string* error);
// Copies a canonical value into the typed Settings field(s).
using SettingsBinder = void (*)(Settings& settings, std::string_view canonical);
// An extra check on an already parsed value (Redis's is_valid_fn).
using ValueCheck = bool (*)(std::string_view canonical, std::string* error);

struct ParamSpec {
  std::string_view name;
  std::string_view alias;  // "" when none
  ParamKind kind = ParamKind::kString;
  uint32_t flags = 0;
  std::string_view default_value;  // Cairn's default, in canonical form
  int64_t lower = 0;               // numeric bounds (bit patterns when unsigned)
  int64_t upper = 0;
  int64_t clamp_lower = 0;  // hz: accepted values are clamped to this range
  int64_t clamp_upper = 0;  // (0, 0) = no clamping
  std::span<const EnumName> enum_values;
  SpecialParser special = nullptr;
  ValueCheck check = nullptr;
  RewriteStyle rewrite = RewriteStyle::kDefault;
  // The typed Settings mirror, if Cairn acts on the parameter.
  int64_t Settings::*int_field = nullptr;
  bool Settings::*bool_field = nullptr;
  std::string Settings::*string_field = nullptr;
  SettingsBinder binder = nullptr;

  bool has(uint32_t f) const { return (flags & f) != 0; }
};

// Every parameter, in table order (Config keeps a name-sorted index).
std::span<const ParamSpec> AllParams();

// Parses the words of one directive for spec into its canonical text.
// current is the parameter's value before the change (for parameters that
// merge, like client-output-buffer-limit). On failure *error holds Redis's
// reason ("argument must be 'yes' or 'no'").
bool ParseParamValue(const ParamSpec& spec, std::span<const std::string> args,
                     std::string_view current, std::string* canonical, std::string* error);

// The config-file lines CONFIG REWRITE writes for a value, in order. Each
// replaces the parameter's next line in the old file; a line with nothing
// left to replace is appended only when forced (its value is not the
// default). No lines at all: the parameter's old lines are dropped.
struct RewriteLine {
  std::string text;
  bool force = false;
};
std::vector<RewriteLine> RewriteParam(const ParamSpec& spec, std::string_view value);

// Copies a parameter's canonical value into its Settings mirror.
void BindParam(const ParamSpec& spec, Settings& settings, std::string_view canonical);

}  // namespace cairn
