// Database: the main table, the expiry table and the byte count kept
// consistent by every mutation. A checker walks both tables after each step
// (membership, pointers, deadlines, exact bytes); a seeded random workload
// compares the database with a plain std::map.
#include "engine/keyspace/database.h"

#include <map>
#include <random>
#include <set>
#include <string>

#include <gtest/gtest.h>

namespace cairn {
namespace {

constexpr SipKey kKey = {1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 121, 98, 219};

// Checks every invariant database.h states.
void ExpectInvariants(Database& db) {
  size_t count = 0, with_ttl = 0, bytes = 0;
  std::set<std::string> keys;
  db.main().ForEach([&](Entry* e) {
    ++count;
    bytes += e->AllocSize();
    EXPECT_TRUE(keys.insert(std::string(e->key())).second) << "duplicate " << e->key();
    bool should_be_in_expires = e->has_expire_block() && e->expire_at() > 0;
    EXPECT_EQ(db.expires().Find(e->key()), should_be_in_expires ? e : nullptr) << e->key();
    if (should_be_in_expires) ++with_ttl;
  });
  size_t expires_count = 0;
  db.expires().ForEach([&](Entry* e) {
    ++expires_count;
    EXPECT_EQ(db.main().Find(e->key()), e) << "expiry entry not in main: " << e->key();
    EXPECT_TRUE(e->has_expire_block());
    EXPECT_GT(e->expire_at(), 0);
  });
  EXPECT_EQ(db.size(), count);
  EXPECT_EQ(db.expires_size(), with_ttl);
  EXPECT_EQ(expires_count, with_ttl);
  EXPECT_EQ(db.bytes(), bytes + db.main().TableBytes() + db.expires().TableBytes());
}

Entry* NewString(std::string_view key, std::string_view value, bool with_expire = false) {
  return Entry::NewInline(key, value, Encoding::kEmbstr, with_expire);
}

TEST(Database, AddFindDelete) {
  Database db(&kKey);
  EXPECT_EQ(db.bytes(), 0u);
  db.Add(NewString("a", "1"));
  Database::Slot absent = db.Locate("b");
  EXPECT_FALSE(absent);
  EXPECT_EQ(absent.entry(), nullptr);
  db.Add(NewString("b", "2"), absent);
  ExpectInvariants(db);
  EXPECT_EQ(db.size(), 2u);
  EXPECT_EQ(db.Find("a")->bytes(), "1");
  EXPECT_EQ(db.Find("b")->bytes(), "2");
  EXPECT_EQ(db.bytes(), (24u + 2u) * 2 + 4 * sizeof(Entry*));
  EXPECT_TRUE(db.Delete("a"));
  EXPECT_FALSE(db.Delete("a"));
  EXPECT_EQ(db.Find("a"), nullptr);
  ExpectInvariants(db);
  Database::Slot slot = db.Locate("b");
  ASSERT_TRUE(slot);
  db.Delete(slot);
  EXPECT_EQ(db.size(), 0u);
  ExpectInvariants(db);
}

TEST(Database, ReplaceKeepsTablesAndBytesRight) {
  Database db(&kKey);
  db.Add(NewString("k", "short"));
  Database::Slot slot = db.Locate("k");
  db.Replace(slot, NewString("k", std::string(40, 'x')));
  ExpectInvariants(db);
  EXPECT_EQ(db.Find("k")->bytes(), std::string(40, 'x'));
  // Replacing a TTL entry with one without a deadline drops it from expires.
  slot = db.Locate("k");
  Entry* with_ttl = NewString("k", "v", true);
  with_ttl->set_expire_at(5000);
  db.Replace(slot, with_ttl);
  EXPECT_EQ(db.expires_size(), 1u);
  ExpectInvariants(db);
  slot = db.Locate("k");
  db.Replace(slot, NewString("k", "v"));
  EXPECT_EQ(db.expires_size(), 0u);
  ExpectInvariants(db);
  // An entry with an expiry block but no deadline is not in expires.
  slot = db.Locate("k");
  db.Replace(slot, NewString("k", "v", true));
  EXPECT_EQ(db.expires_size(), 0u);
  ExpectInvariants(db);
}

TEST(Database, SetExpireAddsABlockOnlyWhenNeeded) {
  Database db(&kKey);
  db.Add(NewString("k", "value"));
  Database::Slot slot = db.Locate("k");
  Entry* before = slot.entry();
  size_t bytes_before = db.bytes();
  Entry* e = db.SetExpire(slot, 1000);
  EXPECT_NE(e, before);  // a new entry with an expiry block
  EXPECT_EQ(slot.entry(), e);
  EXPECT_EQ(e->expire_at(), 1000);
  EXPECT_EQ(db.Find("k"), e);
  EXPECT_EQ(e->bytes(), "value");
  ExpectInvariants(db);
  EXPECT_GE(db.bytes(), bytes_before + 16);  // the block, plus maybe the new expiry table
  // Changing the deadline keeps the entry.
  EXPECT_EQ(db.SetExpire(slot, 2000), e);
  EXPECT_EQ(e->expire_at(), 2000);
  ExpectInvariants(db);
  // PERSIST keeps the block but leaves the expiry table.
  EXPECT_TRUE(db.Persist(slot));
  EXPECT_FALSE(db.Persist(slot));
  EXPECT_EQ(e->expire_at(), 0);
  EXPECT_EQ(db.expires_size(), 0u);
  ExpectInvariants(db);
  EXPECT_EQ(db.SetExpire(slot, 3000), e);  // the block is reused
  EXPECT_EQ(db.expires_size(), 1u);
  ExpectInvariants(db);
}

TEST(Database, DetachReturnsTheEntryOut) {
  Database db(&kKey);
  Entry* e = NewString("k", "v", true);
  e->set_expire_at(77);
  db.Add(e);
  Database::Slot slot = db.Locate("k");
  Entry* out = db.Detach(slot);
  EXPECT_EQ(out, e);
  EXPECT_EQ(db.size(), 0u);
  EXPECT_EQ(db.expires_size(), 0u);
  ExpectInvariants(db);
  Database other(&kKey);
  other.Add(out);  // MOVE: the same entry, with its TTL, in another database
  EXPECT_EQ(other.expires_size(), 1u);
  ExpectInvariants(other);
}

TEST(Database, AdjustBytesForHeapGrowth) {
  Database db(&kKey);
  db.Add(Entry::NewHeap("k", HeapString::New("abc", 4), false));
  ExpectInvariants(db);
  Entry* e = db.Find("k");
  size_t old_size = e->AllocSize();
  e->set_heap(HeapString::Grow(e->heap(), 100));
  db.AdjustBytes(static_cast<ptrdiff_t>(e->AllocSize()) - static_cast<ptrdiff_t>(old_size));
  ExpectInvariants(db);
}

TEST(Database, ClearAndSwap) {
  Database a(&kKey), b(&kKey);
  for (int i = 0; i < 100; ++i) {
    Entry* e = NewString("a" + std::to_string(i), "v", i % 3 == 0);
    if (i % 3 == 0) e->set_expire_at(1000 + i);
    a.Add(e);
  }
  b.Add(NewString("only-b", "v"));
  a.expire_cursor = 17;
  a.swap(b);
  EXPECT_EQ(a.size(), 1u);
  EXPECT_EQ(b.size(), 100u);
  EXPECT_EQ(b.expires_size(), 34u);
  EXPECT_EQ(b.expire_cursor, 17u);
  ExpectInvariants(a);
  ExpectInvariants(b);
  b.Clear();
  EXPECT_EQ(b.size(), 0u);
  EXPECT_EQ(b.expires_size(), 0u);
  EXPECT_EQ(b.bytes(), 0u);
  EXPECT_EQ(b.expire_cursor, 0u);
  ExpectInvariants(b);
}

TEST(Database, UpkeepFinishesRehashAndShrinks) {
  Database db(&kKey);
  for (int i = 0; i < 2000; ++i) {
    Entry* e = NewString("k" + std::to_string(i), "v", true);
    e->set_expire_at(1 + i);
    db.Add(e);
  }
  for (int i = 0; i < 1990; ++i) ASSERT_TRUE(db.Delete("k" + std::to_string(i)));
  size_t big = db.main().bucket_count();
  for (int round = 0; round < 100; ++round) db.Upkeep(100);
  EXPECT_LT(db.main().bucket_count(), big);
  EXPECT_EQ(db.main().bucket_count(), 16u);
  EXPECT_EQ(db.expires().bucket_count(), 16u);
  EXPECT_FALSE(db.main().rehashing());
  ExpectInvariants(db);
}

// A seeded random workload against a std::map model, invariants after every
// step (the property suite runs the same idea with random seeds).
TEST(Database, RandomWorkloadMatchesModel) {
  struct Value {
    std::string bytes;
    int64_t deadline = 0;
  };
  Database db(&kKey);
  std::map<std::string, Value> model;
  std::mt19937 rng(2024);
  for (int step = 0; step < 6000; ++step) {
    std::string key = "k" + std::to_string(rng() % 300);
    Database::Slot slot = db.Locate(key);
    ASSERT_EQ(static_cast<bool>(slot), model.count(key) == 1) << key;
    switch (rng() % 6) {
      case 0:
      case 1: {  // SET (keeps no TTL)
        size_t len = rng() % 60;
        std::string v(len, static_cast<char>('a' + rng() % 26));
        if (slot) {
          db.Replace(slot, NewString(key, v));
        } else {
          db.Add(NewString(key, v), slot);
        }
        model[key] = Value{v, 0};
        break;
      }
      case 2:  // DEL
        if (slot) db.Delete(slot);
        model.erase(key);
        break;
      case 3:  // EXPIRE
        if (slot) {
          int64_t when = 1 + static_cast<int64_t>(rng() % 100000);
          db.SetExpire(slot, when);
          model[key].deadline = when;
        }
        break;
      case 4:  // PERSIST
        if (slot) {
          EXPECT_EQ(db.Persist(slot), model[key].deadline > 0);
          model[key].deadline = 0;
        }
        break;
      case 5:
        db.Upkeep(rng() % 5);
        break;
    }
    if (step % 100 == 0) ExpectInvariants(db);
  }
  ExpectInvariants(db);
  EXPECT_EQ(db.size(), model.size());
  for (auto& [k, v] : model) {
    Entry* e = db.Find(k);
    ASSERT_NE(e, nullptr) << k;
    EXPECT_EQ(e->bytes(), v.bytes);
    EXPECT_EQ(e->expire_at(), v.deadline);
  }
}

}  // namespace
}  // namespace cairn
