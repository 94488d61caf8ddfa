#include "engine/config/special_params.h"

#include <cstdio>

#include "engine/config/config.h"
#include "engine/config/config_text.h"
#include "engine/config/config_values.h"
#include "engine/util/strconv.h"

namespace cairn {
namespace {

constexpr size_t kMaxBindAddresses = 16;

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out.push_back(' ');
    out += parts[i];
  }
  return out;
}

// A single empty argument stands for "no values" (save "", bind "", ...).
std::span<const std::string> DropLoneEmpty(std::span<const std::string> args) {
  if (args.size() == 1 && args[0].empty()) return {};
  return args;
}

// --- client-output-buffer-limit ---

int OutputClassByName(std::string_view name) {
  if (EqualsIgnoreCase(name, "normal")) return kObufNormal;
  if (EqualsIgnoreCase(name, "slave") || EqualsIgnoreCase(name, "replica")) return kObufReplica;
  if (EqualsIgnoreCase(name, "pubsub")) return kObufPubsub;
  return -1;  // "master" too: it has no limits to set
}

constexpr std::string_view kOutputClassNames[] = {"normal", "slave", "pubsub"};
constexpr OutputBufferLimit kOutputDefaults[] = {{0, 0, 0},
                                                 {256LL * 1024 * 1024, 64LL * 1024 * 1024, 60},
                                                 {32LL * 1024 * 1024, 8LL * 1024 * 1024, 60}};

struct OutputLimits {
  uint64_t hard[3] = {};
  uint64_t soft[3] = {};
  int64_t seconds[3] = {};
};

OutputLimits ReadOutputLimits(std::string_view canonical) {
  OutputLimits l;
  std::vector<std::string> f = SplitOnSpaces(canonical);
  for (size_t i = 0; i + 3 < f.size(); i += 4) {
    int c = OutputClassByName(f[i]);
    if (c < 0) continue;
    l.hard[c] = ParseMemoryValue(f[i + 1]).value_or(0);
    l.soft[c] = ParseMemoryValue(f[i + 2]).value_or(0);
    l.seconds[c] = ParseLooseInt(f[i + 3]).value_or(0);
  }
  return l;
}

// --- notify-keyspace-events ---

constexpr int64_t kNotifyAll = kNotifyGeneric | kNotifyString | kNotifyList | kNotifySet |
                               kNotifyHash | kNotifyZset | kNotifyExpired | kNotifyEvicted |
                               kNotifyStream | kNotifyModule;

std::optional<int64_t> NotifyFlagsFromString(std::string_view s) {
  int64_t flags = 0;
  for (char c : s) {
    switch (c) {
      case '\0':
        return flags;  // a C string ends here
      case 'A':
        flags |= kNotifyAll;
        break;
      case 'g':
        flags |= kNotifyGeneric;
        break;
      case '$':
        flags |= kNotifyString;
        break;
      case 'l':
        flags |= kNotifyList;
        break;
      case 's':
        flags |= kNotifySet;
        break;
      case 'h':
        flags |= kNotifyHash;
        break;
      case 'z':
        flags |= kNotifyZset;
        break;
      case 'x':
        flags |= kNotifyExpired;
        break;
      case 'e':
        flags |= kNotifyEvicted;
        break;
      case 'K':
        flags |= kNotifyKeyspace;
        break;
      case 'E':
        flags |= kNotifyKeyevent;
        break;
      case 't':
        flags |= kNotifyStream;
        break;
      case 'm':
        flags |= kNotifyKeyMiss;
        break;
      case 'd':
        flags |= kNotifyModule;
        break;
      case 'n':
        flags |= kNotifyNew;
        break;
      default:
        return std::nullopt;
    }
  }
  return flags;
}

std::string NotifyFlagsToString(int64_t flags) {
  std::string out;
  if ((flags & kNotifyAll) == kNotifyAll) {
    out.push_back('A');
  } else {
    constexpr std::pair<int64_t, char> kLetters[] = {
        {kNotifyGeneric, 'g'}, {kNotifyString, '$'}, {kNotifyList, 'l'},    {kNotifySet, 's'},
        {kNotifyHash, 'h'},    {kNotifyZset, 'z'},   {kNotifyExpired, 'x'}, {kNotifyEvicted, 'e'},
        {kNotifyStream, 't'},  {kNotifyModule, 'd'}, {kNotifyNew, 'n'}};
    for (auto [bit, letter] : kLetters) {
      if (flags & bit) out.push_back(letter);
    }
  }
  if (flags & kNotifyKeyspace) out.push_back('K');
  if (flags & kNotifyKeyevent) out.push_back('E');
  if (flags & kNotifyKeyMiss) out.push_back('m');
  return out;
}

// --- proc-title-template ---

// The value of a template variable when validating (Redis expands with an
// empty title); nullopt for an unknown name.
std::optional<std::string_view> ProcTitleVariable(std::string_view name) {
  if (name == "title" || name == "server-mode" || name == "unixsocket" || name == "config-file") {
    return "";
  }
  if (name == "listen-addr") return "*:6379";
  if (name == "port") return "6379";
  if (name == "tls-port") return "0";
  return std::nullopt;
}

// Redis's sdstemplate: "{name}" is a variable, "{{" a literal brace.
std::optional<std::string> ExpandTemplate(std::string_view t) {
  std::string out;
  size_t p = 0;
  while (p < t.size()) {
    size_t open = t.find('{', p);
    if (open == std::string_view::npos) {
      out.append(t.substr(p));
      break;
    }
    out.append(t.substr(p, open - p));
    size_t name_start = open + 1;
    if (name_start >= t.size()) return std::nullopt;
    if (t[name_start] == '{') {
      out.push_back('{');
      p = name_start + 1;
      continue;
    }
    size_t close = t.find('}', name_start);
    if (close == std::string_view::npos) return std::nullopt;
    auto value = ProcTitleVariable(t.substr(name_start, close - name_start));
    if (!value) return std::nullopt;
    out.append(*value);
    p = close + 1;
  }
  return out;
}

}  // namespace

// --- Parsers. ---

bool ParseDir(std::span<const std::string> args, std::string_view, std::string* canonical,
              std::string* error) {
  if (args.size() != 1) {
    *error = "wrong number of arguments";
    return false;
  }
  if (args[0].empty()) {
    *error = "No such file or directory";  // chdir("") in Redis
    return false;
  }
  *canonical = args[0];
  return true;
}

bool ParseSave(std::span<const std::string> args, std::string_view, std::string* canonical,
               std::string* error) {
  args = DropLoneEmpty(args);
  if (args.size() % 2 != 0) {
    *error = "Invalid save parameters";
    return false;
  }
  std::string out;
  for (size_t j = 0; j < args.size(); ++j) {
    auto v = ParseLooseInt(args[j]);
    if (!v || (j % 2 == 0 && *v < 1) || (j % 2 == 1 && *v < 0)) {
      *error = "Invalid save parameters";
      return false;
    }
    if (j > 0) out.push_back(' ');
    // Seconds are a time_t, changes an int: Redis truncates the latter.
    out += std::to_string(j % 2 == 0 ? *v : static_cast<int64_t>(static_cast<int32_t>(*v)));
  }
  *canonical = std::move(out);
  return true;
}

bool ParseClientOutputBufferLimit(std::span<const std::string> args, std::string_view current,
                                  std::string* canonical, std::string* error) {
  if (args.size() % 4 != 0) {
    *error = "Wrong number of arguments in buffer limit configuration.";
    return false;
  }
  OutputLimits l = ReadOutputLimits(current);
  for (size_t j = 0; j < args.size(); j += 4) {
    int c = OutputClassByName(args[j]);
    if (c < 0) {
      *error = "Invalid client class specified in buffer limit configuration.";
      return false;
    }
    auto hard = ParseMemoryValue(args[j + 1]);
    auto soft = ParseMemoryValue(args[j + 2]);
    auto secs = ParseLooseInt(args[j + 3]);
    int32_t secs_int = secs ? static_cast<int32_t>(*secs) : 0;  // Redis keeps it in an int
    if (!hard || !soft || !secs || secs_int < 0) {
      *error = "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
      return false;
    }
    l.hard[c] = *hard;
    l.soft[c] = *soft;
    l.seconds[c] = secs_int;
  }
  std::string out;
  for (int c = 0; c < 3; ++c) {
    if (c > 0) out.push_back(' ');
    out += std::string(kOutputClassNames[c]) + " " + std::to_string(l.hard[c]) + " " +
           std::to_string(l.soft[c]) + " " + std::to_string(l.seconds[c]);
  }
  *canonical = std::move(out);
  return true;
}

bool ParseOomScoreAdjValues(std::span<const std::string> args, std::string_view,
                            std::string* canonical, std::string* error) {
  if (args.size() != 3) {
    *error = "wrong number of arguments";
    return false;
  }
  std::vector<std::string> parts;
  for (const std::string& a : args) {
    auto v = ParseLooseInt(a);
    if (!v || *v < -2000 || *v > 2000) {
      *error = "Invalid oom-score-adj-values, elements must be between -2000 and 2000.";
      return false;
    }
    parts.push_back(std::to_string(*v));
  }
  *canonical = Join(parts);
  return true;
}

bool ParseNotifyKeyspaceEvents(std::span<const std::string> args, std::string_view,
                               std::string* canonical, std::string* error) {
  if (args.size() != 1) {
    *error = "wrong number of arguments";
    return false;
  }
  auto flags = NotifyFlagsFromString(args[0]);
  if (!flags) {
    *error = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";
    return false;
  }
  *canonical = NotifyFlagsToString(*flags);
  return true;
}

bool ParseBind(std::span<const std::string> args, std::string_view, std::string* canonical,
               std::string* error) {
  if (args.size() > kMaxBindAddresses) {
    *error = "Too many bind addresses specified.";
    return false;
  }
  args = DropLoneEmpty(args);
  *canonical = Join(std::vector<std::string>(args.begin(), args.end()));
  return true;
}

bool ParseReplicaOf(std::span<const std::string> args, std::string_view, std::string* canonical,
                    std::string* error) {
  if (args.size() != 2) {
    *error = "wrong number of arguments";
    return false;
  }
  if (EqualsIgnoreCase(args[0], "no") && EqualsIgnoreCase(args[1], "one")) {
    canonical->clear();
    return true;
  }
  auto port = ParseLooseInt(args[1]);
  int32_t port_int = port ? static_cast<int32_t>(*port) : -1;  // an int in Redis
  if (!port || port_int < 0 || port_int > 65535) {
    *error = "Invalid master port";
    return false;
  }
  *canonical = args[0] + " " + std::to_string(port_int);
  return true;
}

bool ParseLatencyPercentiles(std::span<const std::string> args, std::string_view,
                             std::string* canonical, std::string* error) {
  args = DropLoneEmpty(args);
  std::vector<std::string> parts;
  for (const std::string& a : args) {
    auto v = ParseDouble(a);
    if (!v) {
      *error = "Invalid latency-tracking-info-percentiles parameters";
      return false;
    }
    if (*v > 100.0 || *v < 0.0) {
      *error = "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]";
      return false;
    }
    parts.push_back(FormatTrimmedDouble(*v));
  }
  *canonical = Join(parts);
  return true;
}

// --- Checks. ---

bool CheckActiveDefrag(std::string_view value, std::string* error) {
  if (value == "yes") {
    // Cairn has no defragmenter; the text is Redis's for a build without one.
    *error =
        "Active defragmentation cannot be enabled: it requires a Redis server compiled with a "
        "modified Jemalloc like the one shipped by default with the Redis source distribution";
    return false;
  }
  return true;
}

bool CheckHostname(std::string_view value, std::string* error) {
  if (value.size() >= 256) {
    *error = "Hostnames must be less than 256 characters";
    return false;
  }
  for (char c : value) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.';
    if (!ok) {
      *error = "Hostnames may only contain alphanumeric characters, hyphens or dots";
      return false;
    }
  }
  return true;
}

namespace {
bool IsBaseName(std::string_view v) {
  return v.find('/') == std::string_view::npos && v.find('\\') == std::string_view::npos;
}
}  // namespace

bool CheckDbFilename(std::string_view value, std::string* error) {
  if (!IsBaseName(value)) {
    *error = "dbfilename can't be a path, just a filename";
    return false;
  }
  return true;
}

bool CheckAofFilename(std::string_view value, std::string* error) {
  if (value.empty()) {
    *error = "appendfilename can't be empty";
    return false;
  }
  if (!IsBaseName(value)) {
    *error = "appendfilename can't be a path, just a filename";
    return false;
  }
  return true;
}

bool CheckAofDirname(std::string_view value, std::string* error) {
  if (value.empty()) {
    *error = "appenddirname can't be empty";
    return false;
  }
  if (!IsBaseName(value)) {
    *error = "appenddirname can't be a path, just a dirname";
    return false;
  }
  return true;
}

bool CheckProcTitleTemplate(std::string_view value, std::string* error) {
  auto expanded = ExpandTemplate(value);
  bool ok = expanded.has_value();
  if (ok) {
    std::string_view s = *expanded;
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    ok = !s.empty();
  }
  if (!ok) *error = "template format is invalid or contains unknown variables";
  return ok;
}

bool CheckShutdownFlags(std::string_view value, std::string* error) {
  bool save = false, nosave = false;
  for (const std::string& w : SplitOnSpaces(value)) {
    save |= w == "save";
    nosave |= w == "nosave";
  }
  if (save && nosave) {
    *error = "shutdown options SAVE and NOSAVE can't be used simultaneously";
    return false;
  }
  return true;
}

// --- Binders. ---

void BindSave(Settings& settings, std::string_view canonical) {
  settings.save_points.clear();
  std::vector<std::string> f = SplitOnSpaces(canonical);
  for (size_t i = 0; i + 1 < f.size(); i += 2) {
    settings.save_points.emplace_back(ParseLooseInt(f[i]).value_or(0),
                                      ParseLooseInt(f[i + 1]).value_or(0));
  }
}

void BindClientOutputBufferLimit(Settings& settings, std::string_view canonical) {
  OutputLimits l = ReadOutputLimits(canonical);
  for (int c = 0; c < 3; ++c) {
    auto clamp = [](uint64_t v) {
      return v > static_cast<uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<int64_t>(v);
    };
    settings.client_output_buffer_limit[static_cast<size_t>(c)] = {clamp(l.hard[c]),
                                                                   clamp(l.soft[c]), l.seconds[c]};
  }
}

void BindNotifyKeyspaceEvents(Settings& settings, std::string_view canonical) {
  settings.notify_keyspace_events = NotifyFlagsFromString(canonical).value_or(0);
}

void BindBind(Settings& settings, std::string_view canonical) {
  settings.bind = SplitOnSpaces(canonical);
}

void BindLatencyPercentiles(Settings& settings, std::string_view canonical) {
  settings.latency_tracking_info_percentiles.clear();
  for (const std::string& p : SplitOnSpaces(canonical)) {
    settings.latency_tracking_info_percentiles.push_back(ParseDouble(p).value_or(0));
  }
}

// --- Rewrite helpers. ---

std::vector<std::string> SaveRewriteLines(std::string_view canonical) {
  std::vector<std::string> f = SplitOnSpaces(canonical);
  if (f.empty()) return {"save \"\""};
  std::vector<std::string> lines;
  for (size_t i = 0; i + 1 < f.size(); i += 2) lines.push_back("save " + f[i] + " " + f[i + 1]);
  return lines;
}

std::vector<std::pair<std::string, bool>> OutputBufferLimitRewriteLines(
    std::string_view canonical) {
  OutputLimits l = ReadOutputLimits(canonical);
  constexpr std::string_view kRewriteNames[] = {"normal", "replica", "pubsub"};
  std::vector<std::pair<std::string, bool>> lines;
  for (int c = 0; c < 3; ++c) {
    const OutputBufferLimit& d = kOutputDefaults[c];
    bool force = static_cast<int64_t>(l.hard[c]) != d.hard ||
                 static_cast<int64_t>(l.soft[c]) != d.soft || l.seconds[c] != d.soft_seconds;
    std::string line = "client-output-buffer-limit " + std::string(kRewriteNames[c]) + " " +
                       FormatMemoryUnit(static_cast<int64_t>(l.hard[c])) + " " +
                       FormatMemoryUnit(static_cast<int64_t>(l.soft[c])) + " " +
                       std::to_string(l.seconds[c]);
    lines.emplace_back(std::move(line), force);
  }
  return lines;
}

}  // namespace cairn
