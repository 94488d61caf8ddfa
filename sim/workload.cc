#include "sim/workload.h"

namespace cairn::sim {

std::string Workload::Key() { return "k" + std::to_string(rng_.Below(8)); }

std::string Workload::Value() {
  switch (rng_.Below(6)) {
    case 0:
      return std::to_string(rng_.Range(-1000, 1000));
    case 1:
      return rng_.Chance(500) ? "9223372036854775806" : "-9223372036854775807";
    case 2:
      return "";
    case 3:
      return "0";
    default: {
      std::string s;
      size_t n = 1 + rng_.Below(12);
      for (size_t i = 0; i < n; ++i) s.push_back(static_cast<char>('a' + rng_.Below(26)));
      return s;
    }
  }
}

std::vector<std::string> Workload::Next(int64_t now_ms) {
  auto num = [](int64_t v) { return std::to_string(v); };
  switch (rng_.Below(30)) {
    case 0:
    case 1:
    case 2: {
      std::vector<std::string> a = {"SET", Key(), Value()};
      uint64_t cond = rng_.Below(4);
      if (cond == 1) a.push_back("NX");
      if (cond == 2) a.push_back("XX");
      if (cond != 1 && rng_.Chance(300)) a.push_back("GET");
      switch (rng_.Below(7)) {
        case 0:
          a.insert(a.end(), {"EX", num(rng_.Range(1, 5))});
          break;
        case 1:
          a.insert(a.end(), {"PX", num(rng_.Range(1, 3000))});
          break;
        case 2:
          a.insert(a.end(), {"EXAT", num(now_ms / 1000 + rng_.Range(2, 6))});
          break;
        case 3:
          a.insert(a.end(), {"PXAT", num(now_ms + rng_.Range(1, 4000))});
          break;
        case 4:
          a.push_back("KEEPTTL");
          break;
        default:
          break;
      }
      return a;
    }
    case 3:
    case 4:
      return {"GET", Key()};
    case 5:
      return {rng_.Chance(500) ? "INCR" : "DECR", Key()};
    case 6:
      return {rng_.Chance(500) ? "INCRBY" : "DECRBY", Key(), num(rng_.Range(-100, 100))};
    case 7:
      return {"APPEND", Key(), Value()};
    case 8:
      return {"SETRANGE", Key(), num(rng_.Range(0, 20)), Value()};
    case 9:
      return {"GETRANGE", Key(), num(rng_.Range(-10, 10)), num(rng_.Range(-10, 10))};
    case 10:
      return {"SETBIT", Key(), num(rng_.Range(0, 100)), num(rng_.Range(0, 1))};
    case 11:
      if (rng_.Chance(500)) return {"BITCOUNT", Key()};
      return {"GETBIT", Key(), num(rng_.Range(0, 100))};
    case 12:
      return {rng_.Chance(500) ? "DEL" : "UNLINK", Key(), Key()};
    case 13:
      return {"EXISTS", Key(), Key()};
    case 14: {
      static const char* const kCmds[] = {"EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"};
      std::string c = rng_.Pick(kCmds);
      int64_t v = 0;
      bool past = rng_.Chance(250);
      if (c == "EXPIRE") v = past ? rng_.Range(-5, 0) : rng_.Range(1, 5);
      if (c == "PEXPIRE") v = past ? rng_.Range(-500, 0) : rng_.Range(1, 4000);
      if (c == "EXPIREAT") v = now_ms / 1000 + (past ? rng_.Range(-10, 0) : rng_.Range(2, 6));
      if (c == "PEXPIREAT") v = now_ms + (past ? rng_.Range(-3000, 0) : rng_.Range(1, 4000));
      return {c, Key(), num(v)};
    }
    case 15:
      return {rng_.Chance(500) ? "PTTL" : "TTL", Key()};
    case 16:
      return {"PERSIST", Key()};
    case 17:
    case 18:
      return {"RENAME", Key(), Key()};
    case 19: {
      std::vector<std::string> a = {"COPY", Key(), Key()};
      if (rng_.Chance(400)) a.insert(a.end(), {"DB", num(rng_.Range(0, 2))});
      if (rng_.Chance(500)) a.push_back("REPLACE");
      if (a.size() == 3 && a[1] == a[2]) a[2] += "x";
      return a;
    }
    case 20:
      return {"MOVE", Key(), num(rng_.Range(0, 2))};
    case 21:
      return {"SWAPDB", num(rng_.Range(0, 2)), num(rng_.Range(0, 2))};
    case 22:
      return {"SELECT", num(rng_.Range(0, 2))};
    case 23:
      if (rng_.Chance(100)) return {"FLUSHALL"};
      if (rng_.Chance(150)) return {"FLUSHDB"};
      return {"PING"};
    case 24:
      return {"MSET", Key(), Value(), Key(), Value()};
    case 25:
      return {"MSETNX", Key(), Value(), Key(), Value()};
    case 26:
      return {"MGET", Key(), Key(), Key()};
    case 27:
      return {"STRLEN", Key()};
    default:
      return {"SET", Key(), Value()};
  }
}

}  // namespace cairn::sim
