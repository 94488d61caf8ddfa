#include "tests/diff/runner.h"

#include <chrono>
#include <iostream>
#include <memory>
#include <thread>

#include "tests/diff/compare.h"
#include "tests/support/quote.h"
#include "tests/support/raw_client.h"

namespace cairn::diff {

namespace {

using testing::QuoteBytes;
using testing::RawClient;

std::string Where(const Script& s, const Step& st, int proto) {
  return s.name + ":" + std::to_string(st.line) + " (RESP" + std::to_string(proto) +
         "): " + st.text;
}

// Pads "name:" so both replies of a report line up.
std::string Label(const std::string& name, size_t width) {
  std::string l = name + ":";
  if (l.size() < width) l.append(width - l.size(), ' ');
  return l;
}

// Empties every database of the target on a connection of its own.
Status ResetServer(const Target& t, const std::string& password) {
  Result<std::unique_ptr<RawClient>> c = RawClient::Connect(t.port);
  if (!c.ok()) return Status::Io("reset " + t.name + ": " + c.status().message());
  if (!password.empty()) {
    Result<std::string> r = (*c)->Command({"AUTH", password}, kReplyTimeoutMs);
    if (!r.ok() || *r != "+OK\r\n") {
      return Status::Io("reset " + t.name + ": AUTH answered " +
                        (r.ok() ? QuoteBytes(*r) : r.status().message()));
    }
  }
  Result<std::string> r = (*c)->Command({"FLUSHALL"}, kReplyTimeoutMs);
  if (!r.ok() || *r != "+OK\r\n") {
    return Status::Io("reset " + t.name + ": FLUSHALL answered " +
                      (r.ok() ? QuoteBytes(*r) : r.status().message()));
  }
  testing::QuitAndWaitClose(**c);
  return Status::Ok();
}

// Connects and, for a RESP3 run, switches to RESP3. A HELLO that is not
// answered with a map is reported but the connection is kept: the cases
// will then show what the server does instead.
Result<std::unique_ptr<RawClient>> Open(const Target& t, int proto, std::string* warning) {
  Result<std::unique_ptr<RawClient>> c = RawClient::Connect(t.port);
  if (!c.ok()) return Status::Io("connect to " + t.name + ": " + c.status().message());
  if (proto == 3) {
    Result<std::string> r = (*c)->Command({"HELLO", "3"}, kReplyTimeoutMs);
    if (!r.ok()) return Status::Io("HELLO 3 to " + t.name + ": " + r.status().message());
    if (r->empty() || (*r)[0] != '%') {
      *warning = "HELLO 3 to " + t.name + " answered " + QuoteBytes(*r) + " (not a map)";
    }
  }
  return c;
}

class Player {
 public:
  Player(const Script& s, int proto, const Target& test, const Target& ref,
         const CaseObserver& observe, bool verbose)
      : s_(s), proto_(proto), targets_{test, ref}, observe_(observe), verbose_(verbose) {
    width_ = std::max(test.name.size(), ref.name.size()) + 2;
  }

  RunOutcome Play() {
    for (const Target& t : targets_) {
      Status st = ResetServer(t, s_.password);
      if (!st.ok()) Harness(0, st.message());
    }
    if (!OpenBoth()) return Stop(0);
    for (index_ = 0; index_ < s_.steps.size(); index_++) {
      const Step& st = s_.steps[index_];
      if (st.only_proto != 0 && st.only_proto != proto_) continue;
      switch (st.kind) {
        case StepKind::kSleep:
          std::this_thread::sleep_for(std::chrono::milliseconds(st.sleep_ms));
          break;
        case StepKind::kClose:
          if (reopen_ && !OpenBoth()) return Stop(index_);
          if (!CompareClose(st)) return Stop(index_ + 1);
          // Both connections are gone; a later step gets fresh ones (none
          // is opened when nothing follows: SHUTDOWN ends its script).
          reopen_ = true;
          break;
        case StepKind::kSend:
        case StepKind::kCommand:
        case StepKind::kRaw:
          if (reopen_ && !OpenBoth()) return Stop(index_);
          if (!CompareReplies(st)) return Stop(index_ + 1);
          break;
      }
    }
    return out_;
  }

 private:
  void Harness(int line, std::string message) {
    out_.harness_errors++;
    out_.failures.push_back({line, std::move(message)});
  }

  // Counts the cases from step `from` on as not reached.
  RunOutcome Stop(size_t from) {
    for (size_t i = from; i < s_.steps.size(); i++) {
      const Step& st = s_.steps[i];
      if (st.only_proto != 0 && st.only_proto != proto_) continue;
      out_.not_reached += st.Cases();
    }
    if (out_.not_reached > 0) {
      out_.failures.push_back({0, s_.name + " (RESP" + std::to_string(proto_) + "): stopped; " +
                                      std::to_string(out_.not_reached) +
                                      " later cases were not compared"});
    }
    return out_;
  }

  bool OpenBoth() {
    for (int side = 0; side < 2; side++) {
      std::string warning;
      Result<std::unique_ptr<RawClient>> c = Open(targets_[side], proto_, &warning);
      if (!c.ok()) {
        Harness(0, s_.name + " (RESP" + std::to_string(proto_) + "): " + c.status().message());
        return false;
      }
      if (!warning.empty()) {
        if (side == 1) {
          Harness(0, s_.name + ": the reference failed: " + warning);
          return false;
        }
        Harness(0, s_.name + " (RESP3): " + warning);
      }
      conns_[side] = std::move(c).value();
    }
    reopen_ = false;
    return true;
  }

  bool CompareReplies(const Step& st) {
    std::string where = Where(s_, st, proto_);
    std::vector<std::string> replies[2];
    for (int side = 0; side < 2; side++) {
      RawClient& c = *conns_[side];
      Status sent = c.Send(st.payload, kReplyTimeoutMs);
      if (!sent.ok()) {
        Harness(st.line, where + "\n  send to " + targets_[side].name + ": " + sent.message());
        return false;
      }
      for (int n = 0; n < st.replies; n++) {
        Result<std::string> f = c.ReadFrame(kReplyTimeoutMs);
        if (!f.ok()) {
          std::string got;
          if (!c.buffered().empty()) got = "; received so far " + QuoteBytes(c.buffered());
          Harness(st.line, where + "\n  reply " + std::to_string(n + 1) + " of " +
                               std::to_string(st.replies) + " from " + targets_[side].name + ": " +
                               f.status().message() + got + " (run stopped here)");
          // The cases of this step were not compared.
          out_.not_reached += st.replies;
          return false;
        }
        replies[side].push_back(std::move(f).value());
      }
    }
    // A line sent without reading (after CLIENT REPLY OFF) is judged by the
    // replies of the lines after it; coverage counts it with no reply.
    if (st.kind == StepKind::kSend && observe_) observe_(st, "");
    for (int n = 0; n < st.replies; n++) {
      out_.compared++;
      const std::string& a = replies[0][n];
      const std::string& b = replies[1][n];
      if (observe_) observe_(st, b);
      if (verbose_) std::cout << where << "\n  reply " << n + 1 << ": " << QuoteBytes(b) << "\n";
      Verdict v = diff::CompareReplies(st, a, b);
      if (v.same) continue;
      out_.failed++;
      std::string label;
      if (st.replies > 1) {
        label = " reply " + std::to_string(n + 1) + " of " + std::to_string(st.replies);
      }
      std::string msg = where + label + "\n  " + Label(targets_[0].name, width_) + QuoteBytes(a) +
                        "\n  " + Label(targets_[1].name, width_) + QuoteBytes(b);
      if (!v.why.empty()) msg += "\n  " + v.why;
      out_.failures.push_back({st.line, std::move(msg)});
    }
    return true;
  }

  bool CompareClose(const Step& st) {
    std::string where = Where(s_, st, proto_);
    RawClient::UntilClose got[2];
    for (int side = 0; side < 2; side++) {
      // The server may close before reading everything; what it sent
      // before closing is compared all the same.
      (void)conns_[side]->Send(st.payload, kReplyTimeoutMs);
      got[side] = conns_[side]->ReadUntilClose(kCloseTimeoutMs);
    }
    out_.compared++;
    if (observe_) observe_(st, got[1].bytes);
    if (verbose_) std::cout << where << "\n  before close: " << QuoteBytes(got[1].bytes) << "\n";
    bool failed = false;
    std::string msg = where;
    for (int side = 0; side < 2; side++) {
      if (!got[side].closed) {
        failed = true;
        msg += "\n  " + targets_[side].name + " did not close the connection within " +
               std::to_string(kCloseTimeoutMs) + " ms";
      }
    }
    bool match = got[0].bytes == got[1].bytes;
    if (st.mode == CompareMode::kMatch) {
      match = boost::regex_search(got[0].bytes, *st.pattern) &&
              boost::regex_search(got[1].bytes, *st.pattern);
    }
    if (!match) {
      failed = true;
      msg += "\n  bytes before close differ";
    }
    if (failed) {
      out_.failed++;
      msg += "\n  " + Label(targets_[0].name, width_) + QuoteBytes(got[0].bytes) + "\n  " +
             Label(targets_[1].name, width_) + QuoteBytes(got[1].bytes);
      out_.failures.push_back({st.line, std::move(msg)});
    }
    for (auto& c : conns_) c->Close();
    return got[0].closed && got[1].closed;
  }

  const Script& s_;
  int proto_;
  Target targets_[2];
  const CaseObserver& observe_;
  bool verbose_;
  size_t width_ = 0;
  size_t index_ = 0;
  bool reopen_ = false;  // the connections were closed by the last step
  std::unique_ptr<RawClient> conns_[2];
  RunOutcome out_;
};

}  // namespace

RunOutcome PlayScript(const Script& script, int proto, const Target& test, const Target& reference,
                      const CaseObserver& observe, bool verbose) {
  Player p(script, proto, test, reference, observe, verbose);
  return p.Play();
}

}  // namespace cairn::diff
