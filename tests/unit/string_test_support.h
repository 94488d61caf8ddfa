// Helpers shared by the string and bit command tests: what a key holds
// (encoding, sharing, deadline), statistics deltas, the byte accounting
// invariant, and replaying recorded effects on a second engine.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "engine/keyspace/database.h"
#include "tests/support/engine_harness.h"

namespace cairn::testing {

// The fake clock's start (ms), which absolute deadlines in effects use.
inline constexpr int64_t kStartMs = 1'700'000'000'000;

// The engine's parameters, writable: tests set them directly so they do not
// depend on which names the configuration table knows yet.
inline Settings& MutableSettings(EngineHarness& h) {
  return const_cast<Settings&>(h.engine().settings());
}

inline Entry* FindKey(EngineHarness& h, std::string_view key, int db = 0) {
  return h.engine().keyspace().db(db).Find(key);
}

// OBJECT ENCODING's answer for key, or "none".
inline std::string EncodingOf(EngineHarness& h, std::string_view key) {
  Entry* e = FindKey(h, key);
  if (e == nullptr) return "none";
  switch (e->encoding()) {
    case Encoding::kInt:
      return "int";
    case Encoding::kEmbstr:
      return "embstr";
    case Encoding::kRaw:
      return "raw";
  }
  return "?";
}

inline int64_t DeadlineOf(EngineHarness& h, std::string_view key) {
  Entry* e = FindKey(h, key);
  return e == nullptr ? -1 : e->expire_at();
}

// Keyspace statistics at one moment; Since() gives the change after it.
struct StatsSnapshot {
  uint64_t dirty = 0;
  uint64_t hits = 0;
  uint64_t misses = 0;
  uint64_t expired = 0;

  static StatsSnapshot Of(EngineHarness& h) {
    const ServerStats& s = h.engine().stats();
    return {s.dirty, s.keyspace_hits, s.keyspace_misses, s.expired_keys};
  }
  StatsSnapshot Since(const StatsSnapshot& before) const {
    return {dirty - before.dirty, hits - before.hits, misses - before.misses,
            expired - before.expired};
  }
  bool operator==(const StatsSnapshot&) const = default;
};

inline std::ostream& operator<<(std::ostream& os, const StatsSnapshot& s) {
  return os << "{dirty " << s.dirty << ", hits " << s.hits << ", misses " << s.misses
            << ", expired " << s.expired << "}";
}

// Runs one command and returns how the statistics moved.
inline StatsSnapshot StatsOf(EngineHarness& h, std::initializer_list<std::string_view> args) {
  StatsSnapshot before = StatsSnapshot::Of(h);
  h.Run(args);
  return StatsSnapshot::Of(h).Since(before);
}

// Database::bytes() must equal the entries' sizes plus the tables', however
// the values were edited in place.
inline void ExpectExactByteAccounting(EngineHarness& h, int db_index = 0) {
  Database& db = h.engine().keyspace().db(db_index);
  size_t sum = 0;
  db.main().ForEach([&](Entry* e) { sum += e->AllocSize(); });
  EXPECT_EQ(db.bytes(), sum + db.main().TableBytes() + db.expires().TableBytes());
}

// Replays h's recorded effects on a fresh engine (as commands, in order) and
// checks that every key of h reads the same there, with the same deadline.
inline void ExpectEffectsReplayToSameState(EngineHarness& h, int64_t elapsed_ms = 0) {
  EngineHarness replica;
  // The effects carry absolute times, so the replica's clock starts where
  // h's started and is advanced once the records are applied.
  for (const auto& [db, args] : h.raw_effects()) {
    ASSERT_EQ(db, 0) << "replay helper handles database 0 only";
    std::vector<std::string_view> views(args.begin(), args.end());
    std::string reply = replica.Run(replica.session(), views);
    ASSERT_NE(reply.substr(0, 1), "-") << "effect refused on replay: " << args[0] << ": " << reply;
  }
  replica.AdvanceMs(elapsed_ms);
  Database& original = h.engine().keyspace().db(0);
  Database& copy = replica.engine().keyspace().db(0);
  EXPECT_EQ(original.size(), copy.size());
  original.main().ForEach([&](Entry* e) {
    Entry* other = copy.Find(e->key());
    ASSERT_NE(other, nullptr) << "missing after replay: " << e->key();
    char a[32], b[32];
    EXPECT_EQ(e->StringValue(a), other->StringValue(b)) << "key " << e->key();
    EXPECT_EQ(e->expire_at(), other->expire_at()) << "key " << e->key();
  });
}

}  // namespace cairn::testing
