// Differential scripts: the parsed form of a tests/diff/scripts/*.txt file
// (the format is described in tests/diff/README.md).
//
// A script is a list of steps; a step sends bytes to both servers and says
// how many replies to read and how to compare them. Parsing does all the
// work that can fail (quoting, directives, regexps), so playing a script
// cannot meet a syntax error half-way.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/util/status.h"
#include "tests/diff/pattern.h"

namespace cairn::diff {

// How two replies to the same step are compared.
enum class CompareMode {
  kExact,   // identical bytes
  kSorted,  // identical after sorting every aggregate's elements (maps by pair)
  kShape,   // same types, null-ness and element counts, recursively
  kMatch,   // both match a regexp and have the same type
  kApprox,  // integers may differ by up to `tolerance`; else identical bytes
};

enum class StepKind {
  kCommand,  // payload is a multibulk command; read `replies` replies
  kRaw,      // payload is sent verbatim; read `replies` replies
  kClose,    // send payload, read until the server closes
  kSend,     // send payload, read nothing
  kSleep,    // pause sleep_ms
};

struct Step {
  int line = 0;
  std::string text;     // the line as written
  std::string command;  // the line without its directives, for coverage
  StepKind kind = StepKind::kCommand;
  std::string payload;
  int replies = 1;
  CompareMode mode = CompareMode::kExact;
  int64_t tolerance = 0;
  std::string pattern_text;
  std::shared_ptr<const boost::regex> pattern;
  int sleep_ms = 0;
  int only_proto = 0;  // 0: every run; 2 or 3: only that protocol's run

  // Reply comparisons this step makes in one run.
  int Cases() const;
};

struct Script {
  std::string name;  // file name, e.g. "strings_get_set.txt"
  std::string path;  // full path, for reports
  std::vector<int> protos = {2, 3};
  std::vector<std::string> server_args;
  bool dedicated = false;  // needs its own pair of servers
  std::string password;    // for the harness's own FLUSHALL connection
  std::vector<Step> steps;

  // Reply comparisons in one run of the given protocol (0: any run).
  int Cases(int proto = 0) const;
};

// One word of a script line; `quoted` tells "!sort" the argument from
// !sort the directive.
struct Token {
  std::string text;
  bool quoted = false;
  size_t begin = 0;  // offset of the word in the line
};

// Splits a line as redis-cli splits its input (see README.md).
Result<std::vector<Token>> SplitLine(std::string_view line);

// Parses one script. Errors name the file and line.
Result<Script> ParseScript(const std::string& name, std::string_view text);

// Parses every *.txt file of dir, sorted by name.
Result<std::vector<Script>> LoadScripts(const std::string& dir);

}  // namespace cairn::diff
