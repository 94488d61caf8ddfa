#include "tests/process/aof_process_support.h"

#include <chrono>
#include <cstdlib>
#include <thread>

#include <gtest/gtest.h>

#include "engine/resp/reply_reader.h"

namespace cairn::testing {
namespace {

// The elements of a flat RESP2 array of bulk strings.
bool ParseBulkArray(const std::string& reply, std::vector<std::string>* out) {
  out->clear();
  if (reply.empty() || reply[0] != '*') return false;
  size_t p = reply.find("\r\n");
  long n = std::stol(reply.substr(1, p - 1));
  p += 2;
  for (long i = 0; i < n; ++i) {
    if (reply[p] != '$') return false;
    size_t e = reply.find("\r\n", p);
    long len = std::stol(reply.substr(p + 1, e - p - 1));
    out->push_back(reply.substr(e + 2, static_cast<size_t>(len)));
    p = e + 2 + static_cast<size_t>(len) + 2;
  }
  return true;
}

}  // namespace

std::string Call(RawClient& c, const std::vector<std::string>& args) {
  auto r = c.Command(args, 10000);
  if (!r.ok()) return "<error: " + r.status().message() + ">";
  return r.value();
}

Dump DumpServer(int port, std::string* error) {
  Dump dump;
  auto c = RawClient::Connect(port);
  if (!c.ok()) {
    *error = c.status().message();
    return dump;
  }
  RawClient& cl = *c.value();
  for (int db = 0; db < 16; ++db) {
    Call(cl, {"SELECT", std::to_string(db)});
    std::vector<std::string> keys;
    if (!ParseBulkArray(Call(cl, {"KEYS", "*"}), &keys)) {
      *error = "KEYS did not return an array";
      return dump;
    }
    for (const std::string& k : keys) {
      std::string v = Call(cl, {"GET", k});
      std::string t = Call(cl, {"PEXPIRETIME", k});
      dump[{db, k}] = {v, t};
    }
  }
  return dump;
}

ServerSpec OnDir(ServerSpec spec, const std::string& data_dir, std::vector<std::string> extra) {
  ArgvBuilder inner = spec.argv;
  spec.argv = [inner, data_dir, extra](int port, const std::string& dir) {
    std::vector<std::string> args = inner(port, dir);
    args.push_back("--dir");
    args.push_back(data_dir);
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  return spec;
}

void WaitRewriteDone(int port) {
  auto c = RawClient::Connect(port);
  ASSERT_TRUE(c.ok());
  for (int i = 0; i < 200; ++i) {
    std::string info = Call(*c.value(), {"INFO", "persistence"});
    if (info.find("aof_rewrite_in_progress:0") != std::string::npos &&
        info.find("aof_rewrite_scheduled:0") != std::string::npos) {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  FAIL() << "rewrite did not finish";
}

int CheckAof(const std::string& dir, int port) {
  if (port != 0) WaitRewriteDone(port);
  std::string tool = KvServerPath();
  tool = tool.substr(0, tool.rfind('/')) + "/kv-check-aof";
  std::string cmd = tool + " " + dir + "/appendonlydir/appendonly.aof.manifest > /dev/null";
  return std::system(cmd.c_str());
}

}  // namespace cairn::testing
