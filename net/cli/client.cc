#include "net/cli/client.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace cairn::cli {

std::string EncodeCommand(const std::vector<std::string>& args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (const auto& a : args) {
    out += "$" + std::to_string(a.size()) + "\r\n";
    out += a;
    out += "\r\n";
  }
  return out;
}

Client::Client(const Options& o)
    : host_(o.host),
      port_(o.port),
      socket_(o.socket),
      user_(o.user),
      password_(o.password),
      db_(o.db),
      protocol_(o.protocol) {}

Client::~Client() { Close(); }

void Client::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  buf_.clear();
  start_ = 0;
  scanner_.Reset();
}

std::string Client::Address() const {
  if (!socket_.empty()) return socket_;
  return host_ + ":" + std::to_string(port_);
}

Status Client::Dial() {
  Close();
  auto fail = [this](const std::string& why) {
    return Status::Io("Could not connect to Redis at " + Address() + ": " + why);
  };
  if (!socket_.empty()) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return fail(std::strerror(errno));
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    std::strncpy(sa.sun_path, socket_.c_str(), sizeof(sa.sun_path) - 1);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0) {
      int e = errno;
      ::close(fd);
      return fail(std::strerror(e));
    }
    fd_ = fd;
    return Status::Ok();
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  std::string port = std::to_string(port_);
  int rc = ::getaddrinfo(host_.c_str(), port.c_str(), &hints, &res);
  if (rc != 0) return fail(::gai_strerror(rc));
  int last_errno = ECONNREFUSED;
  for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
    int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
      last_errno = errno;
      continue;
    }
    if (::connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
      int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
      fd_ = fd;
      break;
    }
    last_errno = errno;
    ::close(fd);
  }
  ::freeaddrinfo(res);
  if (fd_ < 0) return fail(std::strerror(last_errno));
  return Status::Ok();
}

Result<Reply> Client::SetupCommand(const std::vector<std::string>& args, const std::string& what) {
  Status s = Send(args);
  if (!s.ok()) return s;
  auto r = Read();
  if (!r.ok()) return r.status();
  // As redis-cli: say so and carry on, so the commands that follow show
  // the server's own verdict (NOAUTH ...).
  if (r->is_error()) std::fprintf(stderr, "%s failed: %s\n", what.c_str(), r->str.c_str());
  return r;
}

Status Client::Connect() {
  Status s = Dial();
  if (!s.ok()) return s;
  if (!password_.empty()) {
    std::vector<std::string> auth{"AUTH"};
    if (!user_.empty()) auth.push_back(user_);
    auth.push_back(password_);
    auto r = SetupCommand(auth, "AUTH");
    if (!r.ok()) return r.status();
  }
  if (db_ != 0) {
    auto r = SetupCommand({"SELECT", std::to_string(db_)}, "SELECT " + std::to_string(db_));
    if (!r.ok()) return r.status();
    if (r->is_error()) db_ = 0;
  }
  if (protocol_ == 3) {
    auto r = SetupCommand({"HELLO", "3"}, "HELLO 3");
    if (!r.ok()) return r.status();
    if (r->is_error()) protocol_ = 2;
  }
  return Status::Ok();
}

Status Client::SendRaw(std::string_view bytes) {
  if (fd_ < 0) return Status::Io("Server closed the connection");
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Close();
      return Status::Io("Server closed the connection");
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

Status Client::Send(const std::vector<std::string>& args) { return SendRaw(EncodeCommand(args)); }

Result<Reply> Client::Read(int timeout_ms) {
  while (true) {
    if (fd_ < 0) return Status::Io("Server closed the connection");
    size_t frame_len = 0;
    std::string_view pending = std::string_view(buf_).substr(start_);
    if (!pending.empty()) {
      auto outcome = scanner_.Scan(pending, &frame_len);
      if (outcome == ReplyScanner::Outcome::kComplete) {
        scanner_.Reset();
        auto r = DecodeReply(pending.substr(0, frame_len));
        start_ += frame_len;
        if (start_ == buf_.size()) {
          buf_.clear();
          start_ = 0;
        }
        if (!r.ok()) {
          Close();
          return Status::Corruption("Protocol error: " + r.status().message());
        }
        return r;
      }
      if (outcome == ReplyScanner::Outcome::kMalformed) {
        std::string why = scanner_.error();
        Close();
        return Status::Corruption("Protocol error: " + why);
      }
    }
    if (start_ > 0) {
      buf_.erase(0, start_);
      start_ = 0;
    }
    if (timeout_ms >= 0) {
      pollfd pfd{fd_, POLLIN, 0};
      int rc = ::poll(&pfd, 1, timeout_ms);
      if (rc == 0) return Status::NotFound("timeout");
      if (rc < 0 && errno == EINTR) continue;
    }
    char chunk[16384];
    ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Close();
      return Status::Io("Server closed the connection");
    }
    buf_.append(chunk, static_cast<size_t>(n));
  }
}

Result<Reply> Client::Command(const std::vector<std::string>& args) {
  Status s = Send(args);
  if (!s.ok()) return s;
  auto r = Read();
  if (!r.ok() || args.empty()) return r;
  const char* cmd = args[0].c_str();
  if (strcasecmp(cmd, "select") == 0 && args.size() == 2 && !r->is_error()) {
    db_ = AtoiLike(args[1]);
  } else if (strcasecmp(cmd, "hello") == 0 && !r->is_error()) {
    if (r->type == Reply::Type::kMap) protocol_ = 3;
    if (r->type == Reply::Type::kArray) protocol_ = 2;
  } else if (strcasecmp(cmd, "auth") == 0 && (args.size() == 2 || args.size() == 3) &&
             !r->is_error()) {
    // A later reconnect authenticates the same way.
    password_ = args.back();
    user_ = args.size() == 3 ? args[1] : "";
  }
  return r;
}

}  // namespace cairn::cli
