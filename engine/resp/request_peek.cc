#include "engine/resp/request_peek.h"

#include <cstdint>

namespace cairn {
namespace {

// A header number after its type byte: digits up to "\r\n". At most 18
// digits, so it cannot overflow; anything else (a sign, a lone '\r') stops
// the peek.
bool ReadHeaderNumber(std::string_view buf, size_t* pos, uint64_t* value) {
  size_t p = *pos;
  uint64_t v = 0;
  const size_t start = p;
  // A leading zero is a protocol error to the parser: no guess past it.
  if (p + 1 < buf.size() && buf[p] == '0' && buf[p + 1] >= '0' && buf[p + 1] <= '9') return false;
  while (p < buf.size() && buf[p] >= '0' && buf[p] <= '9') {
    v = v * 10 + static_cast<uint64_t>(buf[p] - '0');
    ++p;
  }
  if (p == start || p - start > 18 || p + 1 >= buf.size() || buf[p] != '\r' || buf[p + 1] != '\n') {
    return false;
  }
  *pos = p + 2;
  *value = v;
  return true;
}

}  // namespace

size_t PeekSecondArgs(std::string_view buf, std::string_view* out, size_t max) {
  size_t found = 0;
  size_t pos = 0;
  while (found < max && pos < buf.size() && buf[pos] == '*') {
    ++pos;
    uint64_t count = 0;
    if (!ReadHeaderNumber(buf, &pos, &count) || count < 2) return found;
    std::string_view second;
    for (uint64_t i = 0; i < count; ++i) {
      if (pos >= buf.size() || buf[pos] != '$') return found;
      ++pos;
      uint64_t len = 0;
      if (!ReadHeaderNumber(buf, &pos, &len)) return found;
      if (len > buf.size() - pos || buf.size() - pos - len < 2) return found;
      if (i == 1) second = buf.substr(pos, len);
      pos += len + 2;
    }
    out[found++] = second;
  }
  return found;
}

}  // namespace cairn
