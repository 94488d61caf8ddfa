#include "engine/aof/record_reader.h"

namespace cairn::aof {
namespace {

// Parses the decimal after a '*' or '$'; -1 when it is not a number.
long long ParseCount(std::string_view s) {
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  if (s.empty() || s.size() > 18) return -1;
  long long v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

bool RecordReader::Line(size_t p, std::string_view* line, size_t* next) const {
  size_t nl = data_.find('\n', p);
  if (nl == std::string_view::npos) return false;
  *line = data_.substr(p, nl - p);
  *next = nl + 1;
  return true;
}

const RecordReader::Item& RecordReader::Next() {
  Item& it = item_;
  it.args.clear();
  it.error.clear();
  it.line = {};
  it.start = pos_;
  it.end = pos_;
  if (pos_ >= data_.size()) {
    it.kind = Kind::kEnd;
    return it;
  }
  auto truncated = [&]() -> const Item& {
    it.kind = Kind::kTruncated;
    return it;
  };
  auto bad = [&](std::string why) -> const Item& {
    it.kind = Kind::kBad;
    it.error = std::move(why);
    return it;
  };
  std::string_view line;
  size_t p = pos_;
  if (data_[p] == '#') {
    if (!Line(p, &line, &p)) return truncated();
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    it.kind = Kind::kAnnotation;
    it.line = line;
    it.end = p;
    pos_ = p;
    return it;
  }
  if (data_[p] != '*') return bad("expected '*' at the start of a record");
  if (!Line(p, &line, &p)) return truncated();
  long long argc = ParseCount(line.substr(1));
  if (argc < 1) return bad("bad argument count");
  for (long long i = 0; i < argc; ++i) {
    if (p >= data_.size()) return truncated();
    if (data_[p] != '$') return bad("expected '$' before an argument");
    if (!Line(p, &line, &p)) return truncated();
    long long len = ParseCount(line.substr(1));
    if (len < 0) return bad("bad argument length");
    size_t ulen = static_cast<size_t>(len);
    if (data_.size() - p < ulen + 2) {
      // Bytes that cannot be the argument's CRLF prove damage even short of
      // the end.
      return truncated();
    }
    if (data_[p + ulen] != '\r' || data_[p + ulen + 1] != '\n') {
      return bad("argument not followed by CRLF");
    }
    it.args.push_back(data_.substr(p, ulen));
    p += ulen + 2;
  }
  it.kind = Kind::kRecord;
  it.end = p;
  pos_ = p;
  return it;
}

}  // namespace cairn::aof
