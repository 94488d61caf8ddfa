// CommandContext: what a command handler sees while it runs.
//
// One context per executed request: the request's arguments (views into the
// session's input buffer), the reply writer, the session, and the keyspace
// operations with Redis's lookup semantics -- lazy expiry (an expired key is
// deleted, and a DEL is propagated, the moment a lookup sees it), hit/miss
// statistics and LRU updates. Handlers change the keyspace only through the
// Database API and record every effective change with Propagate, in the
// order the changes happen, in deterministic form (absolute expiry times).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>

#include "engine/command/command.h"
#include "engine/engine.h"
#include "engine/keyspace/database.h"
#include "engine/resp/reply_writer.h"
#include "engine/session.h"

namespace cairn {

// Flags of a key lookup (Redis's LOOKUP_*).
enum LookupFlags : uint32_t {
  kLookupNone = 0,
  kLookupNoTouch = 1u << 0,  // do not update the LRU/LFU clock
  kLookupNoStats = 1u << 1,  // do not count a hit or miss
};

class CommandContext {
 public:
  CommandContext(Engine& engine, Session& session, const Command& command, ReplyWriter& reply)
      : engine_(engine), session_(session), command_(command), reply_(reply) {}

  Engine& engine() { return engine_; }
  Session& session() { return session_; }
  const Command& command() const { return command_; }
  ReplyWriter& reply() { return reply_; }
  std::span<const std::string_view> argv() const { return session_.argv; }
  std::string_view arg(size_t i) const { return session_.argv[i]; }
  size_t argc() const { return session_.argv.size(); }
  const Settings& settings() const { return engine_.settings(); }
  int64_t now_ms() const { return engine_.now_ms(); }

  int db_index() const { return session_.db; }
  Database& db() { return engine_.keyspace().db(session_.db); }
  Database& db(int index) { return engine_.keyspace().db(index); }

  // Lookup for reading (Redis's lookupKeyRead): expires the key if due,
  // counts a hit or a miss, updates the access clock (LRU or LFU) unless
  // flags say otherwise.
  Entry* LookupRead(std::string_view key, uint32_t flags = kLookupNone) {
    return Lookup(session_.db, key, flags, /*write=*/false);
  }
  // Lookup before a write (lookupKeyWrite): expires the key if due, updates
  // the access clock, counts nothing.
  Entry* LookupWrite(std::string_view key) {
    return Lookup(session_.db, key, kLookupNone, /*write=*/true);
  }
  // As LookupWrite, returning the slot (empty when absent) for Replace/Add.
  Database::Slot LocateWrite(std::string_view key) { return LocateWrite(session_.db, key); }
  Database::Slot LocateWrite(int db, std::string_view key);

  // The general lookup: a write lookup never counts hits or misses.
  Entry* Lookup(int db, std::string_view key, uint32_t flags, bool write);

  // Deletes the key if its deadline passed and propagates its deletion (DEL,
  // or UNLINK under lazyfree-lazy-expire); counts expired_keys. Returns true
  // if it did; the slot is cleared when the key goes.
  bool ExpireIfNeeded(int db, Database::Slot& slot);
  // A key is expired once the clock is past its deadline (a key whose
  // deadline is now still lives), as Redis decides.
  bool IsExpired(const Entry* e) const {
    return e->has_expire_block() && e->expire_at() > 0 && now_ms() > e->expire_at() &&
           !engine_.loading();
  }
  // Records an access in the entry's clock: the LRU clock, or an LFU
  // counter step under an LFU maxmemory policy.
  void Touch(Entry* e);

  // Records the effect of this command in the current database.
  void Propagate(std::initializer_list<std::string_view> args) {
    engine_.Propagate(session_.db, std::span<const std::string_view>(args.begin(), args.size()));
  }
  void Propagate(std::span<const std::string_view> args) { engine_.Propagate(session_.db, args); }
  void PropagateIn(int db, std::initializer_list<std::string_view> args) {
    engine_.Propagate(db, std::span<const std::string_view>(args.begin(), args.size()));
  }
  // Counts changes for INFO rdb_changes_since_last_save.
  void AddDirty(uint64_t n = 1) { engine_.stats().dirty += n; }

  // The handler's reply was an error (counts failed_calls).
  bool failed() const { return failed_; }
  void set_failed() { failed_ = true; }

  // Argument i is a secret (AUTH's password): MONITOR and the slow log show
  // "(redacted)" in its place. Arguments past 63 are never secret.
  void Redact(size_t i) {
    if (i < 64) redacted_ |= uint64_t{1} << i;
  }
  uint64_t redacted() const { return redacted_; }

 private:
  Engine& engine_;
  Session& session_;
  const Command& command_;
  ReplyWriter& reply_;
  bool failed_ = false;
  uint64_t redacted_ = 0;
};

}  // namespace cairn
