// libFuzzer target: the RDB preamble reader (engine/aof/rdb_reader.h) on
// arbitrary bytes -- RDB files written by redis-server, damaged. The reader
// either returns an offset inside the input (records may follow it) or
// refuses with an "rdb: " message; every key it hands over has a database
// selected in range first, and a second read of the same bytes hands over
// exactly the same keys (the reader keeps no hidden state). Crashes, hangs,
// over-reads and huge allocations from crafted lengths are the sanitizers'
// to find.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "engine/aof/rdb_reader.h"

namespace {

using cairn::Status;

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "rdb_fuzz: %s\n", what.c_str());
  std::abort();
}

class RecordingSink final : public cairn::aof::RdbSink {
 public:
  Status SelectDb(int db) override {
    if (db < 0) Fail("negative database " + std::to_string(db));
    events.push_back("db " + std::to_string(db));
    return Status::Ok();
  }
  Status SetString(std::string_view key, std::string_view value, int64_t expire_ms) override {
    events.push_back("set " + std::to_string(key.size()) + ":" + std::string(key) + " " +
                     std::to_string(value.size()) + ":" + std::string(value) + " " +
                     std::to_string(expire_ms));
    return Status::Ok();
  }
  std::vector<std::string> events;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  RecordingSink first;
  auto end = cairn::aof::ReadRdbPreamble(bytes, first);
  if (end.ok()) {
    if (end.value() > bytes.size()) Fail("preamble end past the input");
  } else if (end.status().message().rfind("rdb: ", 0) != 0) {
    Fail("refusal without its prefix: " + end.status().message());
  }
  RecordingSink second;
  auto again = cairn::aof::ReadRdbPreamble(bytes, second);
  if (again.ok() != end.ok() || second.events != first.events ||
      (end.ok() && again.value() != end.value())) {
    Fail("a second read of the same bytes differs");
  }
  return 0;
}
