// Properties of the append-only file (engine/aof), on the in-memory Env:
//
//  - Replaying the log of any command sequence gives the state executing it
//    gave: a random mix of the string and key commands over a few keys in
//    three databases, with clock moves (relative TTLs must be logged as
//    absolute deadlines), expiry by the active cycle (logged as DEL), and
//    every appendfsync policy; then a restart on the files, and the live
//    keyspaces compared key by key, values and deadlines.
//  - A rewrite walked in steps while such writes race it loads to the state
//    at the end: thousands of keys make the walk take several batches, and
//    the racing writes (APPEND, SETRANGE, RENAME, MOVE, COPY, SWAPDB,
//    FLUSHDB, expiry…) land between its steps.
//  - A manifest built by any sequence of rewrites prints to text that parses
//    back to the same manifest, whatever the file names hold.
// RapidCheck shrinks a failure to a short command list.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "engine/aof/manifest.h"
#include "tests/support/aof_world.h"

namespace cairn::testing {
namespace {

using Command = std::vector<std::string>;

// Keys the commands share, so they collide often.
const std::vector<std::string> kKeys = {"a", "b", "c", "n", "{x}1"};

std::string ToStr(int v) { return std::to_string(v); }

rc::Gen<std::string> GenKey() { return rc::gen::elementOf(kKeys); }
rc::Gen<std::string> GenValue() {
  return rc::gen::oneOf(rc::gen::elementOf(std::vector<std::string>{"v", "10", "-3", "", "1.5"}),
                        rc::gen::container<std::string>(rc::gen::inRange<char>('a', 'f')));
}
rc::Gen<std::string> GenDb() { return rc::gen::map(rc::gen::inRange(0, 3), ToStr); }
rc::Gen<std::string> GenInt(int lo, int hi) {
  return rc::gen::map(rc::gen::inRange(lo, hi), ToStr);
}

// One write or read command. Pseudo-commands the test interprets itself:
// "~ADVANCE ms" moves the clock, "~TICK" runs the engine's cron.
rc::Gen<Command> GenCommand() {
  auto cmd = [](std::vector<rc::Gen<std::string>> parts) {
    return rc::gen::exec([parts] {
      Command c;
      for (const auto& p : parts) c.push_back(*p);
      return c;
    });
  };
  auto lit = [](std::string s) { return rc::gen::just(std::move(s)); };
  return rc::gen::weightedOneOf<Command>({
      {6, cmd({lit("SET"), GenKey(), GenValue()})},
      {2, cmd({lit("SET"), GenKey(), GenValue(), lit("PX"), GenInt(1, 3000)})},
      {1, cmd({lit("SET"), GenKey(), GenValue(), lit("KEEPTTL")})},
      {1, cmd({lit("SET"), GenKey(), GenValue(), lit("NX"), lit("GET")})},
      {1, cmd({lit("SETEX"), GenKey(), GenInt(1, 3), GenValue()})},
      {1, cmd({lit("GETEX"), GenKey(), lit("PX"), GenInt(1, 3000)})},
      {1, cmd({lit("GETEX"), GenKey(), lit("PERSIST")})},
      {1, cmd({lit("GETDEL"), GenKey()})},
      {3, cmd({lit("APPEND"), GenKey(), GenValue()})},
      {2, cmd({lit("SETRANGE"), GenKey(), GenInt(0, 6), GenValue()})},
      {3, cmd({lit("INCR"), GenKey()})},
      {1, cmd({lit("INCRBY"), GenKey(), GenInt(-100, 100)})},
      {1, cmd({lit("INCRBYFLOAT"), GenKey(), lit("0.25")})},
      {1, cmd({lit("SETBIT"), GenKey(), GenInt(0, 40), lit("1")})},
      {1, cmd({lit("BITOP"), lit("XOR"), GenKey(), GenKey(), GenKey()})},
      {1, cmd({lit("BITFIELD"), GenKey(), lit("INCRBY"), lit("u8"), lit("#1"), GenInt(1, 9)})},
      {2, cmd({lit("DEL"), GenKey()})},
      {1, cmd({lit("UNLINK"), GenKey(), GenKey()})},
      {2, cmd({lit("EXPIRE"), GenKey(), GenInt(-1, 3)})},
      {1, cmd({lit("PEXPIRE"), GenKey(), GenInt(1, 3000), lit("GT")})},
      {1, cmd({lit("PEXPIREAT"), GenKey(), GenInt(0, 2)})},  // in the past: a delete
      {1, cmd({lit("PERSIST"), GenKey()})},
      {2, cmd({lit("RENAME"), GenKey(), GenKey()})},
      {1, cmd({lit("RENAMENX"), GenKey(), GenKey()})},
      {1, cmd({lit("COPY"), GenKey(), GenKey(), lit("DB"), GenDb(), lit("REPLACE")})},
      {2, cmd({lit("MOVE"), GenKey(), GenDb()})},
      {1, cmd({lit("SWAPDB"), GenDb(), GenDb()})},
      {2, cmd({lit("SELECT"), GenDb()})},
      {1, cmd({lit("MSET"), GenKey(), GenValue(), GenKey(), GenValue()})},
      {1, cmd({lit("MSETNX"), GenKey(), GenValue()})},
      {1, cmd({lit("FLUSHDB")})},
      {1, cmd({lit("GET"), GenKey()})},
      {3, cmd({lit("~ADVANCE"), GenInt(0, 1500)})},
      {1, cmd({lit("~TICK")})},
  });
}

// Plays c on w's default session; pseudo-commands act on the world.
void Play(AofWorld& w, const Command& c) {
  if (c[0] == "~ADVANCE") {
    w.env().manual_clock().AdvanceMs(std::stoi(c[1]));
  } else if (c[0] == "~TICK") {
    w.engine().Tick();
    w.DeliverSyncs();
  } else {
    std::vector<std::string_view> args(c.begin(), c.end());
    w.Run(args);
  }
}

int64_t NowMs(AofWorld& w) { return w.env().clock().WallUs() / 1000; }

// Runs until no rewrite is in progress and every sync has completed.
void Settle(AofWorld& w) {
  for (int i = 0; i < 200; ++i) {
    w.DeliverSyncs();
    if (!w.engine().durability().log()->rewrite_in_progress() && w.PendingSyncs() == 0) return;
    w.engine().Tick();
  }
  RC_FAIL("the rewrite did not finish");
}

std::string Describe(const KeyspaceSnapshot& s) {
  std::string out;
  for (const auto& [key, v] : s) {
    out += std::to_string(key.first) + ":" + key.second + "=" + v.first + " @" +
           std::to_string(v.second) + "\n";
  }
  return out;
}

RC_GTEST_PROP(AofProps, ReplayingTheLogGivesTheStateExecutionGave, ()) {
  const std::string policy =
      *rc::gen::elementOf(std::vector<std::string>{"always", "everysec", "no"});
  const auto commands = *rc::gen::container<std::vector<Command>>(GenCommand());
  AofWorld w({"--appendfsync", policy});
  RC_ASSERT(w.Start().ok());
  for (const Command& c : commands) Play(w, c);
  Settle(w);
  KeyspaceSnapshot want = LiveSnapshot(w.engine(), NowMs(w));
  RC_ASSERT(w.Restart().ok());
  KeyspaceSnapshot got = LiveSnapshot(w.engine(), NowMs(w));
  RC_ASSERT_FALSE(w.engine().loading());
  if (got != want) RC_FAIL("after restart:\n" + Describe(got) + "expected:\n" + Describe(want));
}

RC_GTEST_PROP(AofProps, ARewriteRacedByWritesLoadsToTheStateAtTheEnd, ()) {
  const std::string policy = *rc::gen::elementOf(std::vector<std::string>{"always", "everysec"});
  AofWorld w({"--appendfsync", policy});
  RC_ASSERT(w.Start().ok());
  // Enough keys, in every database, that the walk takes several steps
  // (engine/aof: at most 5,000 entries per batch; 7,500 here).
  for (int db = 0; db < 3; ++db) {
    Command mset = {"MSET"};
    for (int i = 0; i < 2500; ++i) {
      mset.push_back("bulk" + std::to_string(i));
      mset.push_back(std::to_string(db * 10000 + i));
    }
    Play(w, {"SELECT", std::to_string(db)});
    Play(w, mset);
  }
  const auto before = *rc::gen::container<std::vector<Command>>(GenCommand());
  for (const Command& c : before) Play(w, c);
  RC_ASSERT(w.Run({"BGREWRITEAOF"}).rfind("+Background append only file rewriting", 0) == 0);
  const auto racing = *rc::gen::nonEmpty(rc::gen::container<std::vector<Command>>(GenCommand()));
  bool raced = false;
  for (const Command& c : racing) {
    raced = raced || w.engine().durability().walking();
    Play(w, c);
  }
  RC_TAG(raced ? "writes raced the walk" : "the walk ended first");
  Settle(w);
  KeyspaceSnapshot want = LiveSnapshot(w.engine(), NowMs(w));
  RC_ASSERT(w.Restart().ok());
  KeyspaceSnapshot got = LiveSnapshot(w.engine(), NowMs(w));
  RC_ASSERT(got.size() == want.size());
  RC_ASSERT(got == want);
}

RC_GTEST_PROP(AofProps, ManifestsPrintToTextThatParsesBack, ()) {
  // Names as appendfilename may hold them: spaces, quotes, backslashes.
  const std::string name = *rc::gen::nonEmpty(rc::gen::container<std::string>(
      rc::gen::elementOf(std::vector<char>{'a', 'b', '.', ' ', '"', '\\', '\'', '-', '_', '1'})));
  aof::Manifest m;
  const int steps = *rc::gen::inRange(0, 12);
  for (int i = 0; i < steps; ++i) {
    switch (*rc::gen::inRange(0, 3)) {
      case 0:
        m.StartNewBase(name, *rc::gen::arbitrary<bool>());
        break;
      case 1:
        m.AddNewIncr(name);
        break;
      default:
        m.IncrsToHistory(m.incrs.size());
        break;
    }
  }
  auto back = aof::Manifest::Parse(m.Print());
  if (m.empty()) {
    // Nothing to load (no base, no incr): refused, never taken for an
    // empty data set (engine/aof/manifest.h).
    RC_ASSERT_FALSE(back.ok());
    return;
  }
  RC_ASSERT(back.ok());
  // Parsing recovers the files; the sequence counters follow from them.
  RC_ASSERT(back.value().base == m.base);
  RC_ASSERT(back.value().history == m.history);
  RC_ASSERT(back.value().incrs == m.incrs);
  RC_ASSERT(back.value().Print() == m.Print());
}

}  // namespace
}  // namespace cairn::testing
