// libFuzzer target: command execution. Each input is a script of commands
// drawn from the engine's own command table, with arguments from a small
// vocabulary of keys, numbers and option words (plus raw fuzzer bytes), run
// against a fresh engine on FakeEnv (appendonly on or off, chosen by the
// first byte), with the clock moved and timers fired in between. After
// every command and every tick:
//   - the keyspace's invariants hold (engine/keyspace/invariants.h),
//   - the session's output is a sequence of complete, well-formed replies.
// Any violation aborts naming the command that caused it; ASan and UBSan
// catch the rest.
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "engine/keyspace/invariants.h"
#include "engine/resp/reply_reader.h"
#include "fuzz/fuzz_input.h"
#include "tests/support/engine_harness.h"

namespace {

using cairn::fuzz::FuzzInput;
using cairn::testing::EngineHarness;

// Keys share a hash tag and a few names so commands collide on them; the
// numbers sit at the edges integer and float parsing care about. Sizes stay
// small (no 512 MB SETRANGE offsets) so the fuzzer keeps its speed.
constexpr std::array<std::string_view, 66> kWords = {"k0",
                                                     "k1",
                                                     "k2",
                                                     "{k}3",
                                                     "",
                                                     "0",
                                                     "1",
                                                     "-1",
                                                     "2",
                                                     "10",
                                                     "100",
                                                     "-100",
                                                     "4096",
                                                     "65536",
                                                     "9223372036854775807",
                                                     "-9223372036854775808",
                                                     "18446744073709551616",
                                                     "1.5",
                                                     "-0.0",
                                                     "nan",
                                                     "inf",
                                                     "-inf",
                                                     "1e308",
                                                     "EX",
                                                     "PX",
                                                     "EXAT",
                                                     "PXAT",
                                                     "NX",
                                                     "XX",
                                                     "GT",
                                                     "LT",
                                                     "KEEPTTL",
                                                     "GET",
                                                     "PERSIST",
                                                     "MATCH",
                                                     "*",
                                                     "k?",
                                                     "COUNT",
                                                     "TYPE",
                                                     "string",
                                                     "BYTE",
                                                     "BIT",
                                                     "AND",
                                                     "OR",
                                                     "XOR",
                                                     "NOT",
                                                     "OVERFLOW",
                                                     "SAT",
                                                     "WRAP",
                                                     "FAIL",
                                                     "u8",
                                                     "i16",
                                                     "u63",
                                                     "#1",
                                                     "SET",
                                                     "INCRBY",
                                                     "LEN",
                                                     "IDX",
                                                     "WITHMATCHLEN",
                                                     "MINMATCHLEN",
                                                     "REPLACE",
                                                     "DB",
                                                     "ASYNC",
                                                     "SYNC",
                                                     "3",
                                                     "ON"};

// Commands that would end the run, block the harness or reach outside the
// engine's sandbox (CONFIG SET dir, DEBUG's process-level switches).
bool Excluded(std::string_view name) {
  return name == "shutdown" || name == "monitor" || name == "debug" || name == "config";
}

[[noreturn]] void Fail(const std::string& what, const std::vector<std::string>& argv) {
  std::string line;
  for (const std::string& a : argv) line += (line.empty() ? "" : " ") + a;
  std::fprintf(stderr, "command_fuzz: %s after: %s\n", what.c_str(), line.c_str());
  std::abort();
}

// Every byte of out belongs to a complete reply.
bool WellFormed(std::string_view out) {
  cairn::ReplyScanner scanner;
  while (!out.empty()) {
    size_t len = 0;
    if (scanner.Scan(out, &len) != cairn::ReplyScanner::Outcome::kComplete) return false;
    out.remove_prefix(len);
    scanner.Reset();
  }
  return true;
}

void CheckKeyspace(EngineHarness& h, const std::vector<std::string>& argv) {
  cairn::Status st = cairn::CheckInvariants(h.engine().keyspace());
  if (!st.ok()) Fail(std::string(st.message()), argv);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzInput in(data, size);
  std::vector<std::string> config;
  if (in.Bool()) config = {"--appendonly", "yes"};
  EngineHarness h(config);
  std::vector<const cairn::Command*> commands;
  for (const auto& c : h.engine().commands().commands()) {
    if (!Excluded(c->fullname)) commands.push_back(c.get());
  }
  std::vector<std::string> argv;
  for (int step = 0; step < 64 && !in.empty(); ++step) {
    const cairn::Command* cmd = commands[in.Range(0, commands.size() - 1)];
    argv.clear();
    argv.emplace_back(cmd->table_name);
    if (cmd->is_container()) {
      const std::string& full =
          cmd->subcommands[in.Range(0, cmd->subcommands.size() - 1)]->fullname;
      argv.emplace_back(full.substr(full.find('|') + 1));
    }
    uint64_t extra = in.Range(0, 6);
    for (uint64_t a = 0; a < extra; ++a) {
      if (in.Bool()) {
        argv.emplace_back(kWords[in.Range(0, kWords.size() - 1)]);
      } else {
        argv.push_back(in.String(16));
      }
    }
    std::vector<std::string_view> views(argv.begin(), argv.end());
    std::string out = h.Run(h.session(), views);
    if (!WellFormed(out)) Fail("malformed reply bytes", argv);
    CheckKeyspace(h, argv);
    if (h.session()->closing()) break;  // QUIT, a client killed by itself, ...
    if (in.Range(0, 7) == 0) {
      h.AdvanceMs(static_cast<int64_t>(in.Range(0, 5000)));
      h.engine().Tick();
      h.DeliverSyncs();
      CheckKeyspace(h, {"<tick>"});
    }
  }
  return 0;
}
