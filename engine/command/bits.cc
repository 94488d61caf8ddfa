// Bit commands on strings: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP (BITFIELD
// lives in bitfield.cc) -- and the bit family's handler list.
//
// A missing key reads as an endless run of zero bits. Writes edit a raw heap
// string in place, creating or zero-extending it first. Effects: SETBIT is
// recorded as itself (it sets one bit to a given value, so replaying it is
// harmless); BITOP as "SET dest <result>" or "DEL dest", its effect, since
// replaying the operation over a destination that is also a source would
// apply it twice.
#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

#include "engine/command/bit_commands.h"
#include "engine/command/bit_ops.h"
#include "engine/command/string_options.h"
#include "engine/command/string_value.h"
#include "engine/util/strconv.h"

namespace cairn {
namespace bit_commands {
namespace {

const uint8_t* Bytes(std::string_view s) { return reinterpret_cast<const uint8_t*>(s.data()); }

// BYTE or BIT after a range; nullopt (after a syntax error reply) otherwise.
std::optional<bool> ParseBitUnit(CommandContext& ctx, std::string_view arg) {
  if (OptionIs(arg, "bit")) return true;
  if (OptionIs(arg, "byte")) return false;
  ctx.reply().SyntaxError();
  return std::nullopt;
}

// Turns negative range ends into offsets from the end of a length-`total`
// sequence and clamps both into it; end < start means an empty range.
void NormalizeRange(int64_t total, int64_t* start, int64_t* end) {
  if (*start < 0) *start += total;
  if (*end < 0) *end += total;
  if (*start < 0) *start = 0;
  if (*end < 0) *end = 0;
  if (*end >= total) *end = total - 1;
}

enum class BitOperation : uint8_t { kAnd, kOr, kXor, kNot };

}  // namespace

std::optional<uint64_t> ParseBitOffset(CommandContext& ctx, std::string_view arg, int field_bits) {
  bool by_field = field_bits > 0 && arg.size() > 1 && arg[0] == '#';
  std::optional<int64_t> v = ParseInt64(by_field ? arg.substr(1) : arg);
  if (v) {
    // "#N" counts fields; the product wraps as Redis's does and is then
    // refused when negative.
    int64_t offset =
        by_field
            ? static_cast<int64_t>(static_cast<uint64_t>(*v) * static_cast<uint64_t>(field_bits))
            : *v;
    if (offset >= 0 && (offset >> 3) < ctx.settings().proto_max_bulk_len) {
      return static_cast<uint64_t>(offset);
    }
  }
  ctx.reply().Error("ERR bit offset is not an integer or out of range");
  return std::nullopt;
}

Entry* StringForBitWrite(CommandContext& ctx, uint64_t max_bit, bool* grown, size_t* old_len) {
  size_t len = static_cast<size_t>(max_bit >> 3) + 1;
  std::string_view key = ctx.arg(1);
  Database::Slot slot = ctx.LocateWrite(key);
  Entry* e = slot.entry();
  if (e == nullptr) {
    e = NewZeroedRawString(key, len, 0, ctx.engine().LruClock());
    PutEntry(ctx.db(), slot, e);
    *grown = true;
    *old_len = 0;
    return e;
  }
  if (e->type() != ObjType::kString) {
    ctx.reply().WrongType();
    return nullptr;
  }
  e = UnshareString(ctx.db(), slot);
  *old_len = e->heap()->len;
  GrowZeroed(ctx.db(), e, len);
  *grown = e->heap()->len != *old_len;
  return e;
}

void SetBit(CommandContext& ctx) {
  std::optional<uint64_t> offset = ParseBitOffset(ctx, ctx.arg(2));
  if (!offset) return;
  std::optional<int64_t> on = ParseInt64(ctx.arg(3));
  if (!on || (*on & ~int64_t{1}) != 0) {
    ctx.reply().Error("ERR bit is not an integer or out of range");
    return;
  }
  bool grown = false;
  size_t old_len = 0;
  Entry* e = StringForBitWrite(ctx, *offset, &grown, &old_len);
  if (e == nullptr) return;
  uint8_t* byte = reinterpret_cast<uint8_t*>(MutableBytes(e)) + (*offset >> 3);
  uint8_t mask = static_cast<uint8_t>(0x80u >> (*offset & 7));
  bool was_set = (*byte & mask) != 0;
  // Nothing is recorded when the string neither grew nor changed.
  if (grown || was_set != (*on == 1)) {
    if (*on == 1) {
      *byte |= mask;
    } else {
      *byte &= static_cast<uint8_t>(~mask);
    }
    ctx.AddDirty();
    ctx.Propagate({"SETBIT", ctx.arg(1), ctx.arg(2), ctx.arg(3)});
  }
  ctx.reply().Integer(was_set ? 1 : 0);
}

void GetBit(CommandContext& ctx) {
  std::optional<uint64_t> offset = ParseBitOffset(ctx, ctx.arg(2));
  if (!offset) return;
  Entry* e = ctx.LookupRead(ctx.arg(1));
  if (e == nullptr) {
    ctx.reply().Integer(0);
    return;
  }
  if (e->type() != ObjType::kString) {
    ctx.reply().WrongType();
    return;
  }
  char buf[kInt64Chars];
  std::string_view s = e->StringValue(buf);
  uint64_t byte = *offset >> 3;
  int bit = 0;
  if (byte < s.size()) bit = (Bytes(s)[byte] >> (7 - (*offset & 7))) & 1;
  ctx.reply().Integer(bit);
}

void BitCount(CommandContext& ctx) {
  // The key is read first: a missing key counts 0 whatever the arguments.
  Entry* e = ctx.LookupRead(ctx.arg(1));
  if (e == nullptr) {
    ctx.reply().Integer(0);
    return;
  }
  if (e->type() != ObjType::kString) {
    ctx.reply().WrongType();
    return;
  }
  char buf[kInt64Chars];
  std::string_view s = e->StringValue(buf);
  int64_t len = static_cast<int64_t>(s.size());
  int64_t start = 0;
  int64_t end = len - 1;
  bool in_bits = false;
  if (ctx.argc() == 4 || ctx.argc() == 5) {
    std::optional<int64_t> start_arg = ParseInt64(ctx.arg(2));
    std::optional<int64_t> end_arg = start_arg ? ParseInt64(ctx.arg(3)) : std::nullopt;
    if (!start_arg || !end_arg) {
      ctx.reply().NotInteger();
      return;
    }
    if (ctx.argc() == 5) {
      std::optional<bool> unit = ParseBitUnit(ctx, ctx.arg(4));
      if (!unit) return;
      in_bits = *unit;
    }
    start = *start_arg;
    end = *end_arg;
    if (start < 0 && end < 0 && start > end) {
      ctx.reply().Integer(0);
      return;
    }
    NormalizeRange(in_bits ? len * 8 : len, &start, &end);
  } else if (ctx.argc() != 2) {
    ctx.reply().SyntaxError();
    return;
  }
  if (start > end) {
    ctx.reply().Integer(0);
    return;
  }
  uint64_t count =
      in_bits ? CountBitsInRange(Bytes(s), static_cast<uint64_t>(start), static_cast<uint64_t>(end))
              : CountBits(Bytes(s) + start, static_cast<size_t>(end - start + 1));
  ctx.reply().Integer(static_cast<int64_t>(count));
}

void BitPos(CommandContext& ctx) {
  std::optional<int64_t> bit = ParseInt64(ctx.arg(2));
  if (!bit) {
    ctx.reply().NotInteger();
    return;
  }
  if (*bit != 0 && *bit != 1) {
    ctx.reply().Error("ERR The bit argument must be 1 or 0.");
    return;
  }
  // A missing key is all zero bits: the first 0 is at 0, there is no 1.
  Entry* e = ctx.LookupRead(ctx.arg(1));
  if (e == nullptr) {
    ctx.reply().Integer(*bit == 1 ? -1 : 0);
    return;
  }
  if (e->type() != ObjType::kString) {
    ctx.reply().WrongType();
    return;
  }
  char buf[kInt64Chars];
  std::string_view s = e->StringValue(buf);
  int64_t len = static_cast<int64_t>(s.size());
  int64_t start = 0;
  int64_t end = len - 1;
  bool in_bits = false;
  bool end_given = false;
  if (ctx.argc() >= 4 && ctx.argc() <= 6) {
    std::optional<int64_t> start_arg = ParseInt64(ctx.arg(3));
    if (!start_arg) {
      ctx.reply().NotInteger();
      return;
    }
    start = *start_arg;
    if (ctx.argc() == 6) {
      std::optional<bool> unit = ParseBitUnit(ctx, ctx.arg(5));
      if (!unit) return;
      in_bits = *unit;
    }
    if (ctx.argc() >= 5) {
      std::optional<int64_t> end_arg = ParseInt64(ctx.arg(4));
      if (!end_arg) {
        ctx.reply().NotInteger();
        return;
      }
      end = *end_arg;
      end_given = true;
    }
    NormalizeRange(in_bits ? len * 8 : len, &start, &end);
  } else if (ctx.argc() != 3) {
    ctx.reply().SyntaxError();
    return;
  }
  if (start > end) {
    ctx.reply().Integer(-1);
    return;
  }
  uint64_t first = static_cast<uint64_t>(start);
  uint64_t last = static_cast<uint64_t>(end);
  if (!in_bits) {
    first *= 8;
    last = last * 8 + 7;
  }
  int64_t pos = FindFirstBit(Bytes(s), first, last, *bit == 1);
  if (pos < 0 && *bit == 0 && !end_given) {
    // Without an explicit end the string continues with zero bits.
    pos = static_cast<int64_t>(last + 1);
  }
  ctx.reply().Integer(pos);
}

void BitOp(CommandContext& ctx) {
  std::string_view name = ctx.arg(1);
  BitOperation op;
  if (OptionIs(name, "and")) {
    op = BitOperation::kAnd;
  } else if (OptionIs(name, "or")) {
    op = BitOperation::kOr;
  } else if (OptionIs(name, "xor")) {
    op = BitOperation::kXor;
  } else if (OptionIs(name, "not")) {
    op = BitOperation::kNot;
  } else {
    ctx.reply().SyntaxError();
    return;
  }
  if (op == BitOperation::kNot && ctx.argc() != 4) {
    ctx.reply().Error("ERR BITOP NOT must be called with a single source key.");
    return;
  }
  // Every source is read (and refused when not a string) before anything is
  // written; ints are printed into their own buffers.
  size_t sources = ctx.argc() - 3;
  std::vector<std::string_view> values(sources);
  std::vector<std::array<char, kInt64Chars>> int_bufs(sources);
  size_t max_len = 0;
  for (size_t i = 0; i < sources; ++i) {
    Entry* e = ctx.LookupRead(ctx.arg(3 + i));
    if (e == nullptr) continue;
    if (e->type() != ObjType::kString) {
      ctx.reply().WrongType();
      return;
    }
    values[i] = e->StringValue(int_bufs[i].data());
    max_len = std::max(max_len, values[i].size());
  }
  std::string_view dest = ctx.arg(2);
  if (max_len == 0) {
    // An empty result deletes the destination (even one already past its
    // deadline: Redis removes it without an expiry check).
    Database::Slot slot = ctx.db().Locate(dest);
    if (slot) {
      ctx.db().Delete(slot);
      ctx.AddDirty();
      ctx.Propagate({"DEL", dest});
    }
    ctx.reply().Integer(0);
    return;
  }
  // The result is built in a new entry while the sources (which may include
  // the destination) are still in place.
  Entry* result = NewZeroedRawString(dest, max_len, 0, 0);
  uint8_t* out = reinterpret_cast<uint8_t*>(MutableBytes(result));
  if (!values[0].empty()) std::memcpy(out, values[0].data(), values[0].size());
  if (op == BitOperation::kNot) {
    for (size_t j = 0; j < max_len; ++j) out[j] = static_cast<uint8_t>(~out[j]);
  }
  for (size_t i = 1; i < sources; ++i) {
    const uint8_t* src = Bytes(values[i]);
    size_t n = values[i].size();
    switch (op) {
      case BitOperation::kAnd:
        for (size_t j = 0; j < n; ++j) out[j] &= src[j];
        std::memset(out + n, 0, max_len - n);  // missing bytes are zeros
        break;
      case BitOperation::kOr:
        for (size_t j = 0; j < n; ++j) out[j] |= src[j];
        break;
      case BitOperation::kXor:
        for (size_t j = 0; j < n; ++j) out[j] ^= src[j];
        break;
      case BitOperation::kNot:
        break;
    }
  }
  Database::Slot slot = ctx.LocateWrite(dest);
  result->set_lru(slot.entry() != nullptr ? slot.entry()->lru() : ctx.engine().LruClock());
  PutEntry(ctx.db(), slot, result);
  ctx.AddDirty();
  ctx.Propagate({"SET", dest, std::string_view(MutableBytes(result), max_len)});
  ctx.reply().Integer(static_cast<int64_t>(max_len));
}

}  // namespace bit_commands

namespace {

namespace bc = bit_commands;

constexpr HandlerBinding kHandlers[] = {
    {"setbit", bc::SetBit},          {"getbit", bc::GetBit}, {"bitcount", bc::BitCount},
    {"bitpos", bc::BitPos},          {"bitop", bc::BitOp},   {"bitfield", bc::BitField},
    {"bitfield_ro", bc::BitFieldRo},
};

}  // namespace

std::span<const HandlerBinding> BitHandlers() { return kHandlers; }

}  // namespace cairn
