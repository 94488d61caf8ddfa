// EngineHarness: an Engine on a FakeEnv with sessions a test drives by
// sending commands and reading the raw reply bytes.
//
//   EngineHarness h;
//   EXPECT_EQ(h.Run({"SET", "k", "v"}), "+OK\r\n");
//
// Each Run feeds one request, ends the batch, delivers pending syncs and
// returns (and consumes) everything the session's output holds.
#pragma once

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/engine.h"
#include "tests/support/fake_env.h"

namespace cairn::testing {

// Encodes args as a RESP multibulk request.
std::string EncodeCommand(const std::vector<std::string_view>& args);

// Records effects as (db, args) for assertions.
class RecordingSink final : public EffectSink {
 public:
  void OnEffect(int db, std::span<const std::string_view> args) override {
    std::vector<std::string> copy(args.begin(), args.end());
    effects.emplace_back(db, std::move(copy));
  }
  std::vector<std::pair<int, std::vector<std::string>>> effects;
};

class EngineHarness {
 public:
  // Extra "--name value" configuration applied before the engine starts
  // (after the harness's own: --dir /data --protected-mode no).
  explicit EngineHarness(std::vector<std::string> config_args = {}, uint64_t seed = 1);

  Engine& engine() { return *engine_; }
  FakeEnv& env() { return env_; }
  Session* session() { return session_; }
  Session* NewSession(std::string peer = "127.0.0.1:50000");

  // Sends one command on the default session (or s); returns the reply bytes.
  std::string Run(std::initializer_list<std::string_view> args) { return Run(session_, args); }
  std::string Run(Session* s, std::initializer_list<std::string_view> args);
  std::string Run(Session* s, const std::vector<std::string_view>& args);
  // Sends raw bytes; returns whatever output they produced.
  std::string Send(std::string_view bytes) { return Send(session_, bytes); }
  std::string Send(Session* s, std::string_view bytes);
  // Output produced by other sessions' commands (MONITOR, kills).
  std::string TakeOutput(Session* s);
  // Delivers every pending sync as successful.
  void DeliverSyncs();
  void AdvanceMs(int64_t ms) { env_.manual_clock().AdvanceMs(ms); }
  // Effects propagated since construction or the last ClearEffects, as
  // "db:ARG ARG ..." strings (arguments joined with single spaces).
  std::vector<std::string> Effects() const;
  void ClearEffects() { sink_.effects.clear(); }
  // The same effects with their arguments kept apart (binary-safe).
  const std::vector<std::pair<int, std::vector<std::string>>>& raw_effects() const {
    return sink_.effects;
  }

 private:
  FakeEnv env_;
  RecordingSink sink_;
  std::unique_ptr<Engine> engine_;
  Session* session_ = nullptr;
  int next_port_ = 50001;
};

}  // namespace cairn::testing
