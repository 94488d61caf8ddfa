// AofWorld: an Engine with the append-only file on, over a FakeEnv whose
// in-memory files outlive the engine, so a test can "crash" (drop the engine
// without shutting down) and restart on the same files. Syncs complete only
// when the test delivers them, which is how tests choose what is durable.
//
// MemoryFs keeps every byte written, as the page cache does across a kill -9;
// power loss is the simulator's business (sim/crash_fs.h).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/engine.h"
#include "tests/support/fake_env.h"

namespace cairn::testing {

inline constexpr const char* kAofDir = "/data/appendonlydir";

class AofWorld {
 public:
  // Extra "--name value" arguments after "--dir /data --appendonly yes".
  explicit AofWorld(std::vector<std::string> extra = {}) : extra_(std::move(extra)) {}

  Status Start();
  // A crash and a restart on the same files.
  Status Restart() {
    engine_.reset();
    return Start();
  }

  Session* NewSession();
  // Feeds one command, ends the batch, optionally delivers syncs, returns
  // what the session may send.
  std::string Run(std::vector<std::string_view> args, bool deliver = true) {
    return Run(s_, args, deliver);
  }
  std::string Run(Session* s, std::vector<std::string_view> args, bool deliver = true);
  // Takes what the session may send now.
  std::string Take(Session* s);
  void DeliverSyncs(const Status& st = Status::Ok());
  size_t PendingSyncs() { return env_.memory_fs().pending_syncs().size(); }

  std::string& File(const std::string& name) { return env_.memory_fs().files()[Path(name)]; }
  static std::string Path(const std::string& name) { return std::string(kAofDir) + "/" + name; }
  bool HasFile(const std::string& name) {
    return env_.memory_fs().files().count(std::string(kAofDir) + "/" + name) != 0;
  }
  // The names in the AOF directory, sorted.
  std::vector<std::string> AofFiles();

  // Arguments added for the next Start (a restart with a changed config).
  void AddArgs(const std::vector<std::string>& more) {
    extra_.insert(extra_.end(), more.begin(), more.end());
  }
  Engine& engine() { return *engine_; }
  Session* session() { return s_; }
  FakeEnv& env() { return env_; }

 private:
  std::vector<std::string> extra_;
  FakeEnv env_;
  std::unique_ptr<Engine> engine_;
  Session* s_ = nullptr;
  int next_port_ = 40000;
};

// Every key of every database as (db, key) -> (value, deadline in ms or 0),
// expired keys still in the tables included.
using KeyspaceSnapshot = std::map<std::pair<int, std::string>, std::pair<std::string, int64_t>>;
KeyspaceSnapshot Snapshot(Engine& e);
// The logical state at now_ms: keys whose deadline has passed left out.
KeyspaceSnapshot LiveSnapshot(Engine& e, int64_t now_ms);

}  // namespace cairn::testing
