// Number conversions against redis-server 7.0: which strings are integers
// (string2ll), which are long doubles for INCRBYFLOAT (string2ld) or doubles
// for scores (string2d), and how results print. Expected texts were taken
// from a real redis-server 7.0.15 (SET k a; INCRBYFLOAT k b; ZADD/ZSCORE).
#include "engine/util/strconv.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>

namespace cairn {
namespace {

using namespace std::string_view_literals;

TEST(ParseInt64, AcceptsCanonicalIntegers) {
  EXPECT_EQ(ParseInt64("0"), 0);
  EXPECT_EQ(ParseInt64("7"), 7);
  EXPECT_EQ(ParseInt64("-7"), -7);
  EXPECT_EQ(ParseInt64("1234567890"), 1234567890);
  EXPECT_EQ(ParseInt64("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(ParseInt64("-9223372036854775808"), INT64_MIN);
}

TEST(ParseInt64, RefusesWhatString2llRefuses) {
  for (std::string_view s : {""sv,
                             "-"sv,
                             "+1"sv,
                             " 1"sv,
                             "1 "sv,
                             "01"sv,
                             "00"sv,
                             "-0"sv,
                             "-01"sv,
                             "1.0"sv,
                             "1e3"sv,
                             "0x10"sv,
                             "9223372036854775808"sv,
                             "-9223372036854775809"sv,
                             "18446744073709551616"sv,
                             "99999999999999999999"sv,
                             "123456789012345678901"sv,
                             "1\0"sv,
                             "\0"sv,
                             "1-"sv,
                             "--1"sv,
                             "abc"sv}) {
    EXPECT_FALSE(ParseInt64(s).has_value()) << "'" << s << "'";
  }
}

TEST(ParseInt64, RoundTripsWithFormatInt64) {
  const int64_t values[] = {0,
                            1,
                            -1,
                            9,
                            10,
                            -10,
                            INT64_MAX,
                            INT64_MIN,
                            INT64_MAX - 1,
                            INT64_MIN + 1,
                            1000000007,
                            -999999999999};
  for (int64_t v : values) {
    char buf[kInt64Chars];
    size_t n = FormatInt64(v, buf);
    std::string_view text(buf, n);
    EXPECT_EQ(text, std::to_string(v));
    EXPECT_EQ(ParseInt64(text), v);
    EXPECT_EQ(DecimalDigits(v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v)),
              static_cast<int>(text.size()) - (v < 0 ? 1 : 0));
  }
}

TEST(ParseUint64, Bounds) {
  EXPECT_EQ(ParseUint64("0"), 0u);
  EXPECT_EQ(ParseUint64("18446744073709551615"), UINT64_MAX);
  EXPECT_FALSE(ParseUint64("18446744073709551616").has_value());
  EXPECT_FALSE(ParseUint64("-1").has_value());
  EXPECT_FALSE(ParseUint64("01").has_value());
  EXPECT_FALSE(ParseUint64("").has_value());
  EXPECT_FALSE(ParseUint64("+1").has_value());
}

TEST(DecimalDigits, PowersOfTen) {
  EXPECT_EQ(DecimalDigits(0), 1);
  EXPECT_EQ(DecimalDigits(9), 1);
  EXPECT_EQ(DecimalDigits(10), 2);
  EXPECT_EQ(DecimalDigits(99), 2);
  EXPECT_EQ(DecimalDigits(100), 3);
  EXPECT_EQ(DecimalDigits(UINT64_MAX), 20);
}

// INCRBYFLOAT: parse both operands as long doubles, add, print human-style.
std::string IncrByFloat(std::string_view current, std::string_view incr) {
  auto a = ParseLongDouble(current);
  auto b = ParseLongDouble(incr);
  if (!a || !b) return "ERR value is not a valid float";
  long double sum = *a + *b;
  if (std::isnan(sum) || std::isinf(sum)) return "ERR increment would produce NaN or Infinity";
  std::string buf(kLongDoubleChars, '\0');
  size_t n = FormatLongDouble(sum, buf.data());
  buf.resize(n);
  return buf;
}

TEST(LongDouble, IncrByFloatMatchesRedis) {
  struct Case {
    std::string_view current, incr, want;
  };
  const Case cases[] = {
      {"10.5", "0.1", "10.6"},
      {"5.0e3", "2.0e2", "5200"},
      {"0", "0.1", "0.1"},
      {"0.1", "0.2", "0.3"},
      {"3", "-3", "0"},
      {"-0", "0", "0"},
      {"1.5", "-2", "-0.5"},
      {"-1.1", "1.1", "0"},
      {"17179869184", "1.5", "17179869185.5"},
      {"9223372036854775807", "1", "9223372036854775808"},
      {"3.0", "0", "3"},
      {"1.23456789012345678", "0", "1.23456789012345678"},
      {"100", "1e2", "200"},
      {"2.5", "2.5", "5"},
      {"123.456", "-0.456", "123"},
      {"1e20", "0", "100000000000000000000"},
      {"1e21", "1", "1000000000000000000000"},
      {"0.0000001", "0", "0.0000001"},
      {"1e-5", "0", "0.00001"},
      {"1", "1e-20", "1"},
      {"0", "-1e-20", "0"},                   // "-0.00000000000000000" trims to "-0", printed "0"
      {"3", "1e-17", "3.00000000000000001"},  // 80-bit precision shows
      {"3.00000000000000001", "0.00000000000000001", "3.00000000000000002"},
      {"1", "1e-4950", "1"},     // a denormal is a valid operand
      {"0", "0x1p-16445", "0"},  // the smallest denormal, hex float syntax
      {"0x10", "1", "17"},
      {"+5", "1", "6"},
      {".5", "1", "1.5"},
      {"5.", "1", "6"},
      {"1e308", "9e308",
       "99999999999999999998634942458125645476630776324990604869972293366440736374211643163542716"
       "66004182454093987023823041527499719573284024231723411264840323703757727469747886572146256"
       "93651444984012739133113268869496442311034817571120406763557498021655642425941543468850939"
       "783228659030453659621446207643423114002432"},
      {"1e400", "0",
       "10000000000000000000281880683947586514586453433629052038625910693539685534008629862039363"
       "99484832416052209405392731761620029582277725925573402382897659334066101779744743454617391"
       "78624481166749717237789438243915933380474706750262466844013592375136038303437354855052449"
       "55964979021825038280091068414947402456898653040951017512658092615827588920183472511643316"
       "591362664138176309734806343732497430221946880"},
      {"1e4932", "1e4932", "ERR increment would produce NaN or Infinity"},
      {"inf", "1", "ERR increment would produce NaN or Infinity"},
      {"1", " 1", "ERR value is not a valid float"},
      {"1", "1 ", "ERR value is not a valid float"},
      {"7", "nan", "ERR value is not a valid float"},
      {"1", "1\0abc"sv, "ERR value is not a valid float"},
      {"1", "1e-4951", "ERR value is not a valid float"},  // underflows to zero
      {"1", "1e5000", "ERR value is not a valid float"},
      {"1", "-1e5000", "ERR value is not a valid float"},
      {"1", "", "ERR value is not a valid float"},
      {"1", "1.5e", "ERR value is not a valid float"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(IncrByFloat(c.current, c.incr), c.want) << c.current << " + " << c.incr;
  }
}

TEST(LongDouble, LargestFiniteValuePrintsInFull) {
  // 1.1e4932 prints as 4933 digits (no fraction left after trimming).
  std::string got = IncrByFloat("1.1e4932", "0");
  EXPECT_EQ(got.size(), 4933u);
  EXPECT_EQ(got.substr(0, 40), "1099999999999999999974373107528241817659");
  EXPECT_EQ(got.substr(got.size() - 20), "78522323242088136704");
  EXPECT_EQ(got.find_first_not_of("0123456789"), std::string::npos);
}

TEST(LongDouble, FormatSpecialValues) {
  char buf[kLongDoubleChars];
  EXPECT_EQ(
      std::string_view(buf, FormatLongDouble(std::numeric_limits<long double>::infinity(), buf)),
      "inf");
  EXPECT_EQ(
      std::string_view(buf, FormatLongDouble(-std::numeric_limits<long double>::infinity(), buf)),
      "-inf");
  EXPECT_EQ(std::string_view(buf, FormatLongDouble(-0.0L, buf)), "0");
  EXPECT_EQ(std::string_view(buf, FormatLongDouble(-2.5L, buf)), "-2.5");
  EXPECT_EQ(std::string_view(buf, FormatLongDouble(100.0L, buf)), "100");
}

TEST(ParseDouble, MatchesZaddScores) {
  // Accepted by ZADD on redis-server 7.0, with ZSCORE's "%.17g" text.
  struct Case {
    std::string_view in, printed;
  };
  const Case ok[] = {
      {"inf", "inf"},
      {"-inf", "-inf"},
      {"4.9e-324", "4.9406564584124654e-324"},
      {"2e-308", "1.9999999999999998e-308"},
      {"0x10", "16"},
      {"1.5", "1.5"},
      {"0.1", "0.10000000000000001"},
      {"1e16", "10000000000000000"},
      {"123456789012345678", "1.2345678901234568e+17"},
      {"+1", "1"},
      {".5", "0.5"},
      {"-0", "-0"},  // ZSCORE shows 0: the sorted set's doing, not the parser's
  };
  for (const Case& c : ok) {
    auto v = ParseDouble(c.in);
    ASSERT_TRUE(v.has_value()) << c.in;
    char buf[32];
    EXPECT_EQ(std::string_view(buf, FormatDouble(*v, buf)), c.printed) << c.in;
  }
  for (std::string_view s :
       {"1\0"sv, " 1"sv, "nan"sv, "1e400"sv, "1e-400"sv, ""sv, "1e"sv, "1 "sv, "abc"sv}) {
    EXPECT_FALSE(ParseDouble(s).has_value()) << "'" << s << "'";
  }
}

TEST(FormatDouble, SpecialValues) {
  char buf[32];
  EXPECT_EQ(std::string_view(buf, FormatDouble(std::nan(""), buf)), "nan");
  EXPECT_EQ(std::string_view(buf, FormatDouble(3.0, buf)), "3");
  EXPECT_EQ(std::string_view(buf, FormatDouble(-1e300, buf)), "-1.0000000000000001e+300");
  EXPECT_EQ(std::string_view(buf, FormatDouble(std::numeric_limits<double>::max(), buf)),
            "1.7976931348623157e+308");
}

}  // namespace
}  // namespace cairn
