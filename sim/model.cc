#include "sim/model.h"

#include <algorithm>
#include <climits>

namespace cairn::sim {

std::string RespInt(int64_t v) { return ":" + std::to_string(v) + "\r\n"; }
std::string RespBulk(const std::string& s) {
  return "$" + std::to_string(s.size()) + "\r\n" + s + "\r\n";
}
std::string RespNil() { return "$-1\r\n"; }
std::string RespOk() { return "+OK\r\n"; }
std::string RespErr(const std::string& msg) { return "-" + msg + "\r\n"; }

std::string Printable(std::string_view bytes, size_t max) {
  std::string out;
  for (char c : bytes.substr(0, max)) {
    if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) < 32 || static_cast<unsigned char>(c) > 126) {
      out += '?';
    } else {
      out += c;
    }
  }
  if (bytes.size() > max) out += "...";
  return out;
}

namespace {

const char kNotInt[] = "ERR value is not an integer or out of range";
const char kSame[] = "ERR source and destination objects are the same";

// Redis's strict integer syntax: no sign but '-', no leading zeros, no spaces.
bool ParseInt(const std::string& s, int64_t* out) {
  if (s.empty() || s.size() > 20) return false;
  if (s == "0") {
    *out = 0;
    return true;
  }
  size_t i = 0;
  bool neg = false;
  if (s[0] == '-') {
    neg = true;
    i = 1;
    if (s.size() == 1) return false;
  }
  if (s[i] < '1' || s[i] > '9') return false;
  unsigned __int128 v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + static_cast<unsigned>(s[i] - '0');
    if (v > static_cast<unsigned __int128>(INT64_MAX) + 1) return false;
  }
  if (!neg && v > static_cast<unsigned __int128>(INT64_MAX)) return false;
  *out = neg ? static_cast<int64_t>(-static_cast<__int128>(v)) : static_cast<int64_t>(v);
  return true;
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

Model::Value* Model::Find(int db, const std::string& key, int64_t now_ms) {
  auto it = dbs_[db].find(key);
  if (it == dbs_[db].end()) return nullptr;
  if (it->second.deadline_ms != 0 && now_ms > it->second.deadline_ms) {
    dbs_[db].erase(it);
    return nullptr;
  }
  return &it->second;
}

const Model::Db& Model::Live(int db, int64_t now_ms) {
  for (auto it = dbs_[db].begin(); it != dbs_[db].end();) {
    if (it->second.deadline_ms != 0 && now_ms > it->second.deadline_ms) {
      it = dbs_[db].erase(it);
    } else {
      ++it;
    }
  }
  return dbs_[db];
}

bool Model::RefusedOnDiskError(const std::string& name) {
  static const char* const kRefused[] = {
      "SET",  "INCR",   "DECR",   "INCRBY",  "DECRBY",   "APPEND",    "SETRANGE", "SETBIT",
      "DEL",  "UNLINK", "EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT", "PERSIST",  "RENAME",
      "COPY", "MOVE",   "SWAPDB", "FLUSHDB", "FLUSHALL", "MSET",      "MSETNX",   "PING"};
  const std::string cmd = Upper(name);
  for (const char* c : kRefused) {
    if (cmd == c) return true;
  }
  return false;
}

namespace {
bool Alive(const Model::Value& v, int64_t now_ms) {
  return v.deadline_ms == 0 || now_ms <= v.deadline_ms;
}
}  // namespace

bool Model::LiveEqual(const State& a, const State& b, int64_t now_ms, int64_t passed_ms) {
  if (a.size() != b.size()) return false;
  auto counts = [&](const Value& v) { return Alive(v, now_ms); };
  auto forgettable = [&](const Value& v) {
    return v.deadline_ms != 0 && v.deadline_ms < passed_ms;
  };
  for (size_t i = 0; i < a.size(); ++i) {
    auto x = a[i].begin(), y = b[i].begin();
    for (;;) {
      while (x != a[i].end() && !counts(x->second)) ++x;
      while (y != b[i].end() && !counts(y->second)) ++y;
      if (x == a[i].end() && y == b[i].end()) break;
      // A key on one side only: a difference unless it is forgettable.
      if (y == b[i].end() || (x != a[i].end() && x->first < y->first)) {
        if (!forgettable(x->second)) return false;
        ++x;
        continue;
      }
      if (x == a[i].end() || y->first < x->first) {
        if (!forgettable(y->second)) return false;
        ++y;
        continue;
      }
      if (x->second.bytes != y->second.bytes || x->second.deadline_ms != y->second.deadline_ms) {
        return false;
      }
      ++x;
      ++y;
    }
  }
  return true;
}

std::string Model::Describe(const State& state, int64_t now_ms) {
  std::string out;
  for (size_t i = 0; i < state.size(); ++i) {
    out += "db" + std::to_string(i) + "{";
    for (const auto& [k, v] : state[i]) {
      if (!Alive(v, now_ms)) continue;
      out += k + "=";
      for (char c : v.bytes) {
        // Bit commands make binary values: escape them so a message stays text.
        if (c >= 0x20 && c < 0x7f && c != '\\') {
          out += c;
        } else {
          static const char kHex[] = "0123456789abcdef";
          out += "\\x";
          out += kHex[(static_cast<unsigned char>(c) >> 4) & 0xf];
          out += kHex[static_cast<unsigned char>(c) & 0xf];
        }
      }
      if (v.deadline_ms) out += "@" + std::to_string(v.deadline_ms);
      out += " ";
    }
    out += "} ";
  }
  return out;
}

std::string Model::Execute(const std::vector<std::string>& argv, int* dbp, int64_t now) {
  const std::string cmd = Upper(argv[0]);
  Db& db = dbs_[*dbp];
  auto find = [&](const std::string& k) { return Find(*dbp, k, now); };

  if (cmd == "SET") {
    bool nx = false, xx = false, get = false, keepttl = false;
    int64_t deadline = 0;
    for (size_t i = 3; i < argv.size(); ++i) {
      std::string o = Upper(argv[i]);
      if (o == "NX") nx = true;
      if (o == "XX") xx = true;
      if (o == "GET") get = true;
      if (o == "KEEPTTL") keepttl = true;
      int64_t n = 0;
      if (o == "EX" || o == "PX" || o == "EXAT" || o == "PXAT") {
        ParseInt(argv[++i], &n);
        if (o == "EX") deadline = now + n * 1000;
        if (o == "PX") deadline = now + n;
        if (o == "EXAT") deadline = n * 1000;
        if (o == "PXAT") deadline = n;
      }
    }
    Value* v = find(argv[1]);
    std::string reply = get ? (v ? RespBulk(v->bytes) : RespNil()) : RespOk();
    if ((nx && v) || (xx && !v)) return get ? reply : RespNil();
    int64_t keep = (keepttl && v) ? v->deadline_ms : 0;
    db[argv[1]] = Value{argv[2], deadline ? deadline : keep};
    return reply;
  }
  if (cmd == "GET") {
    Value* v = find(argv[1]);
    return v ? RespBulk(v->bytes) : RespNil();
  }
  if (cmd == "MGET") {
    std::string out = "*" + std::to_string(argv.size() - 1) + "\r\n";
    for (size_t i = 1; i < argv.size(); ++i) {
      Value* v = find(argv[i]);
      out += v ? RespBulk(v->bytes) : RespNil();
    }
    return out;
  }
  if (cmd == "MSET") {
    for (size_t i = 1; i + 1 < argv.size(); i += 2) db[argv[i]] = Value{argv[i + 1], 0};
    return RespOk();
  }
  if (cmd == "MSETNX") {
    for (size_t i = 1; i + 1 < argv.size(); i += 2) {
      if (find(argv[i])) return RespInt(0);
    }
    for (size_t i = 1; i + 1 < argv.size(); i += 2) db[argv[i]] = Value{argv[i + 1], 0};
    return RespInt(1);
  }
  if (cmd == "DEL" || cmd == "UNLINK") {
    int64_t n = 0;
    for (size_t i = 1; i < argv.size(); ++i) {
      if (find(argv[i])) {
        db.erase(argv[i]);
        ++n;
      }
    }
    return RespInt(n);
  }
  if (cmd == "EXISTS") {
    int64_t n = 0;
    for (size_t i = 1; i < argv.size(); ++i) n += find(argv[i]) != nullptr;
    return RespInt(n);
  }
  if (cmd == "INCR" || cmd == "DECR" || cmd == "INCRBY" || cmd == "DECRBY") {
    int64_t by = 1;
    if (cmd == "INCRBY" || cmd == "DECRBY") {
      if (!ParseInt(argv[2], &by)) return RespErr(kNotInt);
    }
    if (cmd[0] == 'D') by = -by;
    Value* v = find(argv[1]);
    int64_t cur = 0;
    if (v && !ParseInt(v->bytes, &cur)) return RespErr(kNotInt);
    if ((by > 0 && cur > INT64_MAX - by) || (by < 0 && cur < INT64_MIN - by)) {
      return RespErr("ERR increment or decrement would overflow");
    }
    cur += by;
    if (v) {
      v->bytes = std::to_string(cur);
    } else {
      db[argv[1]] = Value{std::to_string(cur), 0};
    }
    return RespInt(cur);
  }
  if (cmd == "APPEND") {
    Value* v = find(argv[1]);
    if (!v) v = &(db[argv[1]] = Value{"", 0});
    v->bytes += argv[2];
    return RespInt(static_cast<int64_t>(v->bytes.size()));
  }
  if (cmd == "STRLEN") {
    Value* v = find(argv[1]);
    return RespInt(v ? static_cast<int64_t>(v->bytes.size()) : 0);
  }
  if (cmd == "SETRANGE") {
    int64_t off = 0;
    ParseInt(argv[2], &off);
    Value* v = find(argv[1]);
    if (argv[3].empty()) return RespInt(v ? static_cast<int64_t>(v->bytes.size()) : 0);
    if (!v) v = &(db[argv[1]] = Value{"", 0});
    size_t end = static_cast<size_t>(off) + argv[3].size();
    if (v->bytes.size() < end) v->bytes.resize(end, '\0');
    v->bytes.replace(static_cast<size_t>(off), argv[3].size(), argv[3]);
    return RespInt(static_cast<int64_t>(v->bytes.size()));
  }
  if (cmd == "GETRANGE") {
    int64_t start = 0, end = 0;
    ParseInt(argv[2], &start);
    ParseInt(argv[3], &end);
    Value* v = find(argv[1]);
    std::string s = v ? v->bytes : "";
    int64_t len = static_cast<int64_t>(s.size());
    if (start < 0 && end < 0 && start > end) return RespBulk("");
    if (start < 0) start += len;
    if (end < 0) end += len;
    if (start < 0) start = 0;
    if (end < 0) end = 0;
    if (end >= len) end = len - 1;
    if (len == 0 || start > end) return RespBulk("");
    return RespBulk(s.substr(static_cast<size_t>(start), static_cast<size_t>(end - start + 1)));
  }
  if (cmd == "SETBIT") {
    int64_t off = 0, bit = 0;
    ParseInt(argv[2], &off);
    ParseInt(argv[3], &bit);
    Value* v = find(argv[1]);
    if (!v) v = &(db[argv[1]] = Value{"", 0});
    size_t byte = static_cast<size_t>(off / 8);
    if (v->bytes.size() <= byte) v->bytes.resize(byte + 1, '\0');
    unsigned char mask = static_cast<unsigned char>(0x80 >> (off % 8));
    auto& c = reinterpret_cast<unsigned char&>(v->bytes[byte]);
    int old = (c & mask) ? 1 : 0;
    c = bit ? (c | mask) : (c & ~mask);
    return RespInt(old);
  }
  if (cmd == "GETBIT") {
    int64_t off = 0;
    ParseInt(argv[2], &off);
    Value* v = find(argv[1]);
    size_t byte = static_cast<size_t>(off / 8);
    if (!v || v->bytes.size() <= byte) return RespInt(0);
    unsigned char c = static_cast<unsigned char>(v->bytes[byte]);
    return RespInt((c & (0x80 >> (off % 8))) ? 1 : 0);
  }
  if (cmd == "BITCOUNT") {
    Value* v = find(argv[1]);
    int64_t n = 0;
    if (v) {
      for (unsigned char c : v->bytes) n += __builtin_popcount(c);
    }
    return RespInt(n);
  }
  if (cmd == "EXPIRE" || cmd == "PEXPIRE" || cmd == "EXPIREAT" || cmd == "PEXPIREAT") {
    int64_t n = 0;
    ParseInt(argv[2], &n);
    Value* v = find(argv[1]);
    if (!v) return RespInt(0);
    int64_t when = cmd == "EXPIRE"     ? now + n * 1000
                   : cmd == "PEXPIRE"  ? now + n
                   : cmd == "EXPIREAT" ? n * 1000
                                       : n;
    if (when <= now) {
      db.erase(argv[1]);
    } else {
      v->deadline_ms = when;
    }
    return RespInt(1);
  }
  if (cmd == "PTTL" || cmd == "TTL") {
    Value* v = find(argv[1]);
    if (!v) return RespInt(-2);
    if (!v->deadline_ms) return RespInt(-1);
    int64_t ttl = std::max<int64_t>(0, v->deadline_ms - now);
    return RespInt(cmd == "TTL" ? (ttl + 500) / 1000 : ttl);
  }
  if (cmd == "PERSIST") {
    Value* v = find(argv[1]);
    if (!v || !v->deadline_ms) return RespInt(0);
    v->deadline_ms = 0;
    return RespInt(1);
  }
  if (cmd == "RENAME") {
    Value* v = find(argv[1]);
    if (!v) return RespErr("ERR no such key");
    if (argv[1] == argv[2]) return RespOk();
    Value moved = *v;
    db.erase(argv[1]);
    db[argv[2]] = moved;
    return RespOk();
  }
  if (cmd == "COPY") {
    int dst_db = *dbp;
    bool replace = false;
    for (size_t i = 3; i < argv.size(); ++i) {
      std::string o = Upper(argv[i]);
      if (o == "REPLACE") replace = true;
      if (o == "DB") dst_db = std::stoi(argv[++i]);
    }
    if (dst_db == *dbp && argv[1] == argv[2]) return RespErr(kSame);
    Value* v = find(argv[1]);
    if (!v) return RespInt(0);
    Value copy = *v;
    if (Find(dst_db, argv[2], now) && !replace) return RespInt(0);
    dbs_[dst_db][argv[2]] = copy;
    return RespInt(1);
  }
  if (cmd == "MOVE") {
    int dst_db = std::stoi(argv[2]);
    if (dst_db == *dbp) return RespErr(kSame);
    Value* v = find(argv[1]);
    if (!v) return RespInt(0);
    if (Find(dst_db, argv[1], now)) return RespInt(0);
    dbs_[dst_db][argv[1]] = *v;
    db.erase(argv[1]);
    return RespInt(1);
  }
  if (cmd == "SWAPDB") {
    int a = std::stoi(argv[1]), b = std::stoi(argv[2]);
    std::swap(dbs_[a], dbs_[b]);
    return RespOk();
  }
  if (cmd == "SELECT") {
    *dbp = std::stoi(argv[1]);
    return RespOk();
  }
  if (cmd == "FLUSHDB") {
    db.clear();
    return RespOk();
  }
  if (cmd == "FLUSHALL") {
    for (Db& d : dbs_) d.clear();
    return RespOk();
  }
  if (cmd == "PING") return "+PONG\r\n";
  return RespErr("SIM model: unmodelled command " + cmd);
}

}  // namespace cairn::sim
