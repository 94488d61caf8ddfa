#include "net/cli/reply_format.h"

#include <cstdio>
#include <cstring>

#include <strings.h>

namespace cairn::cli {

namespace {

using Type = Reply::Type;

const char kHex[] = "0123456789abcdef";

bool IsStringLike(const Reply& r) {
  return r.type == Type::kSimple || r.type == Type::kBulk || r.type == Type::kVerbatim;
}

bool IsNull(const Reply& r) { return r.is_null || r.type == Type::kNull; }

void AppendTty(std::string* out, const Reply& r, const std::string& prefix);

void AppendTtyAggregate(std::string* out, const Reply& r, const std::string& prefix) {
  const size_t n = r.elements.size();
  if (n == 0) {
    switch (r.type) {
      case Type::kMap:
        *out += "(empty hash)\n";
        break;
      case Type::kSet:
        *out += "(empty set)\n";
        break;
      case Type::kPush:
        *out += "(empty push)\n";
        break;
      default:
        *out += "(empty array)\n";
        break;
    }
    return;
  }
  const bool is_map = r.type == Type::kMap;
  size_t count = is_map ? n / 2 : n;
  size_t width = 0;
  for (size_t c = count;; c /= 10) {
    width++;
    if (c < 10) break;
  }
  char sep = is_map ? '#' : r.type == Type::kSet ? '~' : ')';
  std::string inner = prefix + std::string(width + 2, ' ');
  for (size_t i = 0; i < n; i++) {
    size_t human = (is_map ? i / 2 : i) + 1;
    if (i != 0) *out += prefix;
    std::string idx = std::to_string(human);
    if (idx.size() < width) out->append(width - idx.size(), ' ');
    *out += idx;
    out->push_back(sep);
    out->push_back(' ');
    AppendTty(out, r.elements[i], inner);
    if (is_map && i + 1 < n) {
      i++;
      out->pop_back();  // the key's newline gives way to " => "
      *out += " => ";
      // A value of several lines starts on a line of its own.
      std::string value;
      AppendTty(&value, r.elements[i], inner);
      if (value.find('\n') + 1 < value.size()) {
        out->push_back('\n');
        *out += inner;
      }
      *out += value;
    }
  }
}

void AppendTty(std::string* out, const Reply& r, const std::string& prefix) {
  if (IsNull(r)) {
    *out += "(nil)\n";
    return;
  }
  switch (r.type) {
    case Type::kError:
    case Type::kBlobError:
      *out += "(error) ";
      *out += r.str;
      break;
    case Type::kSimple:
    case Type::kVerbatim:
      *out += r.str;
      break;
    case Type::kInteger:
      *out += "(integer) ";
      *out += std::to_string(r.integer);
      break;
    case Type::kDouble:
      *out += "(double) ";
      *out += r.str;
      break;
    case Type::kBigNumber:
      *out += "(big number) ";
      *out += r.str;
      break;
    case Type::kBool:
      *out += r.boolean ? "(true)" : "(false)";
      break;
    case Type::kBulk:
      AppendQuoted(out, r.str);
      break;
    case Type::kArray:
    case Type::kMap:
    case Type::kSet:
    case Type::kPush:
      AppendTtyAggregate(out, r, prefix);
      return;
    case Type::kNull:
      break;
  }
  out->push_back('\n');
}

void AppendRaw(std::string* out, const Reply& r, std::string_view delim) {
  if (IsNull(r)) return;
  switch (r.type) {
    case Type::kError:
    case Type::kBlobError:
      *out += r.str;
      out->push_back('\n');
      return;
    case Type::kInteger:
      *out += std::to_string(r.integer);
      return;
    case Type::kBool:
      *out += r.boolean ? "(true)" : "(false)";
      return;
    case Type::kArray:
    case Type::kSet:
    case Type::kPush:
      for (size_t i = 0; i < r.elements.size(); i++) {
        if (i > 0) *out += delim;
        AppendRaw(out, r.elements[i], delim);
      }
      return;
    case Type::kMap:
      for (size_t i = 0; i + 1 < r.elements.size(); i += 2) {
        if (i > 0) *out += delim;
        AppendRaw(out, r.elements[i], delim);
        out->push_back(' ');
        AppendRaw(out, r.elements[i + 1], delim);
      }
      return;
    default:
      *out += r.str;
      return;
  }
}

void AppendCsv(std::string* out, const Reply& r) {
  if (IsNull(r)) {
    *out += "NULL";
    return;
  }
  switch (r.type) {
    case Type::kError:
    case Type::kBlobError:
      *out += "ERROR,";
      AppendQuoted(out, r.str);
      return;
    case Type::kInteger:
      *out += std::to_string(r.integer);
      return;
    case Type::kDouble:
    case Type::kBigNumber:
      *out += r.str;
      return;
    case Type::kBool:
      *out += r.boolean ? "true" : "false";
      return;
    case Type::kArray:
    case Type::kMap:
    case Type::kSet:
    case Type::kPush:
      for (size_t i = 0; i < r.elements.size(); i++) {
        if (i > 0) out->push_back(',');
        AppendCsv(out, r.elements[i]);
      }
      return;
    default:
      AppendQuoted(out, r.str);
      return;
  }
}

void AppendJsonString(std::string* out, std::string_view s, bool quoted) {
  if (quoted) {
    // redis-cli 7.0 quotes as on a terminal, then doubles the backslashes.
    std::string q;
    AppendQuoted(&q, s);
    for (char c : q) {
      if (c == '\\') out->push_back('\\');
      out->push_back(c);
    }
    return;
  }
  out->push_back('"');
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\b':
        *out += "\\b";
        break;
      case '\f':
        *out += "\\f";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      default:
        if (c < 0x20) {
          *out += "\\u00";
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 15]);
        } else {
          out->push_back(ch);
        }
    }
  }
  out->push_back('"');
}

void AppendJson(std::string* out, const Reply& r, bool quoted);

void AppendJsonKey(std::string* out, const Reply& k, bool quoted) {
  if (!IsNull(k)) {
    if (IsStringLike(k)) {
      AppendJsonString(out, k.str, quoted);
      return;
    }
    if (k.is_error()) {
      AppendJson(out, k, quoted);
      return;
    }
  }
  out->push_back('"');
  AppendJson(out, k, quoted);
  out->push_back('"');
}

void AppendJson(std::string* out, const Reply& r, bool quoted) {
  if (IsNull(r)) {
    *out += "null";
    return;
  }
  switch (r.type) {
    case Type::kError:
    case Type::kBlobError:
      *out += "error:";
      AppendJsonString(out, r.str, quoted);
      return;
    case Type::kInteger:
      *out += std::to_string(r.integer);
      return;
    case Type::kDouble:
    case Type::kBigNumber:
      *out += r.str;
      return;
    case Type::kBool:
      *out += r.boolean ? "true" : "false";
      return;
    case Type::kArray:
    case Type::kSet:
    case Type::kPush:
      out->push_back('[');
      for (size_t i = 0; i < r.elements.size(); i++) {
        if (i > 0) out->push_back(',');
        AppendJson(out, r.elements[i], quoted);
      }
      out->push_back(']');
      return;
    case Type::kMap:
      out->push_back('{');
      for (size_t i = 0; i + 1 < r.elements.size(); i += 2) {
        if (i > 0) out->push_back(',');
        AppendJsonKey(out, r.elements[i], quoted);
        out->push_back(':');
        AppendJson(out, r.elements[i + 1], quoted);
      }
      out->push_back('}');
      return;
    default:
      AppendJsonString(out, r.str, quoted);
      return;
  }
}

}  // namespace

void AppendQuoted(std::string* out, std::string_view s) {
  out->push_back('"');
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '\\':
        *out += "\\\\";
        break;
      case '"':
        *out += "\\\"";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      case '\a':
        *out += "\\a";
        break;
      case '\b':
        *out += "\\b";
        break;
      default:
        if (c >= 0x20 && c < 0x7f) {
          out->push_back(ch);
        } else {
          *out += "\\x";
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 15]);
        }
    }
  }
  out->push_back('"');
}

std::string FormatReply(const Reply& r, OutputMode mode, bool report, std::string_view raw_delim,
                        std::string_view reply_delim) {
  std::string out;
  if (report) {
    // Text reports print as they are in every mode, with nothing added.
    AppendRaw(&out, r, "\n");
    return out;
  }
  switch (mode) {
    case OutputMode::kTty:
      AppendTty(&out, r, "");
      break;
    case OutputMode::kRaw:
      AppendRaw(&out, r, raw_delim);
      out += reply_delim;
      break;
    case OutputMode::kCsv:
      AppendCsv(&out, r);
      out.push_back('\n');
      break;
    case OutputMode::kJson:
    case OutputMode::kQuotedJson:
      AppendJson(&out, r, mode == OutputMode::kQuotedJson);
      out.push_back('\n');
      break;
  }
  return out;
}

bool IsReportCommand(std::string_view cmd, std::string_view sub) {
  auto eq = [](std::string_view a, const char* b) {
    return a.size() == std::strlen(b) && ::strncasecmp(a.data(), b, a.size()) == 0;
  };
  if (eq(cmd, "info") || eq(cmd, "lolwut")) return true;
  if (eq(cmd, "client")) return eq(sub, "list") || eq(sub, "info");
  if (eq(cmd, "cluster")) {
    return eq(sub, "nodes") || eq(sub, "info") || eq(sub, "replicas") || eq(sub, "slaves");
  }
  if (eq(cmd, "memory")) return eq(sub, "doctor") || eq(sub, "malloc-stats");
  if (eq(cmd, "latency")) return eq(sub, "doctor") || eq(sub, "graph");
  if (eq(cmd, "debug")) return eq(sub, "htstats") || eq(sub, "htstats-key");
  return false;
}

}  // namespace cairn::cli
