// RDB preamble damage found by rdb_fuzz: crafted lengths and database
// numbers are refused with an "rdb: " message instead of allocating without
// bound or wrapping into a negative database.
#include <cstdint>
#include <string>

#include <gtest/gtest.h>

#include "engine/aof/lzf.h"
#include "engine/aof/rdb_reader.h"

namespace cairn::aof {
namespace {

class CountingSink final : public RdbSink {
 public:
  Status SelectDb(int db) override {
    last_db = db;
    return Status::Ok();
  }
  Status SetString(std::string_view, std::string_view, int64_t) override {
    ++keys;
    return Status::Ok();
  }
  int last_db = -100;
  int keys = 0;
};

TEST(LzfDamage, ImpossibleLengthIsRefusedBeforeAllocating) {
  // Two input bytes cannot expand to 2^60 bytes.
  auto r = LzfDecompress(std::string("\x00"
                                     "a",
                                     2),
                         uint64_t{1} << 60);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("impossible"), std::string::npos);
  auto ok = LzfDecompress(std::string("\x00"
                                      "a",
                                      2),
                          1);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.value(), "a");
}

TEST(RdbDamage, LzfStringWithHugeLengthIsRefusedWithPrefix) {
  // REDIS0009, a string key "k" whose value is LZF (0xC3) with clen 2 and
  // ulen 0x80 00 00 00 00 00 00 00 00-style 64-bit length (0x81 + 8 bytes).
  std::string rdb = "REDIS0009";
  rdb += '\x00';                                                  // type: string
  rdb += "\x01k";                                                 // key
  rdb += '\xC3';                                                  // LZF-encoded value
  rdb += '\x02';                                                  // compressed length 2
  rdb += std::string("\x81\x10\x00\x00\x00\x00\x00\x00\x00", 9);  // 2^60
  rdb += std::string(
      "\x00"
      "a",
      2);
  CountingSink sink;
  auto r = ReadRdbPreamble(rdb, sink);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().rfind("rdb: ", 0), 0u) << r.status().message();
  EXPECT_EQ(sink.keys, 0);
}

TEST(RdbDamage, DatabaseNumberBeyondIntIsRefused) {
  std::string rdb = "REDIS0009";
  rdb += '\xFE';                                                  // SELECTDB
  rdb += std::string("\x81\x00\x00\x00\x00\xFF\xFF\xFF\xFF", 9);  // 2^32-1
  rdb += '\xFF';                                                  // EOF
  rdb += std::string(8, '\0');
  CountingSink sink;
  auto r = ReadRdbPreamble(rdb, sink);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("database number"), std::string::npos);
  EXPECT_EQ(sink.last_db, -100);
}

}  // namespace
}  // namespace cairn::aof
