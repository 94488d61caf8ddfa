// Bit arithmetic on byte strings, for SETBIT, GETBIT, BITCOUNT, BITPOS and
// BITFIELD. Pure functions: no keyspace, no replies.
//
// Bits are numbered as Redis numbers them: bit 0 is the most significant bit
// of byte 0, bit 8 the most significant bit of byte 1. A field of `bits`
// bits at `offset` is read and written most significant bit first.
//
// The overflow checks reproduce Redis's BITFIELD results exactly, including
// its arithmetic at the edges (values outside the field's range given to
// SET, 64-bit fields), in well-defined unsigned arithmetic.
#pragma once

#include <cstddef>
#include <cstdint>

namespace cairn {

// Number of set bits in p[0, n).
uint64_t CountBits(const uint8_t* p, size_t n);

// Number of set bits in the bit range [first, last] of p (last < 8 * size).
uint64_t CountBitsInRange(const uint8_t* p, uint64_t first, uint64_t last);

// Position of the first bit equal to `bit` in the bit range [first, last]
// of p, or -1 when there is none.
int64_t FindFirstBit(const uint8_t* p, uint64_t first, uint64_t last, bool bit);

// The unsigned field of `bits` (1..64) bits at bit offset of p; bytes at
// or past len read as zero.
uint64_t GetUnsignedField(const uint8_t* p, size_t len, uint64_t offset, int bits);
// The same field read as a two's complement signed integer.
int64_t GetSignedField(const uint8_t* p, size_t len, uint64_t offset, int bits);
// Writes the low `bits` bits of value at bit offset (the bytes must exist).
void SetField(uint8_t* p, uint64_t offset, int bits, uint64_t value);

enum class FieldOverflow : uint8_t { kWrap, kSat, kFail };

// Whether value + incr leaves the range of an unsigned (bits <= 63) or signed
// (bits <= 64) field: 0 when it fits, 1 above, -1 below. On overflow under
// kWrap or kSat, *limit receives the wrapped or saturated result.
int UnsignedFieldOverflow(uint64_t value, int64_t incr, int bits, FieldOverflow how,
                          uint64_t* limit);
int SignedFieldOverflow(int64_t value, int64_t incr, int bits, FieldOverflow how, int64_t* limit);

}  // namespace cairn
