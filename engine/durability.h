// Durability: the engine's side of the append-only file -- loading at start,
// logging effects, the batch point's group commit, holding replies until
// their log position is durable, refusing writes after disk errors, rewrites
// (compaction) and the figures INFO persistence shows.
//
// The file format, write path and policies live in engine/aof/; this unit
// connects them to the keyspace, the sessions and the configuration.
//
// Rewrites without fork: BGREWRITEAOF makes the cut at a batch point (the
// log opens its next incr file: every effect after the cut goes there), then
// the keyspace is walked in bounded steps -- from Tick, from BackgroundStep
// (which net/ runs after every batch's replies) and, where the host does not
// step after every batch, from EndBatch -- with the dict's scan cursor
// (which sees every entry present for the whole walk), writing each entry's
// value at the cut into the new base. Before a write
// command runs during the walk, each key it names (per the command's key
// specs, plus MOVE's and COPY's target database) that the walk has not
// handled is handled first: its current value -- still its value at the cut,
// since every change goes through a write command -- is written to the base.
// Which entries are handled is kept in the entries themselves: the cut flips
// the keyspace's walk mark, the walk and the handling give each entry they
// write the new mark, and an entry stored after the cut gets it when it is
// stored (Database::Add, Replace) -- so a key absent at the cut is born
// handled. The walk skips entries with the current mark. (A side set of
// handled keys cost a quarter of the server's time under writes.) A walk that
// is dropped (CONFIG SET appendonly no) marks the entries it did not reach,
// so that the next cut starts from every entry unhandled.
// FLUSHDB, FLUSHALL and SWAPDB finish the walk at once before they run.
// A key deleted by expiry or eviction during the walk may miss the base;
// its DEL record in the new incr file deletes it anyway.
//
// Holding replies (appendfsync always): at EndBatch, every session with new
// output gets a hold at the log position written so far (reads included: a
// read may show a value a crash could take back). Output up to a hold is
// released once durable() reaches the hold's position. Under the other
// policies nothing is held. Invariants: holds of a session are in output
// order with non-decreasing positions; release_end only grows.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/aof/aof_log.h"
#include "engine/util/status.h"

namespace cairn {

class Engine;
class Entry;
struct Command;
struct Session;

class Durability {
 public:
  explicit Durability(Engine& engine);
  ~Durability();

  // Loads the AOF (when appendonly is on) and opens the log.
  Status Start();
  bool enabled() const { return log_ != nullptr; }
  aof::AofLog* log() { return log_.get(); }
  const aof::AofLog* log() const { return log_.get(); }

  void OnEffect(int db, std::span<const std::string_view> args);
  // The batch point: flush, request syncs, place holds on sessions in ready.
  void EndBatch(const std::vector<Session*>& ready);
  void Tick();
  void OnSynced(uint64_t token, const Status& status);
  // A step of the walk between batches (Engine::BackgroundStep).
  void BackgroundStep();

  // Releasable output of s.
  size_t Releasable(const Session* s) const;
  bool HoldsTooMuch(const Session* s) const;
  void Forget(Session* s);  // killed or closed: nothing to hold

  // -MISCONF text when writes must be refused, else "".
  std::string WriteRefusal() const;
  // The log failed under always: the server must exit.
  bool fatal() const { return log_ && log_->fatal(); }

  // BGREWRITEAOF. An error carries the reply text.
  Status StartRewrite();
  // CONFIG SET appendonly / appendfsync / related.
  Status OnConfigChanged(const std::string& name);
  // SHUTDOWN: writes what is buffered and asks for the final sync; done()
  // tells when everything written is durable.
  Status BeginShutdown(bool force);
  bool ShutdownDone() const { return !log_ || log_->shutdown_settled() || log_->fatal(); }

  // A write command is about to run in db (see the rewrite walk above).
  void BeforeWrite(int db, const Command& cmd, std::span<const std::string_view> argv);
  bool walking() const { return walk_ != nullptr; }

  bool loading() const { return loading_; }
  bool rewrite_scheduled() const { return rewrite_scheduled_; }
  int consecutive_failures() const { return consecutive_failures_; }

 private:
  aof::LogOptions Options();
  void ReleaseHolds();
  bool Holding() const;
  void WriteBase(std::string& out);
  void MaybeAutoRewrite();
  struct Walk;
  void StepWalk(size_t budget, int64_t budget_us);
  void FinishWalk();
  void DropWalk();
  void HandleKey(int db, std::string_view key);
  void EmitEntry(int db, const Entry* e);

  Engine& engine_;
  std::unique_ptr<aof::AofLog> log_;
  bool loading_ = false;
  bool rewrite_scheduled_ = false;
  uint64_t generation_ = 0;
  std::unique_ptr<Walk> walk_;
  uint64_t batches_since_tick_ = 0;
  std::vector<std::pair<int, std::vector<std::string>>> relogged_;  // replay_logs bug
  uint64_t seen_rewrites_ = 0;
  uint64_t seen_failures_ = 0;
  int consecutive_failures_ = 0;
  int64_t next_auto_ms_ = 0;
  int64_t next_sync_repair_ms_ = 0;  // rewrites after a failed fsync: once a second  // automatic
                                     // rewrites wait until then (backoff)
  int64_t last_rewrite_end_ms_ =
      0;  // for auto-aof-rewrite-interval-sec  // each log gets its own sync-token range
};

}  // namespace cairn
