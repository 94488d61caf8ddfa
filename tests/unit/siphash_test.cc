// SipHash12 (the keyspace hash) against test vectors.
//
// No official SipHash-1-2 vectors exist, so they were derived: an
// independent reference SipHash-c-d (below in C++, and separately in Python)
// reproduces all 64 published SipHash-2-4 vectors of the SipHash paper's
// reference code (key 00..0f, messages 00, 00 01, ..., of lengths 0..63), and
// the same reference with c=1, d=2 gave the SipHash-1-2 table.
#include "engine/util/siphash.h"

#include <bit>
#include <cstdint>
#include <random>
#include <string>

#include <gtest/gtest.h>

namespace cairn {
namespace {

// SipHash-c-d written from the paper: message padded with zeros to a multiple
// of 8 bytes minus one, then the length byte; c rounds per word, d at the end.
uint64_t ReferenceSipHash(int c, int d, const SipKey& key, std::string_view msg) {
  uint64_t k0 = 0, k1 = 0;
  for (int i = 7; i >= 0; --i) {
    k0 = (k0 << 8) | key[static_cast<size_t>(i)];
    k1 = (k1 << 8) | key[static_cast<size_t>(i + 8)];
  }
  uint64_t v[4] = {k0 ^ 0x736f6d6570736575ULL, k1 ^ 0x646f72616e646f6dULL,
                   k0 ^ 0x6c7967656e657261ULL, k1 ^ 0x7465646279746573ULL};
  auto round = [&v] {
    v[0] += v[1];
    v[1] = std::rotl(v[1], 13) ^ v[0];
    v[0] = std::rotl(v[0], 32);
    v[2] += v[3];
    v[3] = std::rotl(v[3], 16) ^ v[2];
    v[0] += v[3];
    v[3] = std::rotl(v[3], 21) ^ v[0];
    v[2] += v[1];
    v[1] = std::rotl(v[1], 17) ^ v[2];
    v[2] = std::rotl(v[2], 32);
  };
  std::string padded(msg);
  while (padded.size() % 8 != 7) padded.push_back('\0');
  padded.push_back(static_cast<char>(msg.size() & 0xff));
  for (size_t off = 0; off < padded.size(); off += 8) {
    uint64_t m = 0;
    for (int i = 7; i >= 0; --i)
      m = (m << 8) | static_cast<uint8_t>(padded[off + static_cast<size_t>(i)]);
    v[3] ^= m;
    for (int i = 0; i < c; ++i) round();
    v[0] ^= m;
  }
  v[2] ^= 0xff;
  for (int i = 0; i < d; ++i) round();
  return v[0] ^ v[1] ^ v[2] ^ v[3];
}

SipKey StandardKey() {
  SipKey key;
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(i);
  return key;
}

std::string Message(size_t n) {
  std::string m;
  for (size_t i = 0; i < n; ++i) m.push_back(static_cast<char>(i));
  return m;
}

// The published SipHash-2-4 vectors (64-bit output as a little-endian word).
constexpr uint64_t kSip24Vectors[64] = {
    0x726fdb47dd0e0e31ULL, 0x74f839c593dc67fdULL, 0x0d6c8009d9a94f5aULL, 0x85676696d7fb7e2dULL,
    0xcf2794e0277187b7ULL, 0x18765564cd99a68dULL, 0xcbc9466e58fee3ceULL, 0xab0200f58b01d137ULL,
    0x93f5f5799a932462ULL, 0x9e0082df0ba9e4b0ULL, 0x7a5dbbc594ddb9f3ULL, 0xf4b32f46226bada7ULL,
    0x751e8fbc860ee5fbULL, 0x14ea5627c0843d90ULL, 0xf723ca908e7af2eeULL, 0xa129ca6149be45e5ULL,
    0x3f2acc7f57c29bdbULL, 0x699ae9f52cbe4794ULL, 0x4bc1b3f0968dd39cULL, 0xbb6dc91da77961bdULL,
    0xbed65cf21aa2ee98ULL, 0xd0f2cbb02e3b67c7ULL, 0x93536795e3a33e88ULL, 0xa80c038ccd5ccec8ULL,
    0xb8ad50c6f649af94ULL, 0xbce192de8a85b8eaULL, 0x17d835b85bbb15f3ULL, 0x2f2e6163076bcfadULL,
    0xde4daaaca71dc9a5ULL, 0xa6a2506687956571ULL, 0xad87a3535c49ef28ULL, 0x32d892fad841c342ULL,
    0x7127512f72f27cceULL, 0xa7f32346f95978e3ULL, 0x12e0b01abb051238ULL, 0x15e034d40fa197aeULL,
    0x314dffbe0815a3b4ULL, 0x027990f029623981ULL, 0xcadcd4e59ef40c4dULL, 0x9abfd8766a33735cULL,
    0x0e3ea96b5304a7d0ULL, 0xad0c42d6fc585992ULL, 0x187306c89bc215a9ULL, 0xd4a60abcf3792b95ULL,
    0xf935451de4f21df2ULL, 0xa9538f0419755787ULL, 0xdb9acddff56ca510ULL, 0xd06c98cd5c0975ebULL,
    0xe612a3cb9ecba951ULL, 0xc766e62cfcadaf96ULL, 0xee64435a9752fe72ULL, 0xa192d576b245165aULL,
    0x0a8787bf8ecb74b2ULL, 0x81b3e73d20b49b6fULL, 0x7fa8220ba3b2eceaULL, 0x245731c13ca42499ULL,
    0xb78dbfaf3a8d83bdULL, 0xea1ad565322a1a0bULL, 0x60e61c23a3795013ULL, 0x6606d7e446282b93ULL,
    0x6ca4ecb15c5f91e1ULL, 0x9f626da15c9625f3ULL, 0xe51b38608ef25f57ULL, 0x958a324ceb064572ULL,
};

// Derived SipHash-1-2 vectors, same key and messages.
constexpr uint64_t kSip12Vectors[64] = {
    0xcea28b51565c12e2ULL, 0x94aaf38c34ce7ba6ULL, 0xfe7a42c2c5fab434ULL, 0x1c0d255229c3364cULL,
    0x8be7847a474dfdf5ULL, 0x2858f0420f752296ULL, 0xe61a8a7d8ac52626ULL, 0xf03c4cbcf492b05aULL,
    0x606845b4d093af74ULL, 0xe304e78271c74a56ULL, 0xc936e00e33b32633ULL, 0x226212e5f29ab45cULL,
    0xa4377b74fbbfe0daULL, 0x624317667190806fULL, 0x4a72ad78e3e197d7ULL, 0xec8f61bc1c8966a6ULL,
    0x1311f4dfe747a751ULL, 0x899c7b292c85339cULL, 0xa3b20ae95368b5ddULL, 0xb613412ee70eefceULL,
    0xe4247448e02aa65aULL, 0x7e041ab05b9fee13ULL, 0x871bc8cc515684feULL, 0x436662cf8cde1a76ULL,
    0xd5fd6251d879f3a2ULL, 0x82c424b8c1744fe7ULL, 0x967028a3aba506d5ULL, 0xf2179336b1ddbf10ULL,
    0xdef90e3211d9aa84ULL, 0xa33e74ba1d89ae41ULL, 0xed0920815dc55e0eULL, 0x3d9450fef5eaa3b3ULL,
    0x8bd10d4a226548bcULL, 0xb0dfbbd1a243bfa1ULL, 0x365f27632baf7303ULL, 0x545100bc1366dcf9ULL,
    0x611b500c069bb1b4ULL, 0xc7bc320c00c54c5aULL, 0x5e0af95633715151ULL, 0x1443529b74c90453ULL,
    0x1634523d495d5230ULL, 0x75958e88d02999f2ULL, 0x1295663c11127d2bULL, 0xcdb2696d6a9bd60dULL,
    0x36712f75aaf32cefULL, 0xae62d7408dc29d3fULL, 0xd8eb27deb0abba06ULL, 0xc24d440279e9ed9fULL,
    0x327d416c3fb96508ULL, 0x84bc07d711537949ULL, 0xc480fb0251dbfaceULL, 0xff513fb91356eb67ULL,
    0x9cd4dc2c38a39e31ULL, 0x3cbd87ea4988b51aULL, 0x7b735caca5b1397bULL, 0x1f2319ee309ba4e1ULL,
    0x5834e51f881c96f9ULL, 0x1a8588a92b5770d7ULL, 0xd437a8e6ded16e58ULL, 0xf51e09a0226ae839ULL,
    0xfebb93e58a6cca86ULL, 0xa31e05072d42c065ULL, 0xad7b019fe5fc8b4cULL, 0xff6d07afacbad6d9ULL,
};

TEST(SipHash, ReferenceReproducesPublishedSipHash24Vectors) {
  const SipKey key = StandardKey();
  for (size_t n = 0; n < 64; ++n) {
    EXPECT_EQ(ReferenceSipHash(2, 4, key, Message(n)), kSip24Vectors[n]) << "length " << n;
  }
}

TEST(SipHash, SipHash12MatchesDerivedVectors) {
  const SipKey key = StandardKey();
  for (size_t n = 0; n < 64; ++n) {
    EXPECT_EQ(ReferenceSipHash(1, 2, key, Message(n)), kSip12Vectors[n]) << "length " << n;
    EXPECT_EQ(SipHash12(key, Message(n)), kSip12Vectors[n]) << "length " << n;
  }
}

TEST(SipHash, SipHash12MatchesReferenceOnRandomInputs) {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 2000; ++i) {
    SipKey key;
    for (auto& b : key) b = static_cast<uint8_t>(rng());
    std::string msg(rng() % 300, '\0');
    for (char& ch : msg) ch = static_cast<char>(rng());
    ASSERT_EQ(SipHash12(key, msg), ReferenceSipHash(1, 2, key, msg)) << "input " << i;
  }
}

TEST(SipHash, DeterministicAndKeySensitive) {
  const SipKey key = StandardKey();
  const std::string msg = "user:1000";
  EXPECT_EQ(SipHash12(key, msg), SipHash12(key, std::string(msg)));
  // Flipping any single key bit changes the hash, by about half its bits.
  const uint64_t base = SipHash12(key, msg);
  int total_changed = 0;
  for (size_t bit = 0; bit < 128; ++bit) {
    SipKey k = key;
    k[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    uint64_t h = SipHash12(k, msg);
    EXPECT_NE(h, base) << "key bit " << bit;
    total_changed += std::popcount(h ^ base);
  }
  EXPECT_GT(total_changed, 128 * 24);
  EXPECT_LT(total_changed, 128 * 40);
  // Messages that differ only in length (trailing zero bytes) differ.
  EXPECT_NE(SipHash12(key, std::string_view("a\0", 2)), SipHash12(key, "a"));
  EXPECT_NE(SipHash12(key, ""), SipHash12(key, std::string_view("\0", 1)));
}

}  // namespace
}  // namespace cairn
