#include "engine/command/key_specs.h"

#include <algorithm>

#include "engine/util/strconv.h"

namespace cairn {
namespace {

// Redis compares option names as C strings: a NUL byte ends them.
std::string_view CString(std::string_view s) { return s.substr(0, s.find('\0')); }

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

bool HasFlag(const KeySpec& ks, std::string_view flag) {
  return std::find(ks.flags.begin(), ks.flags.end(), flag) != ks.flags.end();
}

constexpr std::string_view kReadWriteAccessUpdate[] = {"RW", "access", "update"};
constexpr std::string_view kOverwriteUpdate[] = {"OW", "update"};
constexpr std::string_view kReadOnlyAccess[] = {"RO", "access"};

// SET reads the old value only with GET among its options.
void SetKeys(std::span<const std::string_view> args, std::vector<KeyRef>* out) {
  for (size_t i = 3; i < args.size(); ++i) {
    if (EqualsNoCase(CString(args[i]), "get")) {
      out->push_back({1, kReadWriteAccessUpdate});
      return;
    }
  }
  out->push_back({1, kOverwriteUpdate});
}

// BITFIELD only reads unless a SET or INCRBY (or something unparsable)
// follows.
void BitfieldKeys(std::span<const std::string_view> args, std::vector<KeyRef>* out) {
  bool readonly = true;
  for (size_t i = 2; i < args.size(); ++i) {
    size_t remaining = args.size() - i - 1;
    std::string_view arg = CString(args[i]);
    if (EqualsNoCase(arg, "get") && remaining >= 2) {
      i += 2;
    } else if (EqualsNoCase(arg, "overflow") && remaining >= 1) {
      i += 1;
    } else {
      // SET or INCRBY writes; anything else is a syntax error, where we
      // assume the worst.
      readonly = false;
      break;
    }
  }
  out->push_back({1, readonly ? std::span<const std::string_view>(kReadOnlyAccess)
                              : std::span<const std::string_view>(kReadWriteAccessUpdate)});
}

using KeyFinder = void (*)(std::span<const std::string_view>, std::vector<KeyRef>*);

// Commands with their own key finder (Redis's getkeys_proc) among Cairn's.
KeyFinder OwnKeyFinder(const Command& cmd) {
  if (cmd.fullname == "set") return SetKeys;
  if (cmd.fullname == "bitfield") return BitfieldKeys;
  return nullptr;
}

// getKeysUsingKeySpecs: the number of keys found, or -1 for a spec that
// does not fit.
int KeysFromSpecs(const Command& cmd, std::span<const std::string_view> args,
                  std::vector<KeyRef>* out) {
  const int argc = static_cast<int>(args.size());
  const size_t start_size = out->size();
  auto invalid = [&] {
    out->resize(start_size);
    return -1;
  };
  for (const KeySpec& ks : cmd.spec->key_specs) {
    if (HasFlag(ks, "not_key")) continue;
    if (HasFlag(ks, "incomplete")) return invalid();
    int first = 0;
    switch (ks.begin) {
      case KeySpec::Begin::kIndex:
        first = ks.begin_index;
        break;
      case KeySpec::Begin::kKeyword: {
        int start = ks.begin_startfrom > 0 ? ks.begin_startfrom : argc + ks.begin_startfrom;
        int end = ks.begin_startfrom > 0 ? argc - 1 : 1;
        for (int i = start; i != end; i = start <= end ? i + 1 : i - 1) {
          if (i >= argc || i < 1) break;
          if (EqualsNoCase(CString(args[static_cast<size_t>(i)]), ks.begin_keyword)) {
            first = i + 1;
            break;
          }
        }
        if (first == 0) continue;  // keyword absent: this spec names no key
        break;
      }
      case KeySpec::Begin::kUnknown:
        return invalid();
    }
    int last = 0, step = 1;
    switch (ks.find) {
      case KeySpec::Find::kRange:
        step = ks.range_keystep;
        if (ks.range_lastkey >= 0) {
          last = first + ks.range_lastkey;
        } else if (ks.range_limit == 0) {
          last = argc + ks.range_lastkey;
        } else {
          last = first + ((argc - first) / ks.range_limit + ks.range_lastkey);
        }
        break;
      case KeySpec::Find::kKeynum: {
        step = ks.keynum_keystep;
        int numkeys_pos = first + ks.keynum_index;
        if (ks.keynum_index >= argc || numkeys_pos >= argc) return invalid();
        auto numkeys = ParseInt64(args[static_cast<size_t>(numkeys_pos)]);
        if (!numkeys || *numkeys < 0 || *numkeys > argc) return invalid();
        first += ks.keynum_firstkey;
        last = first + static_cast<int>(*numkeys) - 1;
        break;
      }
      case KeySpec::Find::kUnknown:
        return invalid();
    }
    // Keys past the end or an empty range: the line does not fit the spec.
    if (last >= argc || last < first || first >= argc || step <= 0) return invalid();
    for (int i = first; i <= last; i += step) {
      out->push_back({i, ks.flags});
    }
  }
  // Flags are printed without "variable_flags" only by the own finders;
  // here they are the spec's, as Redis prints them.
  return static_cast<int>(out->size() - start_size);
}

}  // namespace

bool CommandHasKeys(const Command& cmd) {
  if (OwnKeyFinder(cmd) != nullptr) return true;
  for (const KeySpec& ks : cmd.spec->key_specs) {
    if (!HasFlag(ks, "not_key")) return true;
  }
  return false;
}

bool FindCommandKeys(const Command& cmd, std::span<const std::string_view> args,
                     std::vector<KeyRef>* out) {
  bool has_keyspec = false, has_variable_flags = false;
  for (const KeySpec& ks : cmd.spec->key_specs) {
    has_keyspec |= !HasFlag(ks, "not_key");
    has_variable_flags |= HasFlag(ks, "variable_flags");
  }
  if (has_keyspec && !has_variable_flags) {
    if (KeysFromSpecs(cmd, args, out) >= 0) return true;
  }
  if (KeyFinder finder = OwnKeyFinder(cmd)) {
    finder(args, out);
    return true;
  }
  return false;
}

}  // namespace cairn
