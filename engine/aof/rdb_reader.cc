#include "engine/aof/rdb_reader.h"

namespace cairn::aof {

Result<size_t> ReadRdbPreamble(std::string_view data, RdbSink& sink) {
  (void)data;
  (void)sink;
  return Status::Invalid("rdb: RDB preambles are not supported yet");
}

}  // namespace cairn::aof
