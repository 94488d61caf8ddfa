#include <string>

#include <gtest/gtest.h>

#include "engine/command/command.h"

namespace cairn {
namespace {

TEST(CommandTable, EverySpecHasAHandler) {
  auto table = CommandTable::Build();
  ASSERT_TRUE(table.ok()) << table.status().message();
  EXPECT_TRUE(table.value()->unbound().empty())
      << "first spec without a handler: " << table.value()->unbound().front();
}

TEST(CommandTable, LookupIgnoresCase) {
  auto table = CommandTable::Build();
  ASSERT_TRUE(table.ok());
  EXPECT_NE(table.value()->Find("GeT"), nullptr);
  EXPECT_EQ(table.value()->Find("nosuchcommand"), nullptr);
}

// Find remembers the last name it found; renaming or removing a command must
// not leave that memory answering for the old name.
TEST(CommandTable, RememberedNameFollowsRenamesAndRemovals) {
  auto built = CommandTable::Build();
  ASSERT_TRUE(built.ok());
  CommandTable& table = *built.value();
  Command* get = table.Find("get");
  ASSERT_NE(get, nullptr);
  EXPECT_EQ(table.Find("get"), get);
  EXPECT_EQ(table.Find("GET"), get);
  EXPECT_EQ(table.Find("gEt"), get);
  EXPECT_EQ(table.Find("gets"), nullptr);
  EXPECT_EQ(table.Find("ge"), nullptr);
  EXPECT_EQ(table.Find("get"), get);

  ASSERT_TRUE(table.Rename("get", "fetch").ok());
  EXPECT_EQ(table.Find("get"), nullptr);
  EXPECT_EQ(table.Find("FETCH"), get);
  EXPECT_EQ(table.Find("fetch"), get);

  ASSERT_NE(table.Find("set"), nullptr);
  ASSERT_TRUE(table.Rename("set", "").ok());
  EXPECT_EQ(table.Find("set"), nullptr);
  EXPECT_EQ(table.Find("SET"), nullptr);

  EXPECT_EQ(table.Find("bgrewriteaof"), table.Find("BGREWRITEAOF"));
  EXPECT_NE(table.Find("bgrewriteaof"), nullptr);
  EXPECT_EQ(table.Find("bgrewriteaofbgrewriteaof"), nullptr);
  EXPECT_EQ(table.Find(std::string(CommandTable::kMaxNameLen + 1, 'a')), nullptr);
}

TEST(CommandTable, WritesAndPingAreTheCommandsRefusedWithWrites) {
  auto built = CommandTable::Build();
  ASSERT_TRUE(built.ok());
  CommandTable& table = *built.value();
  EXPECT_TRUE(table.Find("set")->refused_with_writes);
  EXPECT_TRUE(table.Find("del")->refused_with_writes);
  EXPECT_TRUE(table.Find("ping")->refused_with_writes);
  EXPECT_FALSE(table.Find("get")->refused_with_writes);
  EXPECT_FALSE(table.Find("echo")->refused_with_writes);
  for (const auto& cmd : table.commands()) {
    EXPECT_EQ(cmd->refused_with_writes, cmd->has(kCmdWrite) || cmd->fullname == "ping")
        << cmd->fullname;
    for (const auto& sub : cmd->subcommands) {
      EXPECT_EQ(sub->refused_with_writes, sub->has(kCmdWrite)) << sub->fullname;
    }
  }
}

}  // namespace
}  // namespace cairn
