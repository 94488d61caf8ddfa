// The regular expressions of the diff scripts (!match) and of the coverage
// list: Boost.Regex in its ECMAScript (Perl) syntax. Boost's matcher keeps
// its backtracking state on the heap, so a pattern such as "[\s\S]*" over a
// reply of many kilobytes cannot exhaust the stack (std::regex recurses per
// character and overflows under ASan). no_mod_s keeps ECMAScript's rule that
// "." stops at line breaks.
#pragma once

#include <boost/regex.hpp>

namespace cairn::diff {

inline constexpr boost::regex::flag_type kPatternSyntax =
    boost::regex::ECMAScript | boost::regex::no_mod_s;

}  // namespace cairn::diff
