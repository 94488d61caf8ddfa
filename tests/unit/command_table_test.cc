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

}  // namespace
}  // namespace cairn
