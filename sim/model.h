// Model: the reference the simulator checks the engine against -- plain maps
// of strings with wall-clock deadlines, written without engine code.
//
// Execute() applies one request at the time the engine ran it and returns
// the exact reply bytes (RESP2) Redis 7.0 gives. It covers the workload's
// commands only (workload.h); anything else is a simulator bug.
// Invariant: a key whose deadline is before now does not exist (a key is
// expired once now > deadline, as Redis judges it).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::sim {

class Model {
 public:
  static constexpr int kDatabases = 16;
  struct Value {
    std::string bytes;
    int64_t deadline_ms = 0;  // 0: no expiry
  };
  using Db = std::map<std::string, Value>;

  // Runs argv for a client whose selected database is *db at now_ms.
  std::string Execute(const std::vector<std::string>& argv, int* db, int64_t now_ms);
  // The live keys of db at now_ms (expired ones dropped).
  const Db& Live(int db, int64_t now_ms);
  // Whether Redis refuses cmd (upper or lower case) while the append-only
  // file cannot be written: write commands and PING (-MISCONF ...).
  static bool RefusedOnDiskError(const std::string& cmd);

  // The whole state of databases 0..n-1 (the simulator's prefix snapshots).
  using State = std::vector<Db>;
  State Snapshot(int n) const { return State(dbs_, dbs_ + n); }
  void Restore(const State& state) {
    for (int i = 0; i < kDatabases; ++i)
      dbs_[i] = i < static_cast<int>(state.size()) ? state[i] : Db{};
  }
  // Whether two states hold the same live keys, values and deadlines at now_ms.
  // A key held by one side only is ignored when its deadline is before
  // passed_ms: it expired once (the wall clock has been past it), so whether
  // an engine still stores it -- and shows it again after the clock went
  // back -- depends on whether its expiry's DEL survived, as in Redis.
  static bool LiveEqual(const State& a, const State& b, int64_t now_ms,
                        int64_t passed_ms = INT64_MIN);
  // Readable form of the live part of a state at now_ms (failure messages).
  static std::string Describe(const State& state, int64_t now_ms);

  // Every key stored in db, expired or not.
  std::vector<std::string> StoredKeys(int db) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : dbs_[db]) out.push_back(k);
    return out;
  }

 private:
  Value* Find(int db, const std::string& key, int64_t now_ms);
  Db dbs_[kDatabases];
};

// RESP2 reply helpers shared with the checker.
std::string RespInt(int64_t v);
std::string RespBulk(const std::string& s);
std::string RespNil();
std::string RespOk();
std::string RespErr(const std::string& msg);
// Bytes for a trace or a failure message: CR and LF escaped, other control
// and non-ASCII bytes as '?', cut after max bytes.
std::string Printable(std::string_view bytes, size_t max = 120);

}  // namespace cairn::sim
