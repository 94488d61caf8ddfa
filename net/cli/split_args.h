// SplitArgs: a typed command line split into arguments the way redis-cli
// splits what its user types (the rules of Redis's own argument splitter).
//
// Rules: blanks separate arguments; "double quotes" allow escapes (\n \r \t
// \b \a \\ \" and \xHH, any other escaped byte stands for itself); 'single
// quotes' allow only \' ; a quote may start in the middle of an argument
// (a"b c" is one argument, `ab c`), but a closing quote must be followed by
// a blank or the end of the line. A line whose quotes do not balance gives
// no arguments and ok == false; a line of blanks gives none with ok == true.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cairn::cli {

struct SplitLine {
  bool ok = true;
  std::vector<std::string> args;
};

SplitLine SplitArgs(std::string_view line);

// redis-cli's message for a line SplitArgs refuses.
inline constexpr const char* kUnbalancedQuotesMessage = "Invalid argument(s)";

}  // namespace cairn::cli
