// ReplyWriter: appends RESP2 or RESP3 replies to a session's output buffer.
//
// One writer serves one command; it knows the session's protocol version and
// writes each reply in the form redis-server 7.0 sends for that version (maps
// as flat arrays in RESP2, '_' nulls in RESP3, verbatim strings as bulk
// strings in RESP2, ...). Bytes go straight into the output buffer: no
// intermediate strings, no allocation once the buffer has grown.
//
// Errors are given with their code ("ERR syntax error", "WRONGTYPE ...");
// the writer blanks CR and LF (Redis does, so a reply cannot break framing)
// and counts the error in the ErrorStats it was given, as INFO errorstats
// reports them.
#pragma once

#include <cstdint>
#include <string_view>

#include "engine/util/byte_buffer.h"

namespace cairn {

// Receives every error reply: its code is the text up to the first space.
class ErrorSink {
 public:
  virtual ~ErrorSink() = default;
  virtual void OnErrorReply(std::string_view code) = 0;
};

class ReplyWriter {
 public:
  ReplyWriter(ByteBuffer& out, int resp, ErrorSink* errors)
      : out_(&out), resp_(resp), errors_(errors) {}

  int resp() const { return resp_; }
  ByteBuffer& buffer() { return *out_; }
  void set_buffer(ByteBuffer& out) { out_ = &out; }
  void set_resp(int resp) { resp_ = resp; }

  void Simple(std::string_view s);  // "+s"
  void Ok() { out_->Append("+OK\r\n"); }
  void Error(std::string_view text);  // "-text"; text starts with its code
  void Integer(int64_t v);
  void Bulk(std::string_view s);
  void BulkInt(int64_t v);  // an integer as a bulk string
  void NullBulk() { out_->Append(resp_ == 3 ? "_\r\n" : "$-1\r\n"); }
  void NullArray() { out_->Append(resp_ == 3 ? "_\r\n" : "*-1\r\n"); }
  void Array(size_t n) { Header('*', n); }
  void Map(size_t n) {  // n key/value pairs
    if (resp_ == 3) {
      Header('%', n);
    } else {
      Header('*', 2 * n);
    }
  }
  void Set(size_t n) { Header(resp_ == 3 ? '~' : '*', n); }
  void Push(size_t n) { Header(resp_ == 3 ? '>' : '*', n); }
  void Double(double v);
  void Bool(bool v);
  void BigNumber(std::string_view digits);
  // A text reply (INFO, CLIENT LIST): verbatim "txt" in RESP3, bulk in RESP2.
  void Verbatim(std::string_view text, std::string_view format = "txt");
  // Bytes already in RESP form.
  void Raw(std::string_view bytes) { out_->Append(bytes); }

  // Aggregates whose length is known only at the end: Begin returns a mark,
  // End writes the header there once the elements are in place.
  size_t BeginDeferred() const { return out_->size(); }
  void EndDeferredArray(size_t mark, size_t n) { InsertHeader(mark, '*', n); }
  void EndDeferredMap(size_t mark, size_t pairs) {
    if (resp_ == 3) {
      InsertHeader(mark, '%', pairs);
    } else {
      InsertHeader(mark, '*', 2 * pairs);
    }
  }
  void EndDeferredSet(size_t mark, size_t n) { InsertHeader(mark, resp_ == 3 ? '~' : '*', n); }

  // Common errors with Redis's texts.
  void WrongType() { Error("WRONGTYPE Operation against a key holding the wrong kind of value"); }
  void SyntaxError() { Error("ERR syntax error"); }
  void NotInteger() { Error("ERR value is not an integer or out of range"); }

 private:
  void Header(char kind, size_t n);
  void InsertHeader(size_t mark, char kind, size_t n);

  ByteBuffer* out_;
  int resp_;
  ErrorSink* errors_;
};

}  // namespace cairn
