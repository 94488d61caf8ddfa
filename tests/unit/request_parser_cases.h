// The request parser's case table: raw client bytes and what redis-server
// 7.0 makes of them, as a sequence of events.
//
// Every case here was played against a real redis-server 7.0.15 (raw bytes
// in, raw bytes out; the "unauth" cases after CONFIG SET requirepass, the
// max_bulk cases after CONFIG SET proto-max-bulk-len): an error event is the
// exact line Redis sent before closing, an incomplete tail is one Redis
// answered nothing to and kept the connection open for, and the arguments
// of request events were compared through MONITOR and through the replies
// of the same requests re-encoded as multibulk.
//
// Event notation (see FormatArgs in request_parser_test.cc):
//   "GET" "k"     a request; each argument quoted, bytes outside printable
//                 ASCII escaped (\r \n \t \v \f \a \b \xHH, \" and \\)
//   empty         a request without arguments (blank line, "*0", "*-1")
//   -ERR ...      the protocol error Redis replies before closing
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace cairn::testing {

using namespace std::string_view_literals;

struct ParserCase {
  std::string_view name;
  std::string_view input;
  std::vector<std::string_view> want;  // events in order
  size_t rest = 0;                     // bytes left unparsed at the end (ignored after an error)
  bool unauth = false;                 // the client has not authenticated (requirepass set)
  int64_t max_bulk = 0;                // proto-max-bulk-len; 0 keeps the default (512 MiB)
};

inline const std::vector<ParserCase>& ParserCases() {
  static const std::vector<ParserCase> cases = {
      // Multibulk basics.
      {"get", "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", {R"("GET" "k")"}},
      {"empty bulk", "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n", {R"("ECHO" "")"}},
      {"binary bulk", "*2\r\n$4\r\nECHO\r\n$5\r\na\r\0\nb\r\n"sv, {R"("ECHO" "a\r\x00\nb")"}},
      {"zero count", "*0\r\n", {"empty"}},
      {"negative count", "*-5\r\n", {"empty"}},
      {"int64 min count", "*-9223372036854775808\r\n", {"empty"}},
      {"count below int64",
       "*-9223372036854775809\r\n",
       {"-ERR Protocol error: invalid multibulk length"}},
      {"count minus one", "*-1\r\n*1\r\n$4\r\nPING\r\n", {"empty", R"("PING")"}},
      {"trailer not checked", "*1\r\n$4\r\npingXY", {R"("ping")"}},
      {"lf after cr not checked", "*1\rX$4\rYpingZZ", {R"("ping")"}},
      {"pipeline", "*1\r\n$4\r\nPING\r\nECHO x\r\n*0\r\n", {R"("PING")", R"("ECHO" "x")", "empty"}},
      {"incomplete count", "*1", {}, 2},
      {"cr last", "*1\r", {}, 3},
      {"incomplete header", "*1\r\n$4", {}, 6},
      {"header cr last", "*1\r\n$4\r", {}, 7},
      {"incomplete data", "*1\r\n$4\r\nPIN", {}, 11},
      {"incomplete trailer", "*1\r\n$4\r\nPING\r", {}, 13},
      {"second argument missing", "*2\r\n$4\r\nECHO\r\n", {}, 14},
      {"huge count waits", "*2147483647\r\n", {}, 13},
      {"max bulk waits", "*1\r\n$536870912\r\n", {}, 16},
      {"count limit", "*2147483648\r\n", {"-ERR Protocol error: invalid multibulk length"}},
      {"count int64 overflow",
       "*9223372036854775808\r\n",
       {"-ERR Protocol error: invalid multibulk length"}},
      {"count plus", "*+1\r\n", {"-ERR Protocol error: invalid multibulk length"}},
      {"count leading zero", "*01\r\n", {"-ERR Protocol error: invalid multibulk length"}},
      {"count minus zero", "*-0\r\n", {"-ERR Protocol error: invalid multibulk length"}},
      {"count empty", "*\r\n", {"-ERR Protocol error: invalid multibulk length"}},
      {"count space", "* 1\r\n", {"-ERR Protocol error: invalid multibulk length"}},
      {"count trailing space", "*1 \r\n", {"-ERR Protocol error: invalid multibulk length"}},
      {"count lf only", "*1\n$4\r\nPING\r\n", {"-ERR Protocol error: invalid multibulk length"}},
      {"bulk negative", "*1\r\n$-1\r\n", {"-ERR Protocol error: invalid bulk length"}},
      {"bulk minus zero", "*1\r\n$-0\r\n", {"-ERR Protocol error: invalid bulk length"}},
      {"bulk plus", "*1\r\n$+4\r\nPING\r\n", {"-ERR Protocol error: invalid bulk length"}},
      {"bulk leading zero", "*1\r\n$04\r\nPING\r\n", {"-ERR Protocol error: invalid bulk length"}},
      {"bulk empty length", "*1\r\n$\r\n", {"-ERR Protocol error: invalid bulk length"}},
      {"bulk too long", "*1\r\n$536870913\r\n", {"-ERR Protocol error: invalid bulk length"}},
      {"bulk int64 overflow",
       "*1\r\n$9223372036854775808\r\n",
       {"-ERR Protocol error: invalid bulk length"}},
      {"bulk lf only", "*1\r\n$4\nPING\r\n", {"-ERR Protocol error: invalid bulk length"}},
      {"bulk bad int", "*1\r\n$1x\r\n", {"-ERR Protocol error: invalid bulk length"}},
      {"bulk custom max",
       "*1\r\n$1048577\r\n",
       {"-ERR Protocol error: invalid bulk length"},
       0,
       false,
       1048576},
      {"bulk custom max waits", "*1\r\n$1048576\r\n", {}, 14, false, 1048576},
      {"expected dollar", "*1\r\nx\r\n", {"-ERR Protocol error: expected '$', got 'x'"}},
      {"expected dollar waits for cr", "*1\r\nxyz", {}, 7},
      {"expected dollar cr", "*1\r\n\r\n", {"-ERR Protocol error: expected '$', got ' '"}},
      {"expected dollar lf", "*1\r\n\n\r\n", {"-ERR Protocol error: expected '$', got ' '"}},
      {"expected dollar high byte",
       "*1\r\n\xff\r\n",
       {"-ERR Protocol error: expected '$', got '\xff'"}},
      {"expected dollar tab", "*1\r\n\t\r\n", {"-ERR Protocol error: expected '$', got '\t'"}},
      {"next command too early",
       "*2\r\n$4\r\nPING\r\n*1\r\n",
       {"-ERR Protocol error: expected '$', got '*'"}},
      {"error after good",
       "PING\r\n*1\r\nx\r\n",
       {R"("PING")", "-ERR Protocol error: expected '$', got 'x'"}},
      // Limits for clients that have not authenticated.
      {"unauth count",
       "*11\r\n",
       {"-ERR Protocol error: unauthenticated multibulk length"},
       0,
       true},
      {"unauth count ok", "*10\r\n", {}, 5, true},
      {"unauth negative count", "*-100\r\n", {"empty"}, 0, true},
      {"unauth count invalid first",
       "*2147483648\r\n",
       {"-ERR Protocol error: invalid multibulk length"},
       0,
       true},
      {"unauth bulk",
       "*1\r\n$16385\r\n",
       {"-ERR Protocol error: unauthenticated bulk length"},
       0,
       true},
      {"unauth bulk ok", "*1\r\n$16384\r\n", {}, 12, true},
      {"unauth bulk invalid first",
       "*1\r\n$536870913\r\n",
       {"-ERR Protocol error: invalid bulk length"},
       0,
       true},
      {"unauth inline unlimited",
       "a b c d e f g h i j k l\r\n",
       {R"("a" "b" "c" "d" "e" "f" "g" "h" "i" "j" "k" "l")"},
       0,
       true},
      // A NUL byte stops Redis's C-string line search: it waits.
      {"nul in inline waits", "PI\0NG\r\n"sv, {}, 7},
      {"nul first waits", "\0PING\r\n"sv, {}, 7},
      {"nul in count waits", "*1\0\r\n$4\r\nping\r\n"sv, {}, 15},
      {"nul in header waits", "*1\r\n$4\0\r\nping\r\n"sv, {}, 15},
      {"nul in second header waits", "*2\r\n$4\r\nECHO\r\n$1\0\r\nx\r\n"sv, {}, 22},
      {"nul after inline line", "PING\r\n\0"sv, {R"("PING")"}, 1},
      {"nul in bulk data is data",
       "*2\r\n$4\r\nECHO\r\n$3\r\n\0\0\0\r\n"sv,
       {R"("ECHO" "\x00\x00\x00")"}},
      // Inline requests.
      {"inline crlf", "PING\r\n", {R"("PING")"}},
      {"inline lf", "PING\n", {R"("PING")"}},
      {"inline double cr", "PING\r\r\n", {R"("PING")"}},
      {"inline cr only waits", "PING\r", {}, 5},
      {"inline blank lines", "\r\n\n   \r\nPING\n", {"empty", "empty", "empty", R"("PING")"}},
      {"inline blank cr lines", "\r\r\n\t\n", {"empty", "empty"}},
      {"inline incomplete", "PING", {}, 4},
      {"inline args", "set  k\tv \r\n", {R"("set" "k" "v")"}},
      {"inline vt inside arg", "echo a\vb\r\n", {R"("echo" "a\vb")"}},
      {"inline ff inside arg", "echo a\fb\r\n", {R"("echo" "a\fb")"}},
      {"inline vt ff leading", "\v\fPING\r\n", {R"("PING")"}},
      {"inline vt ff between args", "echo\v\fx\r\n", {R"("echo\v\fx")"}},
      {"inline cr splits", "del a\rb\r\n", {R"("del" "a" "b")"}},
      {"inline high bytes", "echo \xff\x80\r\n", {R"("echo" "\xff\x80")"}},
      {"inline dq escapes",
       "del \"a\\x41\\n\\r\\t\\b\\a\\\\\\\"\\q\" x\r\n",
       {R"("del" "aA\n\r\t\b\a\\\"q" "x")"}},
      {"inline dq hex cases", "echo \"\\x4a\\x4A\\xff\\x00\"\r\n", {R"("echo" "JJ\xff\x00")"}},
      {"inline dq bad hex", "echo \"a\\xZZ\"\r\n", {R"("echo" "axZZ")"}},
      {"inline dq short hex", "echo \"\\x4\"\r\n", {R"("echo" "x4")"}},
      {"inline dq v f escapes are letters", "echo \"\\v\\f\\0\"\r\n", {R"("echo" "vf0")"}},
      {"inline dq keeps spaces", "echo \"a b\tc\"\r\n", {R"("echo" "a b\tc")"}},
      {"inline dq single quote inside", "echo \"it's\"\r\n", {R"("echo" "it's")"}},
      {"inline sq", "del 'a\\'b' 'c\\nd'\r\n", {R"("del" "a'b" "c\\nd")"}},
      {"inline sq keeps backslashes", "echo 'a\\\\b\\x41'\r\n", {R"("echo" "a\\\\b\\x41")"}},
      {"inline sq double quote inside", "echo 'say \"hi\"'\r\n", {R"("echo" "say \"hi\"")"}},
      {"inline quote mid arg", "echo a\"b c\"\r\n", {R"("echo" "ab c")"}},
      {"inline sq mid arg", "echo a'b c'\r\n", {R"("echo" "ab c")"}},
      {"inline empty quotes", "del \"\" '' x\r\n", {R"("del" "" "" "x")"}},
      {"inline quote then vt", "del \"x\"\vy\r\n", {R"("del" "x" "y")"}},
      {"inline quote then ff", "del 'x'\fy\r\n", {R"("del" "x" "y")"}},
      {"inline quote then tab", "del \"a\"\tb\r\n", {R"("del" "a" "b")"}},
      {"inline quote then cr", "del \"a\"\rb\r\n", {R"("del" "a" "b")"}},
      {"inline quote at end", "echo \"a\"\r\n", {R"("echo" "a")"}},
      {"inline closing quote glued",
       "echo \"a\"b\r\n",
       {"-ERR Protocol error: unbalanced quotes in request"}},
      {"inline sq glued", "echo 'a'b\r\n", {"-ERR Protocol error: unbalanced quotes in request"}},
      {"inline quotes glued",
       "echo \"a\"\"b\"\r\n",
       {"-ERR Protocol error: unbalanced quotes in request"}},
      {"inline unterminated",
       "echo \"abc\r\n",
       {"-ERR Protocol error: unbalanced quotes in request"}},
      {"inline unterminated sq",
       "echo 'abc\r\n",
       {"-ERR Protocol error: unbalanced quotes in request"}},
      {"inline trailing backslash",
       "echo \"a\\\r\n",
       {"-ERR Protocol error: unbalanced quotes in request"}},
      {"inline quote mid arg glued",
       "echo a\"b c\"d\r\n",
       {"-ERR Protocol error: unbalanced quotes in request"}},
      {"inline unbalanced after good",
       "PING\r\necho \"x\r\nPING\r\n",
       {R"("PING")", "-ERR Protocol error: unbalanced quotes in request"}},
      {"inline dollar", "$4\r\nping\r\n", {R"("$4")", R"("ping")"}},
      {"inline star later", "ECHO *1\r\n", {R"("ECHO" "*1")"}},
  };
  return cases;
}

}  // namespace cairn::testing
