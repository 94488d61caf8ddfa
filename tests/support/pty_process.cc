#include "tests/support/pty_process.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace cairn::testing {

PtyProcess::PtyProcess(const std::vector<std::string>& argv,
                       const std::vector<std::pair<std::string, std::string>>& env) {
  pid_ = ::forkpty(&master_, nullptr, nullptr, nullptr);
  if (pid_ == 0) {
    for (const auto& [name, value] : env) ::setenv(name.c_str(), value.c_str(), 1);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    _exit(127);
  }
}

PtyProcess::~PtyProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int st;
    ::waitpid(pid_, &st, 0);
  }
  if (master_ >= 0) ::close(master_);
}

void PtyProcess::Keys(const std::string& bytes) {
  (void)!::write(master_, bytes.data(), bytes.size());
}

bool PtyProcess::Expect(const std::string& want) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (true) {
    size_t at = seen_.find(want, cursor_);
    if (at != std::string::npos) {
      cursor_ = at + want.size();
      return true;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) return false;
    pollfd pfd{master_, POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(left)) <= 0) continue;
    char buf[4096];
    ssize_t n = ::read(master_, buf, sizeof(buf));
    if (n <= 0) return false;
    seen_.append(buf, static_cast<size_t>(n));
  }
}

int PtyProcess::WaitExit() {
  for (int i = 0; i < 500; i++) {
    char buf[4096];
    pollfd pfd{master_, POLLIN, 0};
    // After the child is gone the master reports hang-up at once: sleep so
    // the loop really waits 5 s.
    if (::poll(&pfd, 1, 10) > 0 && ::read(master_, buf, sizeof(buf)) <= 0) ::usleep(10000);
    int st;
    if (::waitpid(pid_, &st, WNOHANG) == pid_) {
      pid_ = -1;
      if (!WIFEXITED(st)) std::fprintf(stderr, "pty child ended by signal %d\n", WTERMSIG(st));
      return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    }
  }
  return -1;
}

}  // namespace cairn::testing
