// Dict: the intrusive chained table with incremental rehashing and the
// reverse-binary SCAN cursor. Covers growth and shrinking step by step,
// operations on both tables while a rehash runs, paused resizing, SCAN's
// guarantee across resizes, RandomEntry's rough fairness and determinism.
#include "engine/keyspace/dict.h"

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace cairn {
namespace {

constexpr SipKey kKey = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6};

// A dict with the entries it holds (the dict does not own entries).
class DictTest : public ::testing::Test {
 protected:
  ~DictTest() override {
    for (auto& [k, e] : entries_) Entry::Free(e);
  }

  Entry* Add(const std::string& key) {
    Entry* e = Entry::NewInline(key, "v:" + key, Encoding::kEmbstr, false);
    d_.Insert(e);
    entries_[key] = e;
    return e;
  }
  void Remove(const std::string& key) {
    Entry* e = d_.Remove(key);
    ASSERT_NE(e, nullptr) << key;
    ASSERT_EQ(e, entries_[key]);
    Entry::Free(e);
    entries_.erase(key);
  }
  static std::string Key(int i) { return "key:" + std::to_string(i); }

  // Every entry is found, nothing else is, and a full walk sees each once.
  void ExpectConsistent() {
    EXPECT_EQ(d_.size(), entries_.size());
    for (auto& [k, e] : entries_) EXPECT_EQ(d_.Find(k), e) << k;
    std::map<std::string, int> seen;
    d_.ForEach([&](Entry* e) { ++seen[std::string(e->key())]; });
    EXPECT_EQ(seen.size(), entries_.size());
    for (auto& [k, n] : seen) {
      EXPECT_EQ(n, 1) << k;
      EXPECT_TRUE(entries_.count(k)) << k;
    }
  }

  void FinishRehash() {
    while (d_.RehashSteps(100)) {
    }
  }

  // Every key SCAN returns over a whole cycle, with how often.
  std::map<std::string, int> FullScan() {
    std::map<std::string, int> seen;
    uint64_t cursor = 0;
    do {
      cursor = d_.Scan(cursor, [&](Entry* e) { ++seen[std::string(e->key())]; });
    } while (cursor != 0);
    return seen;
  }

  Dict<MainLink> d_{&kKey};
  std::map<std::string, Entry*> entries_;
};

TEST_F(DictTest, EmptyDict) {
  EXPECT_EQ(d_.size(), 0u);
  EXPECT_EQ(d_.bucket_count(), 0u);
  EXPECT_EQ(d_.Find("x"), nullptr);
  EXPECT_EQ(d_.Remove("x"), nullptr);
  EXPECT_EQ(d_.Scan(0, [](Entry*) { FAIL(); }), 0u);
  EXPECT_EQ(d_.RandomEntry([] { return uint64_t{0}; }), nullptr);
  EXPECT_FALSE(d_.RehashSteps(10));
  EXPECT_FALSE(d_.ShrinkIfSparse());
  EXPECT_EQ(d_.TableBytes(), 0u);
}

TEST_F(DictTest, GrowsIncrementally) {
  for (int i = 0; i < 4; ++i) Add(Key(i));
  EXPECT_EQ(d_.bucket_count(), 4u);
  EXPECT_FALSE(d_.rehashing());
  Add(Key(4));  // 4 used in 4 buckets: the fifth insert starts a resize to 8
  EXPECT_TRUE(d_.rehashing());
  EXPECT_EQ(d_.bucket_count(), 4u + 8u);
  EXPECT_EQ(d_.TableBytes(), 12 * sizeof(Entry*));
  ExpectConsistent();  // lookups rehash a bucket each
  FinishRehash();
  EXPECT_FALSE(d_.rehashing());
  EXPECT_EQ(d_.bucket_count(), 8u);
  ExpectConsistent();
}

TEST_F(DictTest, ReserveSizesAnEmptyTableOnceAndLeavesAFullOneAlone) {
  d_.Reserve(1000);
  EXPECT_EQ(d_.bucket_count(), 1024u);
  for (int i = 0; i < 1000; ++i) Add(Key(i));
  EXPECT_FALSE(d_.rehashing());  // filled without a resize
  EXPECT_EQ(d_.bucket_count(), 1024u);
  d_.Reserve(1u << 20);  // holds entries: a hint no longer applies
  EXPECT_EQ(d_.bucket_count(), 1024u);
  ExpectConsistent();
  for (int i = 0; i < 1000; ++i) Remove(Key(i));
  d_.PauseResize();
  d_.Reserve(4096);  // a walk is running: no resize
  EXPECT_EQ(d_.bucket_count(), 1024u);
  d_.ResumeResize();
  d_.Reserve(16);  // smaller than the table: nothing to do
  EXPECT_EQ(d_.bucket_count(), 1024u);
}

TEST_F(DictTest, EveryOperationWorksWhileRehashing) {
  for (int i = 0; i < 64; ++i) Add(Key(i));
  FinishRehash();
  ASSERT_EQ(d_.bucket_count(), 64u);
  Add(Key(64));  // starts growing to 128
  ASSERT_TRUE(d_.rehashing());
  // Inserts, removals (from both tables), replacement and lookups while the
  // rehash is only partly done.
  for (int i = 65; i < 80; ++i) Add(Key(i));
  for (int i = 0; i < 80; i += 3) Remove(Key(i));
  {
    uint64_t h = d_.Hash(Key(1));
    Entry** link = d_.FindLink(Key(1), h);
    ASSERT_NE(link, nullptr);
    Entry* repl = Entry::NewInline(Key(1), "replaced", Encoding::kEmbstr, false);
    Entry* old = *link;
    d_.ReplaceAt(link, repl);
    EXPECT_EQ(old->main_next(), repl->main_next());
    Entry::Free(old);
    entries_[Key(1)] = repl;
    EXPECT_EQ(d_.Find(Key(1))->bytes(), "replaced");
  }
  ExpectConsistent();
  FinishRehash();
  ExpectConsistent();
  EXPECT_EQ(d_.bucket_count(), 128u);
}

TEST_F(DictTest, UnlinkFindsTheRightTableAtEveryRehashStage) {
  // Remove each key at a different point of a rehash: the used counts of
  // both tables must stay right, or finishing the rehash would go wrong.
  for (int round = 0; round < 40; ++round) {
    for (int i = 0; i < 32; ++i) Add(Key(i));
    FinishRehash();
    Add(Key(32));  // starts 32 -> 64
    for (int s = 0; s < round; ++s) d_.RehashSteps(1);
    for (int i = 0; i <= 32; i += 2) Remove(Key(i));
    ExpectConsistent();
    FinishRehash();
    ExpectConsistent();
    for (int i = 1; i <= 32; i += 2) Remove(Key(i));
    EXPECT_EQ(d_.size(), 0u);
    d_.Clear();
  }
}

TEST_F(DictTest, ShrinksWhenSparse) {
  for (int i = 0; i < 1000; ++i) Add(Key(i));
  FinishRehash();
  EXPECT_EQ(d_.bucket_count(), 1024u);
  EXPECT_FALSE(d_.ShrinkIfSparse());  // full enough
  for (int i = 0; i < 990; ++i) Remove(Key(i));
  EXPECT_TRUE(d_.ShrinkIfSparse());
  EXPECT_TRUE(d_.rehashing());
  ExpectConsistent();
  FinishRehash();
  EXPECT_EQ(d_.bucket_count(), 16u);  // smallest power of two >= 10
  ExpectConsistent();
  EXPECT_FALSE(d_.ShrinkIfSparse());
  // Emptied completely, it shrinks to the initial size.
  for (int i = 990; i < 1000; ++i) Remove(Key(i));
  EXPECT_TRUE(d_.ShrinkIfSparse());
  FinishRehash();
  EXPECT_EQ(d_.bucket_count(), 4u);
}

TEST_F(DictTest, PausedResizeGrowsOnlyWhenFiveTimesOverfull) {
  for (int i = 0; i < 8; ++i) Add(Key(i));
  FinishRehash();
  ASSERT_EQ(d_.bucket_count(), 8u);
  d_.PauseResize();
  for (int i = 8; i < 48; ++i) Add(Key(i));  // 48 / 8 = 6 > 5 only after the last insert
  EXPECT_FALSE(d_.rehashing());
  EXPECT_EQ(d_.bucket_count(), 8u);
  Add(Key(48));
  EXPECT_TRUE(d_.rehashing());  // forced
  FinishRehash();
  for (int i = 0; i < 45; ++i) Remove(Key(i));
  EXPECT_FALSE(d_.ShrinkIfSparse());  // no shrinking while paused
  d_.ResumeResize();
  EXPECT_TRUE(d_.ShrinkIfSparse());
  FinishRehash();
  ExpectConsistent();
}

TEST_F(DictTest, FullScanReturnsEveryKeyOnce) {
  for (int i = 0; i < 500; ++i) Add(Key(i));
  FinishRehash();
  auto seen = FullScan();
  EXPECT_EQ(seen.size(), 500u);
  for (auto& [k, n] : seen) EXPECT_EQ(n, 1) << k;
}

TEST_F(DictTest, ScanDuringRehashReturnsEveryKey) {
  for (int i = 0; i < 256; ++i) Add(Key(i));
  FinishRehash();
  Add(Key(256));
  d_.RehashSteps(50);
  ASSERT_TRUE(d_.rehashing());
  auto seen = FullScan();
  EXPECT_EQ(seen.size(), 257u);
  for (auto& [k, e] : entries_) EXPECT_GE(seen[k], 1) << k;
}

TEST_F(DictTest, ScanSurvivesGrowthAndShrinkBetweenCalls) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 10; ++trial) {
    for (auto& [k, e] : entries_) Entry::Free(d_.Remove(k));
    entries_.clear();
    d_.Clear();
    int next = 0;
    const int base = 50 + static_cast<int>(rng() % 200);
    for (; next < base; ++next) Add(Key(next));
    std::set<std::string> stable;  // present for the whole scan
    for (auto& [k, e] : entries_) stable.insert(k);
    std::vector<std::string> extra;  // added during the scan
    std::set<std::string> seen;
    uint64_t cursor = 0;
    int calls = 0;
    do {
      cursor = d_.Scan(cursor, [&](Entry* e) { seen.insert(std::string(e->key())); });
      // Between calls: grow, or delete the added keys and shrink.
      if (rng() % 2 == 0 && d_.size() < 2000) {
        for (int j = 0; j < 60; ++j) {
          extra.push_back(Key(next++));
          Add(extra.back());
        }
      } else if (rng() % 4 == 0) {
        for (const auto& k : extra) Remove(k);
        extra.clear();
        d_.ShrinkIfSparse();
      }
      d_.RehashSteps(rng() % 20);
      ++calls;
    } while (cursor != 0 && calls < 100000);
    ASSERT_EQ(cursor, 0u);
    for (const auto& k : stable) EXPECT_TRUE(seen.count(k)) << "trial " << trial << " " << k;
  }
}

TEST_F(DictTest, RandomEntryIsRoughlyFair) {
  for (int i = 0; i < 100; ++i) Add(Key(i));
  FinishRehash();
  std::mt19937_64 rng(1);
  auto next = [&] { return rng(); };
  std::map<std::string, int> hits;
  constexpr int kDraws = 200000;
  for (int i = 0; i < kDraws; ++i) ++hits[std::string(d_.RandomEntry(next)->key())];
  EXPECT_EQ(hits.size(), 100u);
  // Redis's method (random bucket, then random chain element) favours keys
  // alone in their bucket, but no key is starved or hugely favoured.
  for (auto& [k, n] : hits) {
    EXPECT_GT(n, kDraws / 100 / 4) << k;
    EXPECT_LT(n, kDraws / 100 * 3) << k;
  }
  // While rehashing too.
  Add(Key(1000));
  for (int i = 101; i < 128; ++i) Add(Key(i));
  hits.clear();
  for (int i = 0; i < kDraws; ++i) {
    Entry* e = d_.RandomEntry(next);
    ASSERT_NE(e, nullptr);
    ++hits[std::string(e->key())];
  }
  EXPECT_EQ(hits.size(), entries_.size());
}

TEST(Dict, LayoutDependsOnlyOnTheHashKey) {
  // Same key, same inserts: same SCAN order. Another key: another order.
  auto order = [](const SipKey& key) {
    Dict<MainLink> d(&key);
    std::vector<Entry*> owned;
    for (int i = 0; i < 200; ++i) {
      owned.push_back(Entry::NewInline("k" + std::to_string(i), "", Encoding::kEmbstr, false));
      d.Insert(owned.back());
    }
    std::vector<std::string> out;
    uint64_t c = 0;
    do {
      c = d.Scan(c, [&](Entry* e) { out.emplace_back(e->key()); });
    } while (c != 0);
    for (Entry* e : owned) Entry::Free(e);
    return out;
  };
  SipKey other = kKey;
  other[0] ^= 1;
  EXPECT_EQ(order(kKey), order(kKey));
  EXPECT_NE(order(kKey), order(other));
}

TEST(Dict, SwapExchangesContents) {
  Dict<MainLink> a(&kKey), b(&kKey);
  Entry* e = Entry::NewInline("x", "1", Encoding::kEmbstr, false);
  a.Insert(e);
  a.swap(b);
  EXPECT_EQ(a.size(), 0u);
  EXPECT_EQ(a.Find("x"), nullptr);
  EXPECT_EQ(b.Find("x"), e);
  Entry::Free(b.Remove("x"));
}

TEST(Dict, ExpireLinkIsIndependentOfMainLink) {
  // One entry in two dicts through its two links.
  Dict<MainLink> main(&kKey);
  Dict<ExpireLink> expires(&kKey);
  std::vector<Entry*> owned;
  for (int i = 0; i < 50; ++i) {
    Entry* e = Entry::NewInline("k" + std::to_string(i), "", Encoding::kEmbstr, true);
    owned.push_back(e);
    main.Insert(e);
    if (i % 2 == 0) expires.Insert(e);
  }
  EXPECT_EQ(main.size(), 50u);
  EXPECT_EQ(expires.size(), 25u);
  for (int i = 0; i < 50; i += 4) EXPECT_EQ(expires.Remove("k" + std::to_string(i)), owned[i]);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(main.Find("k" + std::to_string(i)), owned[i]);
  for (Entry* e : owned) Entry::Free(e);
}

}  // namespace
}  // namespace cairn
