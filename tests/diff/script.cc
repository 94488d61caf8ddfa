#include "tests/diff/script.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/raw_client.h"

namespace cairn::diff {

namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool ParseNonNegative(std::string_view s, int64_t* out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size() && *out >= 0;
}

std::string EncodeTokens(const std::vector<Token>& toks, size_t from) {
  std::vector<std::string> args;
  for (size_t i = from; i < toks.size(); i++) args.push_back(toks[i].text);
  return testing::EncodeMultibulk(args);
}

// Concatenates the parts of a !raw / !rawclose line; an unquoted {N}
// repeats the part after it N times.
Result<std::string> RawPayload(const std::vector<Token>& toks, size_t from) {
  if (from >= toks.size()) return Status::Invalid("raw payload is empty");
  std::string out;
  for (size_t i = from; i < toks.size(); i++) {
    const Token& t = toks[i];
    if (!t.quoted && t.text.size() > 2 && t.text.front() == '{' && t.text.back() == '}') {
      int64_t n = 0;
      if (!ParseNonNegative(std::string_view(t.text).substr(1, t.text.size() - 2), &n) ||
          n > (int64_t{64} << 20)) {
        return Status::Invalid("bad repeat count " + t.text);
      }
      if (i + 1 >= toks.size()) {
        return Status::Invalid(t.text + " must be followed by the part to repeat");
      }
      i++;
      for (int64_t k = 0; k < n; k++) out += toks[i].text;
      continue;
    }
    out += t.text;
  }
  return out;
}

Status ParseHeader(const std::vector<Token>& toks, Script* s) {
  const std::string& word = toks[0].text;
  size_t nargs = toks.size() - 1;
  if (word == "@proto") {
    if (nargs != 1) return Status::Invalid("@proto takes one of 2, 3, both");
    const std::string& v = toks[1].text;
    if (v == "2") {
      s->protos = {2};
    } else if (v == "3") {
      s->protos = {3};
    } else if (v == "both") {
      s->protos = {2, 3};
    } else {
      return Status::Invalid("@proto takes one of 2, 3, both, not \"" + v + "\"");
    }
  } else if (word == "@server") {
    if (nargs == 0) return Status::Invalid("@server needs arguments");
    for (size_t i = 1; i < toks.size(); i++) s->server_args.push_back(toks[i].text);
    s->dedicated = true;
  } else if (word == "@dedicated") {
    if (nargs != 0) return Status::Invalid("@dedicated takes no arguments");
    s->dedicated = true;
  } else if (word == "@auth") {
    if (nargs != 1) return Status::Invalid("@auth takes the password");
    s->password = toks[1].text;
  } else {
    return Status::Invalid("unknown header " + word);
  }
  return Status::Ok();
}

// Reads the modifiers at the front of a line, then its action.
Result<Step> ParseStep(const std::vector<Token>& toks, std::string_view line) {
  Step st;
  bool mode_set = false;
  size_t i = 0;
  auto set_mode = [&](CompareMode m) -> Status {
    if (mode_set) return Status::Invalid("more than one compare modifier");
    mode_set = true;
    st.mode = m;
    return Status::Ok();
  };
  auto int_arg = [&](const std::string& what, int64_t* n) -> Status {
    if (i + 1 >= toks.size()) return Status::Invalid(what + " needs a number");
    if (!ParseNonNegative(toks[i + 1].text, n)) {
      return Status::Invalid(what + " needs a non-negative number, not \"" + toks[i + 1].text +
                             "\"");
    }
    i += 2;
    return Status::Ok();
  };
  auto command_from = [&](size_t k) {
    st.command = k < toks.size() ? std::string(line.substr(toks[k].begin)) : std::string();
  };
  while (i < toks.size() && !toks[i].quoted && !toks[i].text.empty() && toks[i].text[0] == '!') {
    const std::string word = toks[i].text;
    Status s;
    if (word == "!sort") {
      i++;
      s = set_mode(CompareMode::kSorted);
    } else if (word == "!shape") {
      i++;
      s = set_mode(CompareMode::kShape);
    } else if (word == "!match") {
      if (i + 1 >= toks.size()) return Status::Invalid("!match needs a regexp");
      st.pattern_text = toks[i + 1].text;
      try {
        st.pattern = std::make_shared<const boost::regex>(st.pattern_text, kPatternSyntax);
      } catch (const boost::regex_error& e) {
        return Status::Invalid(std::string("!match: ") + e.what());
      }
      i += 2;
      s = set_mode(CompareMode::kMatch);
    } else if (word == "!approx") {
      s = int_arg(word, &st.tolerance);
      if (s.ok()) s = set_mode(CompareMode::kApprox);
    } else if (word == "!resp2" || word == "!resp3") {
      st.only_proto = word[5] - '0';
      i++;
    } else if (word == "!raw") {
      int64_t n = 0;
      s = int_arg(word, &n);
      if (!s.ok()) return s;
      st.kind = StepKind::kRaw;
      st.replies = static_cast<int>(n);
      Result<std::string> p = RawPayload(toks, i);
      if (!p.ok()) return p.status();
      st.payload = std::move(p).value();
      command_from(i);
      return st;
    } else if (word == "!rawclose") {
      st.kind = StepKind::kClose;
      Result<std::string> p = RawPayload(toks, i + 1);
      if (!p.ok()) return p.status();
      st.payload = std::move(p).value();
      command_from(i + 1);
      return st;
    } else if (word == "!close" || word == "!send") {
      st.kind = word == "!send" ? StepKind::kSend : StepKind::kClose;
      if (word == "!send") st.replies = 0;
      if (i + 1 >= toks.size()) return Status::Invalid(word + " needs a command");
      st.payload = EncodeTokens(toks, i + 1);
      command_from(i + 1);
      return st;
    } else if (word == "!sleep") {
      int64_t n = 0;
      s = int_arg(word, &n);
      if (!s.ok()) return s;
      if (i != toks.size() || mode_set) return Status::Invalid("!sleep stands alone");
      st.kind = StepKind::kSleep;
      st.sleep_ms = static_cast<int>(n);
      st.replies = 0;
      return st;
    } else {
      return Status::Invalid("unknown directive " + word + " (quote it to send it as an argument)");
    }
    if (!s.ok()) return s;
  }
  if (i >= toks.size()) return Status::Invalid("modifiers without a command");
  st.payload = EncodeTokens(toks, i);
  command_from(i);
  return st;
}

}  // namespace

int Step::Cases() const {
  switch (kind) {
    case StepKind::kCommand:
    case StepKind::kRaw:
      return replies;
    case StepKind::kClose:
      return 1;
    default:
      return 0;
  }
}

int Script::Cases(int proto) const {
  int n = 0;
  for (const Step& s : steps) {
    if (proto != 0 && s.only_proto != 0 && s.only_proto != proto) continue;
    n += s.Cases();
  }
  return n;
}

Result<std::vector<Token>> SplitLine(std::string_view line) {
  std::vector<Token> toks;
  size_t i = 0;
  while (true) {
    while (i < line.size() && IsBlank(line[i])) i++;
    if (i >= line.size()) return toks;
    Token tok;
    tok.begin = i;
    if (line[i] == '"') {
      tok.quoted = true;
      i++;
      while (true) {
        if (i >= line.size()) return Status::Invalid("unbalanced double quote");
        char c = line[i];
        if (c == '"') {
          i++;
          break;
        }
        if (c == '\\' && i + 1 < line.size()) {
          i++;
          char e = line[i];
          switch (e) {
            case 'n':
              c = '\n';
              break;
            case 'r':
              c = '\r';
              break;
            case 't':
              c = '\t';
              break;
            case 'b':
              c = '\b';
              break;
            case 'a':
              c = '\a';
              break;
            case 'x':
              if (i + 2 < line.size() && HexValue(line[i + 1]) >= 0 && HexValue(line[i + 2]) >= 0) {
                c = static_cast<char>(HexValue(line[i + 1]) * 16 + HexValue(line[i + 2]));
                i += 2;
              } else {
                c = 'x';
              }
              break;
            default:
              c = e;
          }
        }
        tok.text += c;
        i++;
      }
    } else if (line[i] == '\'') {
      tok.quoted = true;
      i++;
      while (true) {
        if (i >= line.size()) return Status::Invalid("unbalanced single quote");
        char c = line[i];
        if (c == '\'') {
          i++;
          break;
        }
        if (c == '\\' && i + 1 < line.size() && line[i + 1] == '\'') {
          i++;
          c = '\'';
        }
        tok.text += c;
        i++;
      }
    } else {
      while (i < line.size() && !IsBlank(line[i])) tok.text += line[i++];
      toks.push_back(std::move(tok));
      continue;
    }
    if (i < line.size() && !IsBlank(line[i])) {
      return Status::Invalid("closing quote must be followed by a blank");
    }
    toks.push_back(std::move(tok));
  }
}

Result<Script> ParseScript(const std::string& name, std::string_view text) {
  Script s;
  s.name = name;
  int line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view raw = text.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    line_no++;
    size_t b = 0;
    size_t e = raw.size();
    while (b < e && IsBlank(raw[b])) b++;
    while (e > b && IsBlank(raw[e - 1])) e--;
    std::string_view line = raw.substr(b, e - b);
    if (line.empty() || line[0] == '#') continue;
    auto fail = [&](const std::string& why) {
      return Status::Invalid("diff: " + name + ":" + std::to_string(line_no) + ": " + why);
    };
    Result<std::vector<Token>> toks = SplitLine(line);
    if (!toks.ok()) return fail(toks.status().message());
    const Token& first = toks->front();
    if (!first.quoted && !first.text.empty() && first.text[0] == '@') {
      if (!s.steps.empty()) return fail("header " + first.text + " after the first case");
      Status st = ParseHeader(*toks, &s);
      if (!st.ok()) return fail(st.message());
      continue;
    }
    Result<Step> step = ParseStep(*toks, line);
    if (!step.ok()) return fail(step.status().message());
    step->line = line_no;
    step->text = std::string(line);
    s.steps.push_back(std::move(step).value());
  }
  if (s.steps.empty()) return Status::Invalid("diff: " + name + ": no cases");
  return s;
}

Result<std::vector<Script>> LoadScripts(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".txt") files.push_back(entry.path().string());
  }
  if (ec) return Status::Io("diff: read " + dir + ": " + ec.message());
  std::sort(files.begin(), files.end());
  std::vector<Script> out;
  for (const std::string& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    if (!in) return Status::Io("diff: read " + f);
    Result<Script> s = ParseScript(std::filesystem::path(f).filename().string(), ss.str());
    if (!s.ok()) return s.status();
    s->path = f;
    out.push_back(std::move(s).value());
  }
  return out;
}

}  // namespace cairn::diff
