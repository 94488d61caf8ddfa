// LCS: the longest common subsequence of two strings, its length (LEN), or
// the matched ranges (IDX, MINMATCHLEN, WITHMATCHLEN).
//
// The classic dynamic-programming table of prefix LCS lengths, walked back
// from the end of both strings. The walk's tie-break (step in the second
// string when both directions keep the same length) and the grouping of
// matched ranges decide which of several equally long answers the client
// sees, so they follow Redis exactly. The table costs 4 bytes per cell and is
// refused above proto-max-bulk-len, as Redis refuses it.
#include <algorithm>
#include <memory>
#include <new>
#include <string>

#include "engine/command/string_commands.h"
#include "engine/command/string_options.h"
#include "engine/util/strconv.h"

namespace cairn::string_commands {
namespace {

struct LcsOptions {
  bool len = false;
  bool idx = false;
  bool with_match_len = false;
  int64_t min_match_len = 0;
};

// The table of LCS lengths of every pair of prefixes: cell (i, j) holds the
// LCS length of a[0, i) and b[0, j).
class LcsTable {
 public:
  bool Allocate(size_t alen, size_t blen) {
    width_ = blen + 1;
    cells_.reset(new (std::nothrow) uint32_t[(alen + 1) * width_]);
    return cells_ != nullptr;
  }
  void Fill(std::string_view a, std::string_view b) {
    for (size_t j = 0; j <= b.size(); ++j) at(0, j) = 0;
    for (size_t i = 1; i <= a.size(); ++i) {
      at(i, 0) = 0;
      for (size_t j = 1; j <= b.size(); ++j) {
        if (a[i - 1] == b[j - 1]) {
          at(i, j) = at(i - 1, j - 1) + 1;
        } else {
          at(i, j) = std::max(at(i - 1, j), at(i, j - 1));
        }
      }
    }
  }
  uint32_t& at(size_t i, size_t j) { return cells_[i * width_ + j]; }

 private:
  size_t width_ = 0;
  std::unique_ptr<uint32_t[]> cells_;
};

void ReplyRange(CommandContext& ctx, const LcsOptions& o, uint32_t a_start, uint32_t a_end,
                uint32_t b_start, uint32_t b_end) {
  ReplyWriter& r = ctx.reply();
  r.Array(o.with_match_len ? 3 : 2);
  r.Array(2);
  r.Integer(a_start);
  r.Integer(a_end);
  r.Array(2);
  r.Integer(b_start);
  r.Integer(b_end);
  if (o.with_match_len) r.Integer(static_cast<int64_t>(a_end) - a_start + 1);
}

}  // namespace

void Lcs(CommandContext& ctx) {
  // Both keys are read before the options are looked at.
  Entry* ea = ctx.LookupRead(ctx.arg(1));
  Entry* eb = ctx.LookupRead(ctx.arg(2));
  if ((ea != nullptr && ea->type() != ObjType::kString) ||
      (eb != nullptr && eb->type() != ObjType::kString)) {
    ctx.reply().Error("ERR The specified keys must contain string values");
    return;
  }
  char abuf[kInt64Chars];
  char bbuf[kInt64Chars];
  std::string_view a = ea != nullptr ? ea->StringValue(abuf) : std::string_view();
  std::string_view b = eb != nullptr ? eb->StringValue(bbuf) : std::string_view();

  LcsOptions o;
  for (size_t i = 3; i < ctx.argc(); ++i) {
    std::string_view opt = ctx.arg(i);
    if (OptionIs(opt, "idx")) {
      o.idx = true;
    } else if (OptionIs(opt, "len")) {
      o.len = true;
    } else if (OptionIs(opt, "withmatchlen")) {
      o.with_match_len = true;
    } else if (OptionIs(opt, "minmatchlen") && i + 1 < ctx.argc()) {
      std::optional<int64_t> v = ParseInt64(ctx.arg(i + 1));
      if (!v) {
        ctx.reply().NotInteger();
        return;
      }
      o.min_match_len = *v < 0 ? 0 : *v;
      ++i;
    } else {
      ctx.reply().SyntaxError();
      return;
    }
  }
  if (o.idx && o.len) {
    ctx.reply().Error("ERR If you want both the length and indexes, please just use IDX.");
    return;
  }
  if (a.size() >= UINT32_MAX - 1 || b.size() >= UINT32_MAX - 1) {
    ctx.reply().Error("ERR String too long for LCS");
    return;
  }
  uint64_t cells = (static_cast<uint64_t>(a.size()) + 1) * (b.size() + 1);
  if (cells * sizeof(uint32_t) > static_cast<uint64_t>(ctx.settings().proto_max_bulk_len)) {
    ctx.reply().Error(
        "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
    return;
  }
  LcsTable table;
  if (!table.Allocate(a.size(), b.size())) {
    ctx.reply().Error("ERR Insufficient memory, failed allocating transient memory for LCS");
    return;
  }
  table.Fill(a, b);
  uint32_t total = table.at(a.size(), b.size());
  if (o.len) {
    ctx.reply().Integer(total);
    return;
  }

  // Walk back from the end. With IDX, each maximal run of consecutive
  // matches is reported when the walk leaves it (or reaches the start of a
  // string); a run is open only right after a match, so runs never merge.
  std::string text;
  if (!o.idx) text.resize(total);
  size_t ranges_mark = 0;
  size_t ranges = 0;
  if (o.idx) {
    ctx.reply().Map(2);
    ctx.reply().Bulk("matches");
    ranges_mark = ctx.reply().BeginDeferred();
  }
  bool open = false;
  uint32_t a_start = 0, a_end = 0, b_start = 0, b_end = 0;
  uint32_t i = static_cast<uint32_t>(a.size());
  uint32_t j = static_cast<uint32_t>(b.size());
  uint32_t pos = total;
  while (i > 0 && j > 0) {
    bool close = false;
    if (a[i - 1] == b[j - 1]) {
      if (!o.idx) text[pos - 1] = a[i - 1];
      if (!open) {
        open = true;
        a_start = a_end = i - 1;
        b_start = b_end = j - 1;
      } else {
        --a_start;
        --b_start;
      }
      if (a_start == 0 || b_start == 0) close = true;
      --pos;
      --i;
      --j;
    } else {
      if (table.at(i - 1, j) > table.at(i, j - 1)) {
        --i;
      } else {
        --j;
      }
      if (open) close = true;
    }
    if (close) {
      uint32_t match_len = a_end - a_start + 1;
      if (o.idx && (o.min_match_len == 0 || match_len >= o.min_match_len)) {
        ReplyRange(ctx, o, a_start, a_end, b_start, b_end);
        ++ranges;
      }
      open = false;
    }
  }
  if (o.idx) {
    ctx.reply().Bulk("len");
    ctx.reply().Integer(total);
    ctx.reply().EndDeferredArray(ranges_mark, ranges);
  } else {
    ctx.reply().Bulk(text);
  }
}

}  // namespace cairn::string_commands
