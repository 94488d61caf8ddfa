#include "engine/resp/reply_writer.h"

#include <charconv>
#include <cstring>

#include "engine/util/strconv.h"

namespace cairn {

void ReplyWriter::Simple(std::string_view s) {
  auto span = out_->PrepareWrite(s.size() + 3);
  char* p = span.data();
  *p++ = '+';
  std::memcpy(p, s.data(), s.size());
  p += s.size();
  *p++ = '\r';
  *p++ = '\n';
  out_->CommitWrite(static_cast<size_t>(p - span.data()));
}

void ReplyWriter::Error(std::string_view text) {
  auto span = out_->PrepareWrite(text.size() + 3);
  char* p = span.data();
  *p++ = '-';
  for (char c : text) *p++ = (c == '\r' || c == '\n') ? ' ' : c;
  *p++ = '\r';
  *p++ = '\n';
  out_->CommitWrite(static_cast<size_t>(p - span.data()));
  if (errors_ != nullptr) {
    // The code is the first word, looked for in the first 32 bytes as Redis
    // does; without a space the error counts as ERR.
    std::string_view head = text.substr(0, 31);
    size_t sp = head.find(' ');
    errors_->OnErrorReply(sp == std::string_view::npos ? std::string_view("ERR")
                                                       : text.substr(0, sp));
  }
}

void ReplyWriter::Integer(int64_t v) {
  auto span = out_->PrepareWrite(kInt64Chars + 3);
  char* p = span.data();
  *p++ = ':';
  p += FormatInt64(v, p);
  *p++ = '\r';
  *p++ = '\n';
  out_->CommitWrite(static_cast<size_t>(p - span.data()));
}

void ReplyWriter::Bulk(std::string_view s) {
  auto span = out_->PrepareWrite(s.size() + kInt64Chars + 5);
  char* p = span.data();
  *p++ = '$';
  p += FormatInt64(static_cast<int64_t>(s.size()), p);
  *p++ = '\r';
  *p++ = '\n';
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  p += s.size();
  *p++ = '\r';
  *p++ = '\n';
  out_->CommitWrite(static_cast<size_t>(p - span.data()));
}

void ReplyWriter::BulkInt(int64_t v) {
  char buf[kInt64Chars];
  size_t n = FormatInt64(v, buf);
  Bulk(std::string_view(buf, n));
}

void ReplyWriter::Header(char kind, size_t n) {
  auto span = out_->PrepareWrite(kInt64Chars + 3);
  char* p = span.data();
  *p++ = kind;
  p += FormatInt64(static_cast<int64_t>(n), p);
  *p++ = '\r';
  *p++ = '\n';
  out_->CommitWrite(static_cast<size_t>(p - span.data()));
}

void ReplyWriter::InsertHeader(size_t mark, char kind, size_t n) {
  char buf[kInt64Chars + 3];
  char* p = buf;
  *p++ = kind;
  p += FormatInt64(static_cast<int64_t>(n), p);
  *p++ = '\r';
  *p++ = '\n';
  out_->Insert(mark, std::string_view(buf, static_cast<size_t>(p - buf)));
}

void ReplyWriter::Double(double v) {
  char buf[40];
  size_t n = FormatDouble(v, buf);
  if (resp_ == 3) {
    out_->Append(',');
    out_->Append(std::string_view(buf, n));
    out_->Append("\r\n");
  } else {
    Bulk(std::string_view(buf, n));
  }
}

void ReplyWriter::Bool(bool v) {
  if (resp_ == 3) {
    out_->Append(v ? "#t\r\n" : "#f\r\n");
  } else {
    out_->Append(v ? ":1\r\n" : ":0\r\n");
  }
}

void ReplyWriter::BigNumber(std::string_view digits) {
  if (resp_ == 3) {
    out_->Append('(');
    out_->Append(digits);
    out_->Append("\r\n");
  } else {
    Bulk(digits);
  }
}

void ReplyWriter::Verbatim(std::string_view text, std::string_view format) {
  if (resp_ != 3) {
    Bulk(text);
    return;
  }
  char buf[kInt64Chars];
  size_t n = FormatInt64(static_cast<int64_t>(text.size() + format.size() + 1), buf);
  out_->Append('=');
  out_->Append(std::string_view(buf, n));
  out_->Append("\r\n");
  out_->Append(format);
  out_->Append(':');
  out_->Append(text);
  out_->Append("\r\n");
}

}  // namespace cairn
