// RawClient: a blocking TCP connection to a server under test, for
// byte-exact protocol tests. Send writes bytes verbatim; ReadFrame returns
// each reply exactly as the server sent it, delimited by ReplyScanner.
//
// Every wait is bounded by a timeout given per call, so a server that stops
// answering fails a test instead of hanging it. A close by the peer (EOF or
// a reset) is remembered: closed() says so, and later reads fail at once.
// Writes never raise SIGPIPE (MSG_NOSIGNAL).
#pragma once

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/resp/reply_reader.h"
#include "engine/util/status.h"

namespace cairn::testing {

// Encodes args as a RESP multibulk request.
std::string EncodeMultibulk(const std::vector<std::string>& args);

class RawClient {
 public:
  // Connects to 127.0.0.1:port.
  static Result<std::unique_ptr<RawClient>> Connect(int port, int timeout_ms = 5000);
  // Connects to ipv4:port (a dotted IPv4 address: the machine's own
  // non-loopback address in protected-mode tests).
  static Result<std::unique_ptr<RawClient>> ConnectTo(const std::string& ipv4, int port,
                                                      int timeout_ms = 5000);
  ~RawClient();
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  // Writes every byte, or fails after timeout_ms or when the peer is gone.
  Status Send(std::string_view bytes, int timeout_ms = 5000);

  // Reads one complete reply (its raw bytes). Fails on timeout ("client:
  // no reply within N ms"), on close ("client: connection closed ...") or
  // on bytes that are not RESP.
  Result<std::string> ReadFrame(int timeout_ms = 5000);

  // Sends a multibulk command and reads its reply.
  Result<std::string> Command(const std::vector<std::string>& args, int timeout_ms = 5000);

  // Reads until the peer closes (closed=true) or timeout_ms passes.
  // Bytes already buffered are included.
  struct UntilClose {
    std::string bytes;
    bool closed = false;
  };
  UntilClose ReadUntilClose(int timeout_ms);

  // True once the peer closed the connection (or reset it).
  bool closed() const { return closed_; }
  // Bytes received but not yet returned as a frame.
  std::string_view buffered() const { return std::string_view(buf_).substr(start_); }
  int fd() const { return fd_; }
  void Close();

 private:
  explicit RawClient(int fd) : fd_(fd) {}
  // Waits up to timeout_ms for input and appends it; false on timeout,
  // close or error (closed_/error set).
  bool Fill(int timeout_ms, std::string* why);

  int fd_ = -1;
  bool closed_ = false;
  std::string buf_;
  size_t start_ = 0;  // first byte not yet returned
  ReplyScanner scanner_;
};

// Sends QUIT and, when the server acknowledges it, waits (briefly) until it
// closes: the server has then forgotten the connection, so a script's
// CLIENT LIST or CLIENT KILL cannot see it.
void QuitAndWaitClose(RawClient& c, int timeout_ms = 1000);

}  // namespace cairn::testing
