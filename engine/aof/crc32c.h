// Crc32c: the CRC-32C (Castagnoli) checksum of a byte range, table-driven.
//
// Used for Cairn's per-batch checksum annotation in the append-only file;
// the value for a range is the same on every platform and build.
#pragma once

#include <cstdint>
#include <string_view>

namespace cairn::aof {

// Extends crc (0 for a fresh checksum) over data.
uint32_t Crc32c(std::string_view data, uint32_t crc = 0);

}  // namespace cairn::aof
