// PeekSecondArgs (request_peek.h): the look-ahead that names a pipeline's
// keys for prefetching. The property suite checks it against the parser on
// random streams; these are the cases worth reading.
#include "engine/resp/request_peek.h"

#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace cairn::testing {
namespace {

std::vector<std::string> Peek(std::string_view buf, size_t max = 16) {
  std::vector<std::string_view> out(max);
  out.resize(PeekSecondArgs(buf, out.data(), max));
  return {out.begin(), out.end()};
}

using V = std::vector<std::string>;

TEST(RequestPeek, NamesTheSecondArgumentOfEachCompleteRequest) {
  const std::string get = "*2\r\n$3\r\nGET\r\n$3\r\nfoo\r\n";
  const std::string set = "*3\r\n$3\r\nSET\r\n$3\r\nbar\r\n$1\r\nx\r\n";
  EXPECT_EQ(Peek(get + set + get), (V{"foo", "bar", "foo"}));
  EXPECT_EQ(Peek(get + set + get, 2), (V{"foo", "bar"}));
  EXPECT_EQ(Peek("*2\r\n$3\r\nGET\r\n$0\r\n\r\n"), (V{""}));
}

TEST(RequestPeek, StopsAtWhatItDoesNotRecognise) {
  const std::string get = "*2\r\n$3\r\nGET\r\n$3\r\nfoo\r\n";
  EXPECT_EQ(Peek(get + "GET inline\r\n" + get), (V{"foo"}));         // an inline request
  EXPECT_EQ(Peek(get + "*1\r\n$4\r\nPING\r\n" + get), (V{"foo"}));   // one element
  EXPECT_EQ(Peek(get + get.substr(0, get.size() - 1)), (V{"foo"}));  // incomplete
  EXPECT_EQ(Peek(get + "*-1\r\n" + get), (V{"foo"}));
  EXPECT_EQ(Peek("*02\r\n$3\r\nGET\r\n$3\r\nfoo\r\n"), V{});  // leading zero
  EXPECT_EQ(Peek("*2\r\n$03\r\nGET\r\n$3\r\nfoo\r\n"), V{});
  EXPECT_EQ(Peek("*2\r$3\r\nGET\r\n$3\r\nfoo\r\n"), V{});  // header without "\r\n"
  EXPECT_EQ(Peek("*2\r\n$99999999999999999999\r\nGET\r\n"), V{});
  EXPECT_EQ(Peek("*2\r\n$18446744073709551615\r\n"), V{});
  EXPECT_EQ(Peek(""), V{});
}

}  // namespace
}  // namespace cairn::testing
