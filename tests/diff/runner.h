// PlayScript: plays one differential script, in one protocol, against two
// running servers -- the one under test and the reference -- and returns
// every comparison's outcome. It knows nothing of GoogleTest: the caller
// turns failures into test failures and records cases for coverage.
//
// A run: both servers are emptied with FLUSHALL on a connection of the
// harness's own; then one fresh connection per server (database 0, RESP2,
// no name, replies on), switched to RESP3 with HELLO 3 for a RESP3 run (that
// reply is not compared). Each step sends the same bytes to both, first to
// the server under test, then to the reference, and compares the replies.
// A reply that does not come within kReplyTimeoutMs stops the run: every
// later reply would be out of step.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "tests/diff/script.h"

namespace cairn::diff {

inline constexpr int kReplyTimeoutMs = 3000;
inline constexpr int kCloseTimeoutMs = 2000;

struct Target {
  std::string name;  // "kv-server", "redis-server", "redisA" ...
  int port = 0;
};

struct RunFailure {
  int line = 0;  // script line (0: the run as a whole)
  std::string message;
};

struct RunOutcome {
  int compared = 0;        // cases whose replies were both read and compared
  int failed = 0;          // compared cases that differed
  int not_reached = 0;     // cases after the run stopped
  int harness_errors = 0;  // failures that are not a case (reset, HELLO, I/O)
  std::vector<RunFailure> failures;
};

// Called for every compared case with the reference server's reply (or the
// bytes it sent before closing), to build the coverage report.
using CaseObserver = std::function<void(const Step& step, std::string_view reference_reply)>;

RunOutcome PlayScript(const Script& script, int proto, const Target& test, const Target& reference,
                      const CaseObserver& observe, bool verbose);

}  // namespace cairn::diff
