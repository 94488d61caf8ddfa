#include "engine/util/glob.h"

#include <cctype>

namespace cairn {
namespace {

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// Byte i of the pattern, or '\0' past its end (Redis reads the NUL terminator
// of its string there, and some of its decisions depend on it).
char At(std::string_view p, size_t i) { return i < p.size() ? p[i] : '\0'; }

// Stars nested deeper than this fail to match: Debian 12's redis-server
// 7.0.15 (with its pattern-abuse security fix) refuses them the same way,
// and the bound keeps a hostile pattern from exhausting the stack.
constexpr int kMaxNesting = 1000;

bool Match(std::string_view p, std::string_view s, bool nocase, bool& give_up, int nesting) {
  if (nesting > kMaxNesting) return false;
  size_t pi = 0;
  size_t si = 0;
  while (pi < p.size() && si < s.size()) {
    switch (p[pi]) {
      case '*': {
        while (pi + 1 < p.size() && p[pi + 1] == '*') ++pi;
        if (pi + 1 == p.size()) return true;
        for (; si < s.size(); ++si) {
          if (Match(p.substr(pi + 1), s.substr(si), nocase, give_up, nesting + 1)) {
            return true;
          }
          if (give_up) return false;
        }
        give_up = true;
        return false;
      }
      case '?':
        ++si;
        break;
      case '[': {
        ++pi;
        bool negate = At(p, pi) == '^';
        if (negate) ++pi;
        bool matched = false;
        char c = s[si];
        while (true) {
          if (At(p, pi) == '\\' && p.size() - pi >= 2) {
            ++pi;
            if (p[pi] == c) matched = true;
          } else if (At(p, pi) == ']') {
            break;
          } else if (pi >= p.size()) {
            --pi;  // unclosed set: step back so the outer advance ends the pattern
            break;
          } else if (p.size() - pi >= 3 && p[pi + 1] == '-') {
            char lo = p[pi];
            char hi = p[pi + 2];
            char cc = c;
            if (lo > hi) std::swap(lo, hi);
            if (nocase) {
              lo = Lower(lo);
              hi = Lower(hi);
              cc = Lower(cc);
            }
            pi += 2;
            if (cc >= lo && cc <= hi) matched = true;
          } else if (nocase ? Lower(p[pi]) == Lower(c) : p[pi] == c) {
            matched = true;
          }
          ++pi;
        }
        if (negate) matched = !matched;
        if (!matched) return false;
        ++si;
        break;
      }
      case '\\':
        if (p.size() - pi >= 2) ++pi;
        [[fallthrough]];
      default:
        if (nocase ? Lower(p[pi]) != Lower(s[si]) : p[pi] != s[si]) return false;
        ++si;
        break;
    }
    ++pi;
    if (si == s.size()) {
      while (At(p, pi) == '*') ++pi;
      break;
    }
  }
  return pi >= p.size() && si == s.size();
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view text, bool nocase) {
  bool give_up = false;
  return Match(pattern, text, nocase, give_up, 0);
}

}  // namespace cairn
