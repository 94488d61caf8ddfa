// Crc32c: the CRC-32C (Castagnoli) checksum of a byte range.
//
// Used for Cairn's per-batch checksum annotation in the append-only file,
// which covers every byte the log writes: on x86-64 with SSE4.2 it runs on
// the CPU's crc32 instruction (8 bytes per step), elsewhere on a table. Both
// give the same value for a range on every platform and build (the table
// path stays reachable for tests: Crc32cPortable).
#pragma once

#include <cstdint>
#include <string_view>

namespace cairn::aof {

// Extends crc (0 for a fresh checksum) over data.
uint32_t Crc32c(std::string_view data, uint32_t crc = 0);
// The same, table-driven, whatever the CPU offers.
uint32_t Crc32cPortable(std::string_view data, uint32_t crc = 0);

}  // namespace cairn::aof
