#include "tests/support/server_process.h"

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/raw_client.h"

namespace cairn::testing {

namespace {

using Clock = std::chrono::steady_clock;

void SleepMs(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

bool IsExecutable(const std::string& path) {
  struct stat st;
  return !path.empty() && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
         ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

Result<int> PickFreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::Io(std::string("port: socket: ") + std::strerror(errno), errno);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = 0;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    Status st = Status::Io(std::string("port: bind: ") + std::strerror(errno), errno);
    ::close(fd);
    return st;
  }
  ::close(fd);
  return static_cast<int>(ntohs(addr.sin_port));
}

bool UnderCi() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

std::string KvServerPath() {
  if (const char* env = std::getenv("CAIRN_KV_SERVER"); env != nullptr && *env != '\0') {
    return IsExecutable(env) ? std::string(env) : std::string();
  }
#ifdef CAIRN_KV_SERVER_PATH
  if (IsExecutable(CAIRN_KV_SERVER_PATH)) return CAIRN_KV_SERVER_PATH;
#endif
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    std::string beside = (self.parent_path() / "kv-server").string();
    if (IsExecutable(beside)) return beside;
  }
  return "";
}

std::string FindOnPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  std::stringstream ss(dirs);
  std::string dir;
  while (std::getline(ss, dir, ':')) {
    if (dir.empty()) continue;
    std::string candidate = dir + "/" + name;
    if (IsExecutable(candidate)) return candidate;
  }
  return "";
}

Result<std::unique_ptr<TempDir>> TempDir::Create(const std::string& prefix) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
      std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/" + prefix + ".XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr) {
    return Status::Io("tempdir: mkdtemp " + pattern + ": " + std::strerror(errno), errno);
  }
  return std::unique_ptr<TempDir>(new TempDir(buf.data()));
}

TempDir::~TempDir() {
  if (keep_) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::vector<std::string> ExplicitServerArgs(int port, const std::string& dir,
                                            const std::vector<std::string>& extra) {
  std::vector<std::string> args = {
      "--port",
      std::to_string(port),
      "--bind",
      "127.0.0.1",
      "--dir",
      dir,
      "--daemonize",
      "no",
      "--logfile",
      "",
      "--loglevel",
      "warning",
      "--appendonly",
      "no",
      "--appendfsync",
      "everysec",
      "--aof-use-rdb-preamble",
      "no",
      "--save",
      "",
      "--databases",
      "16",
      "--hz",
      "10",
      "--timeout",
      "0",
      "--maxmemory",
      "0",
      "--maxmemory-policy",
      "noeviction",
      "--proto-max-bulk-len",
      "536870912",
      "--slowlog-log-slower-than",
      "10000",
      "--slowlog-max-len",
      "128",
      "--latency-monitor-threshold",
      "0",
  };
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

ServerSpec KvServerSpec(std::vector<std::string> extra) {
  ServerSpec spec;
  spec.name = "kv-server";
  spec.binary = KvServerPath();
  spec.argv = [extra = std::move(extra)](int port, const std::string& dir) {
    return ExplicitServerArgs(port, dir, extra);
  };
  return spec;
}

ServerSpec RedisServerSpec(std::vector<std::string> extra) {
  ServerSpec spec;
  spec.name = "redis-server";
  spec.binary = FindOnPath("redis-server");
  spec.argv = [extra = std::move(extra)](int port, const std::string& dir) {
    return ExplicitServerArgs(port, dir, extra);
  };
  return spec;
}

ServerProcess::ServerProcess(ServerSpec spec, std::unique_ptr<TempDir> dir)
    : spec_(std::move(spec)), dir_(std::move(dir)) {
  log_path_ = dir_->path() + "/server.log";
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0 && !exited_) Stop();
}

Result<std::unique_ptr<ServerProcess>> ServerProcess::Start(ServerSpec spec) {
  if (spec.binary.empty()) return Status::NotFound("server: no binary for " + spec.name);
  Result<std::unique_ptr<TempDir>> dir = TempDir::Create("cairn-" + spec.name);
  if (!dir.ok()) return dir.status();
  std::unique_ptr<ServerProcess> p(new ServerProcess(std::move(spec), std::move(dir).value()));
  Status last;
  for (int attempt = 0; attempt < 3; attempt++) {
    Result<int> port = PickFreePort();
    if (!port.ok()) return port.status();
    p->port_ = *port;
    p->args_ = p->spec_.argv(p->port_, p->dir());
    Status st = p->Spawn();
    if (!st.ok()) return st;
    last = p->WaitReady();
    if (last.ok()) return p;
    p->Kill();
  }
  return Status::Io(last.message() + "\n--- " + p->spec_.name + " log ---\n" + p->Log());
}

Status ServerProcess::Spawn() {
  // Everything the child needs is prepared before fork: after it, only
  // async-signal-safe calls.
  std::vector<std::string> argv_store;
  argv_store.push_back(spec_.binary);
  argv_store.insert(argv_store.end(), args_.begin(), args_.end());
  std::vector<char*> argv;
  for (std::string& a : argv_store) argv.push_back(a.data());
  argv.push_back(nullptr);
  int log_fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) return Status::Io("server: open " + log_path_ + ": " + std::strerror(errno));
  int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  pid_t parent = ::getpid();
  const char* dir = dir_->path().c_str();
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(log_fd);
    if (null_fd >= 0) ::close(null_fd);
    return Status::Io(std::string("server: fork: ") + std::strerror(errno), errno);
  }
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::setpgid(0, 0);
    if (null_fd >= 0) ::dup2(null_fd, 0);
    ::dup2(log_fd, 1);
    ::dup2(log_fd, 2);
    if (::chdir(dir) != 0) ::_exit(126);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(log_fd);
  if (null_fd >= 0) ::close(null_fd);
  pid_ = pid;
  exited_ = false;
  wait_status_ = 0;
  return Status::Ok();
}

Status ServerProcess::WaitReady() {
  Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(spec_.ready_timeout_ms);
  std::string last = "no attempt";
  while (Clock::now() < deadline) {
    if (!Running()) {
      return Status::Io("server: " + spec_.name + " exited before answering PING (status " +
                        std::to_string(ExitStatus()) + "): " + CommandLine());
    }
    Result<std::unique_ptr<RawClient>> c = RawClient::Connect(port_, 1000);
    if (c.ok()) {
      Status st = (*c)->Send("PING\r\n", 1000);
      if (st.ok()) {
        Result<std::string> r = (*c)->ReadFrame(1000);
        if (r.ok() && (*r == "+PONG\r\n" || r->rfind("-NOAUTH", 0) == 0)) {
          QuitAndWaitClose(**c);
          return Status::Ok();
        }
        last = r.ok() ? "PING answered " + *r : r.status().message();
      } else {
        last = st.message();
      }
    } else {
      last = c.status().message();
    }
    SleepMs(20);
  }
  return Status::Io("server: " + spec_.name + " on port " + std::to_string(port_) +
                    " did not answer PING within " + std::to_string(spec_.ready_timeout_ms) +
                    " ms (" + last + "): " + CommandLine());
}

std::string ServerProcess::CommandLine() const {
  std::string out = spec_.binary;
  for (const std::string& a : args_) {
    out += ' ';
    out += a.empty() ? "\"\"" : a;
  }
  return out;
}

std::string ServerProcess::Log() const {
  std::ifstream in(log_path_, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool ServerProcess::Running() {
  if (pid_ <= 0 || exited_) return false;
  int status = 0;
  pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    exited_ = true;
    wait_status_ = status;
    return false;
  }
  return true;
}

int ServerProcess::ExitStatus() const {
  if (WIFEXITED(wait_status_)) return WEXITSTATUS(wait_status_);
  if (WIFSIGNALED(wait_status_)) return -WTERMSIG(wait_status_);
  return -1;
}

Result<int> ServerProcess::WaitExit(int timeout_ms) {
  Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (Running()) {
    if (Clock::now() >= deadline) {
      return Status::Io("server: " + spec_.name + " still running after " +
                        std::to_string(timeout_ms) + " ms");
    }
    SleepMs(10);
  }
  return ExitStatus();
}

int ServerProcess::Stop() {
  if (pid_ <= 0) return -1;
  if (Running()) {
    ::kill(pid_, SIGTERM);
    if (!WaitExit(spec_.stop_timeout_ms).ok()) Kill();
  }
  return ExitStatus();
}

void ServerProcess::Kill() {
  if (pid_ <= 0 || !Running()) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  exited_ = true;
  wait_status_ = status;
}

Status ServerProcess::Restart() {
  if (Running()) Stop();
  Status st = Spawn();
  if (!st.ok()) return st;
  st = WaitReady();
  if (!st.ok()) Kill();
  return st;
}

}  // namespace cairn::testing
