#include "tests/cli/cli_process.h"

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace cairn::testing {

ProcessResult RunProcess(const std::string& binary, const std::vector<std::string>& args,
                         const std::string& stdin_bytes,
                         const std::map<std::string, std::string>& env, int timeout_ms) {
  ProcessResult r;
  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
    return r;
  }
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(binary.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(binary.c_str(), argv.data());
    _exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  // Standard input is small in these tests: write it all, then close.
  size_t off = 0;
  ::signal(SIGPIPE, SIG_IGN);
  while (off < stdin_bytes.size()) {
    ssize_t n = ::write(in[1], stdin_bytes.data() + off, stdin_bytes.size() - off);
    if (n <= 0) break;
    off += static_cast<size_t>(n);
  }
  ::close(in[1]);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  int open = 2;
  while (open > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) {
      r.timed_out = true;
      ::kill(pid, SIGKILL);
      break;
    }
    if (::poll(fds, 2, static_cast<int>(left)) <= 0) continue;
    for (int i = 0; i < 2; i++) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buf[8192];
      ssize_t n = ::read(fds[i].fd, buf, sizeof(buf));
      if (n <= 0) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        open--;
      } else {
        (i == 0 ? r.out : r.err).append(buf, static_cast<size_t>(n));
      }
    }
  }
  for (auto& f : fds) {
    if (f.fd >= 0) ::close(f.fd);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  return r;
}

ProcessResult RunInPty(const std::string& binary, const std::vector<std::string>& args,
                       int timeout_ms) {
  ProcessResult r;
  int master = -1;
  pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
  if (pid < 0) return r;
  if (pid == 0) {
    ::setenv("TERM", "xterm", 1);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(binary.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(binary.c_str(), argv.data());
    _exit(127);
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) {
      r.timed_out = true;
      ::kill(pid, SIGKILL);
      break;
    }
    pollfd pfd{master, POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(left)) <= 0) continue;
    char buf[8192];
    ssize_t n = ::read(master, buf, sizeof(buf));
    if (n <= 0) break;  // EIO once the child has exited and closed the terminal
    r.out.append(buf, static_cast<size_t>(n));
  }
  ::close(master);
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  return r;
}

std::string KvCliPath() {
  if (const char* env = std::getenv("CAIRN_KV_CLI"); env != nullptr && *env != '\0') return env;
#ifdef CAIRN_KV_CLI_PATH
  if (::access(CAIRN_KV_CLI_PATH, X_OK) == 0) return CAIRN_KV_CLI_PATH;
#endif
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    std::string beside = (self.parent_path() / "kv-cli").string();
    if (::access(beside.c_str(), X_OK) == 0) return beside;
  }
  return "";
}

FakeServer::FakeServer() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  sa.sin_port = 0;
  ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&sa), sizeof(sa));
  ::listen(listen_fd_, 16);
  socklen_t len = sizeof(sa);
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&sa), &len);
  port_ = ntohs(sa.sin_port);
  thread_ = std::thread([this] { Serve(); });
}

FakeServer::~FakeServer() {
  stop_ = true;
  thread_.join();
  ::close(listen_fd_);
}

namespace {

// Parses one multibulk request at the front of buf; false if incomplete.
bool TakeRequest(std::string* buf, std::vector<std::string>* args) {
  args->clear();
  size_t pos = 0;
  auto line = [&](std::string* out) {
    size_t e = buf->find("\r\n", pos);
    if (e == std::string::npos) return false;
    *out = buf->substr(pos, e - pos);
    pos = e + 2;
    return true;
  };
  std::string head;
  if (!line(&head) || head.empty() || head[0] != '*') return false;
  int n = std::atoi(head.c_str() + 1);
  for (int i = 0; i < n; i++) {
    std::string l;
    if (!line(&l)) return false;
    size_t len = static_cast<size_t>(std::atol(l.c_str() + 1));
    if (buf->size() < pos + len + 2) return false;
    args->push_back(buf->substr(pos, len));
    pos += len + 2;
  }
  buf->erase(0, pos);
  return true;
}

}  // namespace

void FakeServer::Serve() {
  std::vector<std::pair<int, std::string>> conns;
  while (!stop_) {
    std::vector<pollfd> fds{{listen_fd_, POLLIN, 0}};
    for (auto& c : conns) fds.push_back({c.first, POLLIN, 0});
    if (::poll(fds.data(), fds.size(), 50) <= 0) continue;
    if (fds[0].revents != 0) {
      int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd >= 0) conns.emplace_back(fd, "");
    }
    for (size_t i = 1; i < fds.size(); i++) {
      if (fds[i].revents == 0) continue;
      auto& [fd, buf] = conns[i - 1];
      char chunk[4096];
      ssize_t n = ::read(fd, chunk, sizeof(chunk));
      if (n <= 0) {
        ::close(fd);
        fd = -1;
        continue;
      }
      buf.append(chunk, static_cast<size_t>(n));
      std::vector<std::string> args;
      while (TakeRequest(&buf, &args)) {
        std::string reply = "+OK\r\n";
        if (!args.empty() && args[0] == "ECHOREPLY" && args.size() == 2) {
          reply = args[1];
        } else if (!args.empty() && args[0] == "HELLO") {
          reply = "%1\r\n$5\r\nproto\r\n:3\r\n";
        }
        (void)!::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL);
      }
    }
    std::erase_if(conns, [](const auto& c) { return c.first < 0; });
  }
  for (auto& c : conns) ::close(c.first);
}

}  // namespace cairn::testing
