// The network runner: plain non-blocking sockets and one epoll loop per
// thread (see runner.h). Each readable socket is read once per wake-up and
// every complete reply in the bytes is counted; a client whose pipeline is
// answered sends its next one at once.
#include <atomic>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <memory>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench/kvbench/claim.h"
#include "bench/kvbench/progress.h"
#include "bench/kvbench/runner.h"
#include "bench/support/request_encoder.h"
#include "engine/resp/reply_reader.h"
#include "engine/util/byte_buffer.h"

namespace cairn::kvbench {

int64_t NowNs() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

namespace {

struct Client {
  int fd = -1;
  std::unique_ptr<BatchBuilder> builder;
  ByteBuffer in;
  ReplyScanner scanner;
  const std::string* out = nullptr;
  size_t out_off = 0;
  int64_t owed = 0;  // replies still expected for the pipeline in flight
  int64_t sent_ns = 0;
  bool want_write = false;
  ~Client() {
    if (fd >= 0) ::close(fd);
  }
};

struct Shared {
  const Options& o;
  RequestBudget budget;
  std::atomic<uint64_t> completed{0};
  std::atomic<bool> abort{false};
};

struct ThreadRun {
  std::vector<std::unique_ptr<Client>> clients;
  LatencyHistogram latency;
  uint64_t errors = 0;
  std::string first_error;
  std::string failure;
  int64_t end_ns = 0;
};

std::string Errno(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

// The first line of an error reply, without "-" and CRLF.
std::string ErrorText(std::string_view frame) {
  size_t end = frame.find('\r');
  return std::string(frame.substr(1, end == std::string_view::npos ? frame.size() - 1 : end - 1));
}

// A blocking request/reply on a fresh connection (AUTH before the test).
Status BlockingCommand(int fd, const std::string& request) {
  size_t off = 0;
  while (off < request.size()) {
    ssize_t w = ::write(fd, request.data() + off, request.size() - off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return Status::Io(Errno("kv-bench: write"));
    off += static_cast<size_t>(w);
  }
  std::string in;
  ReplyScanner scanner;
  char buf[4096];
  for (;;) {
    ssize_t r = ::read(fd, buf, sizeof(buf));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return Status::Io("kv-bench: connection closed during AUTH");
    in.append(buf, static_cast<size_t>(r));
    size_t len = 0;
    auto outcome = scanner.Scan(in, &len);
    if (outcome == ReplyScanner::Outcome::kIncomplete) continue;
    if (outcome == ReplyScanner::Outcome::kMalformed) {
      return Status::Io(std::string("kv-bench: ") + scanner.error());
    }
    if (in[0] == '-') return Status::Invalid("AUTH failed: " + ErrorText(in));
    return Status::Ok();
  }
}

Result<int> Connect(const Options& o) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  std::string port = std::to_string(o.port);
  auto where = [&] { return "Could not connect to server at " + o.host + ":" + port + ": "; };
  int rc = ::getaddrinfo(o.host.c_str(), port.c_str(), &hints, &res);
  if (rc != 0) return Status::Io(where() + ::gai_strerror(rc));
  int fd = -1;
  int last_errno = 0;
  for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
    fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) break;
    last_errno = errno;
    ::close(fd);
    fd = -1;
  }
  ::freeaddrinfo(res);
  if (fd < 0) return Status::Io(where() + std::strerror(last_errno));
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  if (!o.password.empty()) {
    std::string auth;
    if (o.user.empty()) {
      bench::AppendRequest(auth, {"AUTH", o.password});
    } else {
      bench::AppendRequest(auth, {"AUTH", o.user, o.password});
    }
    Status st = BlockingCommand(fd, auth);
    if (!st.ok()) {
      ::close(fd);
      return st;
    }
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  return fd;
}

class Loop {
 public:
  Loop(Shared& shared, ThreadRun& run, Progress* progress)
      : shared_(shared), run_(run), progress_(progress) {}

  void Run() {
    ep_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (ep_ < 0) return Fail(Errno("epoll_create1"));
    for (auto& c : run_.clients) {
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.ptr = c.get();
      if (::epoll_ctl(ep_, EPOLL_CTL_ADD, c->fd, &ev) != 0) return Fail(Errno("epoll_ctl"));
    }
    for (auto& c : run_.clients) {
      if (Send(*c)) ++active_;
    }
    std::vector<epoll_event> events(512);
    while (active_ > 0 && !shared_.abort.load(std::memory_order_relaxed)) {
      int n = ::epoll_wait(ep_, events.data(), static_cast<int>(events.size()), 100);
      if (n < 0) {
        if (errno == EINTR) continue;
        return Fail(Errno("epoll_wait"));
      }
      for (int i = 0; i < n && failure_.empty(); ++i) {
        auto* c = static_cast<Client*>(events[static_cast<size_t>(i)].data.ptr);
        uint32_t e = events[static_cast<size_t>(i)].events;
        if ((e & EPOLLOUT) != 0 && c->want_write && !Flush(*c)) break;
        if ((e & (EPOLLIN | EPOLLERR | EPOLLHUP)) != 0) OnReadable(*c);
      }
      if (!failure_.empty()) return Fail(failure_);
      if (progress_ != nullptr) {
        int64_t now = NowNs();
        if (progress_->Due(now)) {
          progress_->Update(now, shared_.completed.load(std::memory_order_relaxed),
                            run_.latency.Percentile(99));
        }
      }
    }
    run_.end_ns = NowNs();
    ::close(ep_);
  }

 private:
  void Fail(const std::string& why) {
    if (run_.failure.empty()) run_.failure = why;
    shared_.abort.store(true);
    run_.end_ns = NowNs();
    if (ep_ >= 0) ::close(ep_);
    ep_ = -1;
  }

  // Claims and sends the client's next pipeline; false when it is done.
  bool Send(Client& c) {
    int64_t now = NowNs();
    int64_t n = shared_.budget.Claim(shared_.o.pipeline, now);
    if (n <= 0) return false;
    c.out = &c.builder->Next(static_cast<size_t>(n));
    c.out_off = 0;
    c.owed = n;
    c.sent_ns = now;
    Flush(c);
    return true;
  }

  bool Flush(Client& c) {
    while (c.out_off < c.out->size()) {
      ssize_t w = ::write(c.fd, c.out->data() + c.out_off, c.out->size() - c.out_off);
      if (w < 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return Arm(c, true);
        failure_ = Errno("write");
        return false;
      }
      c.out_off += static_cast<size_t>(w);
    }
    return Arm(c, false);
  }

  bool Arm(Client& c, bool want_write) {
    if (c.want_write == want_write) return true;
    epoll_event ev{};
    ev.events = EPOLLIN | (want_write ? EPOLLOUT : 0u);
    ev.data.ptr = &c;
    if (::epoll_ctl(ep_, EPOLL_CTL_MOD, c.fd, &ev) != 0) {
      failure_ = Errno("epoll_ctl");
      return false;
    }
    c.want_write = want_write;
    return true;
  }

  void OnReadable(Client& c) {
    auto space = c.in.PrepareWrite(16 * 1024);
    ssize_t r = ::read(c.fd, space.data(), space.size());
    if (r < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return;
      failure_ = Errno("read");
      return;
    }
    if (r == 0) {
      failure_ = "server closed the connection";
      return;
    }
    int64_t now = NowNs();
    c.in.CommitWrite(static_cast<size_t>(r));
    uint64_t replies = 0;
    while (c.owed > 0 && !c.in.empty()) {
      size_t len = 0;
      std::string_view buf = c.in.readable();
      auto outcome = c.scanner.Scan(buf, &len);
      if (outcome == ReplyScanner::Outcome::kIncomplete) break;
      if (outcome == ReplyScanner::Outcome::kMalformed) {
        failure_ = std::string("bad reply: ") + c.scanner.error();
        return;
      }
      if (buf[0] == '-') {
        if (run_.errors++ == 0) run_.first_error = ErrorText(buf.substr(0, len));
      }
      c.in.Consume(len);
      c.scanner.Reset();
      --c.owed;
      ++replies;
    }
    if (replies > 0) {
      run_.latency.RecordN(static_cast<uint64_t>(now - c.sent_ns), replies);
      shared_.completed.fetch_add(replies, std::memory_order_relaxed);
    }
    if (c.owed == 0 && !Send(c)) --active_;
  }

  Shared& shared_;
  ThreadRun& run_;
  Progress* progress_;
  int ep_ = -1;
  int active_ = 0;
  std::string failure_;
};

}  // namespace

Result<TestResult> RunOverNetwork(const Options& o, const TestSpec& test) {
  Shared shared{o, RequestBudget(o.duration_s > 0 ? 0 : o.requests, 0)};
  std::atomic<uint64_t> sequence{0};
  std::vector<ThreadRun> runs(static_cast<size_t>(o.threads));
  for (int i = 0; i < o.clients; ++i) {
    auto fd = Connect(o);
    if (!fd.ok()) return fd.status();
    auto c = std::make_unique<Client>();
    c->fd = fd.value();
    c->builder = std::make_unique<BatchBuilder>(
        o, test, o.seed * 0x9e3779b97f4a7c15ULL + static_cast<uint64_t>(i) + 1, &sequence);
    runs[static_cast<size_t>(i % o.threads)].clients.push_back(std::move(c));
  }
  int64_t start = NowNs();
  shared.budget.set_deadline(start + static_cast<int64_t>(o.duration_s * 1e9));
  Progress progress(test.title, start);
  std::vector<std::thread> threads;
  for (size_t t = 1; t < runs.size(); ++t) {
    threads.emplace_back([&, t] { Loop(shared, runs[t], nullptr).Run(); });
  }
  Loop(shared, runs[0], &progress).Run();
  for (auto& th : threads) th.join();
  progress.Clear();

  TestResult r;
  r.name = test.name;
  r.title = test.title;
  int64_t end = start;
  for (ThreadRun& run : runs) {
    if (!run.failure.empty()) return Status::Io("kv-bench: " + test.title + ": " + run.failure);
    r.latency.Merge(run.latency);
    r.errors += run.errors;
    if (r.first_error.empty()) r.first_error = run.first_error;
    if (run.end_ns > end) end = run.end_ns;
  }
  r.requests = r.latency.count();
  r.seconds = static_cast<double>(end - start) / 1e9;
  return r;
}

}  // namespace cairn::kvbench
