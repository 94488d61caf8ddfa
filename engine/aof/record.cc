#include "engine/aof/record.h"

#include <array>
#include <cstdio>

#include "engine/aof/crc32c.h"
#include "engine/util/strconv.h"

namespace cairn::aof {
namespace {

void AppendHeader(std::string& out, char kind, size_t n) {
  char buf[24];
  out.push_back(kind);
  out.append(buf, FormatInt64(static_cast<int64_t>(n), buf));
  out.append("\r\n");
}

}  // namespace

void AppendRecord(std::string& out, std::span<const std::string_view> args) {
  AppendHeader(out, '*', args.size());
  for (std::string_view a : args) {
    AppendHeader(out, '$', a.size());
    out.append(a);
    out.append("\r\n");
  }
}

void AppendSelect(std::string& out, int db) {
  char buf[24];
  std::string_view args[2] = {"SELECT", std::string_view(buf, FormatInt64(db, buf))};
  AppendRecord(out, args);
}

size_t FormatChecksum(std::string_view batch, std::span<char, kChecksumLineMax> line) {
  int n = std::snprintf(line.data(), line.size(), "%s%llu:%08x\r\n", kChecksumPrefix.data(),
                        static_cast<unsigned long long>(batch.size()), Crc32c(batch));
  return static_cast<size_t>(n);
}

void AppendChecksum(std::string& out, std::string_view batch) {
  std::array<char, kChecksumLineMax> line{};
  out.append(line.data(), FormatChecksum(batch, line));
}

void AppendTimestamp(std::string& out, int64_t unix_seconds) {
  char buf[24];
  out.append("#TS:");
  out.append(buf, FormatInt64(unix_seconds, buf));
  out.append("\r\n");
}

void AppendSizeHint(std::string& out, int db, uint64_t keys, uint64_t expiring) {
  char buf[24];
  out.append(kSizeHintPrefix);
  out.append(buf, FormatInt64(db, buf));
  out.push_back(':');
  out.append(buf, FormatInt64(static_cast<int64_t>(keys), buf));
  out.push_back(':');
  out.append(buf, FormatInt64(static_cast<int64_t>(expiring), buf));
  out.append("\r\n");
}

std::optional<SizeHint> ParseSizeHint(std::string_view line) {
  if (line.substr(0, kSizeHintPrefix.size()) != kSizeHintPrefix) return std::nullopt;
  line.remove_prefix(kSizeHintPrefix.size());
  int64_t fields[3];
  for (int i = 0; i < 3; ++i) {
    size_t colon = i < 2 ? line.find(':') : line.size();
    if (colon == std::string_view::npos) return std::nullopt;
    auto v = ParseInt64(line.substr(0, colon));
    if (!v || *v < 0) return std::nullopt;
    fields[i] = *v;
    line.remove_prefix(i < 2 ? colon + 1 : colon);
  }
  if (fields[0] > INT32_MAX) return std::nullopt;
  return SizeHint{static_cast<int>(fields[0]), static_cast<uint64_t>(fields[1]),
                  static_cast<uint64_t>(fields[2])};
}

std::optional<Checksum> ParseChecksum(std::string_view line) {
  if (line.substr(0, kChecksumPrefix.size()) != kChecksumPrefix) return std::nullopt;
  line.remove_prefix(kChecksumPrefix.size());
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  Checksum c;
  for (char ch : line.substr(0, colon)) {
    if (ch < '0' || ch > '9') return std::nullopt;
    c.length = c.length * 10 + static_cast<uint64_t>(ch - '0');
  }
  std::string_view hex = line.substr(colon + 1);
  if (hex.size() != 8) return std::nullopt;
  for (char ch : hex) {
    uint32_t v;
    if (ch >= '0' && ch <= '9') {
      v = static_cast<uint32_t>(ch - '0');
    } else if (ch >= 'a' && ch <= 'f') {
      v = static_cast<uint32_t>(ch - 'a' + 10);
    } else {
      return std::nullopt;
    }
    c.crc = (c.crc << 4) | v;
  }
  return c;
}

}  // namespace cairn::aof
