// Client: kv-cli's one blocking connection to a server (TCP or a Unix
// socket), the connection set-up redis-cli does (AUTH, SELECT, HELLO 3),
// and replies read with the engine's ReplyScanner / DecodeReply.
//
// Invariants: connected() is false after any I/O failure (the socket is
// closed then), so the next command reconnects; db() and protocol() follow
// successful SELECT and HELLO commands, so a reconnect restores both.
// Messages are redis-cli's: "Could not connect to Redis at host:port: why"
// and "Server closed the connection".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/resp/reply_reader.h"
#include "engine/util/status.h"
#include "net/cli/options.h"

namespace cairn::cli {

class Client {
 public:
  explicit Client(const Options& o);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Connects and sets the connection up. A set-up command that fails
  // (wrong password, bad database) writes redis-cli's message to stderr and
  // fails the connection.
  Status Connect();
  bool connected() const { return fd_ >= 0; }
  void Close();

  // Writes a multibulk command / raw bytes.
  Status Send(const std::vector<std::string>& args);
  Status SendRaw(std::string_view bytes);
  // Reads one reply. timeout_ms < 0 waits forever; a timeout fails with
  // Status::NotFound (the connection stays open).
  Result<Reply> Read(int timeout_ms = -1);
  // Send + Read, and tracks SELECT / HELLO.
  Result<Reply> Command(const std::vector<std::string>& args);

  // Points the client at another server (the shell's `connect host port`);
  // the next Connect goes there.
  void SetTarget(std::string host, int port) {
    Close();
    host_ = std::move(host);
    port_ = port;
    socket_.clear();
  }

  int db() const { return db_; }
  int protocol() const { return protocol_; }
  // "127.0.0.1:6379" or the socket path, as the prompt shows it.
  std::string Address() const;
  int fd() const { return fd_; }

 private:
  Status Dial();
  Result<Reply> SetupCommand(const std::vector<std::string>& args, const std::string& what);

  std::string host_;
  int port_;
  std::string socket_;
  std::string user_;
  std::string password_;
  int db_;
  int protocol_;
  int fd_ = -1;
  std::string buf_;
  size_t start_ = 0;
  ReplyScanner scanner_;
};

// Encodes args as a RESP multibulk request.
std::string EncodeCommand(const std::vector<std::string>& args);

}  // namespace cairn::cli
