// INFO: section selection and order, the format, and that the figures come
// from the engine's counters and the EngineHost.
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/command/latency_monitor.h"
#include "tests/support/engine_harness.h"

namespace cairn::testing {
namespace {

std::string BulkText(const std::string& reply) {
  size_t eol = reply.find("\r\n");
  EXPECT_EQ(reply[0], '$') << reply;
  size_t n = std::stoul(reply.substr(1, eol - 1));
  EXPECT_EQ(reply.size(), eol + 2 + n + 2);
  return reply.substr(eol + 2, n);
}

std::vector<std::string> Headings(const std::string& text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while ((pos = text.find("# ", pos)) != std::string::npos) {
    size_t eol = text.find("\r\n", pos);
    out.push_back(text.substr(pos + 2, eol - pos - 2));
    pos = eol;
  }
  return out;
}

// field -> value over every "field:value" line.
std::map<std::string, std::string> Fields(const std::string& text) {
  std::map<std::string, std::string> m;
  size_t start = 0;
  while (start < text.size()) {
    size_t eol = text.find("\r\n", start);
    EXPECT_NE(eol, std::string::npos) << "lines end with CRLF";
    std::string line = text.substr(start, eol - start);
    size_t colon = line.find(':');
    if (!line.empty() && line[0] != '#' && colon != std::string::npos) {
      m[line.substr(0, colon)] = line.substr(colon + 1);
    }
    start = eol + 2;
  }
  return m;
}

const std::vector<std::string> kDefault = {"Server",     "Clients",     "Memory",  "Persistence",
                                           "Stats",      "Replication", "CPU",     "Modules",
                                           "Errorstats", "Cluster",     "Keyspace"};
const std::vector<std::string> kAll = {
    "Server",  "Clients",      "Memory",     "Persistence",  "Stats",   "Replication", "CPU",
    "Modules", "Commandstats", "Errorstats", "Latencystats", "Cluster", "Keyspace"};

TEST(Info, SelectsSectionsAndKeepsRedisOrder) {
  EngineHarness h;
  EXPECT_EQ(Headings(BulkText(h.Run({"INFO"}))), kDefault);
  EXPECT_EQ(Headings(BulkText(h.Run({"INFO", "default"}))), kDefault);
  EXPECT_EQ(Headings(BulkText(h.Run({"INFO", "all"}))), kAll);
  EXPECT_EQ(Headings(BulkText(h.Run({"INFO", "everything"}))), kAll);
  EXPECT_EQ(Headings(BulkText(h.Run({"INFO", "cpu", "SERVER"}))),
            (std::vector<std::string>{"Server", "CPU"}));
  EXPECT_EQ(Headings(BulkText(h.Run({"INFO", "server", "server"}))),
            (std::vector<std::string>{"Server"}));
  std::vector<std::string> with_commandstats = kDefault;
  with_commandstats.insert(with_commandstats.begin() + 8, "Commandstats");
  EXPECT_EQ(Headings(BulkText(h.Run({"INFO", "default", "commandstats"}))), with_commandstats);
  EXPECT_EQ(h.Run({"INFO", "nosuchsection"}), "$0\r\n\r\n");
  EXPECT_EQ(Headings(BulkText(h.Run({"INFO", "everything", "nosuch"}))), kAll);
}

TEST(Info, SectionsAreJoinedByABlankLine) {
  EngineHarness h;
  EXPECT_EQ(h.Run({"INFO", "modules"}), "$11\r\n# Modules\r\n\r\n");
  EXPECT_EQ(h.Run({"INFO", "cluster"}), "$30\r\n# Cluster\r\ncluster_enabled:0\r\n\r\n");
  EXPECT_EQ(h.Run({"INFO", "modules", "cluster"}),
            "$43\r\n# Modules\r\n\r\n# Cluster\r\ncluster_enabled:0\r\n\r\n");
  EXPECT_EQ(h.Run({"INFO", "keyspace"}), "$12\r\n# Keyspace\r\n\r\n");
}

TEST(Info, Resp3RepliesVerbatimText) {
  EngineHarness h;
  h.Run({"HELLO", "3"});
  EXPECT_EQ(h.Run({"INFO", "cluster"}), "=34\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n");
}

TEST(Info, KeyspaceListsDatabasesWithKeys) {
  EngineHarness h;
  h.Run({"SET", "a", "1"});
  h.Run({"SET", "b", "2"});
  h.session()->db = 3;
  h.Run({"SET", "c", "3"});
  EXPECT_EQ(h.Run({"INFO", "KEYSPACE"}),
            "$76\r\n# Keyspace\r\ndb0:keys=2,expires=0,avg_ttl=0\r\n"
            "db3:keys=1,expires=0,avg_ttl=0\r\n\r\n");
}

TEST(Info, AverageTtlIsEstimatedFromTheExpiryTable) {
  EngineHarness h;
  h.Run({"SET", "plain", "1"});
  Database& db = h.engine().keyspace().db(0);
  for (int i = 0; i < 10; ++i) {
    std::string key = "k" + std::to_string(i);
    h.Run({"SET", key, "v"});
    Database::Slot slot = db.Locate(key);
    db.SetExpire(slot, h.engine().now_ms() + 10000 + i * 2000);  // 10 s .. 28 s
  }
  auto f = Fields(BulkText(h.Run({"INFO", "keyspace"})));
  ASSERT_EQ(f["db0"].rfind("keys=11,expires=10,avg_ttl=", 0), 0u) << f["db0"];
  int64_t avg = std::stoll(f["db0"].substr(f["db0"].rfind('=') + 1));
  EXPECT_EQ(avg, 19000);  // every key fits in the sample: the exact mean
}

TEST(Info, ServerSectionHasRedisVersionAndEngineFacts) {
  EngineHarness h;
  h.AdvanceMs(90'000);
  auto f = Fields(BulkText(h.Run({"INFO", "server"})));
  EXPECT_EQ(f["redis_version"], "7.0.15");
  EXPECT_EQ(f["cairn_version"], "0.1.0");
  EXPECT_EQ(f["redis_mode"], "standalone");
  EXPECT_EQ(f["run_id"], h.engine().run_id());
  EXPECT_EQ(f["run_id"].size(), 40u);
  EXPECT_EQ(f["uptime_in_seconds"], "90");
  EXPECT_EQ(f["uptime_in_days"], "0");
  EXPECT_EQ(f["hz"], "10");
  EXPECT_EQ(f["configured_hz"], "10");
  EXPECT_EQ(f["tcp_port"], "6379");
  EXPECT_EQ(f["lru_clock"], std::to_string(h.engine().LruClock()));
  EXPECT_EQ(f["server_time_usec"], std::to_string(h.env().clock().WallUs()));
  for (const char* name :
       {"redis_git_sha1", "redis_git_dirty", "redis_build_id", "os", "arch_bits", "monotonic_clock",
        "multiplexing_api", "atomicvar_api", "gcc_version", "process_id", "process_supervised",
        "executable", "config_file", "io_threads_active"}) {
    EXPECT_EQ(f.count(name), 1u) << name;
  }
}

TEST(Info, StatsAndErrorstatsFollowTheCounters) {
  EngineHarness h;
  h.Run({"SET", "k", "v"});
  h.Run({"GET", "k"});
  h.Run({"GET", "missing"});
  h.Run({"NOSUCH"});
  h.Run({"HELLO", "9"});
  auto f = Fields(BulkText(h.Run({"INFO", "stats", "errorstats"})));
  EXPECT_EQ(f["total_commands_processed"], "4");  // SET GET GET HELLO
  EXPECT_EQ(f["keyspace_hits"], "1");
  EXPECT_EQ(f["keyspace_misses"], "1");
  EXPECT_EQ(f["total_error_replies"], "2");
  EXPECT_EQ(f["errorstat_ERR"], "count=1");
  EXPECT_EQ(f["errorstat_NOPROTO"], "count=1");
  EXPECT_EQ(f["total_connections_received"], "1");
  EXPECT_EQ(f["total_reads_processed"], "6");
  EXPECT_EQ(f["instantaneous_input_kbps"], "0.00");
}

TEST(Info, CommandstatsCountsCallsRejectionsAndFailures) {
  EngineHarness h;
  h.Run({"GET", "k"});
  h.Run({"GET"});
  h.Run({"HELLO", "7"});
  h.Run({"CLIENT", "ID"});
  std::string text = BulkText(h.Run({"INFO", "commandstats"}));
  EXPECT_EQ(
      text,
      "# Commandstats\r\n"
      "cmdstat_client|id:calls=1,usec=0,usec_per_call=0.00,rejected_calls=0,failed_calls=0\r\n"
      "cmdstat_get:calls=1,usec=0,usec_per_call=0.00,rejected_calls=1,failed_calls=0\r\n"
      "cmdstat_hello:calls=1,usec=0,usec_per_call=0.00,rejected_calls=0,failed_calls=1\r\n");
}

TEST(Info, MemoryFollowsTheKeyspace) {
  EngineHarness h;
  auto before = Fields(BulkText(h.Run({"INFO", "memory"})));
  EXPECT_EQ(before["used_memory_dataset"], "0");
  h.Run({"SET", "k", std::string(10000, 'x')});
  auto after = Fields(BulkText(h.Run({"INFO", "memory"})));
  uint64_t used_before = std::stoull(before["used_memory"]);
  uint64_t used_after = std::stoull(after["used_memory"]);
  EXPECT_GE(used_after, used_before + 10000);
  EXPECT_GE(std::stoull(after["used_memory_dataset"]), 10000u);
  EXPECT_EQ(std::stoull(after["used_memory"]),
            std::stoull(after["used_memory_overhead"]) + std::stoull(after["used_memory_dataset"]));
  EXPECT_EQ(after["used_memory_peak"], after["used_memory"]);
  EXPECT_EQ(after["maxmemory"], "0");
  EXPECT_EQ(after["maxmemory_human"], "0B");
  EXPECT_EQ(after["maxmemory_policy"], "noeviction");
  EXPECT_EQ(after["used_memory_rss"], "0");  // the harness has no host
  // Deleting keeps the peak.
  h.Run({"DEL", "k"});
  auto gone = Fields(BulkText(h.Run({"INFO", "memory"})));
  EXPECT_LT(std::stoull(gone["used_memory"]), used_after);
  EXPECT_EQ(gone["used_memory_peak"], std::to_string(used_after));
}

TEST(Info, HumanSizesUseRedisFormat) {
  EngineHarness h;
  h.Run({"SET", "k", std::string(3 * 1024 * 1024, 'x')});
  auto f = Fields(BulkText(h.Run({"INFO", "memory"})));
  uint64_t used = std::stoull(f["used_memory"]);
  char expected[32];
  std::snprintf(expected, sizeof(expected), "%.2fM", static_cast<double>(used) / (1024 * 1024));
  EXPECT_EQ(f["used_memory_human"], expected);
}

TEST(Info, PersistenceAndReplicationDefaults) {
  EngineHarness h;
  h.Run({"SET", "k", "v"});
  auto f = Fields(BulkText(h.Run({"INFO", "persistence", "replication"})));
  EXPECT_EQ(f["loading"], "0");
  EXPECT_EQ(f["rdb_changes_since_last_save"], "1");
  EXPECT_EQ(f["rdb_last_save_time"], std::to_string(h.engine().last_save_time_sec()));
  EXPECT_EQ(f["aof_enabled"], "1");
  EXPECT_EQ(f.count("aof_current_size"), 1u);  // shown while the log is on
  EXPECT_EQ(f["role"], "master");
  EXPECT_EQ(f["connected_slaves"], "0");
  EXPECT_EQ(f["master_replid"].size(), 40u);
  EXPECT_NE(f["master_replid"], h.engine().run_id());
  EXPECT_EQ(f["master_replid2"], std::string(40, '0'));
  EXPECT_EQ(f["repl_backlog_size"], "1048576");
}

// A host with known facts, to see INFO report them.
class FixedHost final : public EngineHost {
 public:
  ProcessFacts Facts() override {
    ProcessFacts f;
    f.pid = 4242;
    f.executable = "/opt/cairn/kv-server";
    f.os = "Linux 6.1.0 x86_64";
    f.compiler = "12.2.0";
    f.tcp_port = 7777;
    f.total_system_memory = 8ULL << 30;
    return f;
  }
  CpuTimes Cpu() override {
    CpuTimes t;
    t.user_us = 1'500'000;
    t.sys_us = 250'007;
    t.main_thread_user_us = 1'400'000;
    t.main_thread_sys_us = 5;
    return t;
  }
  uint64_t RssBytes() override { return 6 * 1024 * 1024; }
};

TEST(Info, HostFactsAreReported) {
  FakeEnv env;
  Config config;
  std::vector<std::string> args = {"--dir", "/data"};
  ASSERT_TRUE(config.ApplyArgs(args).ok());
  FixedHost host;
  Engine engine(env, std::move(config), &host);
  ASSERT_TRUE(engine.Start().ok());
  Session* s = engine.OpenSession(SessionInfo{"127.0.0.1:1", "127.0.0.1:7777", 9, false});
  engine.Feed(s, EncodeCommand({"INFO", "server", "memory", "cpu"}));
  std::string reply(engine.Output(s));
  auto f = Fields(BulkText(reply));
  EXPECT_EQ(f["process_id"], "4242");
  EXPECT_EQ(f["executable"], "/opt/cairn/kv-server");
  EXPECT_EQ(f["os"], "Linux 6.1.0 x86_64");
  EXPECT_EQ(f["gcc_version"], "12.2.0");
  EXPECT_EQ(f["tcp_port"], "7777");
  EXPECT_EQ(f["total_system_memory"], std::to_string(8ULL << 30));
  EXPECT_EQ(f["total_system_memory_human"], "8.00G");
  EXPECT_EQ(f["used_memory_rss"], std::to_string(6 * 1024 * 1024));
  EXPECT_EQ(f["used_memory_rss_human"], "6.00M");
  EXPECT_EQ(f["used_cpu_user"], "1.500000");
  EXPECT_EQ(f["used_cpu_sys"], "0.250007");
  EXPECT_EQ(f["used_cpu_user_main_thread"], "1.400000");
  EXPECT_EQ(f["used_cpu_sys_main_thread"], "0.000005");
  EXPECT_EQ(f["used_cpu_sys_children"], "0.000000");
}

TEST(Info, ClientsSection) {
  EngineHarness h;
  Session* monitor = h.NewSession();
  h.Run(monitor, {"MONITOR"});
  h.NewSession();
  auto f = Fields(BulkText(h.Run({"INFO", "clients"})));
  // Monitors count as connected clients, as in Redis.
  EXPECT_EQ(f["connected_clients"], "3");
  EXPECT_EQ(f["maxclients"], "10000");
  EXPECT_EQ(f["blocked_clients"], "0");
  EXPECT_EQ(f["cluster_connections"], "0");
}

}  // namespace
}  // namespace cairn::testing
