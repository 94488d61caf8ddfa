// The tool modes of kv-cli (Session::Run*), with redis-cli 7.0's output:
//   --scan [--pattern P]   every key, quoted on a terminal, raw otherwise
//   --bigkeys              the biggest key of each type, then a summary
//   --stat                 a row of keys, memory, clients, requests ... every
//                          interval (1 s by default), a header every 20 rows
//   --latency[-history]    PING round trips in milliseconds
//   --pipe                 raw RESP from stdin, replies counted, ECHO of a
//                          random marker to know the last reply has come
// Session::Run has connected before any of these runs.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/cli/session.h"

namespace cairn::cli {

namespace {

long long NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void SleepMs(long long ms) {
  if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

// A numeric field of an INFO report ("name:value" lines), or `missing`.
long long InfoField(const std::string& info, const std::string& name, long long missing) {
  std::string key = "\n" + name + ":";
  size_t at = ("\n" + info).find(key);
  if (at == std::string::npos) return missing;
  return std::strtoll(info.c_str() + at + key.size() - 1, nullptr, 10);
}

std::string BytesToHuman(long long n) {
  char buf[64];
  double d = static_cast<double>(n);
  if (n < 1024) {
    std::snprintf(buf, sizeof(buf), "%lldB", n);
  } else if (n < (1LL << 20)) {
    std::snprintf(buf, sizeof(buf), "%.2fK", d / 1024);
  } else if (n < (1LL << 30)) {
    std::snprintf(buf, sizeof(buf), "%.2fM", d / (1 << 20));
  } else if (n < (1LL << 40)) {
    std::snprintf(buf, sizeof(buf), "%.2fG", d / (1LL << 30));
  } else {
    std::snprintf(buf, sizeof(buf), "%.2fT", d / (1LL << 40));
  }
  return buf;
}

void IoError(const Status& s) { std::fprintf(stderr, "Error: %s\n", s.message().c_str()); }

}  // namespace

int Session::RunScan() {
  std::string cursor = "0";
  do {
    std::vector<std::string> cmd{"SCAN", cursor};
    if (!o_.pattern.empty()) {
      cmd.push_back("MATCH");
      cmd.push_back(o_.pattern);
    }
    auto r = client_.Command(cmd);
    if (!r.ok()) {
      IoError(r.status());
      return 1;
    }
    if (r->is_error() || r->elements.size() != 2) {
      std::fprintf(stderr, "%s\n", r->is_error() ? r->str.c_str() : "Unexpected SCAN reply");
      return 1;
    }
    cursor = r->elements[0].str;
    std::string out;
    for (const Reply& key : r->elements[1].elements) {
      if (mode_ == OutputMode::kTty) {
        AppendQuoted(&out, key.str);
      } else {
        out += key.str;
      }
      out.push_back('\n');
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
  } while (cursor != "0");
  std::fflush(stdout);
  return 0;
}

int Session::RunBigKeys() {
  struct TypeStats {
    const char* name;
    const char* size_command;
    const char* unit;
    unsigned long long count = 0;
    unsigned long long total = 0;
    unsigned long long biggest = 0;
    std::string biggest_key;
  };
  // The summary's order (redis-cli's own order follows its hash table and
  // changes from run to run).
  std::vector<TypeStats> types = {{"list", "LLEN", "items"},     {"hash", "HLEN", "fields"},
                                  {"string", "STRLEN", "bytes"}, {"stream", "XLEN", "entries"},
                                  {"set", "SCARD", "members"},   {"zset", "ZCARD", "members"}};
  std::printf(
      "\n# Scanning the entire keyspace to find biggest keys as well as\n"
      "# average sizes per key type.  You can use -i 0.1 to sleep 0.1 sec\n"
      "# per 100 SCAN commands (not usually needed).\n\n");
  auto dbsize = client_.Command({"DBSIZE"});
  if (!dbsize.ok()) {
    IoError(dbsize.status());
    return 1;
  }
  unsigned long long total_keys = static_cast<unsigned long long>(dbsize->integer);
  unsigned long long sampled = 0, total_len = 0, loops = 0;
  std::string cursor = "0";
  do {
    auto r = client_.Command({"SCAN", cursor});
    if (!r.ok() || r->is_error() || r->elements.size() != 2) {
      std::fprintf(stderr, "Error: SCAN failed\n");
      return 1;
    }
    loops++;
    cursor = r->elements[0].str;
    const auto& keys = r->elements[1].elements;
    // Types, then sizes, each pipelined over the batch.
    std::string batch;
    for (const Reply& k : keys) batch += EncodeCommand({"TYPE", k.str});
    if (!client_.SendRaw(batch).ok()) return 1;
    std::vector<TypeStats*> key_types;
    for (size_t i = 0; i < keys.size(); i++) {
      auto t = client_.Read();
      if (!t.ok()) return 1;
      TypeStats* found = nullptr;
      for (auto& ts : types) {
        if (t->str == ts.name) found = &ts;
      }
      key_types.push_back(found);
    }
    batch.clear();
    for (size_t i = 0; i < keys.size(); i++) {
      if (key_types[i] != nullptr) {
        batch += EncodeCommand({key_types[i]->size_command, keys[i].str});
      }
    }
    if (!client_.SendRaw(batch).ok()) return 1;
    double pct = total_keys == 0
                     ? 0
                     : 100.0 * static_cast<double>(sampled) / static_cast<double>(total_keys);
    for (size_t i = 0; i < keys.size(); i++) {
      TypeStats* ts = key_types[i];
      if (ts == nullptr) continue;  // gone between SCAN and TYPE
      auto size = client_.Read();
      if (!size.ok()) return 1;
      unsigned long long n = size->is_error() ? 0 : static_cast<unsigned long long>(size->integer);
      ts->total += n;
      ts->count++;
      total_len += keys[i].str.size();
      sampled++;
      if (ts->biggest < n) {
        std::string quoted;
        AppendQuoted(&quoted, keys[i].str);
        ts->biggest_key = quoted;
        std::printf("[%05.2f%%] Biggest %-6s found so far '%s' with %llu %s\n", pct, ts->name,
                    quoted.c_str(), n, ts->unit);
        ts->biggest = n;
      }
      if (sampled % 1000000 == 0) {
        std::printf("[%05.2f%%] Sampled %llu keys so far\n", pct, sampled);
      }
    }
    if (o_.interval > 0 && loops % 100 == 0) SleepMs(static_cast<long long>(o_.interval * 1000));
  } while (cursor != "0");
  std::printf("\n-------- summary -------\n\n");
  std::printf("Sampled %llu keys in the keyspace!\n", sampled);
  std::printf("Total key length in bytes is %llu (avg len %.2f)\n\n", total_len,
              sampled ? static_cast<double>(total_len) / static_cast<double>(sampled) : 0.0);
  for (const auto& ts : types) {
    if (!ts.biggest_key.empty()) {
      std::printf("Biggest %6s found '%s' has %llu %s\n", ts.name, ts.biggest_key.c_str(),
                  ts.biggest, ts.unit);
    }
  }
  std::printf("\n");
  for (const auto& ts : types) {
    double share =
        sampled ? 100.0 * static_cast<double>(ts.count) / static_cast<double>(sampled) : 0.0;
    double avg = ts.count ? static_cast<double>(ts.total) / static_cast<double>(ts.count) : 0.0;
    std::printf("%llu %ss with %llu %s (%05.2f%% of keys, avg size %.2f)\n", ts.count, ts.name,
                ts.total, ts.unit, share, avg);
  }
  std::fflush(stdout);
  return 0;
}

int Session::RunStat() {
  long long requests = 0;
  long long interval_ms = o_.interval > 0 ? static_cast<long long>(o_.interval * 1000) : 1000;
  for (long long row = 0;; row++) {
    auto r = client_.Command({"INFO"});
    if (!r.ok()) {
      IoError(r.status());
      return 1;
    }
    if (r->is_error()) {
      std::printf("ERROR: %s\n", r->str.c_str());
      return 1;
    }
    const std::string& info = r->str;
    if (row % 20 == 0) {
      std::printf(
          "------- data ------ --------------------- load -------------------- - child -\n"
          "keys       mem      clients blocked requests            connections          \n");
    }
    long long keys = 0;
    for (int db = 0; db < 16 * 1024; db++) {
      std::string key = "db" + std::to_string(db) + ":keys=";
      size_t at = info.find(key);
      if (at == std::string::npos) {
        if (db >= 20) break;
        continue;
      }
      keys += std::strtoll(info.c_str() + at + key.size(), nullptr, 10);
    }
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%lld", keys);
    std::printf("%-11s", buf);
    std::printf("%-8s", BytesToHuman(InfoField(info, "used_memory", 0)).c_str());
    std::snprintf(buf, sizeof(buf), "%lld", InfoField(info, "connected_clients", 0));
    std::printf(" %-8s", buf);
    std::snprintf(buf, sizeof(buf), "%lld", InfoField(info, "blocked_clients", 0));
    std::printf("%-8s", buf);
    long long total = InfoField(info, "total_commands_processed", 0);
    std::snprintf(buf, sizeof(buf), "%lld (+%lld)", total, requests == 0 ? 0 : total - requests);
    std::printf("%-19s", buf);
    requests = total;
    std::snprintf(buf, sizeof(buf), "%lld", InfoField(info, "total_connections_received", 0));
    std::printf(" %-8s", buf);
    long long child = InfoField(info, "rdb_bgsave_in_progress", 0) |
                      (InfoField(info, "aof_rewrite_in_progress", 0) << 1) |
                      (InfoField(info, "loading", 0) << 2);
    const char* what = child == 1   ? "SAVE"
                       : child == 2 ? "AOF"
                       : child == 3 ? "SAVE+AOF"
                       : child == 4 ? "LOAD"
                                    : "";
    std::printf("%-4s\n", what);
    std::fflush(stdout);
    SleepMs(interval_ms);
  }
}

int Session::RunLatency() {
  const long long history_ms = o_.interval_set ? static_cast<long long>(o_.interval * 1000) : 15000;
  const long long exit_after_ms =
      o_.interval_set ? static_cast<long long>(o_.interval * 1000) : 1000;
  long long min = 0, max = 0, tot = 0, count = 0;
  long long history_start = NowMs();
  auto print = [&](double avg) {
    switch (mode_) {
      case OutputMode::kTty:
        std::printf("min: %lld, max: %lld, avg: %.2f (%lld samples)", min, max, avg, count);
        break;
      case OutputMode::kCsv:
        std::printf("%lld,%lld,%.2f,%lld\n", min, max, avg, count);
        break;
      case OutputMode::kRaw:
        std::printf("%lld %lld %.2f %lld\n", min, max, avg, count);
        break;
      case OutputMode::kJson:
      case OutputMode::kQuotedJson:
        std::printf("{\"min\": %lld, \"max\": %lld, \"avg\": %.2f, \"count\": %lld}\n", min, max,
                    avg, count);
        break;
    }
    std::fflush(stdout);
  };
  while (true) {
    long long start = NowMs();
    auto r = client_.Command({"PING"});
    if (!r.ok()) {
      // As redis-cli: a lost connection is retried once.
      if (!EnsureConnected()) return 1;
      r = client_.Command({"PING"});
      if (!r.ok()) {
        std::fprintf(stderr, "\nI/O error\n");
        return 1;
      }
    }
    long long latency = NowMs() - start;
    count++;
    double avg;
    if (count == 1) {
      min = max = tot = latency;
      avg = static_cast<double>(latency);
    } else {
      if (latency < min) min = latency;
      if (latency > max) max = latency;
      tot += latency;
      avg = static_cast<double>(tot) / static_cast<double>(count);
    }
    if (mode_ == OutputMode::kTty) {
      std::printf("\x1b[0G\x1b[2K");
      print(avg);
    } else if (o_.latency_history) {
      print(avg);
    } else if (NowMs() - history_start > exit_after_ms) {
      print(avg);
      return 0;
    }
    if (o_.latency_history && NowMs() - history_start > history_ms) {
      std::printf(" -- %.2f seconds range\n",
                  static_cast<double>(static_cast<float>(NowMs() - history_start) / 1000));
      std::fflush(stdout);
      history_start = NowMs();
      min = max = tot = count = 0;
    }
    SleepMs(10);
  }
}

int Session::RunPipe() {
  // The marker that tells the last reply apart: 20 random bytes, echoed.
  std::random_device rd;
  std::string marker(20, ' ');
  const char kAlnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  for (char& c : marker) c = kAlnum[rd() % 36];
  const std::string tail = EncodeCommand({"ECHO", marker});
  int fd = client_.fd();
  int flags = ::fcntl(fd, F_GETFL);
  ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
  int in_flags = ::fcntl(STDIN_FILENO, F_GETFL);
  ::fcntl(STDIN_FILENO, F_SETFL, in_flags | O_NONBLOCK);

  std::string out;           // bytes read from stdin, not yet sent
  bool stdin_done = false;   // EOF seen on stdin
  bool tail_queued = false;  // the ECHO marker is in `out`
  bool eof_reported = false;
  long long errors = 0, replies = 0;
  long long last_read_ms = NowMs();
  std::string in;  // reply bytes not yet parsed
  ReplyScanner scanner;
  bool done = false;
  while (!done) {
    pollfd fds[2] = {
        {fd, static_cast<short>(POLLIN | (out.empty() ? 0 : POLLOUT)), 0},
        {STDIN_FILENO, static_cast<short>(stdin_done || out.size() > (1 << 20) ? 0 : POLLIN), 0}};
    int nfds = stdin_done ? 1 : 2;
    ::poll(fds, static_cast<nfds_t>(nfds), 100);
    if (nfds == 2 && (fds[1].revents & (POLLIN | POLLHUP)) != 0) {
      char buf[65536];
      ssize_t n = ::read(STDIN_FILENO, buf, sizeof(buf));
      if (n > 0) {
        out.append(buf, static_cast<size_t>(n));
      } else if (n == 0) {
        stdin_done = true;
      }
    }
    if (stdin_done && !tail_queued) {
      out += tail;
      tail_queued = true;
    }
    if (!out.empty() && (fds[0].revents & POLLOUT) != 0) {
      ssize_t n = ::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
      if (n > 0) {
        out.erase(0, static_cast<size_t>(n));
      } else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
        std::fprintf(stderr, "Error writing to the server: %s\n", std::strerror(errno));
        return 1;
      }
      if (out.empty() && tail_queued && !eof_reported) {
        std::printf("All data transferred. Waiting for the last reply...\n");
        std::fflush(stdout);
        eof_reported = true;
        last_read_ms = NowMs();
      }
    }
    if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      char buf[65536];
      ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
        std::fprintf(stderr, "Error reading from the server: %s\n",
                     n == 0 ? "Connection closed" : std::strerror(errno));
        return 1;
      }
      if (n > 0) {
        last_read_ms = NowMs();
        in.append(buf, static_cast<size_t>(n));
        size_t pos = 0;
        while (pos < in.size()) {
          size_t len = 0;
          auto outcome = scanner.Scan(std::string_view(in).substr(pos), &len);
          if (outcome == ReplyScanner::Outcome::kIncomplete) break;
          scanner.Reset();
          if (outcome == ReplyScanner::Outcome::kMalformed) {
            std::fprintf(stderr, "Error: Protocol error: %s\n", scanner.error());
            return 1;
          }
          auto r = DecodeReply(std::string_view(in).substr(pos, len));
          pos += len;
          if (!r.ok()) return 1;
          if (r->is_error()) {
            std::fprintf(stderr, "%s\n", r->str.c_str());
            errors++;
          } else if (tail_queued && out.empty() && r->type == Reply::Type::kBulk &&
                     r->str == marker) {
            done = true;
            break;
          }
          replies++;
        }
        in.erase(0, pos);
      }
    }
    if (eof_reported && !done && NowMs() - last_read_ms > o_.pipe_timeout * 1000LL &&
        o_.pipe_timeout > 0) {
      std::fprintf(stderr, "No replies for %d seconds: exiting.\n", o_.pipe_timeout);
      errors++;
      break;
    }
  }
  if (done) std::printf("Last reply received from server.\n");
  std::printf("errors: %lld, replies: %lld\n", errors, replies);
  std::fflush(stdout);
  return errors > 0 ? 1 : 0;
}

}  // namespace cairn::cli
