#include "tests/support/engine_harness.h"

#include <stdexcept>

namespace cairn::testing {

std::string EncodeCommand(const std::vector<std::string_view>& args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (std::string_view a : args) {
    out += "$" + std::to_string(a.size()) + "\r\n";
    out.append(a);
    out += "\r\n";
  }
  return out;
}

EngineHarness::EngineHarness(std::vector<std::string> config_args, uint64_t seed) : env_(seed) {
  Config config;
  // Sessions from made-up remote peers ("10.0.0.2:4000") are the norm in
  // command tests, so protected mode starts off; its own tests turn it on.
  std::vector<std::string> args = {"--dir", "/data", "--protected-mode", "no"};
  args.insert(args.end(), config_args.begin(), config_args.end());
  Status st = config.ApplyArgs(args);
  if (!st.ok()) throw std::runtime_error("harness config: " + st.message());
  engine_ = std::make_unique<Engine>(env_, std::move(config));
  engine_->set_effect_observer(&sink_);
  st = engine_->Start();
  if (!st.ok()) throw std::runtime_error("harness start: " + st.message());
  DeliverSyncs();  // the fresh log's files are durable before the first command
  session_ = NewSession("127.0.0.1:50000");
}

Session* EngineHarness::NewSession(std::string peer) {
  SessionInfo info;
  info.peer = std::move(peer);
  info.local = "127.0.0.1:6379";
  info.fd = next_port_++ % 1000 + 8;
  return engine_->OpenSession(std::move(info));
}

std::string EngineHarness::Run(Session* s, std::initializer_list<std::string_view> args) {
  return Send(s, EncodeCommand(std::vector<std::string_view>(args)));
}

std::string EngineHarness::Run(Session* s, const std::vector<std::string_view>& args) {
  return Send(s, EncodeCommand(args));
}

std::string EngineHarness::Send(Session* s, std::string_view bytes) {
  engine_->Feed(s, bytes);
  engine_->EndBatch();
  DeliverSyncs();
  return TakeOutput(s);
}

std::string EngineHarness::TakeOutput(Session* s) {
  std::vector<Session*> ready;
  engine_->TakeReady(ready);
  std::string out(engine_->Output(s));
  engine_->ConsumeOutput(s, out.size());
  return out;
}

std::vector<std::string> EngineHarness::Effects() const {
  std::vector<std::string> out;
  for (const auto& [db, args] : sink_.effects) {
    std::string line = std::to_string(db) + ":";
    for (size_t i = 0; i < args.size(); ++i) {
      if (i > 0) line += ' ';
      line += args[i];
    }
    out.push_back(std::move(line));
  }
  return out;
}

void EngineHarness::DeliverSyncs() {
  auto& pending = env_.memory_fs().pending_syncs();
  while (!pending.empty()) {
    uint64_t token = pending.front();
    pending.pop_front();
    engine_->OnSynced(token, Status::Ok());
  }
}

}  // namespace cairn::testing
