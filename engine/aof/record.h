// Records of the append-only file: how effects and annotations are written.
//
// A record is one command as a RESP multibulk request, exactly as
// redis-server writes its AOF, so either server reads the other's files.
// Lines that start with '#' are annotations: Redis's loader and
// redis-check-aof skip them. Cairn writes three kinds:
//   "#TS:<unix seconds>\r\n"               aof-timestamp-enabled (as Redis)
//   "#cairn:<len>:<crc32c hex>\r\n"       after every batch: the length and
//                                          CRC-32C of the batch's bytes since
//                                          the previous annotation's end
//   "#cairn-size:<db>:<keys>:<expiring>\r\n"
//                                          in a base, before a database's
//                                          first record: how many keys (and
//                                          keys with a TTL) it holds, so the
//                                          loader sizes the tables once
//                                          instead of rehashing as they fill
//                                          (what Redis's RDB RESIZEDB does)
// The checksum lets the loader tell a write torn by a crash (bytes after the
// last batch whose checksum holds) from damage in the middle of the history
// (a valid batch after the bad bytes).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace cairn::aof {

inline constexpr std::string_view kChecksumPrefix = "#cairn:";
inline constexpr std::string_view kSizeHintPrefix = "#cairn-size:";

// Appends args as a RESP multibulk request.
void AppendRecord(std::string& out, std::span<const std::string_view> args);
// Appends SELECT db.
void AppendSelect(std::string& out, int db);
// The longest checksum annotation line, CRLF included.
inline constexpr size_t kChecksumLineMax = 64;
// Writes the checksum annotation for batch into line; returns its length.
size_t FormatChecksum(std::string_view batch, std::span<char, kChecksumLineMax> line);
// Appends the checksum annotation for batch (the bytes it covers).
void AppendChecksum(std::string& out, std::string_view batch);
// Appends "#TS:<seconds>\r\n".
void AppendTimestamp(std::string& out, int64_t unix_seconds);

// Appends "#cairn-size:<db>:<keys>:<expiring>\r\n".
void AppendSizeHint(std::string& out, int db, uint64_t keys, uint64_t expiring);

// A parsed size hint line (without its CRLF). Only a hint: a loader must
// bound what it reserves by the bytes that could still hold that many keys.
struct SizeHint {
  int db = 0;
  uint64_t keys = 0;
  uint64_t expiring = 0;
};
std::optional<SizeHint> ParseSizeHint(std::string_view line);

// A parsed checksum annotation line (without its CRLF).
struct Checksum {
  uint64_t length = 0;
  uint32_t crc = 0;
};
std::optional<Checksum> ParseChecksum(std::string_view line);

}  // namespace cairn::aof
