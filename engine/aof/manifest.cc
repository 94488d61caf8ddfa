#include "engine/aof/manifest.h"

#include "engine/config/config_text.h"
#include "engine/util/strconv.h"

namespace cairn::aof {
namespace {

bool NeedsQuotes(std::string_view s) {
  for (unsigned char c : s) {
    if (c <= ' ' || c >= 0x7f || c == '"' || c == '\'' || c == '\\') return true;
  }
  return s.empty();
}

void AppendLine(std::string& out, const ManifestFile& f) {
  out += "file ";
  if (NeedsQuotes(f.name)) {
    AppendQuoted(out, f.name);
  } else {
    out += f.name;
  }
  out += " seq ";
  out += std::to_string(f.seq);
  out += " type ";
  out.push_back(static_cast<char>(f.type));
  out.push_back('\n');
}

Status LineError(int line, const std::string& why) {
  return Status::Corruption("aof: manifest line " + std::to_string(line) + ": " + why);
}

}  // namespace

std::string ManifestName(std::string_view n) { return std::string(n) + ".manifest"; }
std::string TempManifestName(std::string_view n) { return "temp-" + std::string(n) + ".manifest"; }
std::string BaseName(std::string_view n, int64_t seq, bool rdb) {
  return std::string(n) + "." + std::to_string(seq) + (rdb ? ".base.rdb" : ".base.aof");
}
std::string IncrName(std::string_view n, int64_t seq) {
  return std::string(n) + "." + std::to_string(seq) + ".incr.aof";
}

std::string Manifest::Print() const {
  std::string out;
  if (base) AppendLine(out, *base);
  for (const auto& f : history) AppendLine(out, f);
  for (const auto& f : incrs) AppendLine(out, f);
  return out;
}

Result<Manifest> Manifest::Parse(std::string_view text) {
  Manifest m;
  int line_no = 0;
  size_t p = 0;
  while (p < text.size()) {
    ++line_no;
    size_t nl = text.find('\n', p);
    if (nl == std::string_view::npos) {
      return LineError(line_no, "line not ended by a newline (truncated manifest?)");
    }
    std::string_view line = text.substr(p, nl - p);
    p = nl + 1;
    if (line.size() > 1024) return LineError(line_no, "line too long");
    if (!line.empty() && line[0] == '#') continue;
    auto args = SplitConfigArgs(line);
    if (!args) return LineError(line_no, "unbalanced quotes");
    if (args->empty()) continue;
    if (args->size() < 6 || args->size() % 2 != 0) {
      return LineError(line_no, "invalid format (want: file <name> seq <n> type <b|h|i>)");
    }
    ManifestFile f;
    bool have_name = false;
    bool have_seq = false;
    bool have_type = false;
    for (size_t i = 0; i < args->size(); i += 2) {
      const std::string& k = (*args)[i];
      const std::string& v = (*args)[i + 1];
      if (k == "file") {
        f.name = v;
        have_name = true;
      } else if (k == "seq") {
        auto seq = ParseInt64(v);
        if (!seq || *seq < 0) return LineError(line_no, "bad seq \"" + v + "\"");
        f.seq = *seq;
        have_seq = true;
      } else if (k == "type") {
        if (v.size() != 1 || (v[0] != 'b' && v[0] != 'h' && v[0] != 'i')) {
          return LineError(line_no, "unknown type \"" + v + "\"");
        }
        f.type = static_cast<FileType>(v[0]);
        have_type = true;
      }
    }
    if (!have_name || !have_seq || !have_type) {
      return LineError(line_no, "invalid format (want: file <name> seq <n> type <b|h|i>)");
    }
    if (f.name.empty() || f.name.find('/') != std::string::npos) {
      return LineError(line_no, "bad file name \"" + f.name + "\"");
    }
    switch (f.type) {
      case FileType::kBase:
        if (m.base) return LineError(line_no, "a second base file");
        m.base_seq = f.seq;
        m.base = std::move(f);
        break;
      case FileType::kHistory:
        m.history.push_back(std::move(f));
        break;
      case FileType::kIncr:
        if (f.seq <= m.incr_seq) return LineError(line_no, "incr seq not ascending");
        m.incr_seq = f.seq;
        m.incrs.push_back(std::move(f));
        break;
    }
  }
  if (m.empty()) return Status::Corruption("aof: manifest names no base and no incr file");
  return m;
}

std::string Manifest::StartNewBase(std::string_view n, bool rdb) {
  if (base) {
    ManifestFile old = *base;
    old.type = FileType::kHistory;
    history.push_back(std::move(old));
  }
  ++base_seq;
  base = ManifestFile{BaseName(n, base_seq, rdb), base_seq, FileType::kBase};
  return base->name;
}

std::string Manifest::AddNewIncr(std::string_view n) {
  ++incr_seq;
  incrs.push_back(ManifestFile{IncrName(n, incr_seq), incr_seq, FileType::kIncr});
  return incrs.back().name;
}

void Manifest::IncrsToHistory(size_t count) {
  for (size_t i = 0; i < count && !incrs.empty(); ++i) {
    ManifestFile f = incrs.front();
    f.type = FileType::kHistory;
    history.push_back(std::move(f));
    incrs.erase(incrs.begin());
  }
}

}  // namespace cairn::aof
