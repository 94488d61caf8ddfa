// Coverage of the foundation issue by the differential scripts.
//
// tests/diff/coverage.txt lists every command, option and error path the
// issue asks for, one item a line:
//
//     ITEM NAME :: REGEX
//
// An item is covered when REGEX (ECMAScript, case-insensitive) finds a match
// in the subject of at least one compared case. A case's subject is its
// command as written in the script (directives removed), then " => ", then
// the reference server's reply as raw bytes, e.g.
//
//     SET k v EX 0 => -ERR invalid expire time in 'set' command\r\n
//
// The regex is matched from the start of the subject (start it with ".*"
// to search), and the reply is cut after kSubjectReplyBytes bytes: that
// keeps matching thousands of cases against hundreds of items cheap.
//
// So an item can name a command line ("^SET\b.*\bEX\b"), an error text
// ("^SET\b.* => -ERR syntax error") or both. Cases only count once they were
// really played against both servers.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/util/status.h"
#include "tests/diff/pattern.h"

namespace cairn::diff {

inline constexpr size_t kSubjectReplyBytes = 300;

struct CoverageItem {
  std::string name;
  std::string pattern_text;
  std::shared_ptr<const boost::regex> pattern;
  // Literal text every match must start with (case-insensitive), so most
  // items are ruled out without running the regex.
  std::string prefix;
  // A regex written ".* => REST" asks only about the reply: REST is matched
  // from the reply's start (the same matches, without scanning the line).
  bool reply_only = false;
  int line = 0;
  int hits = 0;
  std::string example;  // the first subject that matched
};

// The literal text (lower case) every match of the regex must start with;
// "" when there is none to rely on.
std::string LiteralPrefix(const std::string& re);

class Coverage {
 public:
  static Result<Coverage> Load(const std::string& path);

  // The subject the items are matched against.
  static std::string Subject(std::string_view command, std::string_view reply);

  void Record(std::string_view command, std::string_view reply);

  const std::vector<CoverageItem>& items() const { return items_; }
  int covered() const;
  // A report: one line per uncovered item, then counts. With all=true every
  // item is listed with its hit count and first example.
  std::string Report(bool all) const;

 private:
  std::vector<CoverageItem> items_;
};

}  // namespace cairn::diff
