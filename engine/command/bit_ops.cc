#include "engine/command/bit_ops.h"

#include <cstring>

namespace cairn {
namespace {

inline int BitAt(const uint8_t* p, uint64_t pos) { return (p[pos >> 3] >> (7 - (pos & 7))) & 1; }

}  // namespace

uint64_t CountBits(const uint8_t* p, size_t n) {
  uint64_t count = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    count += static_cast<uint64_t>(__builtin_popcountll(w));
  }
  for (; i < n; ++i) count += static_cast<uint64_t>(__builtin_popcount(p[i]));
  return count;
}

uint64_t CountBitsInRange(const uint8_t* p, uint64_t first, uint64_t last) {
  uint64_t first_byte = first >> 3;
  uint64_t last_byte = last >> 3;
  uint64_t count = CountBits(p + first_byte, last_byte - first_byte + 1);
  // Take back the bits of the edge bytes that lie outside the range: the
  // high bits before `first` and the low bits after `last`.
  unsigned before = static_cast<unsigned>(first & 7);
  unsigned after = 7 - static_cast<unsigned>(last & 7);
  uint8_t before_mask = static_cast<uint8_t>(0xFF00u >> before);
  uint8_t after_mask = static_cast<uint8_t>((1u << after) - 1);
  count -= static_cast<uint64_t>(__builtin_popcount(p[first_byte] & before_mask));
  count -= static_cast<uint64_t>(__builtin_popcount(p[last_byte] & after_mask));
  return count;
}

int64_t FindFirstBit(const uint8_t* p, uint64_t first, uint64_t last, bool bit) {
  const uint8_t skip_byte = bit ? 0x00 : 0xFF;
  const uint64_t skip_word = bit ? 0 : ~uint64_t{0};
  uint64_t pos = first;
  while (pos <= last) {
    if ((pos & 7) == 0 && pos + 7 <= last) {
      // Byte-aligned with at least one whole byte left: skip bytes (and
      // words) that cannot hold the bit.
      while (pos + 63 <= last) {
        uint64_t w;
        std::memcpy(&w, p + (pos >> 3), 8);
        if (w != skip_word) break;
        pos += 64;
      }
      while (pos + 7 <= last && p[pos >> 3] == skip_byte) pos += 8;
      if (pos > last) break;
      if (pos + 7 <= last) {
        unsigned b = bit ? p[pos >> 3] : static_cast<uint8_t>(~p[pos >> 3]);
        return static_cast<int64_t>(pos) + (__builtin_clz(b) - 24);
      }
    }
    if (BitAt(p, pos) == (bit ? 1 : 0)) return static_cast<int64_t>(pos);
    ++pos;
  }
  return -1;
}

uint64_t GetUnsignedField(const uint8_t* p, size_t len, uint64_t offset, int bits) {
  uint64_t v = 0;
  for (int i = 0; i < bits; ++i) {
    uint64_t pos = offset + static_cast<uint64_t>(i);
    uint64_t b = (pos >> 3) < len ? static_cast<uint64_t>(BitAt(p, pos)) : 0;
    v = (v << 1) | b;
  }
  return v;
}

int64_t GetSignedField(const uint8_t* p, size_t len, uint64_t offset, int bits) {
  uint64_t u = GetUnsignedField(p, len, offset, bits);
  // Extend the field's sign bit over the higher bits.
  if (bits < 64 && (u & (uint64_t{1} << (bits - 1))) != 0) u |= ~uint64_t{0} << bits;
  return static_cast<int64_t>(u);
}

void SetField(uint8_t* p, uint64_t offset, int bits, uint64_t value) {
  for (int i = 0; i < bits; ++i) {
    uint64_t pos = offset + static_cast<uint64_t>(i);
    uint8_t mask = static_cast<uint8_t>(0x80u >> (pos & 7));
    if ((value >> (bits - 1 - i)) & 1) {
      p[pos >> 3] |= mask;
    } else {
      p[pos >> 3] &= static_cast<uint8_t>(~mask);
    }
  }
}

int UnsignedFieldOverflow(uint64_t value, int64_t incr, int bits, FieldOverflow how,
                          uint64_t* limit) {
  const uint64_t max = bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
  // The largest and smallest increments that still fit (as Redis computes
  // them: differences taken modulo 2^64, then read as signed).
  const int64_t max_incr = static_cast<int64_t>(max - value);
  const int64_t min_incr = static_cast<int64_t>(uint64_t{0} - value);
  int direction = 0;
  if (value > max || (incr > 0 && incr > max_incr)) {
    direction = 1;
  } else if (incr < 0 && incr < min_incr) {
    direction = -1;
  } else {
    return 0;
  }
  if (how == FieldOverflow::kWrap) {
    uint64_t sum = value + static_cast<uint64_t>(incr);
    *limit = bits == 64 ? sum : sum & max;
  } else if (how == FieldOverflow::kSat) {
    *limit = direction > 0 ? max : 0;
  }
  return direction;
}

int SignedFieldOverflow(int64_t value, int64_t incr, int bits, FieldOverflow how, int64_t* limit) {
  const int64_t max = bits == 64 ? INT64_MAX : (int64_t{1} << (bits - 1)) - 1;
  const int64_t min = -max - 1;
  // Differences taken modulo 2^64, then read as signed, as Redis computes
  // them; they are meaningful only where the checks below use them.
  const uint64_t uvalue = static_cast<uint64_t>(value);
  const int64_t max_incr = static_cast<int64_t>(static_cast<uint64_t>(max) - uvalue);
  const int64_t min_incr = static_cast<int64_t>(static_cast<uint64_t>(min) - uvalue);
  int direction = 0;
  if (value > max || (bits != 64 && incr > max_incr) ||
      (value >= 0 && incr > 0 && incr > max_incr)) {
    direction = 1;
  } else if (value < min || (bits != 64 && incr < min_incr) ||
             (value < 0 && incr < 0 && incr < min_incr)) {
    direction = -1;
  } else {
    return 0;
  }
  if (how == FieldOverflow::kWrap) {
    uint64_t sum = uvalue + static_cast<uint64_t>(incr);
    if (bits < 64) {
      // Keep the field's bits, and extend its sign bit over the rest.
      uint64_t high = ~uint64_t{0} << bits;
      if (sum & (uint64_t{1} << (bits - 1))) {
        sum |= high;
      } else {
        sum &= ~high;
      }
    }
    *limit = static_cast<int64_t>(sum);
  } else if (how == FieldOverflow::kSat) {
    *limit = direction > 0 ? max : min;
  }
  return direction;
}

}  // namespace cairn
