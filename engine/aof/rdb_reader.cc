#include "engine/aof/rdb_reader.h"

#include <cstdint>
#include <optional>
#include <string>

#include "engine/aof/lzf.h"
#include "engine/util/strconv.h"

namespace cairn::aof {
namespace {

enum Opcode : uint8_t {
  kFunction2 = 245,
  kFunction = 246,
  kModuleAux = 247,
  kIdle = 248,
  kFreq = 249,
  kAux = 250,
  kResizeDb = 251,
  kExpireMs = 252,
  kExpireSec = 253,
  kSelectDb = 254,
  kEof = 255,
};

const char* TypeName(uint8_t type) {
  switch (type) {
    case 1:
    case 10:
    case 14:
    case 18:
      return "list";
    case 2:
    case 11:
    case 20:
      return "set";
    case 3:
    case 5:
    case 12:
    case 17:
      return "zset";
    case 4:
    case 9:
    case 13:
    case 16:
      return "hash";
    case 6:
    case 7:
      return "module";
    case 15:
    case 19:
    case 21:
      return "stream";
    default:
      return "unknown";
  }
}

class Cursor {
 public:
  explicit Cursor(std::string_view d) : d_(d) {}
  size_t pos() const { return p_; }

  Status Byte(uint8_t* b) {
    if (p_ >= d_.size()) return Short();
    *b = static_cast<uint8_t>(d_[p_++]);
    return Status::Ok();
  }
  Status Bytes(size_t n, std::string_view* out) {
    if (d_.size() - p_ < n) return Short();
    *out = d_.substr(p_, n);
    p_ += n;
    return Status::Ok();
  }
  Status LittleEndian(size_t n, uint64_t* v) {
    std::string_view b;
    Status st = Bytes(n, &b);
    if (!st.ok()) return st;
    *v = 0;
    for (size_t i = 0; i < n; ++i)
      *v |= static_cast<uint64_t>(static_cast<uint8_t>(b[i])) << (8 * i);
    return Status::Ok();
  }
  // A length; *special is set (with the encoding in *len) for the 11 form.
  Status Length(uint64_t* len, bool* special) {
    uint8_t b;
    Status st = Byte(&b);
    if (!st.ok()) return st;
    *special = false;
    switch (b >> 6) {
      case 0:
        *len = b & 0x3f;
        return Status::Ok();
      case 1: {
        uint8_t c;
        st = Byte(&c);
        *len = (static_cast<uint64_t>(b & 0x3f) << 8) | c;
        return st;
      }
      case 2: {
        size_t n = b == 0x80 ? 4 : (b == 0x81 ? 8 : 0);
        if (n == 0) return Bad("unknown length encoding");
        std::string_view raw;
        st = Bytes(n, &raw);
        if (!st.ok()) return st;
        *len = 0;
        for (char c : raw) *len = (*len << 8) | static_cast<uint8_t>(c);
        return Status::Ok();
      }
      default:
        *special = true;
        *len = b & 0x3f;
        return Status::Ok();
    }
  }
  Status PlainLength(uint64_t* len) {
    bool special = false;
    Status st = Length(len, &special);
    if (st.ok() && special) return Bad("encoded value where a length was expected");
    return st;
  }
  Status String(std::string* out) {
    uint64_t len = 0;
    bool special = false;
    Status st = Length(&len, &special);
    if (!st.ok()) return st;
    if (!special) {
      std::string_view raw;
      st = Bytes(len, &raw);
      if (st.ok()) out->assign(raw);
      return st;
    }
    char buf[kInt64Chars];
    uint64_t v = 0;
    switch (len) {
      case 0:
      case 1:
      case 2: {
        size_t n = size_t{1} << len;
        st = LittleEndian(n, &v);
        if (!st.ok()) return st;
        int64_t sv = n == 1   ? static_cast<int8_t>(v)
                     : n == 2 ? static_cast<int16_t>(v)
                              : static_cast<int32_t>(v);
        out->assign(buf, FormatInt64(sv, buf));
        return Status::Ok();
      }
      case 3: {
        uint64_t clen = 0;
        uint64_t ulen = 0;
        st = PlainLength(&clen);
        if (st.ok()) st = PlainLength(&ulen);
        std::string_view raw;
        if (st.ok()) st = Bytes(clen, &raw);
        if (!st.ok()) return st;
        auto plain = LzfDecompress(raw, ulen);
        if (!plain.ok()) return plain.status().Prefixed("rdb");
        *out = std::move(plain).value();
        return Status::Ok();
      }
      default:
        return Bad("unknown string encoding");
    }
  }
  Status Short() const { return Status::Corruption("rdb: unexpected end of the RDB preamble"); }
  Status Bad(const std::string& why) const {
    return Status::Corruption("rdb: " + why + " at offset " + std::to_string(p_));
  }

 private:
  std::string_view d_;
  size_t p_ = 0;
};

}  // namespace

Result<size_t> ReadRdbPreamble(std::string_view data, RdbSink& sink) {
  Cursor c(data);
  std::string_view magic;
  Status st = c.Bytes(9, &magic);
  if (!st.ok()) return st;
  int64_t v = 0;
  for (char ch : magic.substr(5)) v = (ch >= '0' && ch <= '9') ? v * 10 + (ch - '0') : -1000000;
  std::optional<int64_t> version;
  if (v > 0) version = v;
  if (magic.substr(0, 5) != "REDIS" || !version || *version > 10) {
    return Status::Corruption("rdb: unsupported RDB version " + std::string(magic.substr(5)));
  }
  int64_t expire_ms = -1;
  std::string key;
  std::string value;
  while (true) {
    uint8_t type;
    st = c.Byte(&type);
    if (!st.ok()) return st;
    uint64_t n = 0;
    switch (type) {
      case kEof: {
        if (*version >= 5) {
          std::string_view crc;
          st = c.Bytes(8, &crc);  // CRC-64 (all zeros when rdbchecksum is off)
          if (!st.ok()) return st;
        }
        return c.pos();
      }
      case kSelectDb:
        st = c.PlainLength(&n);
        // The sink checks the number against databases; here it must fit.
        if (st.ok() && n > 0x7fffffff) return c.Bad("database number out of range");
        if (st.ok()) st = sink.SelectDb(static_cast<int>(n));
        break;
      case kResizeDb:
        st = c.PlainLength(&n);
        if (st.ok()) st = c.PlainLength(&n);
        break;
      case kAux:
        st = c.String(&key);
        if (st.ok()) st = c.String(&value);
        break;
      case kExpireMs:
        st = c.LittleEndian(8, &n);
        expire_ms = static_cast<int64_t>(n);
        break;
      case kExpireSec:
        st = c.LittleEndian(4, &n);
        expire_ms = static_cast<int64_t>(n) * 1000;
        break;
      case kIdle:
        st = c.PlainLength(&n);
        break;
      case kFreq: {
        uint8_t f;
        st = c.Byte(&f);
        break;
      }
      case kFunction:
      case kFunction2:
        return c.Bad("function libraries, which Cairn does not hold yet,");
      case kModuleAux:
        return c.Bad("module data, which Cairn does not hold,");
      case 0:  // a string key
        st = c.String(&key);
        if (st.ok()) st = c.String(&value);
        if (st.ok()) st = sink.SetString(key, value, expire_ms);
        expire_ms = -1;
        break;
      default: {
        std::string name;
        Status ks = c.String(&name);
        return Status::Corruption("rdb: key '" + (ks.ok() ? name : std::string("?")) + "' is a " +
                                  TypeName(type) + ", a type Cairn does not hold yet");
      }
    }
    if (!st.ok()) return st;
  }
}

}  // namespace cairn::aof
