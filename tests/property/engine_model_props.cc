// Random command sequences on the Engine equal an independent reference
// model (RapidCheck's stateful testing, rc::state).
//
// The model is written from Redis 7.0's documented behaviour, not from the
// engine's code: each of three databases is a std::map from key to value and
// optional deadline (absolute ms), and the clock is a number the test moves.
// Replies are the RESP2 bytes the model expects and must match exactly.
//
// Expiry as Redis does it without active expiry (no Tick is sent, and the
// fast cycle only follows a slow one): a key is gone once now > deadline,
// but it leaves the table only when a command looks it up, so DBSIZE counts
// expired keys nobody touched. The model keeps them the same way.
//
// Commands over four keys: SET (EX/PX/NX/XX/GET/KEEPTTL, and invalid
// expire times), GET, DEL, EXISTS, INCR/INCRBY/DECR, APPEND, STRLEN,
// GETRANGE, SETRANGE, MSET, MGET, EXPIRE, PEXPIRE, TTL, PTTL, PERSIST,
// RENAME, DBSIZE, FLUSHDB, SELECT (and an out-of-range index), interleaved
// with clock advances of 0..3000 ms.
#include <array>
#include <charconv>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>
#include <rapidcheck/state.h>

#include "tests/support/engine_harness.h"

namespace cairn::testing {
namespace {

constexpr int64_t kStartMs = 1'700'000'000'000;  // ManualClock's initial wall time
constexpr int kDatabases = 3;                    // of 16: enough to see SELECT work

std::string Ok() { return "+OK\r\n"; }
std::string Nil() { return "$-1\r\n"; }
std::string Int(int64_t v) { return ":" + std::to_string(v) + "\r\n"; }
std::string Bulk(const std::string& s) {
  return "$" + std::to_string(s.size()) + "\r\n" + s + "\r\n";
}
std::string Err(const std::string& s) { return "-" + s + "\r\n"; }
const char* kNotInt = "ERR value is not an integer or out of range";

// Redis's strict integers: optional '-', no '+', no leading zeros, no
// blanks, at most 20 characters, within int64.
std::optional<int64_t> StrictInt(const std::string& s) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  if (s == "0") return 0;
  size_t i = s[0] == '-' ? 1 : 0;
  if (i >= s.size() || s[i] < '1' || s[i] > '9') return std::nullopt;
  for (size_t k = i; k < s.size(); ++k) {
    if (s[k] < '0' || s[k] > '9') return std::nullopt;
  }
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

struct Value {
  std::string str;
  std::optional<int64_t> deadline_ms;
};

struct Model {
  int64_t now_ms = kStartMs;
  int db = 0;
  std::array<std::map<std::string, Value>, kDatabases> dbs;

  std::map<std::string, Value>& Db() { return dbs[static_cast<size_t>(db)]; }

  // A lookup: an expired key is removed and reported missing.
  Value* Find(const std::string& key) {
    auto it = Db().find(key);
    if (it == Db().end()) return nullptr;
    if (it->second.deadline_ms && now_ms > *it->second.deadline_ms) {
      Db().erase(it);
      return nullptr;
    }
    return &it->second;
  }

  std::string Exec(const std::vector<std::string>& a) {
    const std::string& cmd = a[0];
    if (cmd == "SET") return Set(a);
    if (cmd == "GET") {
      Value* v = Find(a[1]);
      return v ? Bulk(v->str) : Nil();
    }
    if (cmd == "DEL" || cmd == "EXISTS") {
      int64_t n = 0;
      for (size_t i = 1; i < a.size(); ++i) {
        if (Find(a[i]) == nullptr) continue;
        ++n;
        if (cmd == "DEL") Db().erase(a[i]);
      }
      return Int(n);
    }
    if (cmd == "INCR" || cmd == "DECR" || cmd == "INCRBY") {
      int64_t by = cmd == "INCR" ? 1 : -1;
      if (cmd == "INCRBY") {
        auto parsed = StrictInt(a[2]);
        if (!parsed) return Err(kNotInt);
        by = *parsed;
      }
      Value* v = Find(a[1]);
      int64_t cur = 0;
      if (v != nullptr) {
        auto parsed = StrictInt(v->str);
        if (!parsed) return Err(kNotInt);
        cur = *parsed;
      }
      int64_t next = 0;
      if (__builtin_add_overflow(cur, by, &next)) {
        return Err("ERR increment or decrement would overflow");
      }
      if (v == nullptr) {
        Db()[a[1]] = Value{std::to_string(next), std::nullopt};
      } else {
        v->str = std::to_string(next);  // the deadline stays
      }
      return Int(next);
    }
    if (cmd == "APPEND") {
      Value* v = Find(a[1]);
      if (v == nullptr) {
        Db()[a[1]] = Value{a[2], std::nullopt};
        return Int(static_cast<int64_t>(a[2].size()));
      }
      v->str += a[2];
      return Int(static_cast<int64_t>(v->str.size()));
    }
    if (cmd == "STRLEN") {
      Value* v = Find(a[1]);
      return Int(v ? static_cast<int64_t>(v->str.size()) : 0);
    }
    if (cmd == "GETRANGE") return GetRange(a);
    if (cmd == "SETRANGE") return SetRange(a);
    if (cmd == "MSET") {
      for (size_t i = 1; i + 1 < a.size(); i += 2) {
        Find(a[i]);
        Db()[a[i]] = Value{a[i + 1], std::nullopt};
      }
      return Ok();
    }
    if (cmd == "MGET") {
      std::string out = "*" + std::to_string(a.size() - 1) + "\r\n";
      for (size_t i = 1; i < a.size(); ++i) {
        Value* v = Find(a[i]);
        out += v ? Bulk(v->str) : Nil();
      }
      return out;
    }
    if (cmd == "EXPIRE" || cmd == "PEXPIRE") {
      int64_t when = *StrictInt(a[2]) * (cmd == "EXPIRE" ? 1000 : 1) + now_ms;
      Value* v = Find(a[1]);
      if (v == nullptr) return Int(0);
      if (when <= now_ms) {
        Db().erase(a[1]);
      } else {
        v->deadline_ms = when;
      }
      return Int(1);
    }
    if (cmd == "TTL" || cmd == "PTTL") {
      Value* v = Find(a[1]);
      if (v == nullptr) return Int(-2);
      if (!v->deadline_ms) return Int(-1);
      int64_t ms = *v->deadline_ms - now_ms;
      return Int(cmd == "PTTL" ? ms : (ms + 500) / 1000);
    }
    if (cmd == "PERSIST") {
      Value* v = Find(a[1]);
      if (v == nullptr || !v->deadline_ms) return Int(0);
      v->deadline_ms.reset();
      return Int(1);
    }
    if (cmd == "RENAME") {
      Value* v = Find(a[1]);
      if (v == nullptr) return Err("ERR no such key");
      if (a[1] == a[2]) return Ok();
      Value moved = *v;
      Find(a[2]);
      Db().erase(a[1]);
      Db()[a[2]] = moved;
      return Ok();
    }
    if (cmd == "DBSIZE") return Int(static_cast<int64_t>(Db().size()));
    if (cmd == "FLUSHDB") {
      Db().clear();
      return Ok();
    }
    if (cmd == "SELECT") {
      int index = std::stoi(a[1]);
      if (index < 0 || index >= 16) return Err("ERR DB index is out of range");
      db = index;
      return Ok();
    }
    return Err("model: unknown command " + cmd);
  }

  std::string Set(const std::vector<std::string>& a) {
    bool nx = false, xx = false, get = false, keepttl = false;
    std::optional<int64_t> expire_ms;
    for (size_t i = 3; i < a.size(); ++i) {
      if (a[i] == "NX") nx = true;
      if (a[i] == "XX") xx = true;
      if (a[i] == "GET") get = true;
      if (a[i] == "KEEPTTL") keepttl = true;
      if (a[i] == "EX" || a[i] == "PX") {
        int64_t n = *StrictInt(a[i + 1]);
        if (n <= 0) return Err("ERR invalid expire time in 'set' command");
        expire_ms = n * (a[i] == "EX" ? 1000 : 1);
        ++i;
      }
    }
    Value* old = Find(a[1]);
    std::optional<std::string> old_str;
    if (old != nullptr) old_str = old->str;
    std::string reply = get ? (old_str ? Bulk(*old_str) : Nil()) : Ok();
    if ((nx && old != nullptr) || (xx && old == nullptr)) return get ? reply : Nil();
    Value next{a[2], std::nullopt};
    if (expire_ms) next.deadline_ms = now_ms + *expire_ms;
    if (keepttl && old != nullptr) next.deadline_ms = old->deadline_ms;
    Db()[a[1]] = next;
    return reply;
  }

  std::string GetRange(const std::vector<std::string>& a) {
    int64_t start = *StrictInt(a[2]);
    int64_t end = *StrictInt(a[3]);
    // The key is looked up first (an expired one goes), then this case is
    // answered before any clamping (redis-server 7.0.15 does both).
    Value* v = Find(a[1]);
    if (v == nullptr) return Bulk("");
    if (start < 0 && end < 0 && start > end) return Bulk("");
    const auto len = static_cast<int64_t>(v->str.size());
    if (start < 0) start += len;
    if (end < 0) end += len;
    if (start < 0) start = 0;
    if (end < 0) end = 0;
    if (end >= len) end = len - 1;
    if (len == 0 || start > end) return Bulk("");
    return Bulk(v->str.substr(static_cast<size_t>(start), static_cast<size_t>(end - start + 1)));
  }

  std::string SetRange(const std::vector<std::string>& a) {
    int64_t offset = *StrictInt(a[2]);
    if (offset < 0) return Err("ERR offset is out of range");
    Value* v = Find(a[1]);
    if (v == nullptr) {
      if (a[3].empty()) return Int(0);
      Db()[a[1]] = Value{"", std::nullopt};
      v = &Db()[a[1]];
    } else if (a[3].empty()) {
      return Int(static_cast<int64_t>(v->str.size()));
    }
    auto off = static_cast<size_t>(offset);
    if (v->str.size() < off + a[3].size()) v->str.resize(off + a[3].size(), '\0');
    v->str.replace(off, a[3].size(), a[3]);
    return Int(static_cast<int64_t>(v->str.size()));
  }
};

rc::Gen<std::string> GenKey() { return rc::gen::element<std::string>("a", "b", "c", "d"); }

rc::Gen<std::string> GenValue() {
  return rc::gen::weightedOneOf<std::string>({
      {3, rc::gen::element<std::string>("", "v", "hello", "x y", "007", "-0", "+1", " 1", "1.5")},
      {3, rc::gen::map(rc::gen::inRange<int64_t>(-1000, 1000),
                       [](int64_t v) { return std::to_string(v); })},
      {1, rc::gen::element<std::string>("9223372036854775807", "-9223372036854775808",
                                        "9223372036854775806", "92233720368547758070")},
      {1, rc::gen::container<std::string>(rc::gen::inRange<char>(0, 127))},
  });
}

std::string Str(int64_t v) { return std::to_string(v); }

std::vector<std::string> GenCommand() {
  std::vector<std::string> a;
  const std::string cmd = *rc::gen::weightedElement<std::string>({
      {8, "SET"},      {6, "GET"},    {2, "DEL"},     {2, "EXISTS"}, {3, "INCR"},
      {2, "INCRBY"},   {1, "DECR"},   {2, "APPEND"},  {1, "STRLEN"}, {2, "GETRANGE"},
      {2, "SETRANGE"}, {2, "MSET"},   {2, "MGET"},    {3, "EXPIRE"}, {3, "PEXPIRE"},
      {3, "TTL"},      {1, "PTTL"},   {2, "PERSIST"}, {2, "RENAME"}, {2, "DBSIZE"},
      {1, "FLUSHDB"},  {2, "SELECT"},
  });
  a.push_back(cmd);
  if (cmd == "SET") {
    a.push_back(*GenKey());
    a.push_back(*GenValue());
    int expiry = *rc::gen::inRange(0, 5);  // none, EX, PX, KEEPTTL, bad
    if (expiry == 1) a.insert(a.end(), {"EX", Str(*rc::gen::inRange(1, 4))});
    if (expiry == 2) a.insert(a.end(), {"PX", Str(*rc::gen::inRange(1, 4000))});
    if (expiry == 3) a.push_back("KEEPTTL");
    if (expiry == 4)
      a.insert(a.end(),
               {*rc::gen::element<std::string>("EX", "PX"), Str(*rc::gen::inRange(-2, 1))});
    int cond = *rc::gen::inRange(0, 3);
    if (cond == 1) a.push_back("NX");
    if (cond == 2) a.push_back("XX");
    if (*rc::gen::arbitrary<bool>()) a.push_back("GET");
  } else if (cmd == "DEL" || cmd == "EXISTS" || cmd == "MGET") {
    size_t n = *rc::gen::inRange<size_t>(1, 4);
    for (size_t i = 0; i < n; ++i) a.push_back(*GenKey());
  } else if (cmd == "MSET") {
    size_t n = *rc::gen::inRange<size_t>(1, 3);
    for (size_t i = 0; i < n; ++i) {
      a.push_back(*GenKey());
      a.push_back(*GenValue());
    }
  } else if (cmd == "INCRBY") {
    a.push_back(*GenKey());
    a.push_back(*rc::gen::weightedOneOf<std::string>(
        {{4, rc::gen::map(rc::gen::inRange<int64_t>(-100, 100), Str)},
         {1, rc::gen::element<std::string>("9223372036854775807", "-9223372036854775808", "x",
                                           "1.0", "+5")}}));
  } else if (cmd == "APPEND") {
    a.push_back(*GenKey());
    a.push_back(*GenValue());
  } else if (cmd == "GETRANGE") {
    a.push_back(*GenKey());
    a.push_back(Str(*rc::gen::inRange(-8, 9)));
    a.push_back(Str(*rc::gen::inRange(-8, 9)));
  } else if (cmd == "SETRANGE") {
    a.push_back(*GenKey());
    a.push_back(Str(*rc::gen::inRange(-1, 12)));
    a.push_back(*rc::gen::element<std::string>("", "Z", "xyz"));
  } else if (cmd == "EXPIRE") {
    a.push_back(*GenKey());
    a.push_back(Str(*rc::gen::inRange(-1, 4)));
  } else if (cmd == "PEXPIRE") {
    a.push_back(*GenKey());
    a.push_back(Str(*rc::gen::inRange(-1, 4000)));
  } else if (cmd == "RENAME") {
    a.push_back(*GenKey());
    a.push_back(*GenKey());
  } else if (cmd == "SELECT") {
    a.push_back(Str(*rc::gen::weightedElement<int>({{10, 0}, {5, 1}, {5, 2}, {1, 16}})));
  } else if (cmd != "DBSIZE" && cmd != "FLUSHDB") {
    a.push_back(*GenKey());  // GET, INCR, DECR, STRLEN, TTL, PTTL, PERSIST
  }
  return a;
}

using ModelCommand = rc::state::Command<Model, EngineHarness>;

struct Run final : ModelCommand {
  std::vector<std::string> args = GenCommand();

  void apply(Model& m) const override { m.Exec(args); }
  void run(const Model& m, EngineHarness& h) const override {
    Model copy = m;
    const std::string expected = copy.Exec(args);
    std::vector<std::string_view> views(args.begin(), args.end());
    RC_ASSERT(h.Run(h.session(), views) == expected);
  }
  void show(std::ostream& os) const override {
    for (const auto& x : args) os << '"' << x << "\" ";
  }
};

struct AdvanceClock final : ModelCommand {
  int64_t ms = *rc::gen::weightedElement<int64_t>(
      {{2, 0}, {4, 1}, {3, 500}, {3, 999}, {3, 1000}, {2, 1001}, {2, 3000}});

  void apply(Model& m) const override { m.now_ms += ms; }
  void run(const Model&, EngineHarness& h) const override { h.AdvanceMs(ms); }
  void show(std::ostream& os) const override { os << "advance clock " << ms << " ms"; }
};

RC_GTEST_PROP(EngineModel, CommandSequencesMatchTheReferenceModel, ()) {
  EngineHarness h;
  h.engine().set_effect_observer(nullptr);  // nothing here reads effects
  rc::state::check(Model{}, h,
                   rc::state::gen::execOneOfWithArgs<Run, Run, Run, Run, AdvanceClock>());
}

}  // namespace
}  // namespace cairn::testing
