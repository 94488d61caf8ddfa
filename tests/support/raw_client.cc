#include "tests/support/raw_client.h"

#include <cerrno>
#include <chrono>
#include <cstring>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace cairn::testing {

namespace {

using Clock = std::chrono::steady_clock;

int RemainingMs(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

std::string Errno(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

}  // namespace

std::string EncodeMultibulk(const std::vector<std::string>& args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (const std::string& a : args) {
    out += "$" + std::to_string(a.size()) + "\r\n";
    out += a;
    out += "\r\n";
  }
  return out;
}

Result<std::unique_ptr<RawClient>> RawClient::Connect(int port, int timeout_ms) {
  return ConnectTo("127.0.0.1", port, timeout_ms);
}

Result<std::unique_ptr<RawClient>> RawClient::ConnectTo(const std::string& ipv4, int port,
                                                        int timeout_ms) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::inet_pton(AF_INET, ipv4.c_str(), &addr.sin_addr) != 1) {
    return Status::Invalid("client: not an IPv4 address: " + ipv4);
  }
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return Status::Io(Errno("client: socket"), errno);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (errno != EINPROGRESS) {
      Status st = Status::Io(Errno("client: connect"), errno);
      ::close(fd);
      return st;
    }
    pollfd p{fd, POLLOUT, 0};
    int n = ::poll(&p, 1, timeout_ms);
    int err = 0;
    socklen_t len = sizeof err;
    if (n <= 0) {
      ::close(fd);
      return Status::Io("client: connect to port " + std::to_string(port) + " timed out");
    }
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) {
      ::close(fd);
      return Status::Io(std::string("client: connect: ") + std::strerror(err), err);
    }
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return std::unique_ptr<RawClient>(new RawClient(fd));
}

RawClient::~RawClient() { Close(); }

void RawClient::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Status RawClient::Send(std::string_view bytes, int timeout_ms) {
  if (fd_ < 0) return Status::Io("client: send on a closed client");
  Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n > 0) {
      done += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd p{fd_, POLLOUT, 0};
      int left = RemainingMs(deadline);
      if (left == 0 || ::poll(&p, 1, left) == 0) {
        return Status::Io("client: send timed out after " + std::to_string(done) + " of " +
                          std::to_string(bytes.size()) + " bytes");
      }
      continue;
    }
    if (n < 0 && (errno == EPIPE || errno == ECONNRESET)) closed_ = true;
    return Status::Io(Errno("client: send"), errno);
  }
  return Status::Ok();
}

bool RawClient::Fill(int timeout_ms, std::string* why) {
  if (closed_ || fd_ < 0) {
    *why = "client: connection closed by the server";
    return false;
  }
  Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    if (start_ > 0 && start_ == buf_.size()) {
      buf_.clear();
      start_ = 0;
    }
    char chunk[64 * 1024];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n > 0) {
      buf_.append(chunk, static_cast<size_t>(n));
      return true;
    }
    if (n == 0 || (n < 0 && errno == ECONNRESET)) {
      closed_ = true;
      *why = "client: connection closed by the server";
      return false;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      *why = Errno("client: recv");
      return false;
    }
    pollfd p{fd_, POLLIN, 0};
    int left = RemainingMs(deadline);
    if (left == 0 || ::poll(&p, 1, left) == 0) {
      *why = "client: no reply within " + std::to_string(timeout_ms) + " ms";
      return false;
    }
  }
}

Result<std::string> RawClient::ReadFrame(int timeout_ms) {
  Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    size_t len = 0;
    std::string_view pending = std::string_view(buf_).substr(start_);
    switch (scanner_.Scan(pending, &len)) {
      case ReplyScanner::Outcome::kComplete: {
        std::string frame(pending.substr(0, len));
        start_ += len;
        scanner_.Reset();
        return frame;
      }
      case ReplyScanner::Outcome::kMalformed: {
        std::string why = std::string("client: ") + scanner_.error() + " at byte " +
                          std::to_string(scanner_.error_offset());
        scanner_.Reset();
        return Status::Corruption(why);
      }
      case ReplyScanner::Outcome::kIncomplete:
        break;
    }
    // Compact before reading more: the scanner keeps offsets only.
    if (start_ > 0) {
      buf_.erase(0, start_);
      start_ = 0;
    }
    std::string why;
    if (!Fill(RemainingMs(deadline), &why)) {
      if (RemainingMs(deadline) == 0 && !closed_) {
        why = "client: no reply within " + std::to_string(timeout_ms) + " ms";
      }
      if (!buffered().empty()) why += " (partial reply buffered)";
      return Status::Io(why);
    }
  }
}

Result<std::string> RawClient::Command(const std::vector<std::string>& args, int timeout_ms) {
  Status st = Send(EncodeMultibulk(args), timeout_ms);
  if (!st.ok()) return st;
  return ReadFrame(timeout_ms);
}

RawClient::UntilClose RawClient::ReadUntilClose(int timeout_ms) {
  Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  UntilClose out;
  while (!closed_ && fd_ >= 0) {
    int left = RemainingMs(deadline);
    if (left == 0) break;
    std::string why;
    if (!Fill(left, &why) && !closed_) break;
  }
  out.bytes.assign(buffered());
  buf_.clear();
  start_ = 0;
  scanner_.Reset();
  out.closed = closed_;
  return out;
}

void QuitAndWaitClose(RawClient& c, int timeout_ms) {
  Result<std::string> r = c.Command({"QUIT"}, timeout_ms);
  if (r.ok() && *r == "+OK\r\n") c.ReadUntilClose(timeout_ms);
  c.Close();
}

}  // namespace cairn::testing
