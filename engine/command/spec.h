// CommandSpec: what COMMAND INFO and COMMAND DOCS say about a command.
//
// The facts (arity, flags, ACL categories, tips, key specs, argument trees,
// versions) are Redis 7.0's, so clients that read them (redis-cli hints,
// cluster-aware libraries) behave as with Redis; summaries and descriptions
// are Cairn's own words. The data lives in command_specs.cc; the dispatcher
// uses arity and flags, the COMMAND command prints the rest.
//
// Flags are bits in Redis's reply order (write, readonly, denyoom, ...): the
// printer walks kCommandFlagNames in order.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace cairn {

// Command flags, in the order COMMAND INFO prints them.
enum CommandFlag : uint32_t {
  kCmdWrite = 1u << 0,
  kCmdReadonly = 1u << 1,
  kCmdDenyOom = 1u << 2,
  kCmdModule = 1u << 3,
  kCmdAdmin = 1u << 4,
  kCmdPubsub = 1u << 5,
  kCmdNoscript = 1u << 6,
  kCmdBlocking = 1u << 7,
  kCmdLoading = 1u << 8,
  kCmdStale = 1u << 9,
  kCmdSkipMonitor = 1u << 10,
  kCmdSkipSlowlog = 1u << 11,
  kCmdAsking = 1u << 12,
  kCmdFast = 1u << 13,
  kCmdNoAuth = 1u << 14,
  kCmdNoMandatoryKeys = 1u << 15,
  kCmdNoAsyncLoading = 1u << 16,
  kCmdNoMulti = 1u << 17,
  kCmdMovableKeys = 1u << 18,
  kCmdAllowBusy = 1u << 19,
  // Not printed by COMMAND INFO (Redis hides these too).
  kCmdMayReplicate = 1u << 20,
  kCmdProtected = 1u << 21,
};

inline constexpr std::string_view kCommandFlagNames[] = {"write",
                                                         "readonly",
                                                         "denyoom",
                                                         "module",
                                                         "admin",
                                                         "pubsub",
                                                         "noscript",
                                                         "blocking",
                                                         "loading",
                                                         "stale",
                                                         "skip_monitor",
                                                         "skip_slowlog",
                                                         "asking",
                                                         "fast",
                                                         "no_auth",
                                                         "no_mandatory_keys",
                                                         "no_async_loading",
                                                         "no_multi",
                                                         "movablekeys",
                                                         "allow_busy"};

// ACL categories, in Redis's order (COMMAND INFO prints them as "@name").
enum AclCategory : uint32_t {
  kAclKeyspace = 1u << 0,
  kAclRead = 1u << 1,
  kAclWrite = 1u << 2,
  kAclSet = 1u << 3,
  kAclSortedSet = 1u << 4,
  kAclList = 1u << 5,
  kAclHash = 1u << 6,
  kAclString = 1u << 7,
  kAclBitmap = 1u << 8,
  kAclHyperloglog = 1u << 9,
  kAclGeo = 1u << 10,
  kAclStream = 1u << 11,
  kAclPubsub = 1u << 12,
  kAclAdmin = 1u << 13,
  kAclFast = 1u << 14,
  kAclSlow = 1u << 15,
  kAclBlocking = 1u << 16,
  kAclDangerous = 1u << 17,
  kAclConnection = 1u << 18,
  kAclTransaction = 1u << 19,
  kAclScripting = 1u << 20,
};

inline constexpr std::string_view kAclCategoryNames[] = {
    "keyspace", "read",   "write",       "set",       "sortedset",  "list",        "hash",
    "string",   "bitmap", "hyperloglog", "geo",       "stream",     "pubsub",      "admin",
    "fast",     "slow",   "blocking",    "dangerous", "connection", "transaction", "scripting"};

// A key spec (Redis 7.0 "key_specs" entry).
struct KeySpec {
  std::string_view notes;
  std::span<const std::string_view> flags;  // "RW", "ACCESS", "UPDATE", ...
  enum class Begin : uint8_t { kIndex, kKeyword, kUnknown } begin = Begin::kIndex;
  int begin_index = 0;             // kIndex
  std::string_view begin_keyword;  // kKeyword
  int begin_startfrom = 0;         // kKeyword
  enum class Find : uint8_t { kRange, kKeynum, kUnknown } find = Find::kRange;
  int range_lastkey = 0;  // kRange
  int range_keystep = 1;
  int range_limit = 0;
  int keynum_index = 0;  // kKeynum
  int keynum_firstkey = 0;
  int keynum_keystep = 1;
};

// One argument of COMMAND DOCS.
struct ArgSpec {
  std::string_view name;
  std::string_view type;  // "string", "integer", "key", "pure-token", "oneof", "block", ...
  int key_spec_index = -1;
  std::string_view token;
  std::string_view summary;
  std::string_view since;
  std::string_view display;
  std::string_view deprecated_since;
  bool optional = false;
  bool multiple = false;
  bool multiple_token = false;
  std::span<const ArgSpec> args;  // for "oneof" and "block"
};

struct HistoryEntry {
  std::string_view version;
  std::string_view description;
};

struct CommandSpec {
  std::string_view name;  // lower case; for a subcommand, the part after '|'
  int arity = 0;          // > 0 exact, < 0 at least -arity
  uint32_t flags = 0;     // CommandFlag bits
  uint32_t acl = 0;       // AclCategory bits
  std::span<const std::string_view> tips;
  std::span<const KeySpec> key_specs;
  // Legacy (first, last, step) key positions, as COMMAND INFO prints them.
  int first_key = 0;
  int last_key = 0;
  int key_step = 0;
  // COMMAND DOCS.
  std::string_view summary;
  std::string_view since;
  std::string_view group;
  std::string_view complexity;
  std::span<const std::string_view> doc_flags;  // "deprecated", "syscmd"
  std::string_view deprecated_since;
  std::string_view replaced_by;
  std::span<const HistoryEntry> history;
  std::span<const ArgSpec> args;
  std::span<const CommandSpec> subcommands;
};

// Every command Cairn knows, with subcommands nested (command_specs.cc).
std::span<const CommandSpec> AllCommandSpecs();

}  // namespace cairn
