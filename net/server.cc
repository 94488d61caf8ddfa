#include "net/server.h"

#include <csignal>
#include <cstdio>
#include <fstream>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "net/posix_env.h"

namespace cairn {

namespace asio = boost::asio;
using asio::ip::tcp;

struct Server::Connection {
  explicit Connection(tcp::socket s) : socket(std::move(s)) {}
  tcp::socket socket;
  Session* session = nullptr;
  bool read_armed = false;
  bool write_armed = false;
  // Bytes a read put into the engine's input space while the session was
  // read-paused: handed to OnInput once the pause ends.
  size_t unprocessed = 0;
  bool closed = false;
};

namespace {

// As Redis does for tcp-keepalive N: probes start after N seconds idle, then
// every N/3 seconds, and three unanswered ones drop the peer.
void SetKeepAlive(int fd, int64_t seconds) {
  if (seconds <= 0) return;
  int yes = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &yes, sizeof(yes));
  int idle = static_cast<int>(seconds);
  int interval = idle / 3 > 0 ? idle / 3 : 1;
  int count = 3;
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof(interval));
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof(count));
}

}  // namespace

struct Server::Listener {
  explicit Listener(asio::io_context& io) : acceptor(io) {}
  tcp::acceptor acceptor;
};

Server::Server(asio::io_context& io, PosixEnv& env)
    : io_(io),
      env_(env),
      tick_timer_(io),
      signals_(io, SIGTERM, SIGINT),
      hup_signals_(io, SIGHUP) {}

Server::~Server() = default;

Status Server::Listen(const Settings& settings) {
  if (settings.port == 0) return Status::Ok();
  for (const std::string& addr_text : settings.bind) {
    std::string text = addr_text;
    bool optional = !text.empty() && text[0] == '-';
    if (optional) text.erase(0, 1);
    boost::system::error_code ec;
    auto addr = asio::ip::make_address(text == "*" ? "0.0.0.0" : text, ec);
    if (ec) return Status::Invalid("server: bad bind address " + addr_text);
    auto l = std::make_shared<Listener>(io_);
    tcp::endpoint ep(addr, static_cast<uint16_t>(settings.port));
    l->acceptor.open(ep.protocol(), ec);
    if (!ec) l->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) l->acceptor.bind(ep, ec);
    if (!ec) l->acceptor.listen(static_cast<int>(settings.tcp_backlog), ec);
    if (ec) {
      if (optional) continue;
      return Status::Io("Could not create server TCP listening socket " + text + ":" +
                        std::to_string(settings.port) + ": " + ec.message());
    }
    if (bound_port_ == 0) bound_port_ = l->acceptor.local_endpoint().port();
    l->acceptor.non_blocking(true);
    listeners_.push_back(std::move(l));
  }
  return Status::Ok();
}

void Server::CloseListeners() {
  for (auto& l : listeners_) {
    boost::system::error_code ec;
    l->acceptor.close(ec);
  }
  listeners_.clear();
}

Status Server::ApplyListenerConfig(const Settings& settings) {
  // Bind the new listeners first; only once all are up do the old ones go,
  // so a failure leaves the server listening where it was.
  std::vector<std::shared_ptr<Listener>> old;
  old.swap(listeners_);
  uint16_t old_port = bound_port_;
  bound_port_ = 0;
  Status st = Listen(settings);
  if (!st.ok()) {
    CloseListeners();
    listeners_.swap(old);
    bound_port_ = old_port;
    return st;
  }
  for (auto& l : old) {
    boost::system::error_code ec;
    l->acceptor.close(ec);
  }
  for (auto& l : listeners_) Accept(l);
  return Status::Ok();
}

void Server::ApplyLogConfig(const Settings& settings) {
  env_.spd_logger().set_level(ParseLogLevel(settings.loglevel));
  (void)env_.spd_logger().Reopen(settings.logfile);
}

// The handler holds the listener, so one replaced by CONFIG SET port stays
// valid until its cancelled accept has run.
void Server::Accept(const std::shared_ptr<Listener>& l) {
  l->acceptor.async_accept([this, l](boost::system::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !l->acceptor.is_open()) return;
    if (!ec && !stopping_) {
      boost::system::error_code opt;
      socket.non_blocking(true, opt);
      socket.set_option(tcp::no_delay(true), opt);
      SetKeepAlive(socket.native_handle(), engine_->settings().tcp_keepalive);
      SessionInfo info;
      auto remote = socket.remote_endpoint(opt);
      auto local = socket.local_endpoint(opt);
      info.peer = remote.address().to_string() + ":" + std::to_string(remote.port());
      info.local = local.address().to_string() + ":" + std::to_string(local.port());
      info.fd = socket.native_handle();
      auto c = std::make_shared<Connection>(std::move(socket));
      c->session = engine_->OpenSession(std::move(info));
      connections_.emplace(c->session, c);
      to_rearm_.push_back(c);
    }
    if (!stopping_) Accept(l);
  });
}

// A read straight into the engine's input space. async_read_some rather
// than async_wait + read_some: Asio re-registers a descriptor with
// epoll_ctl for every async_wait, but queues an async_read_some on a drained
// socket without a system call (the descriptor is registered edge-triggered
// once), which saves a system call per request at pipeline 1. The space stays
// valid while the read is pending: only OnInput and InputSpace, called for
// this session alone from here, touch it, and a closed connection's read
// completes aborted without touching it.
void Server::ArmRead(const ConnectionPtr& c) {
  if (c->read_armed || c->closed) return;
  c->read_armed = true;
  auto space = engine_->InputSpace(c->session);
  c->socket.async_read_some(asio::buffer(space.data(), space.size()),
                            [this, c](boost::system::error_code ec, size_t n) {
                              c->read_armed = false;
                              if (c->closed) return;
                              if (ec || n == 0) {
                                Close(c);
                                return;
                              }
                              OnRead(c, n);
                            });
}

void Server::OnRead(const ConnectionPtr& c, size_t n) {
  Session* s = c->session;
  if (engine_->ReadPaused(s)) {
    // Back-pressure began after the read was armed: the bytes wait in the
    // input space, unparsed, until AfterWake sees the pause end.
    c->unprocessed = n;
    paused_.push_back(c);
    return;
  }
  engine_->OnInput(s, n);
  to_rearm_.push_back(c);
}

void Server::Resume(const ConnectionPtr& c) {
  if (c->unprocessed == 0) {
    ArmRead(c);
    return;
  }
  // Held-back input runs as an event of its own, so that a batch point
  // (AfterWake) follows it as it follows every read.
  asio::post(io_, [this, c] {
    if (c->closed) return;
    const size_t n = c->unprocessed;
    c->unprocessed = 0;
    OnRead(c, n);
  });
}

void Server::Flush(const ConnectionPtr& c) {
  if (c->closed) return;
  Session* s = c->session;
  while (true) {
    std::string_view out = engine_->Output(s);
    if (out.empty()) break;
    boost::system::error_code ec;
    size_t n = c->socket.write_some(asio::buffer(out.data(), out.size()), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      ArmWrite(c);
      return;
    }
    if (ec) {
      Close(c);
      return;
    }
    engine_->ConsumeOutput(s, n);
  }
  if (engine_->ShouldClose(s)) Close(c);
}

void Server::ArmWrite(const ConnectionPtr& c) {
  if (c->write_armed || c->closed) return;
  c->write_armed = true;
  c->socket.async_wait(tcp::socket::wait_write, [this, c](boost::system::error_code ec) {
    c->write_armed = false;
    if (c->closed) return;
    if (ec) {
      Close(c);
      return;
    }
    Flush(c);
  });
}

void Server::Close(const ConnectionPtr& c) {
  if (c->closed) return;
  c->closed = true;
  boost::system::error_code ec;
  c->socket.shutdown(tcp::socket::shutdown_both, ec);
  c->socket.close(ec);
  Session* s = c->session;
  engine_->CloseSession(s);
  connections_.erase(s);
}

// A connection whose requests have run: read again now, or parked until
// back-pressure ends (paused_) or its replies are released (held_).
void Server::Rearm(const ConnectionPtr& c) {
  if (c->closed) return;
  if (engine_->ReadPaused(c->session)) {
    paused_.push_back(c);
  } else if (engine_->OutputHeld(c->session)) {
    held_.push_back(c);
  } else {
    ArmRead(c);
  }
}

void Server::AfterWake() {
  engine_->EndBatch();
  // Under appendfsync always, the fdatasync this batch's replies wait for
  // runs here, on this thread, and its completion releases them before the
  // flushes below -- as Redis syncs before it writes replies (posix_env.h
  // says why not on the sync thread).
  env_.posix_fs().RunWaitedSyncs();
  engine_->TakeReady(ready_);
  for (Session* s : ready_) {
    auto it = connections_.find(s);
    if (it == connections_.end()) continue;
    ConnectionPtr c = it->second;
    if (!c->write_armed) {
      Flush(c);
    } else if (s->close_asap) {
      Close(c);  // killed (timeout, CLIENT KILL) while its peer does not read
    }
  }
  // Sessions whose replies waited for a sync are read again once the
  // replies have gone out (the flushes above): armed at once, the read's
  // first try (Asio reads before it waits) would find nothing, every time.
  rechecked_.swap(held_);
  for (const ConnectionPtr& c : rechecked_) Rearm(c);
  rechecked_.clear();
  for (const ConnectionPtr& c : to_rearm_) Rearm(c);
  to_rearm_.clear();
  // EndBatch, Tick or OnSynced may have lifted back-pressure.
  size_t kept = 0;
  for (size_t i = 0; i < paused_.size(); ++i) {
    ConnectionPtr& c = paused_[i];
    if (c->closed) continue;
    if (engine_->ReadPaused(c->session)) {
      paused_[kept++] = c;
    } else {
      Resume(c);
    }
  }
  paused_.resize(kept);
}

void Server::WaitForHangup() {
  hup_signals_.async_wait([this](boost::system::error_code ec, int) {
    if (ec || stopping_) return;
    const std::string& file = engine_->settings().logfile;
    if (!file.empty()) {
      Status st = env_.spd_logger().Reopen(file);
      env_.logger().Log(st.ok() ? LogLevel::kNotice : LogLevel::kWarning,
                        st.ok()
                            ? "Received SIGHUP, reopened the log file " + file
                            : "Received SIGHUP, could not reopen the log file: " + st.message());
    }
    WaitForHangup();
  });
}

void Server::ScheduleTick() {
  tick_timer_.expires_after(std::chrono::microseconds(engine_->TickIntervalUs()));
  tick_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopping_) return;
    engine_->Tick();
    ScheduleTick();
  });
}

int Server::Run() {
  for (auto& l : listeners_) Accept(l);
  signals_.async_wait([this](boost::system::error_code ec, int) {
    if (!ec) engine_->RequestShutdown(true);
  });
  WaitForHangup();
  ScheduleTick();
  auto guard = asio::make_work_guard(io_);
  // A waited sync asked for while the engine started has no wake-up of its
  // own behind it: run it before the first sleep.
  env_.posix_fs().RunWaitedSyncs();
  while (true) {
    if (engine_->HasBackgroundWork()) {
      // The engine has work of its own (a rewrite's walk): take whatever
      // I/O is ready without blocking, send its replies, then give the
      // walk a bounded step -- after the replies, so that no reply waits
      // for it.
      io_.poll();
      AfterWake();
      if (engine_->shutdown_state() == ShutdownState::kDone) break;
      engine_->BackgroundStep();
      if (engine_->HasBackgroundWork()) continue;
    } else {
      io_.run_one();
      io_.poll();
    }
    AfterWake();
    if (engine_->shutdown_state() == ShutdownState::kDone) break;
  }
  stopping_ = true;
  // Last replies (those before SHUTDOWN) get one best-effort write.
  std::vector<ConnectionPtr> open;
  for (auto& [s, c] : connections_) open.push_back(c);
  for (const ConnectionPtr& c : open) {
    if (!c->closed) Flush(c);
  }
  CloseListeners();
  tick_timer_.cancel();
  signals_.cancel();
  hup_signals_.cancel();
  for (auto& [s, c] : connections_) {
    boost::system::error_code ec;
    c->socket.close(ec);
  }
  return engine_->exit_code();
}

ProcessFacts Server::Facts() {
  ProcessFacts f;
  f.pid = ::getpid();
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n > 0) f.executable.assign(buf, static_cast<size_t>(n));
  utsname uts{};
  if (::uname(&uts) == 0) {
    f.os = std::string(uts.sysname) + " " + uts.release + " " + uts.machine;
  }
  f.arch_bits = static_cast<int>(sizeof(void*) * 8);
#if defined(__GNUC__)
  f.compiler = std::to_string(__GNUC__) + "." + std::to_string(__GNUC_MINOR__) + "." +
               std::to_string(__GNUC_PATCHLEVEL__);
#else
  f.compiler = "0.0.0";
#endif
  f.tcp_port = bound_port_;
  f.mem_allocator = allocator_name_;
  long pages = ::sysconf(_SC_PHYS_PAGES);
  long page_size = ::sysconf(_SC_PAGESIZE);
  if (pages > 0 && page_size > 0) {
    f.total_system_memory = static_cast<uint64_t>(pages) * static_cast<uint64_t>(page_size);
  }
  return f;
}

namespace {

int64_t Micros(const timeval& tv) {
  return static_cast<int64_t>(tv.tv_sec) * 1000000 + static_cast<int64_t>(tv.tv_usec);
}

}  // namespace

// Called on the engine thread (INFO), so RUSAGE_THREAD is the engine's own.
CpuTimes Server::Cpu() {
  CpuTimes t;
  rusage ru{};
  if (::getrusage(RUSAGE_SELF, &ru) == 0) {
    t.user_us = Micros(ru.ru_utime);
    t.sys_us = Micros(ru.ru_stime);
  }
  rusage children{};
  if (::getrusage(RUSAGE_CHILDREN, &children) == 0) {
    t.children_user_us = Micros(children.ru_utime);
    t.children_sys_us = Micros(children.ru_stime);
  }
  rusage thread{};
  if (::getrusage(RUSAGE_THREAD, &thread) == 0) {
    t.main_thread_user_us = Micros(thread.ru_utime);
    t.main_thread_sys_us = Micros(thread.ru_stime);
  }
  return t;
}

uint64_t Server::RssBytes() {
  std::ifstream statm("/proc/self/statm");
  uint64_t size = 0;
  uint64_t resident = 0;
  if (!(statm >> size >> resident)) return 0;
  return resident * static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
}

}  // namespace cairn
