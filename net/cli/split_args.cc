#include "net/cli/split_args.h"

namespace cairn::cli {

namespace {

bool IsBlank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

SplitLine SplitArgs(std::string_view line) {
  SplitLine out;
  size_t i = 0;
  const size_t n = line.size();
  auto fail = [&out] {
    out.ok = false;
    out.args.clear();
    return out;
  };
  while (true) {
    while (i < n && IsBlank(line[i])) i++;
    if (i >= n) return out;
    std::string cur;
    bool in_double = false;
    bool in_single = false;
    bool done = false;
    while (!done) {
      if (in_double) {
        if (i >= n) return fail();
        char c = line[i];
        if (c == '\\' && i + 3 < n + 0 && line[i + 1] == 'x' && HexValue(line[i + 2]) >= 0 &&
            HexValue(line[i + 3]) >= 0) {
          cur.push_back(static_cast<char>(HexValue(line[i + 2]) * 16 + HexValue(line[i + 3])));
          i += 3;
        } else if (c == '\\' && i + 1 < n) {
          char e = line[++i];
          switch (e) {
            case 'n':
              cur.push_back('\n');
              break;
            case 'r':
              cur.push_back('\r');
              break;
            case 't':
              cur.push_back('\t');
              break;
            case 'b':
              cur.push_back('\b');
              break;
            case 'a':
              cur.push_back('\a');
              break;
            default:
              cur.push_back(e);
              break;
          }
        } else if (c == '"') {
          // A closing quote must end the argument.
          if (i + 1 < n && !IsBlank(line[i + 1])) return fail();
          done = true;
        } else {
          cur.push_back(c);
        }
      } else if (in_single) {
        if (i >= n) return fail();
        char c = line[i];
        if (c == '\\' && i + 1 < n && line[i + 1] == '\'') {
          cur.push_back('\'');
          i++;
        } else if (c == '\'') {
          if (i + 1 < n && !IsBlank(line[i + 1])) return fail();
          done = true;
        } else {
          cur.push_back(c);
        }
      } else {
        if (i >= n) break;
        char c = line[i];
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\0') {
          done = true;
        } else if (c == '"') {
          in_double = true;
        } else if (c == '\'') {
          in_single = true;
        } else {
          cur.push_back(c);
        }
      }
      if (i < n) i++;
    }
    out.args.push_back(std::move(cur));
  }
}

}  // namespace cairn::cli
