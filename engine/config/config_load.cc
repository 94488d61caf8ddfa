// Loading: config files, includes and the command line, as redis-server 7.0
// reads them. The command line becomes config text ("--port 7000" is the
// line `port "7000"`) appended after the file and stdin, so errors name the
// same lines Redis names.
#include <algorithm>

#include "engine/config/config.h"
#include "engine/config/config_table.h"
#include "engine/config/config_text.h"
#include "engine/config/config_values.h"
#include "engine/env/env.h"
#include "engine/util/glob.h"

namespace cairn {
namespace {

constexpr int kMaxIncludeDepth = 16;

// The end of every load: settings Cairn cannot honour at all.
Status FinishLoad(const Status& tls) {
  if (!tls.ok()) {
    return Status::Invalid(
        "Cairn does not support TLS: tls-port, tls-replication and tls-cluster must stay off");
  }
  return Status::Ok();
}

Status LineError(int line, std::string_view text, std::string_view reason) {
  std::string msg = "Reading the configuration file, at line " + std::to_string(line) + "\n>>> '";
  msg.append(text);
  msg += "'\n";
  msg.append(reason);
  return Status::Invalid(std::move(msg));
}

// The reason part of an Env error ("open /x: No such file or directory").
std::string Reason(const Status& st) {
  const std::string& m = st.message();
  size_t colon = m.rfind(": ");
  return colon == std::string::npos ? m : m.substr(colon + 2);
}

Status CannotOpen(std::string_view path, const Status& why) {
  std::string msg = "Fatal error, can't open config file '";
  msg.append(path);
  msg += "': " + Reason(why);
  return why.code() == Status::Code::kNotFound ? Status::NotFound(std::move(msg))
                                               : Status::Io(std::move(msg), why.sys_errno());
}

Result<std::string> ReadWholeFile(FileSystem* fs, const std::string& path) {
  if (fs == nullptr) return CannotOpen(path, Status::NotFound("No such file or directory"));
  auto file = fs->OpenRead(path);
  if (!file.ok()) return CannotOpen(path, file.status());
  std::string text;
  char buf[16 * 1024];
  while (true) {
    auto n = file.value()->Read(buf, sizeof(buf));
    if (!n.ok()) return CannotOpen(path, n.status());
    if (n.value() == 0) break;
    text.append(buf, n.value());
  }
  return text;
}

bool HasWildcard(std::string_view s) { return s.find_first_of("*?[") != std::string_view::npos; }

// glob(3) over fs: wildcards may appear in any path component; matches come
// back sorted; names starting with '.' match only a pattern that does.
std::vector<std::string> ExpandGlob(FileSystem* fs, const std::string& pattern) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= pattern.size()) {
    size_t slash = pattern.find('/', start);
    if (slash == std::string::npos) slash = pattern.size();
    parts.push_back(pattern.substr(start, slash - start));
    start = slash + 1;
  }
  // Paths built so far; "" stands for the working directory.
  std::vector<std::string> current = {pattern.starts_with("/") ? "/" : ""};
  for (size_t i = pattern.starts_with("/") ? 1 : 0; i < parts.size(); ++i) {
    const std::string& part = parts[i];
    if (part.empty()) continue;
    std::vector<std::string> next;
    for (const std::string& base : current) {
      auto join = [&](const std::string& name) {
        if (base.empty()) return name;
        std::string path = base;
        if (path.back() != '/') path += '/';
        path += name;
        return path;
      };
      if (!HasWildcard(part)) {
        next.push_back(join(part));
        continue;
      }
      if (fs == nullptr) continue;
      auto list = fs->ListDir(base.empty() ? "." : base);
      if (!list.ok()) continue;
      std::vector<std::string> names = list.value();
      std::sort(names.begin(), names.end());
      for (const std::string& name : names) {
        if (name.starts_with(".") && !part.starts_with(".")) continue;
        if (GlobMatch(part, name)) next.push_back(join(name));
      }
    }
    current = std::move(next);
  }
  std::vector<std::string> out;
  for (const std::string& p : current) {
    if (!p.empty() && fs != nullptr && fs->Exists(p)) out.push_back(p);
  }
  return out;
}

// redis-server's main(): turns the arguments after the config file into
// config text. "--name" starts a directive once the previous one has a
// value; every other argument is a quoted value of the current directive.
// "-" as the first or last argument asks for stdin instead.
std::string OptionsText(std::span<const std::string> argv, size_t start, bool* from_stdin) {
  std::string options;
  bool handled_last = true;
  for (size_t j = start; j < argv.size(); ++j) {
    const std::string& a = argv[j];
    if (a == "-" && (j == 0 || j == argv.size() - 1)) {
      *from_stdin = true;
    } else if (handled_last && a.starts_with("--")) {
      if (!options.empty()) options += "\n";
      options += a.substr(2);  // the name goes in as it is
      options += " ";
      auto words = SplitConfigArgs(a);
      if (words && words->size() == 1) {
        handled_last = false;
        bool next_is_option = j + 1 < argv.size() && argv[j + 1].starts_with("--");
        if (EqualsIgnoreCase(a, "--save") && (next_is_option || j + 1 == argv.size())) {
          // "--save" with no value means save "" (Redis 7.0.1's rule).
          options += "\"\"";
          handled_last = next_is_option;
        }
      } else {
        handled_last = true;  // "--port 6380" given as one argument
      }
    } else {
      AppendQuoted(options, a);
      options += " ";
      handled_last = true;
    }
  }
  return options;
}

}  // namespace

// Applies config text line by line, as loadServerConfigFromString does.
struct Config::Loader {
  Config& config;
  FileSystem* fs;
  bool save_loaded = false;  // later save lines add points instead of replacing them

  Status LoadString(std::string_view text, int depth) {
    int line_no = 0;
    size_t pos = 0;
    while (pos <= text.size()) {
      size_t nl = text.find('\n', pos);
      if (nl == std::string_view::npos) nl = text.size();
      std::string_view raw = text.substr(pos, nl - pos);
      pos = nl + 1;
      ++line_no;
      std::string_view line = TrimConfigLine(raw);
      if (line.empty() || line[0] == '#') continue;
      auto args = SplitConfigArgs(line);
      if (!args) return LineError(line_no, line, "Unbalanced quotes in configuration line");
      if (args->empty()) continue;
      Status st = Directive(*args, line_no, line, depth);
      if (!st.ok()) return st;
    }
    return Status::Ok();
  }

  Status Directive(std::vector<std::string>& args, int line_no, std::string_view line, int depth) {
    std::string name = ToLowerAscii(args[0]);
    Table& t = *config.table_;
    if (const ParamName* entry = t.Find(name)) {
      const ParamSpec& spec = t.spec(entry->index);
      if (!spec.has(kParamMultiArg) && args.size() != 2) {
        return LineError(line_no, line, "wrong number of arguments");
      }
      std::vector<std::string> words;
      if (spec.has(kParamMultiArg) && args.size() == 2 && !args[1].empty()) {
        // One quoted argument holds several words: save "3600 1 300 100".
        words = SplitConfigArgs(args[1]).value_or(std::vector<std::string>{});
      } else {
        words.assign(args.begin() + 1, args.end());
      }
      std::string canonical, reason;
      if (!ParseParamValue(spec, words, t.values[entry->index], &canonical, &reason)) {
        return LineError(line_no, line, reason);
      }
      if (spec.name == "save") canonical = AccumulateSave(entry->index, words, canonical);
      config.Store(entry->index, std::move(canonical));
      return Status::Ok();
    }
    // Old parameters Redis still accepts in files and ignores.
    if ((name == "list-max-ziplist-entries" || name == "list-max-ziplist-value" ||
         name == "lua-replicate-commands") &&
        args.size() == 2) {
      return Status::Ok();
    }
    if (name == "include" && args.size() == 2) return Include(args[1], depth);
    if (name == "rename-command" && args.size() == 3) {
      config.rename_directives_.push_back({args[1], args[2], line_no, std::string(line)});
      config.renamed_commands_.emplace_back(args[1], args[2]);
      return Status::Ok();
    }
    if (name == "user" && args.size() >= 2) {
      config.user_directives_.emplace_back(args.begin() + 1, args.end());
      return Status::Ok();
    }
    if (name == "loadmodule" && args.size() >= 2) {
      return LineError(line_no, line, "Cairn does not load modules");
    }
    if (name.find('.') != std::string::npos) {
      if (args.size() < 2) return LineError(line_no, line, "Module config specified without value");
      return LineError(line_no, line,
                       "Module Configuration detected without loadmodule directive or no "
                       "ApplyConfig call: aborting");
    }
    if (name == "sentinel") {
      if (args.size() == 1) return Status::Ok();
      return LineError(line_no, line, "sentinel directive while not in sentinel mode");
    }
    return LineError(line_no, line, "Bad directive or wrong number of arguments");
  }

  // Redis's quirk for save lines in files: the first one replaces the
  // default, later ones add points; save "" clears them.
  std::string AccumulateSave(size_t index, const std::vector<std::string>& words,
                             const std::string& parsed) {
    bool clear = words.empty() || (words.size() == 1 && words[0].empty());
    std::string result = parsed;
    if (!clear && save_loaded && !config.table_->values[index].empty()) {
      result = config.table_->values[index] + " " + parsed;
    }
    save_loaded = true;
    return result;
  }

  Status Include(const std::string& path, int depth) {
    if (depth >= kMaxIncludeDepth) {
      return Status::Invalid("Fatal error, config files included more than " +
                             std::to_string(kMaxIncludeDepth) + " levels deep at '" + path + "'");
    }
    std::vector<std::string> files;
    if (HasWildcard(path)) {
      files = ExpandGlob(fs, path);  // no match: nothing to include
    } else {
      files.push_back(path);
    }
    for (const std::string& f : files) {
      auto text = ReadWholeFile(fs, f);
      if (!text.ok()) return text.status();
      Status st = LoadString(text.value(), depth + 1);
      if (!st.ok()) return st;
    }
    return Status::Ok();
  }
};

Status Config::LoadText(std::string_view text, std::string_view file_name, FileSystem* fs) {
  (void)file_name;  // Redis's messages name lines, not files
  Loader loader{*this, fs};
  Status st = loader.LoadString(text, 0);
  if (!st.ok()) return st;
  return FinishLoad(CheckTls());
}

Status Config::ApplyArgs(std::span<const std::string> args) {
  bool from_stdin = false;
  std::string text = "\n" + OptionsText(args, 0, &from_stdin);
  Loader loader{*this, nullptr};
  Status st = loader.LoadString(text, 0);
  if (!st.ok()) return st;
  return FinishLoad(CheckTls());
}

Status Config::LoadCommandLine(std::span<const std::string> argv, FileSystem* fs,
                               std::string_view stdin_text) {
  return LoadAll(argv, fs, std::nullopt, stdin_text);
}

Status Config::LoadCommandLine(std::span<const std::string> argv, std::string_view file_text,
                               std::string_view stdin_text) {
  return LoadAll(argv, nullptr, file_text, stdin_text);
}

Status Config::LoadAll(std::span<const std::string> argv, FileSystem* fs,
                       std::optional<std::string_view> file_text, std::string_view stdin_text) {
  size_t start = 0;
  std::string text;
  if (!argv.empty() && !argv[0].starts_with("-")) {
    // The first argument is the config file unless it is an option.
    config_file_ = argv[0];
    start = 1;
    if (file_text) {
      text.assign(*file_text);
    } else {
      auto read = ReadWholeFile(fs, argv[0]);
      if (!read.ok()) return read.status();
      text = std::move(read.value());
    }
  }
  bool from_stdin = false;
  std::string options = OptionsText(argv, start, &from_stdin);
  if (from_stdin) text.append(stdin_text);
  text += "\n";
  text += options;
  Loader loader{*this, fs};
  Status st = loader.LoadString(text, 0);
  if (!st.ok()) return st;
  return FinishLoad(CheckTls());
}

Status Config::CheckRenames(
    const std::function<Status(std::string_view from, std::string_view to)>& apply) const {
  for (const RenameDirective& d : rename_directives_) {
    Status st = apply(d.from, d.to);
    if (!st.ok()) return LineError(d.line, d.line_text, st.message());
  }
  return Status::Ok();
}

}  // namespace cairn
