// INFO [section ...]: the server's figures in Redis 7.0's format -- "# Title"
// headings, "field:value" lines ending in CRLF, sections joined by a blank
// line and always in Redis's order whatever order they were asked in.
//
// Every field name of Redis 7.0 is present so monitoring tools find what they
// expect. Fields for machinery Cairn lacks (replicas, forks, scripting,
// modules, defragmentation, client tracking) carry the value an idle Redis
// shows. Facts about the process (pid, CPU, RSS, the machine's memory) come
// from the EngineHost, never from the OS directly.
//
// Latencystats is present but empty: Cairn keeps no per-command latency
// histograms, which is what Redis shows with latency-tracking off.
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "engine/command/context.h"
#include "engine/command/latency_monitor.h"
#include "engine/command/server_handlers.h"
#include "engine/command/slowlog.h"
#include "engine/util/ascii.h"
#include "engine/util/siphash.h"
#include "engine/version.h"

namespace cairn {
namespace {

// Appends "field:value\r\n" lines.
class InfoText {
 public:
  explicit InfoText(std::string& out) : out_(out) {}

  void Str(std::string_view key, std::string_view value) {
    out_ += key;
    out_ += ':';
    out_ += value;
    out_ += "\r\n";
  }
  void Int(std::string_view key, int64_t value) { Str(key, std::to_string(value)); }
  void Uint(std::string_view key, uint64_t value) { Str(key, std::to_string(value)); }
  // Redis's "%.2f".
  void Fixed2(std::string_view key, double value) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.2f", value);
    Str(key, buf);
  }
  std::string& raw() { return out_; }

 private:
  std::string& out_;
};

// Redis's bytesToHuman: "123B" below 1 KiB, then two decimals with K, M, G,
// T or P (binary multiples); beyond that, bytes again.
std::string BytesHuman(uint64_t n) {
  static constexpr char kUnits[] = "KMGTP";
  char buf[64];
  uint64_t unit = 1024;
  for (int i = 0; i < 5 && n >= unit; ++i, unit *= 1024) {
    if (n < unit * 1024) {
      std::snprintf(buf, sizeof(buf), "%.2f%c", static_cast<double>(n) / static_cast<double>(unit),
                    kUnits[i]);
      return buf;
    }
  }
  std::snprintf(buf, sizeof(buf), "%" PRIu64 "B", n);
  return buf;
}

// "%.2f%%" of a/b (0 when b is 0).
std::string Percent(double a, double b) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.2f%%", b == 0 ? 0.0 : a * 100.0 / b);
  return buf;
}

double Ratio(double a, double b) { return b == 0 ? 0.0 : a / b; }

// Microseconds as Redis prints rusage times: "%ld.%06ld".
std::string Seconds6(int64_t us) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%" PRId64 ".%06" PRId64, us / 1000000, us % 1000000);
  return buf;
}

// What the engine's memory goes to. Cairn does not hook the allocator, so
// these are its own accounting: the keyspace counts every entry's allocation
// and every table exactly (Database::bytes); sessions count their buffers;
// the start-up figure is the fixed structures an empty server has.
struct MemoryFigures {
  uint64_t used = 0;
  uint64_t startup = 0;
  uint64_t overhead = 0;  // everything but the entries themselves
  uint64_t dataset = 0;
  uint64_t clients = 0;
  uint64_t peak = 0;
  uint64_t rss = 0;
};

MemoryFigures Measure(Engine& engine) {
  MemoryFigures m;
  size_t commands = 0;
  for (const auto& cmd : engine.commands().commands()) commands += 1 + cmd->subcommands.size();
  Keyspace& ks = engine.keyspace();
  m.startup = sizeof(Engine) + commands * sizeof(Command) +
              static_cast<uint64_t>(ks.count()) * sizeof(Database);
  uint64_t tables = 0;
  uint64_t all_db_bytes = 0;
  for (int i = 0; i < ks.count(); ++i) {
    Database& db = ks.db(i);
    tables += db.main().TableBytes() + db.expires().TableBytes();
    all_db_bytes += db.bytes();
  }
  for (const auto& [id, s] : engine.sessions()) {
    m.clients += sizeof(Session) + s->input.capacity() + s->output.capacity() + s->name.capacity();
  }
  uint64_t logs = 0;
  for (const SlowLogEntry& e : engine.slowlog().entries()) {
    logs += sizeof(SlowLogEntry) + e.peer.size() + e.client_name.size();
    for (const std::string& a : e.args) logs += sizeof(std::string) + a.capacity();
  }
  for (const auto& [name, ev] : engine.latency().events()) {
    logs += name.size() + ev.samples.capacity() * sizeof(LatencySample);
  }
  m.dataset = all_db_bytes - tables;
  m.overhead = m.startup + tables + m.clients + logs;
  m.used = m.overhead + m.dataset;
  ServerStats& stats = engine.stats();
  if (m.used > stats.peak_memory) stats.peak_memory = m.used;
  m.peak = stats.peak_memory;
  m.rss = engine.host().RssBytes();
  return m;
}

void ServerSection(Engine& engine, InfoText& w) {
  const ProcessFacts facts = engine.host().Facts();
  const Settings& settings = engine.settings();
  const int64_t now_us = engine.env().clock().WallUs();
  const int64_t uptime = (now_us / 1000 - engine.start_time_ms()) / 1000;
  w.Str("redis_version", kRedisCompatVersion);
  w.Str("cairn_version", kCairnVersion);
  w.Str("redis_git_sha1", "00000000");
  w.Int("redis_git_dirty", 0);
  w.Str("redis_build_id", "0");
  w.Str("redis_mode", "standalone");
  w.Str("os", facts.os);
  w.Int("arch_bits", facts.arch_bits);
  w.Str("monotonic_clock", "POSIX clock_gettime");
  w.Str("multiplexing_api", facts.multiplexing_api);
  w.Str("atomicvar_api", "c11-builtin");
  w.Str("gcc_version", facts.compiler.empty() ? "0.0.0" : facts.compiler);
  w.Int("process_id", facts.pid);
  w.Str("process_supervised", "no");
  w.Str("run_id", engine.run_id());
  w.Int("tcp_port", facts.tcp_port != 0 ? facts.tcp_port : settings.port);
  w.Int("server_time_usec", now_us);
  w.Int("uptime_in_seconds", uptime);
  w.Int("uptime_in_days", uptime / 86400);
  w.Int("hz", settings.hz);
  w.Int("configured_hz", settings.hz);
  w.Int("lru_clock", engine.LruClock());
  w.Str("executable", facts.executable);
  w.Str("config_file", engine.config().config_file());
  w.Int("io_threads_active", 0);
}

void ClientsSection(Engine& engine, InfoText& w) {
  uint64_t max_in = 0;
  uint64_t max_out = 0;
  for (const auto& [id, s] : engine.sessions()) {
    max_in = std::max<uint64_t>(max_in, s->input.capacity());
    max_out = std::max<uint64_t>(max_out, s->output.size());
  }
  w.Uint("connected_clients", engine.session_count());
  w.Int("cluster_connections", 0);
  w.Int("maxclients", engine.settings().maxclients);
  w.Uint("client_recent_max_input_buffer", max_in);
  w.Uint("client_recent_max_output_buffer", max_out);
  w.Int("blocked_clients", 0);
  w.Int("tracking_clients", 0);
  w.Int("clients_in_timeout_table", 0);
}

void MemorySection(Engine& engine, InfoText& w) {
  const MemoryFigures m = Measure(engine);
  const Settings& settings = engine.settings();
  const uint64_t system = engine.host().Facts().total_system_memory;
  const double used = static_cast<double>(m.used);
  const double rss = static_cast<double>(m.rss);
  w.Uint("used_memory", m.used);
  w.Str("used_memory_human", BytesHuman(m.used));
  w.Uint("used_memory_rss", m.rss);
  w.Str("used_memory_rss_human", BytesHuman(m.rss));
  w.Uint("used_memory_peak", m.peak);
  w.Str("used_memory_peak_human", BytesHuman(m.peak));
  w.Str("used_memory_peak_perc", Percent(used, static_cast<double>(m.peak)));
  w.Uint("used_memory_overhead", m.overhead);
  w.Uint("used_memory_startup", m.startup);
  w.Uint("used_memory_dataset", m.dataset);
  w.Str("used_memory_dataset_perc",
        Percent(static_cast<double>(m.dataset), static_cast<double>(m.used - m.startup)));
  // No allocator statistics: the allocator is taken to hold exactly what
  // Cairn accounts for, and the rest of the resident set is "rss overhead".
  w.Uint("allocator_allocated", m.used);
  w.Uint("allocator_active", m.used);
  w.Uint("allocator_resident", m.used);
  w.Uint("total_system_memory", system);
  w.Str("total_system_memory_human", BytesHuman(system));
  // No scripting engine: nothing is spent on it.
  w.Int("used_memory_lua", 0);
  w.Int("used_memory_vm_eval", 0);
  w.Str("used_memory_lua_human", "0B");
  w.Int("used_memory_scripts_eval", 0);
  w.Int("number_of_cached_scripts", 0);
  w.Int("number_of_functions", 0);
  w.Int("number_of_libraries", 0);
  w.Int("used_memory_vm_functions", 0);
  w.Int("used_memory_vm_total", 0);
  w.Str("used_memory_vm_total_human", "0B");
  w.Int("used_memory_functions", 0);
  w.Int("used_memory_scripts", 0);
  w.Str("used_memory_scripts_human", "0B");
  w.Int("maxmemory", settings.maxmemory);
  w.Str("maxmemory_human", BytesHuman(static_cast<uint64_t>(settings.maxmemory)));
  w.Str("maxmemory_policy", settings.maxmemory_policy);
  w.Fixed2("allocator_frag_ratio", 1.0);
  w.Int("allocator_frag_bytes", 0);
  w.Fixed2("allocator_rss_ratio", 1.0);
  w.Int("allocator_rss_bytes", 0);
  w.Fixed2("rss_overhead_ratio", Ratio(rss, used));
  w.Int("rss_overhead_bytes", static_cast<int64_t>(m.rss) - static_cast<int64_t>(m.used));
  w.Fixed2("mem_fragmentation_ratio", Ratio(rss, used));
  w.Int("mem_fragmentation_bytes", static_cast<int64_t>(m.rss) - static_cast<int64_t>(m.used));
  w.Int("mem_not_counted_for_evict", 0);
  w.Int("mem_replication_backlog", 0);
  w.Int("mem_total_replication_buffers", 0);
  w.Int("mem_clients_slaves", 0);
  w.Uint("mem_clients_normal", m.clients);
  w.Int("mem_cluster_links", 0);
  w.Int("mem_aof_buffer", 0);
  w.Str("mem_allocator", engine.host().Facts().mem_allocator);
  w.Int("active_defrag_running", 0);
  w.Int("lazyfree_pending_objects", 0);
  w.Int("lazyfreed_objects", 0);
}

// The append-only file's live figures come from the log (engine/aof/).
void PersistenceSection(Engine& engine, InfoText& w) {
  const Settings& settings = engine.settings();
  const ServerStats& stats = engine.stats();
  const aof::AofLog* log = engine.durability().log();
  w.Int("loading", 0);
  w.Int("async_loading", 0);
  w.Int("current_cow_peak", 0);
  w.Int("current_cow_size", 0);
  w.Int("current_cow_size_age", 0);
  w.Fixed2("current_fork_perc", 0);
  w.Int("current_save_keys_processed", 0);
  w.Int("current_save_keys_total", 0);
  w.Uint("rdb_changes_since_last_save", stats.dirty);
  w.Int("rdb_bgsave_in_progress", 0);
  w.Int("rdb_last_save_time", engine.last_save_time_sec());
  w.Str("rdb_last_bgsave_status", "ok");
  w.Int("rdb_last_bgsave_time_sec", -1);
  w.Int("rdb_current_bgsave_time_sec", -1);
  w.Int("rdb_saves", 0);
  w.Int("rdb_last_cow_size", 0);
  w.Int("rdb_last_load_keys_expired", 0);
  w.Int("rdb_last_load_keys_loaded", 0);
  bool rewriting = log != nullptr && log->rewrite_in_progress();
  w.Int("aof_enabled", log != nullptr ? 1 : 0);
  w.Int("aof_rewrite_in_progress", rewriting ? 1 : 0);
  w.Int("aof_rewrite_scheduled", engine.durability().rewrite_scheduled() ? 1 : 0);
  int64_t last_ms = log ? log->last_rewrite_ms() : -1;
  w.Int("aof_last_rewrite_time_sec", last_ms < 0 ? -1 : last_ms / 1000);
  w.Int("aof_current_rewrite_time_sec",
        rewriting ? (engine.now_ms() - log->rewrite_start_ms()) / 1000 : -1);
  w.Str("aof_last_bgrewrite_status", log == nullptr || log->last_rewrite_ok() ? "ok" : "err");
  w.Uint("aof_rewrites", log ? log->rewrites() : 0);
  w.Int("aof_rewrites_consecutive_failures", engine.durability().consecutive_failures());
  w.Str("aof_last_write_status", log == nullptr || log->write_ok() ? "ok" : "err");
  w.Int("aof_last_cow_size", 0);
  w.Int("module_fork_in_progress", 0);
  w.Int("module_fork_last_cow_size", 0);
  if (log != nullptr) {
    w.Uint("aof_current_size", log->current_size());
    w.Uint("aof_base_size", log->base_size());
    w.Int("aof_pending_rewrite", 0);
    w.Uint("aof_buffer_length", log->buffered());
    w.Int("aof_pending_bio_fsync", log->sync_in_progress() ? 1 : 0);
    w.Uint("aof_delayed_fsync", log->delayed_fsync());
  }
  (void)settings;
}

void StatsSection(Engine& engine, InfoText& w) {
  const ServerStats& s = engine.stats();
  w.Uint("total_connections_received", s.total_connections_received);
  w.Uint("total_commands_processed", s.total_commands_processed);
  w.Int("instantaneous_ops_per_sec", s.ops_sec.Average());
  w.Uint("total_net_input_bytes", s.total_net_input_bytes);
  w.Uint("total_net_output_bytes", s.total_net_output_bytes);
  w.Int("total_net_repl_input_bytes", 0);
  w.Int("total_net_repl_output_bytes", 0);
  w.Fixed2("instantaneous_input_kbps", static_cast<double>(s.input_kbps.Average()) / 1024);
  w.Fixed2("instantaneous_output_kbps", static_cast<double>(s.output_kbps.Average()) / 1024);
  w.Fixed2("instantaneous_input_repl_kbps", 0);
  w.Fixed2("instantaneous_output_repl_kbps", 0);
  w.Uint("rejected_connections", s.rejected_connections);
  w.Int("sync_full", 0);
  w.Int("sync_partial_ok", 0);
  w.Int("sync_partial_err", 0);
  w.Uint("expired_keys", s.expired_keys);
  w.Fixed2("expired_stale_perc", s.expired_stale_perc * 100);
  w.Uint("expired_time_cap_reached_count", s.expired_time_cap_reached_count);
  w.Uint("expire_cycle_cpu_milliseconds", s.expire_cycle_cpu_milliseconds);
  w.Uint("evicted_keys", s.evicted_keys);
  w.Int("evicted_clients", 0);
  w.Int("total_eviction_exceeded_time", 0);
  w.Int("current_eviction_exceeded_time", 0);
  w.Uint("keyspace_hits", s.keyspace_hits);
  w.Uint("keyspace_misses", s.keyspace_misses);
  w.Int("pubsub_channels", 0);
  w.Int("pubsub_patterns", 0);
  w.Int("pubsubshard_channels", 0);
  w.Int("latest_fork_usec", 0);
  w.Int("total_forks", 0);
  w.Int("migrate_cached_sockets", 0);
  w.Int("slave_expires_tracked_keys", 0);
  w.Int("active_defrag_hits", 0);
  w.Int("active_defrag_misses", 0);
  w.Int("active_defrag_key_hits", 0);
  w.Int("active_defrag_key_misses", 0);
  w.Int("total_active_defrag_time", 0);
  w.Int("current_active_defrag_time", 0);
  w.Int("tracking_total_keys", 0);
  w.Int("tracking_total_items", 0);
  w.Int("tracking_total_prefixes", 0);
  w.Uint("unexpected_error_replies", s.unexpected_error_replies);
  w.Uint("total_error_replies", s.total_error_replies);
  w.Int("dump_payload_sanitizations", 0);
  w.Uint("total_reads_processed", s.total_reads_processed);
  w.Uint("total_writes_processed", s.total_writes_processed);
  w.Int("io_threaded_reads_processed", 0);
  w.Int("io_threaded_writes_processed", 0);
  w.Int("reply_buffer_shrinks", 0);
  w.Int("reply_buffer_expands", 0);
}

// A replication id stays fixed for the server's life; with no replication
// state to keep one in, it is derived from the run id (a different 40-hex
// string, as Redis's replid differs from its run_id).
std::string ReplicationId(const std::string& run_id) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (uint8_t round = 0; id.size() < 40; ++round) {
    SipKey key{};
    key[0] = 0x52;  // 'R'
    key[1] = round;
    uint64_t h = SipHash12(key, run_id);
    for (int i = 0; i < 16 && id.size() < 40; ++i, h >>= 4) id += kHex[h & 0xf];
  }
  return id;
}

void ReplicationSection(Engine& engine, InfoText& w) {
  std::vector<std::pair<std::string, std::string>> backlog;
  engine.config().Get("repl-backlog-size", backlog);
  w.Str("role", "master");
  w.Int("connected_slaves", 0);
  w.Str("master_failover_state", "no-failover");
  w.Str("master_replid", ReplicationId(engine.run_id()));
  w.Str("master_replid2", std::string(40, '0'));
  w.Int("master_repl_offset", 0);
  w.Int("second_repl_offset", -1);
  w.Int("repl_backlog_active", 0);
  w.Str("repl_backlog_size", backlog.empty() ? std::string("1048576") : backlog[0].second);
  w.Int("repl_backlog_first_byte_offset", 0);
  w.Int("repl_backlog_histlen", 0);
}

void CpuSection(Engine& engine, InfoText& w) {
  const CpuTimes t = engine.host().Cpu();
  w.Str("used_cpu_sys", Seconds6(t.sys_us));
  w.Str("used_cpu_user", Seconds6(t.user_us));
  w.Str("used_cpu_sys_children", Seconds6(t.children_sys_us));
  w.Str("used_cpu_user_children", Seconds6(t.children_user_us));
  w.Str("used_cpu_sys_main_thread", Seconds6(t.main_thread_sys_us));
  w.Str("used_cpu_user_main_thread", Seconds6(t.main_thread_user_us));
}

void ModulesSection(Engine&, InfoText&) {}

// Every command and subcommand that ran, failed or was rejected since the
// start or CONFIG RESETSTAT, by name (Redis lists them in hash order).
void CommandstatsSection(Engine& engine, InfoText& w) {
  std::vector<const Command*> all;
  for (const auto& cmd : engine.commands().commands()) {
    all.push_back(cmd.get());
    for (const auto& sub : cmd->subcommands) all.push_back(sub.get());
  }
  std::sort(all.begin(), all.end(),
            [](const Command* a, const Command* b) { return a->fullname < b->fullname; });
  for (const Command* cmd : all) {
    const CommandStats& st = cmd->stats;
    if (st.calls == 0 && st.rejected_calls == 0 && st.failed_calls == 0) continue;
    char buf[256];
    double per_call = st.calls == 0 ? 0.0 : static_cast<double>(st.usec) / st.calls;
    std::snprintf(buf, sizeof(buf),
                  "calls=%" PRIu64 ",usec=%" PRIu64 ",usec_per_call=%.2f,rejected_calls=%" PRIu64
                  ",failed_calls=%" PRIu64,
                  st.calls, st.usec, per_call, st.rejected_calls, st.failed_calls);
    w.Str("cmdstat_" + cmd->fullname, buf);
  }
}

void ErrorstatsSection(Engine& engine, InfoText& w) {
  for (const auto& [code, count] : engine.stats().errors) {
    w.Str("errorstat_" + code, "count=" + std::to_string(count));
  }
}

void LatencystatsSection(Engine&, InfoText&) {}

void ClusterSection(Engine&, InfoText& w) { w.Int("cluster_enabled", 0); }

// Redis's avg_ttl is an estimate its expiry cycle keeps from the keys it
// samples; Cairn estimates at the moment INFO asks, from a bounded sample of
// the expiry table taken in bucket order (keyed-hash order, so an unbiased
// sample of the keys).
int64_t AverageTtl(Database& db, int64_t now_ms) {
  constexpr size_t kSample = 64;
  constexpr int kMaxBuckets = 1024;
  int64_t sum = 0;
  int64_t n = 0;
  uint64_t cursor = 0;
  for (int steps = 0; steps < kMaxBuckets && static_cast<size_t>(n) < kSample; ++steps) {
    cursor = db.expires().Scan(cursor, [&](Entry* e) {
      int64_t ttl = e->expire_at() - now_ms;
      if (ttl > 0) {
        sum += ttl;
        ++n;
      }
    });
    if (cursor == 0) break;
  }
  return n == 0 ? 0 : sum / n;
}

void KeyspaceSection(Engine& engine, InfoText& w) {
  Keyspace& ks = engine.keyspace();
  for (int i = 0; i < ks.count(); ++i) {
    Database& db = ks.db(i);
    if (db.size() == 0) continue;
    char buf[128];
    std::snprintf(buf, sizeof(buf), "keys=%zu,expires=%zu,avg_ttl=%" PRId64, db.size(),
                  db.expires_size(), AverageTtl(db, engine.now_ms()));
    w.Str("db" + std::to_string(i), buf);
  }
}

struct Section {
  std::string_view name;
  std::string_view title;
  bool in_default;
  bool in_all;  // "all" and "everything" (Cairn has no module sections)
  void (*write)(Engine&, InfoText&);
};

constexpr Section kSections[] = {
    {"server", "Server", true, true, ServerSection},
    {"clients", "Clients", true, true, ClientsSection},
    {"memory", "Memory", true, true, MemorySection},
    {"persistence", "Persistence", true, true, PersistenceSection},
    {"stats", "Stats", true, true, StatsSection},
    {"replication", "Replication", true, true, ReplicationSection},
    {"cpu", "CPU", true, true, CpuSection},
    {"modules", "Modules", true, true, ModulesSection},
    {"commandstats", "Commandstats", false, true, CommandstatsSection},
    {"errorstats", "Errorstats", true, true, ErrorstatsSection},
    {"latencystats", "Latencystats", false, true, LatencystatsSection},
    {"cluster", "Cluster", true, true, ClusterSection},
    {"keyspace", "Keyspace", true, true, KeyspaceSection},
};

}  // namespace

void InfoCommand(CommandContext& ctx) {
  constexpr size_t kCount = std::size(kSections);
  bool want[kCount] = {};
  if (ctx.argc() == 1) {
    for (size_t i = 0; i < kCount; ++i) want[i] = kSections[i].in_default;
  }
  for (size_t a = 1; a < ctx.argc(); ++a) {
    std::string_view name = ctx.arg(a);
    bool all = AsciiEqualsIgnoreCase(name, "all") || AsciiEqualsIgnoreCase(name, "everything");
    bool dflt = AsciiEqualsIgnoreCase(name, "default");
    for (size_t i = 0; i < kCount; ++i) {
      if ((all && kSections[i].in_all) || (dflt && kSections[i].in_default) ||
          AsciiEqualsIgnoreCase(name, kSections[i].name)) {
        want[i] = true;
      }
    }
  }
  std::string out;
  InfoText w(out);
  bool first = true;
  for (size_t i = 0; i < kCount; ++i) {
    if (!want[i]) continue;
    if (!first) out += "\r\n";
    first = false;
    out += "# ";
    out += kSections[i].title;
    out += "\r\n";
    kSections[i].write(ctx.engine(), w);
  }
  ctx.reply().Verbatim(out);
}

}  // namespace cairn
