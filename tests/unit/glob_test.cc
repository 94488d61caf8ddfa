// GlobMatch against redis-server 7.0.15: a battery of patterns over a set of
// keys whose KEYS results were taken from a real server (special bytes,
// unclosed sets, escapes, reversed ranges, high bytes, NUL), the nocase rules
// CONFIG GET uses (checked there), the star nesting limit and the bound on
// backtracking.
#include "engine/util/glob.h"

#include <chrono>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace cairn {
namespace {

using namespace std::string_view_literals;

struct GlobCase {
  std::string_view pattern;
  std::string_view matches;  // '1' per key of kKeys that KEYS pattern returned
};

// The lone "*" is absent: KEYS answers it without the matcher (see
// EmptyPatternAndText); "**" goes through it.

// clang-format off
const std::string_view kKeys[] = {
    ""sv,
    "a"sv,
    "b"sv,
    "ab"sv,
    "abc"sv,
    "abd"sv,
    "aXc"sv,
    "hello"sv,
    "hallo"sv,
    "hxllo"sv,
    "hllo"sv,
    "heeeello"sv,
    "h*llo"sv,
    "h?llo"sv,
    "h[a]llo"sv,
    "a\\b"sv,
    "a]b"sv,
    "a-b"sv,
    "^"sv,
    "!"sv,
    "["sv,
    "]"sv,
    "-"sv,
    "*"sv,
    "?"sv,
    "\\"sv,
    "A"sv,
    "ABC"sv,
    "Abc"sv,
    "x\xff""y"sv,
    "foo:bar"sv,
    "foo:baz:1"sv,
    "user:1000"sv,
    "caf\xc3""\xa9"""sv,
    "a\nb"sv,
    "aaa"sv,
    "aaaa"sv,
    "ba"sv,
    "abcabc"sv,
    "a\x00""b"sv,
    "a[b"sv,
    "ac"sv,
    "hbllo"sv,
    "[a]"sv,
    "aa"sv,
};
const GlobCase kCases[] = {
    {"**"sv, "011111111111111111111111111111111111111111111"},
    {"?"sv, "011000000000000000111111111000000000000000000"},
    {"??"sv, "000100000000000000000000000000000000010001001"},
    {"a*"sv, "010111100000000111000000000000000011101111001"},
    {"*c"sv, "000010100000000000000000000010000000001001000"},
    {"a?c"sv, "000010100000000000000000000000000000000000000"},
    {"h?llo"sv, "000000011100110000000000000000000000000000100"},
    {"h*llo"sv, "000000011111111000000000000000000000000000100"},
    {"h[ae]llo"sv, "000000011000000000000000000000000000000000000"},
    {"h[^e]llo"sv, "000000001100110000000000000000000000000000100"},
    {"h[a-b]llo"sv, "000000001000000000000000000000000000000000100"},
    {"h[b-a]llo"sv, "000000001000000000000000000000000000000000100"},
    {"[a-c]*"sv, "011111100000000111000000000000000111111111001"},
    {"[c-a]"sv, "011000000000000000000000000000000000000000000"},
    {"\\*"sv, "000000000000000000000001000000000000000000000"},
    {"h\\*llo"sv, "000000000000100000000000000000000000000000000"},
    {"\\?"sv, "000000000000000000000000100000000000000000000"},
    {"[\\]]"sv, "000000000000000000000100000000000000000000000"},
    {"a[\\]]b"sv, "000000000000000010000000000000000000000000000"},
    {"a]b"sv, "000000000000000010000000000000000000000000000"},
    {"[]]"sv, "000000000000000000000000000000000000000000000"},
    {"[]"sv, "000000000000000000000000000000000000000000000"},
    {"["sv, "000000000000000000000000000000000000000000000"},
    {"a["sv, "000000000000000000000000000000000000000000000"},
    {"a[b"sv, "000100000000000000000000000000000000000000000"},
    {"a[bc"sv, "000100000000000000000000000000000000000001000"},
    {"[^"sv, "011000000000000000111111111000000000000000000"},
    {"[^a"sv, "001000000000000000111111111000000000000000000"},
    {"a\\"sv, "000000000000000000000000000000000000000000000"},
    {"\\"sv, "000000000000000000000000010000000000000000000"},
    {"a[\\"sv, "000000000000000000000000000000000000000000000"},
    {"[a-]"sv, "010000000000000000100100000000000000000000000"},
    {"[-a]"sv, "010000000000000000000010000000000000000000000"},
    {"a[-]b"sv, "000000000000000001000000000000000000000000000"},
    {"[!a]"sv, "010000000000000000010000000000000000000000000"},
    {"*["sv, "000000000000000000000000000000000000000000000"},
    {"***"sv, "011111111111111111111111111111111111111111111"},
    {"a**c"sv, "000010100000000000000000000000000000001001000"},
    {"*:*"sv, "000000000000000000000000000000111000000000000"},
    {"foo:*"sv, "000000000000000000000000000000110000000000000"},
    {"foo:*:*"sv, "000000000000000000000000000000010000000000000"},
    {"*\xff""*"sv, "000000000000000000000000000001000000000000000"},
    {"[\x80""-\xff""]*"sv, "000000000000000000000000000000000000000000000"},
    {"*[\x80""-\xff""]*"sv, "000000000000000000000000000001000100000000000"},
    {"[a-z][a-z]"sv, "000100000000000000000000000000000000010001001"},
    {"[A-Z]*"sv, "000000000000000000000000001110000000000000000"},
    {"?*?"sv, "000111111111111111000000000111111111111111111"},
    {"*?*?*"sv, "000111111111111111000000000111111111111111111"},
    {"a*a*a*"sv, "000000000000000000000000000000000001100000000"},
    {"[[]"sv, "000000000000000000001000000000000000000000000"},
    {"[*]"sv, "000000000000000000000001000000000000000000000"},
    {"[?]"sv, "000000000000000000000000100000000000000000000"},
    {"h[a-"sv, "000000000000000000000000000000000000000000000"},
    {"h[a-e"sv, "000000000000000000000000000000000000000000000"},
    {"[^]]"sv, "000000000000000000000000000000000000000000000"},
    {"\\["sv, "000000000000000000001000000000000000000000000"},
    {"a\\-b"sv, "000000000000000001000000000000000000000000000"},
    {"[a\\-c]"sv, "010000000000000000000010000000000000000000000"},
    {"a\x00""b"sv, "000000000000000000000000000000000000000100000"},
    {"a?b"sv, "000000000000000111000000000000000010000110000"},
    {"*\n*"sv, "000000000000000000000000000000000010000000000"},
    {"a\\\\b"sv, "000000000000000100000000000000000000000000000"},
    {"[\\\\]"sv, "000000000000000000000000010000000000000000000"},
    {"[^a-z]"sv, "000000000000000000111111111000000000000000000"},
    {"[^a-z]*"sv, "000000000000000000111111111110000000000000010"},
    {"*[^a-z]*"sv, "000000100000111111111111111111111110000110010"},
    {"h[^]llo"sv, "000000011100110000000000000000000000000000100"},
    {"[a-]*"sv, "010000000000000000100101000000000000000000000"},
    {"[]a]"sv, "000000000000000000000000000000000000000000000"},
    {"[^]a]"sv, "000000000000000000000000000000000000000000010"},
    {"a[]b"sv, "000000000000000000000000000000000000000000000"},
    {"ab*"sv, "000111000000000000000000000000000000001000000"},
    {"*b"sv, "001100000000000111000000000000000010000110000"},
    {"*a"sv, "010000000000000000000000000000000001110000001"},
    {"a"sv, "010000000000000000000000000000000000000000000"},
    {""sv, "100000000000000000000000000000000000000000000"},
    {"[ab"sv, "011000000000000000000000000000000000000000000"},
    {"[ab]c"sv, "000000000000000000000000000000000000000001000"},
    {"[ab]*c"sv, "000010100000000000000000000000000000001001000"},
    {"\\a\\b"sv, "000100000000000000000000000000000000000000000"},
    {"**a**"sv, "010111101000001111000000000000110111111111011"},
    {"?[a-c]?"sv, "000011000000000000000000000010000001000000010"},
    {"*c*"sv, "000010100000000000000000000010000100001001000"},
    {"[z-a]*"sv, "011111111111111111000000000001111111111111101"},
    {"h[e-e]llo"sv, "000000010000000000000000000000000000000000000"},
    {"[-]"sv, "000000000000000000000010000000000000000000000"},
    {"[\\-]"sv, "000000000000000000000010000000000000000000000"},
    {"[a-c-e]"sv, "011000000000000000000010000000000000000000000"},
    {"*[a"sv, "010000000000000000000000000000000001110000001"},
    {"?["sv, "000000000000000000000000000000000000000000000"},
    {"[\\"sv, "000000000000000000000000010000000000000000000"},
    {"[\\a"sv, "010000000000000000000000000000000000000000000"},
    {"a[\\b]"sv, "000100000000000000000000000000000000000000000"},
};
// clang-format on

TEST(Glob, MatchesKeysOfRedis) {
  constexpr size_t kKeyCount = sizeof(kKeys) / sizeof(kKeys[0]);
  for (const GlobCase& c : kCases) {
    ASSERT_EQ(c.matches.size(), kKeyCount);
    for (size_t i = 0; i < kKeyCount; ++i) {
      EXPECT_EQ(GlobMatch(c.pattern, kKeys[i]), c.matches[i] == '1')
          << "pattern '" << c.pattern << "' key '" << kKeys[i] << "'";
    }
  }
}

TEST(Glob, NocaseAsConfigGet) {
  // CONFIG GET matches parameter names without case (checked on redis-server).
  EXPECT_TRUE(GlobMatch("MAX[L-N]EMORY", "maxmemory", true));
  EXPECT_TRUE(GlobMatch("[M]axmemory", "maxmemory", true));
  EXPECT_FALSE(GlobMatch("[^M]axmemory", "maxmemory", true));
  EXPECT_TRUE(GlobMatch("[m-m]AXMEMORY", "maxmemory", true));
  EXPECT_TRUE(GlobMatch("[M-M]axmemory", "maxmemory", true));
  EXPECT_TRUE(GlobMatch("MAXMEMORY-POLIC[X-Z]", "maxmemory-policy", true));
  // A byte escaped inside a set compares exactly.
  EXPECT_FALSE(GlobMatch("[\\M]axmemory", "maxmemory", true));
  EXPECT_TRUE(GlobMatch("[\\m]axmemory", "maxmemory", true));
  // Without nocase none of the folding happens.
  EXPECT_FALSE(GlobMatch("MAX[L-N]EMORY", "maxmemory"));
  EXPECT_FALSE(GlobMatch("[M]axmemory", "maxmemory"));
}

TEST(Glob, StarNestingLimit) {
  // "a*" repeated n times then "b", against 1100 'a's and a 'b': each star
  // nests one level deeper. redis-server 7.0.15 matches up to n = 1000.
  const std::string key = std::string(1100, 'a') + "b";
  auto pattern = [](int n, std::string_view unit, std::string_view tail) {
    std::string p;
    for (int i = 0; i < n; ++i) p += unit;
    return p += tail;
  };
  EXPECT_TRUE(GlobMatch(pattern(999, "a*", "b"), key));
  EXPECT_TRUE(GlobMatch(pattern(1000, "a*", "b"), key));
  EXPECT_FALSE(GlobMatch(pattern(1001, "a*", "b"), key));
  EXPECT_TRUE(GlobMatch(pattern(1000, "*a", "*"), key));
  EXPECT_FALSE(GlobMatch(pattern(1001, "*a", "*"), key));
  // Consecutive stars collapse: they do not nest.
  EXPECT_TRUE(GlobMatch(std::string(5000, '*') + "b", key));
  // A hostile pattern neither overflows the stack nor matches.
  EXPECT_FALSE(GlobMatch(pattern(200000, "a*", "b"), key));
}

TEST(Glob, BacktrackingIsBounded) {
  // Without the give-up rule this pattern takes exponential time.
  const std::string text(64, 'a');
  const std::string pattern = "a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b";
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(GlobMatch(pattern, text));
  EXPECT_TRUE(GlobMatch(pattern.substr(0, pattern.size() - 1), text));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

// Redis's matcher never matches an empty text with a star: KEYS and SCAN
// special-case a lone "*" before matching (so KEYS * lists the empty key
// while KEYS ** does not, on redis-server too); that is their business.
TEST(Glob, EmptyPatternAndText) {
  EXPECT_TRUE(GlobMatch("", ""));
  EXPECT_FALSE(GlobMatch("", "a"));
  EXPECT_FALSE(GlobMatch("*", ""));
  EXPECT_FALSE(GlobMatch("**", ""));
  EXPECT_FALSE(GlobMatch("?", ""));
  EXPECT_FALSE(GlobMatch("[a]", ""));
}

}  // namespace
}  // namespace cairn
