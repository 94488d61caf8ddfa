// Hash flooding: the keyspace's SipHash key is drawn per process from
// Env::random() (the OS in production), so keys an attacker crafted to
// collide under one key spread out under another. The test crafts 1,000
// keys that share one bucket of a 1,024-bucket table under key A, shows the
// chain is the whole set under A, and stays short under any other key.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/keyspace/dict.h"
#include "engine/util/siphash.h"
#include "tests/support/engine_harness.h"

namespace cairn {
namespace {

constexpr SipKey kAttacked = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
constexpr size_t kKeys = 1000;
constexpr uint64_t kMask = 1023;  // the table of 1,000 keys has 1,024 buckets

std::vector<std::string> CraftCollisions(const SipKey& key) {
  std::vector<std::string> out;
  for (uint64_t i = 0; out.size() < kKeys; ++i) {
    std::string k = "user:" + std::to_string(i);
    if ((SipHash12(key, k) & kMask) == 0) out.push_back(std::move(k));
  }
  return out;
}

// The longest chain of a dict holding keys under hash key `key`.
size_t LongestChain(const SipKey& key, const std::vector<std::string>& keys) {
  Dict<MainLink> d(&key);
  std::vector<Entry*> entries;
  for (const std::string& k : keys) {
    entries.push_back(Entry::NewInline(k, "v", Encoding::kEmbstr, false));
    d.Insert(entries.back());
  }
  while (d.RehashSteps(100)) {
  }
  size_t longest = 0;
  for (uint64_t b = 0; b < d.bucket_count(); ++b) {
    size_t len = 0;
    for (Entry* e = d.BucketHead(0, b); e != nullptr; e = MainLink::Next(e)) ++len;
    longest = std::max(longest, len);
  }
  for (Entry* e : entries) Entry::Free(e);
  return longest;
}

TEST(HashFlooding, CraftedKeysCollideOnlyUnderTheKeyTheyWereCraftedFor) {
  std::vector<std::string> keys = CraftCollisions(kAttacked);
  EXPECT_EQ(LongestChain(kAttacked, keys), kKeys);
  for (uint8_t seed = 0; seed < 5; ++seed) {
    SipKey other = kAttacked;
    other[0] = static_cast<uint8_t>(100 + seed);
    // 1,000 keys over 1,024 buckets: the longest chain of a fair hash is
    // around 5; 16 leaves room without letting a flood pass.
    EXPECT_LE(LongestChain(other, keys), 16u) << "seed " << int{seed};
  }
}

TEST(HashFlooding, EachEngineDrawsItsOwnHashKeyFromEnvRandom) {
  testing::EngineHarness a({}, 1), b({}, 2), a_again({}, 1);
  EXPECT_NE(a.engine().keyspace().hash_key(), b.engine().keyspace().hash_key());
  // Deterministic under a seed, as the simulator needs.
  EXPECT_EQ(a.engine().keyspace().hash_key(), a_again.engine().keyspace().hash_key());
}

}  // namespace
}  // namespace cairn
