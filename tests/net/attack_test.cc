// kv-server under attack, as a process: a client that never reads its
// replies, a client flooding one huge pipeline of ECHOs without reading, a client
// sending one request whose argument outgrows client-query-buffer-limit and
// a slowloris dribbling a request with pauses longer than timeout are each
// cut off and logged, while 50 ordinary clients keep being served: every
// one of their replies arrives, and is right. While the attack runs, CLIENT
// LIST is polled for the bytes the server holds for clients (omem, qbuf),
// which the limits keep bounded; the disconnect events are counted in the
// server's log. (Throughput and latency during the attack are printed, not
// asserted.)
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/raw_client.h"
#include "tests/support/server_process.h"

namespace cairn::testing {
namespace {

using Clock = std::chrono::steady_clock;

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Sum of a numeric field ("omem=") over CLIENT LIST's lines, and its max.
std::pair<int64_t, int64_t> FieldSumAndMax(const std::string& list, const std::string& field) {
  int64_t sum = 0;
  int64_t max = 0;
  for (size_t at = list.find(" " + field); at != std::string::npos;
       at = list.find(" " + field, at + 1)) {
    int64_t v = std::atoll(list.c_str() + at + 1 + field.size());
    sum += v;
    max = std::max(max, v);
  }
  return {sum, max};
}

TEST(Attack, AbusiveClientsAreCutOffWhileFiftyOthersAreServed) {
  auto started = ServerProcess::Start(KvServerSpec({
      "--loglevel",
      "verbose",  // idle closes are logged at verbose
      "--timeout",
      "1",  // the slowloris pauses longer
      "--client-output-buffer-limit",
      "normal 4mb 1mb 1",
      "--client-query-buffer-limit",
      "4mb",
  }));
  ASSERT_TRUE(started.ok()) << started.status().message();
  ServerProcess& server = *started.value();
  const int port = server.port();
  {
    auto setter = RawClient::Connect(port);
    ASSERT_TRUE(setter.ok());
    ASSERT_EQ(setter.value()->Command({"SET", "big", std::string(100000, 'x')}).value(), "+OK\r\n");
  }

  std::atomic<bool> attack_on{true};
  // The watcher: bytes held for clients, sampled every 20 ms.
  std::atomic<int64_t> peak_omem_total{0}, peak_omem_one{0}, peak_qbuf_one{0};
  std::atomic<int> samples{0};
  std::thread watcher([&] {
    auto c = RawClient::Connect(port);
    if (!c.ok()) return;
    while (attack_on) {
      auto list = c.value()->Command({"CLIENT", "LIST"}, 10000);
      if (!list.ok()) break;
      auto [omem_sum, omem_max] = FieldSumAndMax(list.value(), "omem=");
      auto [qbuf_sum, qbuf_max] = FieldSumAndMax(list.value(), "qbuf=");
      (void)qbuf_sum;
      peak_omem_total = std::max<int64_t>(peak_omem_total, omem_sum);
      peak_omem_one = std::max<int64_t>(peak_omem_one, omem_max);
      peak_qbuf_one = std::max<int64_t>(peak_qbuf_one, qbuf_max);
      ++samples;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });

  // 1. Never reads: 800 replies of 100 kB (80 MB) requested in one write.
  auto non_reader = RawClient::Connect(port);
  ASSERT_TRUE(non_reader.ok());
  ASSERT_TRUE(non_reader.value()
                  ->Send(
                      [] {
                        std::string r;
                        for (int i = 0; i < 800; ++i) r += EncodeMultibulk({"GET", "big"});
                        return r;
                      }(),
                      10000)
                  .ok());
  // 2. Floods one huge pipeline (64 MB of 1 kB ECHOs, as many bytes of
  // replies) and reads nothing. The thread ends when the server cuts it off
  // (the send fails) or, if it stops reading instead, after a 2 s stall.
  auto flooder = RawClient::Connect(port);
  ASSERT_TRUE(flooder.ok());
  std::thread flood([&] {
    const std::string chunk = [] {
      std::string r;
      const std::string echo = EncodeMultibulk({"ECHO", std::string(1000, 'f')});
      while (r.size() < (256u << 10)) r += echo;
      return r;
    }();
    for (size_t sent = 0; sent < (64u << 20); sent += chunk.size()) {
      if (!flooder.value()->Send(chunk, 2000).ok()) break;
    }
  });
  // 3. One argument larger than client-query-buffer-limit.
  auto hog = RawClient::Connect(port);
  ASSERT_TRUE(hog.ok());
  std::thread hogger([&] {
    std::string head = "*3\r\n$3\r\nSET\r\n$3\r\nhog\r\n$100000000\r\n";
    if (!hog.value()->Send(head, 2000).ok()) return;
    const std::string chunk(1 << 20, 'h');
    for (int i = 0; i < 16 && attack_on; ++i) {
      if (!hog.value()->Send(chunk, 2000).ok()) break;
    }
  });
  // 4. Slowloris: a request one byte at a time, 1.5 s apart (timeout is 1).
  auto loris = RawClient::Connect(port);
  ASSERT_TRUE(loris.ok());
  std::atomic<bool> loris_cut{false};
  std::thread slowloris([&] {
    const std::string request = EncodeMultibulk({"SET", "loris", "slow"});
    for (size_t i = 0; i < request.size() && attack_on; ++i) {
      if (!loris.value()->Send(request.substr(i, 1), 2000).ok()) {
        loris_cut = true;
        return;
      }
      auto r = loris.value()->ReadUntilClose(1500);
      if (r.closed) {
        loris_cut = true;
        return;
      }
    }
  });

  // 50 ordinary clients, 100 rounds of a 4-command pipeline each.
  constexpr int kClients = 50;
  constexpr int kRounds = 100;
  std::atomic<int64_t> replies_ok{0};
  std::atomic<int64_t> worst_us{0};
  std::vector<std::string> failures(kClients);
  std::vector<std::thread> clients;
  auto t0 = Clock::now();
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      auto c = RawClient::Connect(port);
      if (!c.ok()) {
        failures[i] = c.status().message();
        return;
      }
      const std::string key = "client:" + std::to_string(i);
      for (int r = 0; r < kRounds; ++r) {
        const std::string value = std::to_string(i) + "-" + std::to_string(r);
        std::string batch = EncodeMultibulk({"SET", key, value}) + EncodeMultibulk({"GET", key}) +
                            EncodeMultibulk({"INCR", key + ":n"}) + EncodeMultibulk({"PING"});
        auto start = Clock::now();
        if (!c.value()->Send(batch, 10000).ok()) {
          failures[i] = "send failed in round " + std::to_string(r);
          return;
        }
        const std::string want[4] = {"+OK\r\n",
                                     "$" + std::to_string(value.size()) + "\r\n" + value + "\r\n",
                                     ":" + std::to_string(r + 1) + "\r\n", "+PONG\r\n"};
        for (const std::string& w : want) {
          auto got = c.value()->ReadFrame(10000);
          if (!got.ok() || got.value() != w) {
            failures[i] = "round " + std::to_string(r) + ": " +
                          (got.ok() ? got.value() : got.status().message());
            return;
          }
          ++replies_ok;
        }
        int64_t us =
            std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
        int64_t seen = worst_us;
        while (us > seen && !worst_us.compare_exchange_weak(seen, us)) {
        }
      }
    });
  }
  for (auto& t : clients) t.join();
  double served_s = std::chrono::duration<double>(Clock::now() - t0).count();
  for (int i = 0; i < kClients; ++i) EXPECT_EQ(failures[i], "") << "client " << i;
  EXPECT_EQ(replies_ok.load(), int64_t{kClients} * kRounds * 4);

  // Every attacker is cut off: reading what is left ends in a close.
  EXPECT_TRUE(non_reader.value()->ReadUntilClose(10000).closed) << "non-reader still connected";
  // The hogger's sends and this read share one client: its thread ends first
  // (its sends fail once the server cuts it off, or it runs out of chunks).
  hogger.join();
  EXPECT_TRUE(hog.value()->ReadUntilClose(10000).closed) << "query-buffer hog still connected";
  slowloris.join();
  EXPECT_TRUE(loris_cut) << "slowloris still connected";
  flood.join();
  EXPECT_TRUE(flooder.value()->ReadUntilClose(10000).closed) << "flooder still connected";
  attack_on = false;
  watcher.join();

  auto after = RawClient::Connect(port);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after.value()->Command({"PING"}).value(), "+PONG\r\n");
  EXPECT_EQ(after.value()->Command({"STRLEN", "big"}).value(), ":100000\r\n");
  EXPECT_EQ(after.value()->Command({"EXISTS", "hog"}).value(), ":0\r\n");

  // Logged: two output-limit closes (non-reader, flooder), one query
  // buffer close, one idle close (the slowloris).
  const std::string log = server.Log();
  size_t outbuf_closes = Count(log, "closed for overcoming of output buffer limits");
  size_t qbuf_closes = Count(log, "reached max query buffer length");
  size_t idle_closes = Count(log, "Closing idle client");
  EXPECT_GE(outbuf_closes, 2u) << log.substr(0, 4000);
  EXPECT_GE(qbuf_closes, 1u) << log.substr(0, 4000);
  EXPECT_GE(idle_closes, 1u) << log.substr(0, 4000);
  // Held bytes stayed near the limits (4 MB hard per client; the two
  // attackers would otherwise hold 80 MB and more).
  EXPECT_GT(samples.load(), 0);
  EXPECT_LT(peak_omem_one.load(), int64_t{16} << 20);
  EXPECT_LT(peak_omem_total.load(), int64_t{32} << 20);
  std::printf(
      "attack: 50 clients x %d rounds served in %.2f s (%.0f replies/s), worst round %.1f ms; "
      "peak held output %lld B total, %lld B one client, peak query buffer %lld B "
      "(%d samples); closes: output limit %zu, query buffer %zu, idle %zu\n",
      kRounds, served_s, replies_ok.load() / served_s, worst_us.load() / 1000.0,
      static_cast<long long>(peak_omem_total.load()), static_cast<long long>(peak_omem_one.load()),
      static_cast<long long>(peak_qbuf_one.load()), samples.load(), outbuf_closes, qbuf_closes,
      idle_closes);
}

}  // namespace
}  // namespace cairn::testing
