// The parameter table: every parameter redis-server 7.0.15's CONFIG GET *
// lists, plus its hidden test parameters and Cairn's own two, with Redis's
// types, bounds, flags and defaults (read off a real 7.0.15) except where a
// comment marks a Cairn default. The order follows Redis's grouping by type;
// Config keeps its own index sorted by name.
#include <cstdint>
#include <limits>

#include "engine/config/config.h"
#include "engine/config/param.h"
#include "engine/config/special_params.h"

namespace cairn {
namespace {

constexpr int64_t kIntMax = std::numeric_limits<int32_t>::max();
constexpr int64_t kIntMin = std::numeric_limits<int32_t>::min();
constexpr int64_t kUintMax = std::numeric_limits<uint32_t>::max();
constexpr int64_t kLongMax = std::numeric_limits<int64_t>::max();  // LONG_MAX, LLONG_MAX, SSIZE_MAX
constexpr int64_t kULongLongMax = -1;  // ULLONG_MAX as a bit pattern (with kParamUnsigned)

// --- Builders: one call per parameter keeps the table readable. ---

constexpr ParamSpec Bool(std::string_view name, std::string_view def, uint32_t flags = 0) {
  ParamSpec p;
  p.name = name;
  p.kind = ParamKind::kBool;
  p.default_value = def;
  p.flags = flags;
  return p;
}

constexpr ParamSpec Int(std::string_view name, std::string_view def, int64_t lo, int64_t hi,
                        uint32_t flags = 0) {
  ParamSpec p;
  p.name = name;
  p.kind = ParamKind::kInt;
  p.default_value = def;
  p.lower = lo;
  p.upper = hi;
  p.flags = flags;
  return p;
}

constexpr ParamSpec Memory(std::string_view name, std::string_view def, int64_t lo, int64_t hi,
                           uint32_t flags = 0) {
  ParamSpec p = Int(name, def, lo, hi, flags);
  p.kind = ParamKind::kMemory;
  return p;
}

constexpr ParamSpec Str(std::string_view name, std::string_view def, uint32_t flags = 0) {
  ParamSpec p;
  p.name = name;
  p.kind = ParamKind::kString;
  p.default_value = def;
  p.flags = flags;
  return p;
}

constexpr ParamSpec Enum(std::string_view name, std::string_view def,
                         std::span<const EnumName> values, uint32_t flags = 0) {
  ParamSpec p;
  p.name = name;
  p.kind = ParamKind::kEnum;
  p.default_value = def;
  p.enum_values = values;
  p.flags = flags;
  return p;
}

constexpr ParamSpec Special(std::string_view name, std::string_view def, SpecialParser parser,
                            uint32_t flags = 0) {
  ParamSpec p;
  p.name = name;
  p.kind = ParamKind::kSpecial;
  p.default_value = def;
  p.special = parser;
  p.flags = flags;
  return p;
}

constexpr ParamSpec Alias(ParamSpec p, std::string_view alias) {
  p.alias = alias;
  return p;
}
constexpr ParamSpec Field(ParamSpec p, int64_t Settings::*f) {
  p.int_field = f;
  return p;
}
constexpr ParamSpec Field(ParamSpec p, bool Settings::*f) {
  p.bool_field = f;
  return p;
}
constexpr ParamSpec Field(ParamSpec p, std::string Settings::*f) {
  p.string_field = f;
  return p;
}
constexpr ParamSpec Bind(ParamSpec p, SettingsBinder b) {
  p.binder = b;
  return p;
}
constexpr ParamSpec Check(ParamSpec p, ValueCheck c) {
  p.check = c;
  return p;
}
constexpr ParamSpec Rewrite(ParamSpec p, RewriteStyle r) {
  p.rewrite = r;
  return p;
}
constexpr ParamSpec Clamp(ParamSpec p, int64_t lo, int64_t hi) {
  p.clamp_lower = lo;
  p.clamp_upper = hi;
  return p;
}

constexpr uint32_t kImm = kParamImmutable;
constexpr uint32_t kNull = kParamEmptyIsNull;
constexpr uint32_t kUns = kParamUnsigned;

// --- Enumerations, in Redis's order (error texts list them so). ---

constexpr EnumName kSupervised[] = {{"upstart", 1}, {"systemd", 2}, {"auto", 3}, {"no", 0}};
constexpr EnumName kSyslogFacility[] = {{"user", 8},     {"local0", 128}, {"local1", 136},
                                        {"local2", 144}, {"local3", 152}, {"local4", 160},
                                        {"local5", 168}, {"local6", 176}, {"local7", 184}};
constexpr EnumName kReplDisklessLoad[] = {{"disabled", 0}, {"on-empty-db", 1}, {"swapdb", 2}};
constexpr EnumName kLogLevel[] = {{"debug", 0}, {"verbose", 1}, {"notice", 2}, {"warning", 3}};
constexpr EnumName kMaxmemoryPolicy[] = {
    {"volatile-lru", 0}, {"volatile-lfu", 1}, {"volatile-random", 2}, {"volatile-ttl", 3},
    {"allkeys-lru", 4},  {"allkeys-lfu", 5},  {"allkeys-random", 6},  {"noeviction", 7}};
constexpr EnumName kAppendFsync[] = {{"everysec", 2}, {"always", 1}, {"no", 0}};
constexpr EnumName kOomScoreAdj[] = {{"no", 0}, {"yes", 1}, {"relative", 1}, {"absolute", 2}};
constexpr EnumName kAclPubsubDefault[] = {{"allchannels", 1}, {"resetchannels", 0}};
constexpr EnumName kSanitizeDumpPayload[] = {{"no", 0}, {"yes", 1}, {"clients", 2}};
constexpr EnumName kProtectedAction[] = {{"no", 0}, {"yes", 1}, {"local", 2}};
constexpr EnumName kEndpointType[] = {{"ip", 0}, {"hostname", 1}, {"unknown-endpoint", 2}};
constexpr EnumName kPropagationErrorBehavior[] = {
    {"ignore", 0}, {"panic", 1}, {"panic-on-replicas", 2}};
constexpr EnumName kShutdownOnSig[] = {
    {"default", 0}, {"save", 1}, {"nosave", 2}, {"now", 4}, {"force", 8}};
constexpr EnumName kTlsAuthClients[] = {{"no", 0}, {"yes", 1}, {"optional", 2}};

constexpr ParamSpec ShutdownOnSig(std::string_view name, int64_t Settings::*field) {
  ParamSpec p = Enum(name, "default", kShutdownOnSig, kParamMultiArg);
  p.kind = ParamKind::kFlagsEnum;
  p.int_field = field;
  p.check = CheckShutdownFlags;
  return p;
}

const ParamSpec kParams[] = {
    // --- Booleans. ---
    Field(Bool("rdbchecksum", "yes", kImm), &Settings::rdbchecksum),
    Field(Bool("daemonize", "no", kImm), &Settings::daemonize),
    Bool("io-threads-do-reads", "no", kImm),
    Bool("always-show-logo", "no", kImm),
    Field(Bool("protected-mode", "yes"), &Settings::protected_mode),
    Field(Bool("rdbcompression", "yes"), &Settings::rdbcompression),
    Bool("rdb-del-sync-files", "no"),
    Field(Bool("activerehashing", "yes"), &Settings::activerehashing),
    Field(Bool("stop-writes-on-bgsave-error", "yes"), &Settings::stop_writes_on_bgsave_error),
    Bool("set-proc-title", "yes", kImm),
    Field(Bool("dynamic-hz", "yes"), &Settings::dynamic_hz),
    Field(Bool("lazyfree-lazy-eviction", "no"), &Settings::lazyfree_lazy_eviction),
    Field(Bool("lazyfree-lazy-expire", "no"), &Settings::lazyfree_lazy_expire),
    Field(Bool("lazyfree-lazy-server-del", "no"), &Settings::lazyfree_lazy_server_del),
    Field(Bool("lazyfree-lazy-user-del", "no"), &Settings::lazyfree_lazy_user_del),
    Field(Bool("lazyfree-lazy-user-flush", "no"), &Settings::lazyfree_lazy_user_flush),
    Bool("repl-disable-tcp-nodelay", "no"),
    Bool("repl-diskless-sync", "yes"),
    Field(Bool("aof-rewrite-incremental-fsync", "yes"), &Settings::aof_rewrite_incremental_fsync),
    Field(Bool("no-appendfsync-on-rewrite", "no"), &Settings::no_appendfsync_on_rewrite),
    Bool("cluster-require-full-coverage", "yes"),
    Field(Bool("rdb-save-incremental-fsync", "yes"), &Settings::rdb_save_incremental_fsync),
    Field(Bool("aof-load-truncated", "yes"), &Settings::aof_load_truncated),
    // Cairn: no. Cairn writes AOF-format bases (it reads RDB-preamble bases
    // Redis wrote); Redis's default is yes.
    Field(Bool("aof-use-rdb-preamble", "no"), &Settings::aof_use_rdb_preamble),
    Field(Bool("aof-timestamp-enabled", "no"), &Settings::aof_timestamp_enabled),
    Alias(Bool("cluster-replica-no-failover", "no"), "cluster-slave-no-failover"),
    Alias(Bool("replica-lazy-flush", "no"), "slave-lazy-flush"),
    Alias(Bool("replica-serve-stale-data", "yes"), "slave-serve-stale-data"),
    Alias(Bool("replica-read-only", "yes"), "slave-read-only"),
    Alias(Bool("replica-ignore-maxmemory", "yes"), "slave-ignore-maxmemory"),
    Bool("jemalloc-bg-thread", "yes"),
    Check(Bool("activedefrag", "no"), CheckActiveDefrag),
    Bool("syslog-enabled", "no", kImm),
    Bool("cluster-enabled", "no", kImm),
    // Cairn: yes. Cairn is durable by default; Redis's default is no.
    Field(Bool("appendonly", "yes"), &Settings::appendonly),
    Bool("cluster-allow-reads-when-down", "no"),
    Bool("cluster-allow-pubsubshard-when-down", "yes"),
    Bool("crash-log-enabled", "yes"),
    Bool("crash-memcheck-enabled", "yes"),
    Bool("use-exit-on-panic", "no", kParamHidden),
    Bool("disable-thp", "yes", kImm),
    Bool("cluster-allow-replica-migration", "yes"),
    Bool("replica-announced", "yes"),
    Field(Bool("latency-tracking", "yes"), &Settings::latency_tracking),
    Field(Bool("aof-disable-auto-gc", "no"), &Settings::aof_disable_auto_gc),
    Bool("replica-ignore-disk-write-errors", "no"),

    // --- Strings. ---
    Str("aclfile", "", kImm),
    Field(Str("unixsocket", "", kImm | kNull), &Settings::unixsocket),
    Field(Str("pidfile", "", kImm | kNull), &Settings::pidfile),
    Alias(Str("replica-announce-ip", "", kNull), "slave-announce-ip"),
    Str("masteruser", "", kNull),
    Str("cluster-announce-ip", "", kNull),
    Str("cluster-config-file", "nodes.conf", kImm),
    Check(Str("cluster-announce-hostname", "", kNull), CheckHostname),
    Str("syslog-ident", "redis", kImm),
    Field(Check(Str("dbfilename", "dump.rdb", kParamProtected), CheckDbFilename),
          &Settings::dbfilename),
    Field(Check(Str("appendfilename", "appendonly.aof", kImm), CheckAofFilename),
          &Settings::appendfilename),
    Field(Check(Str("appenddirname", "appendonlydir", kImm), CheckAofDirname),
          &Settings::appenddirname),
    Str("server_cpulist", "", kImm | kNull),
    Str("bio_cpulist", "", kImm | kNull),
    Str("aof_rewrite_cpulist", "", kImm | kNull),
    Str("bgsave_cpulist", "", kImm | kNull),
    Str("ignore-warnings", ""),
    Check(Str("proc-title-template", "{title} {listen-addr} {server-mode}"),
          CheckProcTitleTemplate),
    Str("bind-source-addr", "", kNull),
    Field(Str("logfile", "", kImm), &Settings::logfile),
    Str("masterauth", "", kNull),
    Field(Str("requirepass", "", kNull), &Settings::requirepass),

    // --- Enumerations. ---
    Enum("supervised", "no", kSupervised, kImm),
    Enum("syslog-facility", "local0", kSyslogFacility, kImm),
    Enum("repl-diskless-load", "disabled", kReplDisklessLoad),
    Field(Enum("loglevel", "notice", kLogLevel), &Settings::loglevel),
    Field(Enum("maxmemory-policy", "noeviction", kMaxmemoryPolicy), &Settings::maxmemory_policy),
    Field(Enum("appendfsync", "everysec", kAppendFsync), &Settings::appendfsync),
    Enum("oom-score-adj", "no", kOomScoreAdj),
    Enum("acl-pubsub-default", "resetchannels", kAclPubsubDefault),
    Field(Enum("sanitize-dump-payload", "no", kSanitizeDumpPayload),
          &Settings::sanitize_dump_payload),
    Field(Enum("enable-protected-configs", "no", kProtectedAction, kImm),
          &Settings::enable_protected_configs),
    Field(Enum("enable-debug-command", "no", kProtectedAction, kImm),
          &Settings::enable_debug_command),
    Field(Enum("enable-module-command", "no", kProtectedAction, kImm),
          &Settings::enable_module_command),
    Enum("cluster-preferred-endpoint-type", "ip", kEndpointType),
    Enum("propagation-error-behavior", "ignore", kPropagationErrorBehavior),
    ShutdownOnSig("shutdown-on-sigint", &Settings::shutdown_on_sigint),
    ShutdownOnSig("shutdown-on-sigterm", &Settings::shutdown_on_sigterm),

    // --- Integers (Redis's int, long long and time_t types: signed bounds). ---
    Field(Int("databases", "16", 1, kIntMax, kImm), &Settings::databases),
    Field(Int("port", "6379", 0, 65535), &Settings::port),
    Int("io-threads", "1", 1, 128, kImm),
    Field(Int("auto-aof-rewrite-percentage", "100", 0, kIntMax),
          &Settings::auto_aof_rewrite_percentage),
    Alias(Int("cluster-replica-validity-factor", "10", 0, kIntMax),
          "cluster-slave-validity-factor"),
    Field(Alias(Int("list-max-listpack-size", "-2", kIntMin, kIntMax), "list-max-ziplist-size"),
          &Settings::list_max_listpack_size),
    Field(Int("tcp-keepalive", "300", 0, kIntMax), &Settings::tcp_keepalive),
    Int("cluster-migration-barrier", "1", 0, kIntMax),
    Int("active-defrag-cycle-min", "1", 1, 99),
    Int("active-defrag-cycle-max", "25", 1, 99),
    Int("active-defrag-threshold-lower", "10", 0, 1000),
    Int("active-defrag-threshold-upper", "100", 0, 1000),
    Field(Int("lfu-log-factor", "10", 0, kIntMax), &Settings::lfu_log_factor),
    Field(Int("lfu-decay-time", "1", 0, kIntMax), &Settings::lfu_decay_time),
    Alias(Int("replica-priority", "100", 0, kIntMax), "slave-priority"),
    Int("repl-diskless-sync-delay", "5", 0, kIntMax),
    Field(Int("maxmemory-samples", "5", 1, kIntMax), &Settings::maxmemory_samples),
    Field(Int("maxmemory-eviction-tenacity", "10", 0, 100), &Settings::maxmemory_eviction_tenacity),
    Field(Int("timeout", "0", 0, kIntMax), &Settings::timeout),
    Alias(Int("replica-announce-port", "0", 0, 65535), "slave-announce-port"),
    Field(Int("tcp-backlog", "511", 0, kIntMax, kImm), &Settings::tcp_backlog),
    Int("cluster-port", "0", 0, 65535, kImm),
    Int("cluster-announce-bus-port", "0", 0, 65535),
    Int("cluster-announce-port", "0", 0, 65535),
    Int("cluster-announce-tls-port", "0", 0, 65535),
    Int("repl-timeout", "60", 1, kIntMax),
    Alias(Int("repl-ping-replica-period", "10", 1, kIntMax), "repl-ping-slave-period"),
    Field(Int("list-compress-depth", "0", 0, kIntMax), &Settings::list_compress_depth),
    Int("rdb-key-save-delay", "0", kIntMin, kIntMax, kParamHidden),
    Int("key-load-delay", "0", kIntMin, kIntMax, kParamHidden),
    Field(Int("active-expire-effort", "1", 1, 10), &Settings::active_expire_effort),
    // Values outside 1..500 are accepted and clamped, as in Redis.
    Field(Clamp(Int("hz", "10", 0, kIntMax), 1, 500), &Settings::hz),
    Alias(Int("min-replicas-to-write", "0", 0, kIntMax), "min-slaves-to-write"),
    Alias(Int("min-replicas-max-lag", "10", 0, kIntMax), "min-slaves-max-lag"),
    Int("watchdog-period", "0", 0, kIntMax, kParamHidden),
    Field(Int("shutdown-timeout", "10", 0, kIntMax), &Settings::shutdown_timeout),
    Int("repl-diskless-sync-max-replicas", "0", 0, kIntMax),
    Field(Int("maxclients", "10000", 1, kUintMax, kUns), &Settings::maxclients),
    Int("socket-mark-id", "0", 0, kUintMax, kImm | kUns),
    Int("active-defrag-max-scan-fields", "1000", 1, kLongMax),
    Field(Int("slowlog-max-len", "128", 0, kLongMax), &Settings::slowlog_max_len),
    Int("acllog-max-len", "128", 0, kLongMax),
    Alias(Int("busy-reply-threshold", "5000", 0, kLongMax), "lua-time-limit"),
    Int("cluster-node-timeout", "15000", 0, kLongMax),
    Field(Int("slowlog-log-slower-than", "10000", -1, kLongMax),
          &Settings::slowlog_log_slower_than),
    Field(Int("latency-monitor-threshold", "0", 0, kLongMax), &Settings::latency_monitor_threshold),
    Int("stream-node-max-entries", "100", 0, kLongMax),
    Field(Alias(Int("hash-max-listpack-entries", "512", 0, kLongMax, kUns),
                "hash-max-ziplist-entries"),
          &Settings::hash_max_listpack_entries),
    Field(Int("set-max-intset-entries", "512", 0, kLongMax, kUns),
          &Settings::set_max_intset_entries),
    Field(Alias(Int("zset-max-listpack-entries", "128", 0, kLongMax, kUns),
                "zset-max-ziplist-entries"),
          &Settings::zset_max_listpack_entries),
    Int("tracking-table-max-keys", "1000000", 0, kLongMax, kUns),
    Int("repl-backlog-ttl", "3600", 0, kLongMax),
    Int("loading-process-events-interval-bytes", "2097152", 1024, kIntMax, kParamHidden),
    Int("tls-port", "0", 0, 65535),
    Int("tls-session-cache-size", "20480", 0, kIntMax),
    Int("tls-session-cache-timeout", "300", 0, kIntMax),
    // Cairn: the period of the everysec fsync, in milliseconds (Redis: 1 s).
    Field(Int("appendfsync-everysec-ms", "1000", 1, 60000, kParamCairn),
          &Settings::appendfsync_everysec_ms),
    // Cairn: rewrite (compact) the AOF every N seconds; 0 turns the timer off.
    Field(Int("auto-aof-rewrite-interval-sec", "0", 0, kIntMax, kParamCairn),
          &Settings::auto_aof_rewrite_interval_sec),

    // --- Memory sizes (bytes; units accepted). ---
    Field(Memory("proto-max-bulk-len", "536870912", 1024 * 1024, kLongMax),
          &Settings::proto_max_bulk_len),
    Memory("repl-backlog-size", "1048576", 1, kLongMax),
    Field(Memory("maxmemory", "0", 0, kULongLongMax, kUns), &Settings::maxmemory),
    Memory("cluster-link-sendbuf-limit", "0", 0, kULongLongMax, kUns),
    Memory("active-defrag-ignore-bytes", "104857600", 1, kLongMax, kUns),
    Field(
        Alias(Memory("hash-max-listpack-value", "64", 0, kLongMax, kUns), "hash-max-ziplist-value"),
        &Settings::hash_max_listpack_value),
    Memory("stream-node-max-bytes", "4096", 0, kLongMax, kUns),
    Field(
        Alias(Memory("zset-max-listpack-value", "64", 0, kLongMax, kUns), "zset-max-ziplist-value"),
        &Settings::zset_max_listpack_value),
    Memory("hll-sparse-max-bytes", "3000", 0, kLongMax, kUns),
    Field(Memory("client-query-buffer-limit", "1073741824", 1024 * 1024, kLongMax, kUns),
          &Settings::client_query_buffer_limit),
    Field(Memory("maxmemory-clients", "0", -100, kLongMax, kParamPercent),
          &Settings::maxmemory_clients),
    Field(Memory("auto-aof-rewrite-min-size", "67108864", 0, kLongMax),
          &Settings::auto_aof_rewrite_min_size),
    [] {
      ParamSpec p = Int("unixsocketperm", "0", 0, 0777, kImm | kUns);
      p.kind = ParamKind::kOctal;
      p.int_field = &Settings::unixsocketperm;
      return p;
    }(),

    // --- TLS (Cairn has no TLS: see Config::CheckTls). ---
    Bool("tls-cluster", "no"),
    Bool("tls-replication", "no"),
    Enum("tls-auth-clients", "yes", kTlsAuthClients),
    Bool("tls-prefer-server-ciphers", "no"),
    Bool("tls-session-caching", "yes"),
    Str("tls-cert-file", "", kNull),
    Str("tls-key-file", "", kNull),
    Str("tls-key-file-pass", "", kNull),
    Str("tls-client-cert-file", "", kNull),
    Str("tls-client-key-file", "", kNull),
    Str("tls-client-key-file-pass", "", kNull),
    Str("tls-dh-params-file", "", kNull),
    Str("tls-ca-cert-file", "", kNull),
    Str("tls-ca-cert-dir", "", kNull),
    Str("tls-protocols", "", kNull),
    Str("tls-ciphers", "", kNull),
    Str("tls-ciphersuites", "", kNull),

    // --- Structured values. ---
    // Cairn: ./data (Redis: the working directory, which it chdirs to and
    // reports absolute). Cairn keeps the path as given and does not chdir.
    Field(Rewrite(Special("dir", "./data", ParseDir, kParamProtected), RewriteStyle::kAlwaysQuoted),
          &Settings::dir),
    // Cairn: no save points (Redis: 3600 1 300 100 60 10000); the AOF is
    // the durable default, snapshots are opt-in.
    Bind(Rewrite(Special("save", "", ParseSave, kParamMultiArg), RewriteStyle::kAlways), BindSave),
    Bind(Special("client-output-buffer-limit",
                 "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
                 ParseClientOutputBufferLimit, kParamMultiArg),
         BindClientOutputBufferLimit),
    Special("oom-score-adj-values", "0 200 800", ParseOomScoreAdjValues, kParamMultiArg),
    Bind(Special("notify-keyspace-events", "", ParseNotifyKeyspaceEvents),
         BindNotifyKeyspaceEvents),
    // Cairn: 127.0.0.1 (Redis: "* -::*"), so a fresh server is not reachable
    // from the network until told to be.
    Bind(Rewrite(Special("bind", "127.0.0.1", ParseBind, kParamMultiArg),
                 RewriteStyle::kNoneWhenDefault),
         BindBind),
    Alias(Rewrite(Special("replicaof", "", ParseReplicaOf, kImm | kParamMultiArg),
                  RewriteStyle::kNoneWhenDefault),
          "slaveof"),
    Bind(Rewrite(Special("latency-tracking-info-percentiles", "50 99 99.9", ParseLatencyPercentiles,
                         kParamMultiArg),
                 RewriteStyle::kAlways),
         BindLatencyPercentiles),
};

}  // namespace

std::span<const ParamSpec> AllParams() { return kParams; }

}  // namespace cairn
