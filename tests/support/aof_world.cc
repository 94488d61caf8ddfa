#include "tests/support/aof_world.h"

#include <algorithm>

#include "engine/util/strconv.h"
#include "tests/support/engine_harness.h"

namespace cairn::testing {

Status AofWorld::Start() {
  Config config;
  std::vector<std::string> args = {"--dir", "/data", "--appendonly", "yes"};
  args.insert(args.end(), extra_.begin(), extra_.end());
  Status st = config.ApplyArgs(args);
  if (!st.ok()) return st;
  // Completions of the dead engine's syncs must not reach the new one.
  env_.memory_fs().pending_syncs().clear();
  engine_ = std::make_unique<Engine>(env_, std::move(config));
  st = engine_->Start();
  if (!st.ok()) return st;
  s_ = NewSession();
  return Status::Ok();
}

Session* AofWorld::NewSession() {
  SessionInfo info;
  info.peer = "127.0.0.1:" + std::to_string(next_port_++);
  return engine_->OpenSession(std::move(info));
}

std::string AofWorld::Run(Session* s, std::vector<std::string_view> args, bool deliver) {
  engine_->Feed(s, EncodeCommand(args));
  engine_->EndBatch();
  if (deliver) DeliverSyncs();
  return Take(s);
}

std::string AofWorld::Take(Session* s) {
  std::vector<Session*> ready;
  engine_->TakeReady(ready);
  std::string out(engine_->Output(s));
  engine_->ConsumeOutput(s, out.size());
  return out;
}

void AofWorld::DeliverSyncs(const Status& st) {
  auto& pending = env_.memory_fs().pending_syncs();
  while (!pending.empty()) {
    uint64_t token = pending.front();
    pending.pop_front();
    engine_->OnSynced(token, st);
  }
}

std::vector<std::string> AofWorld::AofFiles() {
  auto names = env_.memory_fs().ListDir(kAofDir);
  std::vector<std::string> out = names.value();
  std::sort(out.begin(), out.end());
  return out;
}

KeyspaceSnapshot Snapshot(Engine& e) {
  KeyspaceSnapshot out;
  for (int db = 0; db < e.keyspace().count(); ++db) {
    e.keyspace().db(db).main().ForEach([&](Entry* entry) {
      char buf[kInt64Chars];
      out[{db, std::string(entry->key())}] = {std::string(entry->StringValue(buf)),
                                              entry->expire_at()};
    });
  }
  return out;
}

KeyspaceSnapshot LiveSnapshot(Engine& e, int64_t now_ms) {
  KeyspaceSnapshot out = Snapshot(e);
  std::erase_if(out, [now_ms](const auto& kv) {
    int64_t deadline = kv.second.second;
    return deadline != 0 && deadline < now_ms;  // Redis: expired once now > deadline
  });
  return out;
}

}  // namespace cairn::testing
