// CheckInvariants: passes on every state commands leave behind (including
// mid-rehash and after expiry), and catches each kind of damage it promises
// to catch.
#include "engine/keyspace/invariants.h"

#include <string>

#include <gtest/gtest.h>

#include "tests/support/engine_harness.h"

namespace cairn::testing {
namespace {

TEST(Invariants, HoldAcrossCommands) {
  EngineHarness h;
  for (int i = 0; i < 3000; ++i) {
    std::string k = "k" + std::to_string(i % 700);
    switch (i % 7) {
      case 0:
        h.Run({"SET", k, std::string(i % 50, 'x')});
        break;
      case 1:
        h.Run({"SET", k, "v", "PX", "50"});
        break;
      case 2:
        h.Run({"APPEND", k, "tail"});
        break;
      case 3:
        h.Run({"DEL", k});
        break;
      case 4:
        h.Run({"INCR", "n" + std::to_string(i % 30)});
        break;
      case 5:
        h.Run({"PERSIST", k});
        break;
      case 6:
        h.Run({"SETRANGE", k, "100", "z"});
        break;
    }
    if (i % 97 == 0) {
      h.AdvanceMs(20);
      h.engine().Tick();
    }
    ASSERT_TRUE(CheckInvariants(h.engine().keyspace()).ok())
        << "after step " << i << ": " << CheckInvariants(h.engine().keyspace()).message();
  }
  h.Run({"SWAPDB", "0", "3"});
  h.Run({"FLUSHDB"});
  EXPECT_TRUE(CheckInvariants(h.engine().keyspace()).ok());
}

TEST(Invariants, CatchWrongByteCount) {
  EngineHarness h;
  h.Run({"SET", "a", "1"});
  h.engine().keyspace().db(0).AdjustBytes(8);
  Status s = CheckInvariants(h.engine().keyspace());
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("db0: keyspace: bytes()"), std::string::npos) << s.message();
}

TEST(Invariants, CatchAnExpiringEntryMissingFromTheExpiryTable) {
  EngineHarness h;
  h.Run({"SET", "a", "1", "EX", "100"});
  Database& db = h.engine().keyspace().db(0);
  Entry* e = db.expires().Remove("a");  // damage: unlink it from the expiry table only
  ASSERT_NE(e, nullptr);
  Status s = CheckInvariants(h.engine().keyspace());
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("have a deadline"), std::string::npos) << s.message();
  db.expires().Insert(e);  // repair so the database frees it cleanly
  EXPECT_TRUE(CheckInvariants(h.engine().keyspace()).ok());
}

}  // namespace
}  // namespace cairn::testing
