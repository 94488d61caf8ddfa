// BITFIELD and BITFIELD_RO: integer fields of 1..64 bits (signed, or
// unsigned up to 63 bits) at any bit offset of a string, read (GET), written
// (SET) or incremented (INCRBY) under an OVERFLOW policy (WRAP, SAT, FAIL)
// that applies to the operations after it.
//
// The whole argument list is checked before anything runs. A command with a
// write creates or zero-extends the string to its farthest written bit first
// (even if every write then fails under OVERFLOW FAIL, as Redis does).
// server.dirty grows by the writes that changed a field, or by every write
// when the string grew.
//
// Effect: the bytes the command wrote, as SETRANGE records of their final
// contents (one per run of touched bytes, plus the last byte when the string
// grew, which fixes its new length). An INCRBY recorded as itself would add
// twice when replayed over a state that already has it; the bytes cannot.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "engine/command/bit_commands.h"
#include "engine/command/bit_ops.h"
#include "engine/command/string_options.h"
#include "engine/command/string_value.h"
#include "engine/util/strconv.h"

namespace cairn::bit_commands {
namespace {

enum class FieldOpKind : uint8_t { kGet, kSet, kIncrBy };

struct FieldOp {
  FieldOpKind kind;
  bool is_signed;
  int bits;
  uint64_t offset;
  int64_t value;  // SET's value or INCRBY's increment
  FieldOverflow overflow;
};

// "i1".."i64" or "u1".."u63" (lower-case letter, canonical number).
bool ParseFieldType(CommandContext& ctx, std::string_view arg, bool* is_signed, int* bits) {
  size_t nul = arg.find('\0');
  if (nul != std::string_view::npos) arg = arg.substr(0, nul);
  std::optional<int64_t> n;
  if (!arg.empty() && (arg[0] == 'i' || arg[0] == 'u')) n = ParseInt64(arg.substr(1));
  bool sign = !arg.empty() && arg[0] == 'i';
  if (!n || *n < 1 || *n > (sign ? 64 : 63)) {
    ctx.reply().Error(
        "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported "
        "but i64 is.");
    return false;
  }
  *is_signed = sign;
  *bits = static_cast<int>(*n);
  return true;
}

// Parses the operations; replies with the first error and returns false.
bool ParseFieldOps(CommandContext& ctx, std::vector<FieldOp>* ops) {
  FieldOverflow overflow = FieldOverflow::kWrap;
  for (size_t j = 2; j < ctx.argc(); ++j) {
    size_t remaining = ctx.argc() - j - 1;
    std::string_view sub = ctx.arg(j);
    FieldOpKind kind;
    if (OptionIs(sub, "get") && remaining >= 2) {
      kind = FieldOpKind::kGet;
    } else if (OptionIs(sub, "set") && remaining >= 3) {
      kind = FieldOpKind::kSet;
    } else if (OptionIs(sub, "incrby") && remaining >= 3) {
      kind = FieldOpKind::kIncrBy;
    } else if (OptionIs(sub, "overflow") && remaining >= 1) {
      std::string_view how = ctx.arg(++j);
      if (OptionIs(how, "wrap")) {
        overflow = FieldOverflow::kWrap;
      } else if (OptionIs(how, "sat")) {
        overflow = FieldOverflow::kSat;
      } else if (OptionIs(how, "fail")) {
        overflow = FieldOverflow::kFail;
      } else {
        ctx.reply().Error("ERR Invalid OVERFLOW type specified");
        return false;
      }
      continue;
    } else {
      ctx.reply().SyntaxError();
      return false;
    }
    FieldOp op{kind, false, 0, 0, 0, overflow};
    if (!ParseFieldType(ctx, ctx.arg(j + 1), &op.is_signed, &op.bits)) return false;
    std::optional<uint64_t> offset = ParseBitOffset(ctx, ctx.arg(j + 2), op.bits);
    if (!offset) return false;
    op.offset = *offset;
    if (kind != FieldOpKind::kGet) {
      std::optional<int64_t> v = ParseInt64(ctx.arg(j + 3));
      if (!v) {
        ctx.reply().NotInteger();
        return false;
      }
      op.value = *v;
    }
    ops->push_back(op);
    j += kind == FieldOpKind::kGet ? 2 : 3;
  }
  return true;
}

// Runs one SET or INCRBY on the string's bytes. Returns false when the
// overflow policy refused it (FAIL); otherwise *reply is the value to report
// and *changed whether the field's value changed.
bool RunWrite(const FieldOp& op, uint8_t* p, size_t len, int64_t* reply, bool* changed) {
  if (op.is_signed) {
    int64_t old = GetSignedField(p, len, op.offset, op.bits);
    int64_t limit = 0;
    int64_t next;
    int overflow;
    if (op.kind == FieldOpKind::kIncrBy) {
      overflow = SignedFieldOverflow(old, op.value, op.bits, op.overflow, &limit);
      next =
          overflow != 0
              ? limit
              : static_cast<int64_t>(static_cast<uint64_t>(old) + static_cast<uint64_t>(op.value));
      *reply = next;
    } else {
      overflow = SignedFieldOverflow(op.value, 0, op.bits, op.overflow, &limit);
      next = overflow != 0 ? limit : op.value;
      *reply = old;
    }
    if (overflow != 0 && op.overflow == FieldOverflow::kFail) return false;
    SetField(p, op.offset, op.bits, static_cast<uint64_t>(next));
    *changed = old != next;
    return true;
  }
  uint64_t old = GetUnsignedField(p, len, op.offset, op.bits);
  uint64_t limit = 0;
  uint64_t next;
  int overflow;
  if (op.kind == FieldOpKind::kIncrBy) {
    overflow = UnsignedFieldOverflow(old, op.value, op.bits, op.overflow, &limit);
    next = overflow != 0 ? limit : old + static_cast<uint64_t>(op.value);
    *reply = static_cast<int64_t>(next);
  } else {
    uint64_t value = static_cast<uint64_t>(op.value);
    overflow = UnsignedFieldOverflow(value, 0, op.bits, op.overflow, &limit);
    next = overflow != 0 ? limit : value;
    *reply = static_cast<int64_t>(old);
  }
  if (overflow != 0 && op.overflow == FieldOverflow::kFail) return false;
  SetField(p, op.offset, op.bits, next);
  *changed = old != next;
  return true;
}

// Records the final contents of the touched byte ranges (inclusive pairs).
void PropagateTouched(CommandContext& ctx, const Entry* e,
                      std::vector<std::pair<uint64_t, uint64_t>>& touched) {
  std::sort(touched.begin(), touched.end());
  const char* bytes = e->heap()->data();
  std::string_view key = ctx.arg(1);
  size_t i = 0;
  while (i < touched.size()) {
    uint64_t first = touched[i].first;
    uint64_t last = touched[i].second;
    for (++i; i < touched.size() && touched[i].first <= last + 1; ++i) {
      last = std::max(last, touched[i].second);
    }
    char buf[kInt64Chars];
    std::string_view offset(buf, FormatInt64(static_cast<int64_t>(first), buf));
    ctx.Propagate({"SETRANGE", key, offset, std::string_view(bytes + first, last - first + 1)});
  }
}

void BitFieldGeneric(CommandContext& ctx, bool read_only_command) {
  std::vector<FieldOp> ops;
  if (!ParseFieldOps(ctx, &ops)) return;
  bool writes = false;
  uint64_t farthest_bit = 0;
  for (const FieldOp& op : ops) {
    if (op.kind == FieldOpKind::kGet) continue;
    writes = true;
    farthest_bit = std::max(farthest_bit, op.offset + static_cast<uint64_t>(op.bits) - 1);
  }
  Entry* e = nullptr;
  bool grown = false;
  size_t old_len = 0;
  if (!writes) {
    e = ctx.LookupRead(ctx.arg(1));
    if (e != nullptr && e->type() != ObjType::kString) {
      ctx.reply().WrongType();
      return;
    }
  } else {
    if (read_only_command) {
      ctx.reply().Error("ERR BITFIELD_RO only supports the GET subcommand");
      return;
    }
    e = StringForBitWrite(ctx, farthest_bit, &grown, &old_len);
    if (e == nullptr) return;
  }

  ctx.reply().Array(ops.size());
  uint64_t changes = 0;
  std::vector<std::pair<uint64_t, uint64_t>> touched;
  for (const FieldOp& op : ops) {
    if (op.kind == FieldOpKind::kGet) {
      char buf[kInt64Chars];
      std::string_view s = e != nullptr ? e->StringValue(buf) : std::string_view();
      const auto* p = reinterpret_cast<const uint8_t*>(s.data());
      if (op.is_signed) {
        ctx.reply().Integer(GetSignedField(p, s.size(), op.offset, op.bits));
      } else {
        ctx.reply().Integer(
            static_cast<int64_t>(GetUnsignedField(p, s.size(), op.offset, op.bits)));
      }
      continue;
    }
    auto* p = reinterpret_cast<uint8_t*>(MutableBytes(e));
    int64_t reply = 0;
    bool changed = false;
    if (!RunWrite(op, p, e->heap()->len, &reply, &changed)) {
      ctx.reply().NullBulk();
      continue;
    }
    ctx.reply().Integer(reply);
    if (grown || changed) ++changes;
    touched.emplace_back(op.offset >> 3, (op.offset + static_cast<uint64_t>(op.bits) - 1) >> 3);
  }
  if (changes > 0 || grown) {
    if (grown) {
      uint64_t last = e->heap()->len - 1;
      touched.emplace_back(last, last);
    }
    PropagateTouched(ctx, e, touched);
  }
  if (changes > 0) ctx.AddDirty(changes);
}

}  // namespace

void BitField(CommandContext& ctx) { BitFieldGeneric(ctx, /*read_only_command=*/false); }

void BitFieldRo(CommandContext& ctx) { BitFieldGeneric(ctx, /*read_only_command=*/true); }

}  // namespace cairn::bit_commands
