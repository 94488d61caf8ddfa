#include "engine/command/string_options.h"

#include <string>

#include "engine/command/context.h"
#include "engine/util/strconv.h"

namespace cairn {

bool OptionIs(std::string_view arg, std::string_view lower_word) {
  size_t nul = arg.find('\0');
  if (nul != std::string_view::npos) arg = arg.substr(0, nul);
  if (arg.size() != lower_word.size()) return false;
  for (size_t i = 0; i < arg.size(); ++i) {
    char c = arg[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
    if (c != lower_word[i]) return false;
  }
  return true;
}

bool ParseSetOptions(CommandContext& ctx, size_t first, OptionGrammar grammar, SetOptions* out) {
  SetOptions& o = *out;
  const bool set = grammar == OptionGrammar::kSet;
  // A time option may be given again (the last one wins) but not mixed with
  // another time option, KEEPTTL or PERSIST.
  auto time_allowed = [&o](TimeOption t) {
    return !o.keepttl && !o.persist && (o.time == TimeOption::kNone || o.time == t);
  };
  for (size_t i = first; i < ctx.argc(); ++i) {
    std::string_view a = ctx.arg(i);
    bool has_next = i + 1 < ctx.argc();
    TimeOption t = TimeOption::kNone;
    if (OptionIs(a, "ex")) {
      t = TimeOption::kEx;
    } else if (OptionIs(a, "px")) {
      t = TimeOption::kPx;
    } else if (OptionIs(a, "exat")) {
      t = TimeOption::kExat;
    } else if (OptionIs(a, "pxat")) {
      t = TimeOption::kPxat;
    }
    if (t != TimeOption::kNone) {
      if (!has_next || !time_allowed(t)) {
        ctx.reply().SyntaxError();
        return false;
      }
      o.time = t;
      o.time_arg = ctx.arg(++i);
      continue;
    }
    if (set && OptionIs(a, "nx") && !o.xx) {
      o.nx = true;
    } else if (set && OptionIs(a, "xx") && !o.nx) {
      o.xx = true;
    } else if (set && OptionIs(a, "get")) {
      o.get = true;
    } else if (set && OptionIs(a, "keepttl") && o.time == TimeOption::kNone) {
      o.keepttl = true;
    } else if (!set && OptionIs(a, "persist") && o.time == TimeOption::kNone) {
      o.persist = true;
    } else {
      ctx.reply().SyntaxError();
      return false;
    }
  }
  return true;
}

std::optional<int64_t> ExpireArgToDeadline(CommandContext& ctx, std::string_view arg, bool seconds,
                                           bool relative) {
  std::optional<int64_t> v = ParseInt64(arg);
  if (!v) {
    ctx.reply().NotInteger();
    return std::nullopt;
  }
  auto invalid = [&ctx]() -> std::optional<int64_t> {
    ctx.reply().Error("ERR invalid expire time in '" + ctx.command().fullname + "' command");
    return std::nullopt;
  };
  int64_t ms = *v;
  if (ms <= 0 || (seconds && ms > INT64_MAX / 1000)) return invalid();
  if (seconds) ms *= 1000;
  if (relative) {
    // Wraps like Redis's addition would, and is then refused as <= 0.
    ms = static_cast<int64_t>(static_cast<uint64_t>(ms) + static_cast<uint64_t>(ctx.now_ms()));
  }
  if (ms <= 0) return invalid();
  return ms;
}

std::optional<int64_t> ResolveExpire(CommandContext& ctx, const SetOptions& opts) {
  switch (opts.time) {
    case TimeOption::kNone:
      return 0;
    case TimeOption::kEx:
      return ExpireArgToDeadline(ctx, opts.time_arg, /*seconds=*/true, /*relative=*/true);
    case TimeOption::kPx:
      return ExpireArgToDeadline(ctx, opts.time_arg, /*seconds=*/false, /*relative=*/true);
    case TimeOption::kExat:
      return ExpireArgToDeadline(ctx, opts.time_arg, /*seconds=*/true, /*relative=*/false);
    case TimeOption::kPxat:
      return ExpireArgToDeadline(ctx, opts.time_arg, /*seconds=*/false, /*relative=*/false);
  }
  return 0;
}

}  // namespace cairn
