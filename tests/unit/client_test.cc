// CLIENT subcommands against Redis 7.0's replies, and the fields of a CLIENT
// LIST line.
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/engine_harness.h"

namespace cairn::testing {
namespace {

// The text of a bulk (RESP2) reply.
std::string BulkText(const std::string& reply) {
  size_t eol = reply.find("\r\n");
  EXPECT_EQ(reply[0], '$') << reply;
  size_t n = std::stoul(reply.substr(1, eol - 1));
  EXPECT_EQ(reply.size(), eol + 2 + n + 2) << reply;
  return reply.substr(eol + 2, n);
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    EXPECT_NE(nl, std::string::npos) << "every line ends with a newline";
    out.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

// field=value pairs of a CLIENT LIST line, in order.
std::vector<std::pair<std::string, std::string>> Fields(const std::string& line) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t start = 0;
  while (start <= line.size()) {
    size_t sp = line.find(' ', start);
    if (sp == std::string::npos) sp = line.size();
    std::string item = line.substr(start, sp - start);
    size_t eq = item.find('=');
    EXPECT_NE(eq, std::string::npos) << item;
    out.emplace_back(item.substr(0, eq), item.substr(eq + 1));
    start = sp + 1;
  }
  return out;
}

std::map<std::string, std::string> FieldMap(const std::string& line) {
  std::map<std::string, std::string> m;
  for (auto& [k, v] : Fields(line)) m[k] = v;
  return m;
}

TEST(Client, IdIsTheSessionId) {
  EngineHarness h;
  Session* other = h.NewSession();
  EXPECT_EQ(h.Run({"CLIENT", "ID"}), ":" + std::to_string(h.session()->id) + "\r\n");
  EXPECT_EQ(h.Run(other, {"client", "id"}), ":" + std::to_string(other->id) + "\r\n");
  EXPECT_NE(h.session()->id, other->id);
  EXPECT_EQ(h.Run({"CLIENT", "ID", "extra"}),
            "-ERR wrong number of arguments for 'client|id' command\r\n");
}

TEST(Client, SetNameValidatesAndGetNameReadsBack) {
  EngineHarness h;
  const std::string invalid =
      "-ERR Client names cannot contain spaces, newlines or special characters.\r\n";
  EXPECT_EQ(h.Run({"CLIENT", "GETNAME"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"CLIENT", "SETNAME", "myname"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"CLIENT", "GETNAME"}), "$6\r\nmyname\r\n");
  for (std::string_view bad :
       {std::string_view("my name"), std::string_view("a\nb"), std::string_view("\x01"),
        std::string_view("\xc3\xa9"), std::string_view("a\0b", 3), std::string_view("\x7f")}) {
    EXPECT_EQ(h.Run({"CLIENT", "SETNAME", bad}), invalid);
  }
  EXPECT_EQ(h.Run({"CLIENT", "GETNAME"}), "$6\r\nmyname\r\n");
  EXPECT_EQ(h.Run({"CLIENT", "SETNAME", "~ok!"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"CLIENT", "SETNAME", ""}), "+OK\r\n");
  EXPECT_EQ(h.Run({"CLIENT", "GETNAME"}), "$-1\r\n");
  h.Run({"HELLO", "3"});
  EXPECT_EQ(h.Run({"CLIENT", "GETNAME"}), "_\r\n");
}

TEST(Client, NoEvictTakesOnOrOff) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"CLIENT", "NO-EVICT", "on"}), "+OK\r\n");
  EXPECT_TRUE(h.session()->no_evict);
  EXPECT_EQ(h.Run({"CLIENT", "NO-EVICT", "OFF"}), "+OK\r\n");
  EXPECT_FALSE(h.session()->no_evict);
  EXPECT_EQ(h.Run({"CLIENT", "NO-EVICT", "bad"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"CLIENT", "NO-EVICT", "on", "off"}),
            "-ERR wrong number of arguments for 'client|no-evict' command\r\n");
}

TEST(ClientReply, OffSilencesUntilOn) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"CLIENT", "REPLY", "OFF"}), "");
  EXPECT_EQ(h.Run({"SET", "r", "1"}), "");
  EXPECT_EQ(h.Run({"CLIENT", "REPLY", "BAD"}), "");   // errors are silenced too
  EXPECT_EQ(h.Run({"CLIENT", "REPLY", "SKIP"}), "");  // no effect while off
  EXPECT_EQ(h.Run({"CLIENT", "REPLY", "ON"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"GET", "r"}), "$1\r\n1\r\n");
  EXPECT_EQ(h.Run({"CLIENT", "REPLY", "on"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"CLIENT", "REPLY", "BAD"}), "-ERR syntax error\r\n");
}

TEST(ClientReply, SkipDropsExactlyTheNextReply) {
  EngineHarness h;
  EXPECT_EQ(h.Send("*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$4\r\nSKIP\r\n"
                   "*3\r\n$3\r\nSET\r\n$1\r\nr\r\n$1\r\n2\r\n"
                   "*2\r\n$3\r\nGET\r\n$1\r\nr\r\n"),
            "$1\r\n2\r\n");
  // SKIP twice in a row: the second is itself skipped and skips the next.
  h.Run({"CLIENT", "REPLY", "SKIP"});
  EXPECT_EQ(h.Run({"CLIENT", "REPLY", "SKIP"}), "");
  EXPECT_EQ(h.Run({"PING", "x"}), "");
  EXPECT_EQ(h.Run({"PING", "y"}), "$1\r\ny\r\n");
  // ON answers even when it is the command being skipped.
  h.Run({"CLIENT", "REPLY", "SKIP"});
  EXPECT_EQ(h.Run({"CLIENT", "REPLY", "ON"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"PING"}), "+PONG\r\n");
}

TEST(ClientList, LineHasEveryRedisFieldInOrder) {
  EngineHarness h;
  h.Run({"CLIENT", "SETNAME", "named"});
  h.session()->db = 3;
  h.AdvanceMs(2500);
  std::string text = BulkText(h.Run({"CLIENT", "LIST"}));
  auto lines = Lines(text);
  ASSERT_EQ(lines.size(), 1u);
  std::vector<std::string> names;
  for (auto& [k, v] : Fields(lines[0])) names.push_back(k);
  const std::vector<std::string> expected = {
      "id",        "addr",     "laddr",     "fd",   "name", "age",   "idle",
      "flags",     "db",       "sub",       "psub", "ssub", "multi", "qbuf",
      "qbuf-free", "argv-mem", "multi-mem", "rbs",  "rbp",  "obl",   "oll",
      "omem",      "tot-mem",  "events",    "cmd",  "user", "redir", "resp"};
  EXPECT_EQ(names, expected);
  auto f = FieldMap(lines[0]);
  EXPECT_EQ(f["id"], std::to_string(h.session()->id));
  EXPECT_EQ(f["addr"], "127.0.0.1:50000");
  EXPECT_EQ(f["laddr"], "127.0.0.1:6379");
  EXPECT_EQ(f["fd"], std::to_string(h.session()->info.fd));
  EXPECT_EQ(f["name"], "named");
  EXPECT_EQ(f["age"], "2");
  EXPECT_EQ(f["idle"], "0");
  EXPECT_EQ(f["flags"], "N");
  EXPECT_EQ(f["db"], "3");
  EXPECT_EQ(f["multi"], "-1");
  // The request being executed is still in the query buffer, as in Redis.
  EXPECT_EQ(f["qbuf"], "26");
  EXPECT_EQ(f["argv-mem"], "10");
  EXPECT_EQ(f["cmd"], "client|list");
  EXPECT_EQ(f["user"], "default");
  EXPECT_EQ(f["redir"], "-1");
  EXPECT_EQ(f["resp"], "2");
  EXPECT_EQ(f["events"], "r");
}

TEST(ClientList, ShowsOtherSessionsInIdOrderWithTheirState) {
  EngineHarness h;
  Session* b = h.NewSession("10.0.0.2:4000");
  Session* c = h.NewSession("10.0.0.3:5000");
  h.Run(b, {"GET", "k"});
  h.Run(c, {"MONITOR"});
  h.Run(b, {"CLIENT", "NO-EVICT", "on"});
  h.Run(b, {"HELLO", "3"});
  h.AdvanceMs(3000);
  std::string text = BulkText(h.Run({"CLIENT", "LIST"}));
  auto lines = Lines(text);
  ASSERT_EQ(lines.size(), 3u);
  auto fa = FieldMap(lines[0]);
  auto fb = FieldMap(lines[1]);
  auto fc = FieldMap(lines[2]);
  EXPECT_EQ(fa["id"], std::to_string(h.session()->id));
  EXPECT_EQ(fb["id"], std::to_string(b->id));
  EXPECT_EQ(fc["id"], std::to_string(c->id));
  EXPECT_EQ(fb["addr"], "10.0.0.2:4000");
  EXPECT_EQ(fb["flags"], "e");
  EXPECT_EQ(fb["cmd"], "hello");
  EXPECT_EQ(fb["resp"], "3");
  EXPECT_EQ(fb["idle"], "3");
  EXPECT_EQ(fb["qbuf"], "0");
  EXPECT_EQ(fb["argv-mem"], "0");  // not executing
  EXPECT_EQ(fc["flags"], "O");
  EXPECT_EQ(fc["cmd"], "monitor");
  // Monitors are normal clients for TYPE filters, as in Redis.
  EXPECT_EQ(Lines(BulkText(h.Run({"CLIENT", "LIST", "TYPE", "normal"}))).size(), 3u);
  EXPECT_EQ(h.Run({"CLIENT", "LIST", "TYPE", "replica"}), "$0\r\n\r\n");
  EXPECT_EQ(h.Run({"CLIENT", "LIST", "TYPE", "MASTER"}), "$0\r\n\r\n");
  EXPECT_EQ(h.Run({"CLIENT", "LIST", "TYPE", "pubsub"}), "$0\r\n\r\n");
}

TEST(ClientList, PendingOutputIsCountedInRedisTerms) {
  EngineHarness h;
  Session* b = h.NewSession();
  // 40 KiB of output the world has not written yet.
  std::string value(40 * 1024, 'v');
  h.Run({"SET", "big", value});
  h.engine().Feed(b, EncodeCommand({"GET", "big"}));
  auto lines = Lines(BulkText(h.Run({"CLIENT", "LIST", "ID", std::to_string(b->id)})));
  ASSERT_EQ(lines.size(), 1u);
  auto f = FieldMap(lines[0]);
  uint64_t pending = value.size() + std::string("$40960\r\n\r\n").size();
  EXPECT_EQ(f["obl"], "16384");
  EXPECT_EQ(f["omem"], std::to_string(pending - 16384));
  EXPECT_EQ(f["oll"], "2");
  EXPECT_EQ(f["events"], "rw");
  EXPECT_GE(std::stoull(f["rbp"]), pending);
  EXPECT_GE(std::stoull(f["tot-mem"]), pending);
}

TEST(ClientList, IdFilterFollowsTheGivenOrder) {
  EngineHarness h;
  Session* b = h.NewSession();
  std::string a_id = std::to_string(h.session()->id);
  std::string b_id = std::to_string(b->id);
  auto lines = Lines(BulkText(h.Run({"CLIENT", "LIST", "ID", b_id, "999", a_id, b_id})));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(FieldMap(lines[0])["id"], b_id);
  EXPECT_EQ(FieldMap(lines[1])["id"], a_id);
  EXPECT_EQ(FieldMap(lines[2])["id"], b_id);
  EXPECT_EQ(h.Run({"CLIENT", "LIST", "ID", "-5"}), "$0\r\n\r\n");
  EXPECT_EQ(h.Run({"CLIENT", "LIST", "ID", "1", "abc"}), "-ERR Invalid client ID\r\n");
  EXPECT_EQ(h.Run({"CLIENT", "LIST", "ID"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"CLIENT", "LIST", "TYPE", "bad"}), "-ERR Unknown client type 'bad'\r\n");
  EXPECT_EQ(h.Run({"CLIENT", "LIST", "TYPE", "normal", "ID", "1"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"CLIENT", "LIST", "foo"}), "-ERR syntax error\r\n");
}

TEST(ClientInfo, IsTheCallersLineInVerbatimForm) {
  EngineHarness h;
  h.NewSession();
  std::string text = BulkText(h.Run({"CLIENT", "INFO"}));
  auto lines = Lines(text);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(FieldMap(lines[0])["id"], std::to_string(h.session()->id));
  EXPECT_EQ(FieldMap(lines[0])["cmd"], "client|info");
  h.Run({"HELLO", "3"});
  std::string resp3 = h.Run({"CLIENT", "INFO"});
  EXPECT_EQ(resp3.rfind("=", 0), 0u);
  EXPECT_NE(resp3.find("\r\ntxt:id="), std::string::npos);
  EXPECT_EQ(h.Run({"CLIENT", "INFO", "extra"}),
            "-ERR wrong number of arguments for 'client|info' command\r\n");
}

TEST(ClientKill, OldFormKillsByAddress) {
  EngineHarness h;
  Session* b = h.NewSession("10.0.0.2:4000");
  EXPECT_EQ(h.Run({"CLIENT", "KILL", "1.2.3.4:5"}), "-ERR No such client\r\n");
  EXPECT_EQ(h.Run({"CLIENT", "KILL", "10.0.0.2:4000"}), "+OK\r\n");
  EXPECT_TRUE(b->close_asap);
  EXPECT_TRUE(h.engine().ShouldClose(b));
  // Already going: not found again.
  EXPECT_EQ(h.Run({"CLIENT", "KILL", "10.0.0.2:4000"}), "-ERR No such client\r\n");
  // The old form may kill the caller, after its reply.
  EXPECT_EQ(h.Run({"CLIENT", "KILL", "127.0.0.1:50000"}), "+OK\r\n");
  EXPECT_TRUE(h.session()->close_after_reply);
}

TEST(ClientKill, FiltersCombineAndSkipTheCallerByDefault) {
  EngineHarness h;
  Session* b = h.NewSession("10.0.0.2:4000");
  Session* c = h.NewSession("10.0.0.3:5000");
  EXPECT_EQ(h.Run({"CLIENT", "KILL", "ID", "999999999"}), ":0\r\n");
  EXPECT_EQ(h.Run({"CLIENT", "KILL", "ADDR", "10.0.0.2:4000", "ID", std::to_string(c->id)}),
            ":0\r\n");
  EXPECT_EQ(h.Run({"CLIENT", "KILL", "LADDR", "1.2.3.4:5"}), ":0\r\n");
  EXPECT_EQ(h.Run({"CLIENT", "KILL", "TYPE", "master"}), ":0\r\n");
  EXPECT_EQ(h.Run({"CLIENT", "KILL", "ID", std::to_string(b->id)}), ":1\r\n");
  EXPECT_TRUE(b->close_asap);
  EXPECT_FALSE(c->close_asap);
  // USER default matches everyone but the caller (SKIPME yes by default).
  EXPECT_EQ(h.Run({"CLIENT", "KILL", "USER", "default"}), ":1\r\n");
  EXPECT_TRUE(c->close_asap);
  EXPECT_FALSE(h.session()->closing());
  EXPECT_EQ(h.Run({"CLIENT", "KILL", "LADDR", "127.0.0.1:6379", "SKIPME", "no"}), ":1\r\n");
  EXPECT_TRUE(h.session()->close_after_reply);
}

TEST(ClientKill, ErrorTexts) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"CLIENT", "KILL", "nonsense"}), "-ERR No such client\r\n");
  EXPECT_EQ(h.Run({"CLIENT", "KILL", "ID"}), "-ERR No such client\r\n");
  EXPECT_EQ(h.Run({"CLIENT", "KILL", "ID", "abc"}), "-ERR client-id should be greater than 0\r\n");
  EXPECT_EQ(h.Run({"CLIENT", "KILL", "ID", "0"}), "-ERR client-id should be greater than 0\r\n");
  EXPECT_EQ(h.Run({"CLIENT", "KILL", "TYPE", "bad"}), "-ERR Unknown client type 'bad'\r\n");
  EXPECT_EQ(h.Run({"CLIENT", "KILL", "USER", "nosuchuser"}), "-ERR No such user 'nosuchuser'\r\n");
  EXPECT_EQ(h.Run({"CLIENT", "KILL", "SKIPME", "maybe"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"CLIENT", "KILL", "FOO", "bar"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"CLIENT", "KILL", "ID", "1", "SKIPME"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"CLIENT", "KILL"}),
            "-ERR wrong number of arguments for 'client|kill' command\r\n");
  EXPECT_FALSE(h.session()->closing());
}

TEST(ClientHelp, HasRedisShape) {
  EngineHarness h;
  std::string reply = h.Run({"CLIENT", "HELP"});
  EXPECT_EQ(
      reply.rfind("*33\r\n+CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n", 0),
      0u);
  EXPECT_NE(reply.find("\r\n+KILL <option> <value> [<option> <value> [...]]\r\n"),
            std::string::npos);
  EXPECT_TRUE(reply.ends_with("+HELP\r\n+    Print this help.\r\n"));
  EXPECT_EQ(h.Run({"CLIENT", "HELP", "x"}),
            "-ERR wrong number of arguments for 'client|help' command\r\n");
}

}  // namespace
}  // namespace cairn::testing
