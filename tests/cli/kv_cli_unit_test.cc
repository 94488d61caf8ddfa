// kv-cli's pure parts: argument splitting, reply formatting, options and
// URIs, which lines the history keeps, COMMAND DOCS syntax and completion.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/resp/reply_reader.h"
#include "net/cli/command_docs.h"
#include "net/cli/history.h"
#include "net/cli/options.h"
#include "net/cli/reply_format.h"
#include "net/cli/split_args.h"

namespace cairn::cli {
namespace {

using Args = std::vector<std::string>;

TEST(CliSplitArgs, RedisCliQuotingRules) {
  EXPECT_EQ(SplitArgs("SET k v").args, (Args{"SET", "k", "v"}));
  EXPECT_EQ(SplitArgs("  GET   k  ").args, (Args{"GET", "k"}));
  EXPECT_EQ(SplitArgs("SET \"a b\" 'c d'").args, (Args{"SET", "a b", "c d"}));
  EXPECT_EQ(SplitArgs("ECHO \"\\x41\\n\\t\\\\\\\"\"").args, (Args{"ECHO", "A\n\t\\\""}));
  EXPECT_EQ(SplitArgs("ECHO \"\\q\"").args, (Args{"ECHO", "q"}));
  EXPECT_EQ(SplitArgs("ECHO 'it\\'s'").args, (Args{"ECHO", "it's"}));
  EXPECT_EQ(SplitArgs("ECHO 'a\\nb'").args, (Args{"ECHO", "a\\nb"}));
  EXPECT_EQ(SplitArgs("ECHO a\"b c\"").args, (Args{"ECHO", "ab c"}));
  EXPECT_EQ(SplitArgs("ECHO \"\"").args, (Args{"ECHO", ""}));
  EXPECT_TRUE(SplitArgs("   ").ok);
  EXPECT_TRUE(SplitArgs("   ").args.empty());
  EXPECT_FALSE(SplitArgs("SET k \"v").ok);
  EXPECT_FALSE(SplitArgs("SET k 'v").ok);
  EXPECT_FALSE(SplitArgs("SET k \"v\"x").ok);
  EXPECT_FALSE(SplitArgs("SET k 'v'x").ok);
  EXPECT_FALSE(SplitArgs("SET k \"v\\").ok);
}

Reply Decode(const std::string& bytes) {
  auto r = DecodeReply(bytes);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? r.value() : Reply{};
}

TEST(CliFormat, TerminalShapes) {
  EXPECT_EQ(FormatReply(Decode(":5\r\n"), OutputMode::kTty), "(integer) 5\n");
  EXPECT_EQ(FormatReply(Decode("$-1\r\n"), OutputMode::kTty), "(nil)\n");
  EXPECT_EQ(FormatReply(Decode("$3\r\na\"\x01\r\n"), OutputMode::kTty), "\"a\\\"\\x01\"\n");
  EXPECT_EQ(FormatReply(Decode("-ERR x\r\n"), OutputMode::kTty), "(error) ERR x\n");
  EXPECT_EQ(FormatReply(Decode("*0\r\n"), OutputMode::kTty), "(empty array)\n");
  EXPECT_EQ(FormatReply(Decode("~0\r\n"), OutputMode::kTty), "(empty set)\n");
  EXPECT_EQ(FormatReply(Decode("%0\r\n"), OutputMode::kTty), "(empty hash)\n");
  EXPECT_EQ(FormatReply(Decode(",1.5\r\n"), OutputMode::kTty), "(double) 1.5\n");
  EXPECT_EQ(FormatReply(Decode("#t\r\n"), OutputMode::kTty), "(true)\n");
  EXPECT_EQ(FormatReply(Decode("*2\r\n*2\r\n:1\r\n:2\r\n+x\r\n"), OutputMode::kTty),
            "1) 1) (integer) 1\n   2) (integer) 2\n2) x\n");
  EXPECT_EQ(FormatReply(Decode("%1\r\n+k\r\n*2\r\n:1\r\n:2\r\n"), OutputMode::kTty),
            "1# k => \n   1) (integer) 1\n   2) (integer) 2\n");
  EXPECT_EQ(FormatReply(Decode("~1\r\n+m\r\n"), OutputMode::kTty), "1~ m\n");
}

TEST(CliFormat, RawCsvJson) {
  Reply r = Decode("*3\r\n$1\r\na\r\n$-1\r\n:7\r\n");
  EXPECT_EQ(FormatReply(r, OutputMode::kRaw), "a\n\n7\n");
  EXPECT_EQ(FormatReply(r, OutputMode::kRaw, false, ",", ";"), "a,,7;");
  EXPECT_EQ(FormatReply(r, OutputMode::kCsv), "\"a\",NULL,7\n");
  EXPECT_EQ(FormatReply(r, OutputMode::kJson), "[\"a\",null,7]\n");
  Reply m = Decode("%1\r\n$2\r\nk\n\r\n$2\r\n\\\x01\r\n");
  EXPECT_EQ(FormatReply(m, OutputMode::kJson), "{\"k\\n\":\"\\\\\\u0001\"}\n");
  EXPECT_EQ(FormatReply(m, OutputMode::kQuotedJson), "{\"k\\\\n\":\"\\\\\\\\\\\\x01\"}\n");
  EXPECT_EQ(FormatReply(Decode("-ERR e\r\n"), OutputMode::kCsv), "ERROR,\"ERR e\"\n");
  // Reports print raw, nothing added, in every mode.
  EXPECT_EQ(FormatReply(Decode("$4\r\na\r\nb\r\n"), OutputMode::kTty, true), "a\r\nb");
  EXPECT_TRUE(IsReportCommand("INFO", ""));
  EXPECT_TRUE(IsReportCommand("client", "LIST"));
  EXPECT_FALSE(IsReportCommand("client", "id"));
}

TEST(CliOptions, RedisCliCommandLine) {
  auto o = ParseOptions({"-h", "example", "-p", "7000", "-n", "3", "--raw", "GET", "-x"}, nullptr);
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->host, "example");
  EXPECT_EQ(o->port, 7000);
  EXPECT_EQ(o->db, 3);
  EXPECT_EQ(o->mode, OutputMode::kRaw);
  EXPECT_EQ(o->command, (Args{"GET", "-x"}));  // options end at the command
  EXPECT_FALSE(o->stdin_last_arg);

  auto json = ParseOptions({"--json", "PING"}, nullptr);
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(json->protocol, 3);
  auto json2 = ParseOptions({"-2", "--json", "PING"}, nullptr);
  EXPECT_EQ(json2->protocol, 2);

  auto env = ParseOptions({"PING"}, "fromenv");
  EXPECT_EQ(env->password, "fromenv");
  EXPECT_FALSE(env->password_on_command_line);

  auto bad = ParseOptions({"--nope"}, nullptr);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "Unrecognized option or bad number of args for: '--nope'");
  EXPECT_FALSE(ParseOptions({"-p"}, nullptr).ok());
  EXPECT_TRUE(ParseOptions({"-h"}, nullptr)->help);

  auto uri = ParseOptions({"-u", "redis://alice:pw@10.0.0.1:7001/4"}, nullptr);
  ASSERT_TRUE(uri.ok());
  EXPECT_EQ(uri->user, "alice");
  EXPECT_EQ(uri->password, "pw");
  EXPECT_EQ(uri->host, "10.0.0.1");
  EXPECT_EQ(uri->port, 7001);
  EXPECT_EQ(uri->db, 4);
  EXPECT_TRUE(uri->password_on_command_line);
  EXPECT_FALSE(ParseOptions({"-u", "http://x"}, nullptr).ok());

  auto hist = ParseOptions({"--latency-history"}, nullptr);
  EXPECT_EQ(hist->interval, 15);
}

TEST(CliHistory, PasswordsNeverKept) {
  EXPECT_TRUE(IsSensitiveCommand({"auth", "pw"}));
  EXPECT_TRUE(IsSensitiveCommand({"AUTH", "user", "pw"}));
  EXPECT_TRUE(IsSensitiveCommand({"HELLO", "3", "AUTH", "u", "p"}));
  EXPECT_TRUE(IsSensitiveCommand({"acl", "setuser", "bob", ">pw"}));
  EXPECT_TRUE(IsSensitiveCommand({"CONFIG", "SET", "requirepass", "x"}));
  EXPECT_TRUE(IsSensitiveCommand({"config", "set", "maxmemory", "1", "masterauth", "x"}));
  EXPECT_FALSE(IsSensitiveCommand({"CONFIG", "SET", "maxmemory", "1"}));
  EXPECT_FALSE(IsSensitiveCommand({"HELLO", "3"}));
  EXPECT_FALSE(IsSensitiveCommand({"GET", "auth"}));
}

// A COMMAND DOCS reply (RESP2 shape) for SET and CONFIG GET.
const char kDocs[] =
    "*4\r\n"
    "$3\r\nset\r\n"
    "*8\r\n$7\r\nsummary\r\n$9\r\nSet a key\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n"
    "$5\r\ngroup\r\n$6\r\nstring\r\n$9\r\narguments\r\n"
    "*3\r\n"
    "*4\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n"
    "*4\r\n$4\r\nname\r\n$5\r\nvalue\r\n$4\r\ntype\r\n$6\r\nstring\r\n"
    "*8\r\n$4\r\nname\r\n$9\r\ncondition\r\n$4\r\ntype\r\n$5\r\noneof\r\n"
    "$5\r\nflags\r\n*1\r\n+optional\r\n$9\r\narguments\r\n"
    "*2\r\n"
    "*6\r\n$4\r\nname\r\n$2\r\nnx\r\n$4\r\ntype\r\n$10\r\npure-token\r\n$5\r\ntoken\r\n$2\r\nNX\r\n"
    "*6\r\n$4\r\nname\r\n$2\r\nxx\r\n$4\r\ntype\r\n$10\r\npure-token\r\n$5\r\ntoken\r\n$2\r\nXX\r\n"
    "$6\r\nconfig\r\n"
    "*4\r\n$5\r\ngroup\r\n$6\r\nserver\r\n$11\r\nsubcommands\r\n"
    "*2\r\n$10\r\nconfig|get\r\n"
    "*4\r\n$7\r\nsummary\r\n$3\r\nGet\r\n$5\r\ngroup\r\n$6\r\nserver\r\n";

TEST(CliCommandDocs, SyntaxCompletionHelp) {
  CommandDocs docs;
  docs.LoadFromReply(Decode(kDocs));
  ASSERT_FALSE(docs.empty());
  EXPECT_EQ(docs.Complete({}, "se"), (Args{"set"}));
  EXPECT_EQ(docs.Complete({}, "CO"), (Args{"CONFIG"}));
  EXPECT_EQ(docs.Complete({"config"}, "g"), (Args{"get"}));
  EXPECT_EQ(docs.Complete({"help"}, "@s"), (Args{"@server", "@string"}));
  EXPECT_TRUE(docs.Complete({"get", "k"}, "x").empty());
  std::string help = docs.Help({"set"});
  EXPECT_NE(help.find("  SET key value [NX|XX]\n  summary: Set a key\n  since: 1.0.0\n"),
            std::string::npos)
      << help;
  EXPECT_NE(docs.Help({"config", "get"}).find("CONFIG GET"), std::string::npos);
  EXPECT_NE(docs.Help({"@server"}).find("CONFIG GET"), std::string::npos);
  CommandDocs none;
  EXPECT_TRUE(none.Complete({}, "g").empty());
  EXPECT_NE(none.Help({"get"}).find("COMMAND DOCS"), std::string::npos);
}

}  // namespace
}  // namespace cairn::cli
