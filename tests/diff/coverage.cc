#include "tests/diff/coverage.h"

#include <cctype>
#include <fstream>
#include <sstream>

#include "tests/support/quote.h"

namespace cairn::diff {

// The literal text a match of `re` must begin with: the characters before
// the first regex operator (minus the last one when a quantifier follows),
// or nothing when the pattern has a top-level alternative.
std::string LiteralPrefix(const std::string& re) {
  int depth = 0;
  for (size_t i = 0; i < re.size(); i++) {
    char c = re[i];
    if (c == '\\') {
      i++;
    } else if (c == '(' || c == '[') {
      depth++;
    } else if (c == ')' || c == ']') {
      depth--;
    } else if (c == '|' && depth == 0) {
      return "";
    }
  }
  std::string prefix;
  for (size_t i = 0; i < re.size(); i++) {
    char c = re[i];
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) {
      if ((c == '?' || c == '*' || c == '{') && !prefix.empty()) prefix.pop_back();
      break;
    }
    prefix += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return prefix;
}

namespace {

constexpr std::string_view kReplyOnly = ".* => ";

bool StartsWithNoCase(std::string_view s, std::string_view lower_prefix) {
  if (s.size() < lower_prefix.size()) return false;
  for (size_t i = 0; i < lower_prefix.size(); i++) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != lower_prefix[i]) return false;
  }
  return true;
}

}  // namespace

Result<Coverage> Coverage::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Io("coverage: cannot read " + path);
  Coverage c;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    line_no++;
    size_t b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos || line[b] == '#') continue;
    size_t sep = line.find(" :: ");
    if (sep == std::string::npos) {
      return Status::Invalid("coverage: " + path + ":" + std::to_string(line_no) +
                             ": expected 'ITEM :: REGEX'");
    }
    CoverageItem item;
    item.line = line_no;
    item.name = line.substr(b, sep - b);
    while (!item.name.empty() && (item.name.back() == ' ' || item.name.back() == '\t')) {
      item.name.pop_back();
    }
    item.pattern_text = line.substr(sep + 4);
    while (!item.pattern_text.empty() &&
           (item.pattern_text.back() == '\r' || item.pattern_text.back() == ' ')) {
      item.pattern_text.pop_back();
    }
    if (item.name.empty() || item.pattern_text.empty()) {
      return Status::Invalid("coverage: " + path + ":" + std::to_string(line_no) +
                             ": empty item or regex");
    }
    std::string compiled = item.pattern_text;
    if (compiled.rfind(kReplyOnly, 0) == 0) {
      item.reply_only = true;
      compiled = compiled.substr(kReplyOnly.size());
    }
    item.prefix = LiteralPrefix(compiled);
    try {
      item.pattern =
          std::make_shared<const boost::regex>(compiled, kPatternSyntax | boost::regex::icase);
    } catch (const boost::regex_error& e) {
      return Status::Invalid("coverage: " + path + ":" + std::to_string(line_no) + ": " + e.what());
    }
    for (const CoverageItem& other : c.items_) {
      if (other.name == item.name) {
        return Status::Invalid("coverage: " + path + ":" + std::to_string(line_no) +
                               ": item listed twice: " + item.name);
      }
    }
    c.items_.push_back(std::move(item));
  }
  if (c.items_.empty()) return Status::Invalid("coverage: " + path + " lists no items");
  return c;
}

std::string Coverage::Subject(std::string_view command, std::string_view reply) {
  std::string s(command);
  s += " => ";
  s += reply.substr(0, kSubjectReplyBytes);
  return s;
}

void Coverage::Record(std::string_view command, std::string_view reply) {
  std::string subject = Subject(command, reply);
  std::string_view reply_part = std::string_view(subject).substr(command.size() + 4);
  for (CoverageItem& item : items_) {
    std::string_view s = item.reply_only ? reply_part : std::string_view(subject);
    if (!StartsWithNoCase(s, item.prefix)) continue;
    if (boost::regex_search(s.begin(), s.end(), *item.pattern, boost::match_continuous)) {
      if (item.hits++ == 0) item.example = subject;
    }
  }
}

int Coverage::covered() const {
  int n = 0;
  for (const CoverageItem& item : items_) n += item.hits > 0 ? 1 : 0;
  return n;
}

std::string Coverage::Report(bool all) const {
  std::ostringstream out;
  for (const CoverageItem& item : items_) {
    if (item.hits == 0) {
      out << "  UNCOVERED  " << item.name << "  (coverage.txt:" << item.line << ", regex "
          << item.pattern_text << ")\n";
    } else if (all) {
      out << "  " << item.hits << "x  " << item.name << "  e.g. "
          << testing::QuoteBytes(item.example, 120) << "\n";
    }
  }
  out << "coverage: " << covered() << " of " << items_.size() << " items covered";
  return out.str();
}

}  // namespace cairn::diff
