// Config: Cairn's parameters -- one table (param_table.cc) drives the config
// file, the command line, CONFIG GET/SET/REWRITE.
//
// Every Redis 7.0 parameter name (and alias) is accepted; the ones Cairn acts
// on are typed fields of Settings, the others are kept as text and returned
// as they were set, so tools that set them keep working. Validation and error
// texts are Redis's.
//
// Each parameter has one canonical text value -- exactly what CONFIG GET
// answers -- and the typed Settings fields mirror those values.
//
// Invariants: settings() always holds a valid, complete configuration that
// matches the canonical values; a failed Set changes nothing (CONFIG SET is
// all-or-nothing, including when applying a change to the world fails).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/util/status.h"

namespace cairn {

class FileSystem;

// One client class's client-output-buffer-limit: a connection is closed when
// its pending output passes hard bytes, or stays above soft bytes for
// soft_seconds. Zero disables a limit.
struct OutputBufferLimit {
  int64_t hard = 0;
  int64_t soft = 0;
  int64_t soft_seconds = 0;
};

// Client classes of client-output-buffer-limit.
enum OutputBufferClass : int { kObufNormal = 0, kObufReplica = 1, kObufPubsub = 2 };

// Keyspace notification classes (notify-keyspace-events), Redis's bits.
enum NotifyFlag : int64_t {
  kNotifyKeyspace = 1 << 0,  // K
  kNotifyKeyevent = 1 << 1,  // E
  kNotifyGeneric = 1 << 2,   // g
  kNotifyString = 1 << 3,    // $
  kNotifyList = 1 << 4,      // l
  kNotifySet = 1 << 5,       // s
  kNotifyHash = 1 << 6,      // h
  kNotifyZset = 1 << 7,      // z
  kNotifyExpired = 1 << 8,   // x
  kNotifyEvicted = 1 << 9,   // e
  kNotifyStream = 1 << 10,   // t
  kNotifyKeyMiss = 1 << 11,  // m
  kNotifyLoaded = 1 << 12,   // module only
  kNotifyModule = 1 << 13,   // d
  kNotifyNew = 1 << 14,      // n
};

// shutdown-on-sigint / shutdown-on-sigterm bits.
enum ShutdownFlag : int64_t {
  kShutdownDefault = 0,
  kShutdownSave = 1,
  kShutdownNoSave = 2,
  kShutdownNow = 4,
  kShutdownForce = 8,
};

// Typed values of the parameters Cairn uses. Each mirrors one parameter of
// the table; the table's comments say where Cairn's default differs from
// Redis's and why.
struct Settings {
  // Network.
  int64_t port = 6379;
  std::vector<std::string> bind = {"127.0.0.1"};
  std::string unixsocket;
  int64_t unixsocketperm = 0;
  int64_t tcp_backlog = 511;
  int64_t timeout = 0;  // seconds; 0 = never close idle clients
  int64_t tcp_keepalive = 300;
  int64_t maxclients = 10000;
  bool protected_mode = true;

  // General.
  std::string dir = "./data";
  int64_t databases = 16;
  std::string loglevel = "notice";
  std::string logfile;
  std::string pidfile;
  bool daemonize = false;
  int64_t hz = 10;
  bool dynamic_hz = true;
  std::string requirepass;
  int64_t active_expire_effort = 1;
  int64_t shutdown_timeout = 10;
  int64_t shutdown_on_sigint = kShutdownDefault;
  int64_t shutdown_on_sigterm = kShutdownDefault;

  // Limits.
  int64_t proto_max_bulk_len = 512LL * 1024 * 1024;
  int64_t client_query_buffer_limit = 1024LL * 1024 * 1024;
  std::array<OutputBufferLimit, 3> client_output_buffer_limit = {
      OutputBufferLimit{0, 0, 0}, OutputBufferLimit{256LL * 1024 * 1024, 64LL * 1024 * 1024, 60},
      OutputBufferLimit{32LL * 1024 * 1024, 8LL * 1024 * 1024, 60}};

  // Observability.
  int64_t slowlog_log_slower_than = 10000;
  int64_t slowlog_max_len = 128;
  int64_t latency_monitor_threshold = 0;
  bool latency_tracking = true;
  std::vector<double> latency_tracking_info_percentiles = {50, 99, 99.9};
  int64_t notify_keyspace_events = 0;  // NotifyFlag bits

  // Persistence.
  bool appendonly = true;
  std::string appendfsync = "everysec";
  // Cairn: the everysec policy's fsync period, in milliseconds.
  int64_t appendfsync_everysec_ms = 1000;
  std::string appendfilename = "appendonly.aof";
  std::string appenddirname = "appendonlydir";
  int64_t auto_aof_rewrite_percentage = 100;
  int64_t auto_aof_rewrite_min_size = 64LL * 1024 * 1024;
  // Cairn: rewrite the AOF every this many seconds (0 = no timer).
  int64_t auto_aof_rewrite_interval_sec = 0;
  bool aof_load_truncated = true;
  bool aof_use_rdb_preamble = false;
  bool aof_timestamp_enabled = false;
  bool aof_disable_auto_gc = false;
  bool no_appendfsync_on_rewrite = false;
  bool aof_rewrite_incremental_fsync = true;
  std::string dbfilename = "dump.rdb";
  // Snapshot points (seconds, changes); empty: no automatic snapshots.
  std::vector<std::pair<int64_t, int64_t>> save_points;
  bool stop_writes_on_bgsave_error = true;
  bool rdbcompression = true;
  bool rdbchecksum = true;
  bool rdb_save_incremental_fsync = true;
  std::string sanitize_dump_payload = "no";

  // Memory.
  int64_t maxmemory = 0;
  std::string maxmemory_policy = "noeviction";
  int64_t maxmemory_samples = 5;
  int64_t maxmemory_eviction_tenacity = 10;
  int64_t maxmemory_clients = 0;  // bytes; a negative value is a percentage of maxmemory
  int64_t lfu_log_factor = 10;
  int64_t lfu_decay_time = 1;
  bool lazyfree_lazy_expire = false;
  bool lazyfree_lazy_user_del = false;
  bool lazyfree_lazy_user_flush = false;
  bool lazyfree_lazy_server_del = false;
  bool lazyfree_lazy_eviction = false;
  bool activerehashing = true;

  // Encodings.
  int64_t hash_max_listpack_entries = 512;
  int64_t hash_max_listpack_value = 64;
  int64_t list_max_listpack_size = -2;
  int64_t list_compress_depth = 0;
  int64_t set_max_intset_entries = 512;
  int64_t zset_max_listpack_entries = 128;
  int64_t zset_max_listpack_value = 64;

  // Features a standalone server refuses unless enabled.
  std::string enable_debug_command = "no";
  std::string enable_module_command = "no";
  std::string enable_protected_configs = "no";
};

// A rename-command directive and where it was read.
struct RenameDirective {
  std::string from;
  std::string to;  // "" removes the command
  int line = 0;
  std::string line_text;
};

class Config {
 public:
  Config();
  ~Config();
  Config(const Config&) = delete;
  Config& operator=(const Config&) = delete;
  Config(Config&&) noexcept;
  Config& operator=(Config&&) noexcept;

  const Settings& settings() const { return settings_; }

  // --- Loading (startup: immutable parameters may be set). ---
  //
  // Errors in a directive read as redis-server prints them after its
  // "*** FATAL CONFIG FILE ERROR ***" header:
  //   Reading the configuration file, at line 2
  //   >>> 'port "abc"'
  //   argument couldn't be parsed into an integer
  // and have code kInvalid. A file that cannot be read (the config file or
  // an include) gives "Fatal error, can't open config file '<path>': <why>"
  // with code kNotFound or kIo.

  // Applies redis.conf text. Includes are read through fs (nullptr: an
  // include fails as an unreadable file).
  Status LoadText(std::string_view text, std::string_view file_name, FileSystem* fs = nullptr);
  // Applies command-line options "--name value [value ...] ..." (no config
  // file), as redis-server turns them into config lines.
  Status ApplyArgs(std::span<const std::string> args);
  // redis-server's command line: argv = [file] [--name value ...] [-]; "-" as
  // the first or last argument appends stdin_text. The config file (its path
  // should be absolute, as redis-server makes it) and includes are read
  // through fs; the file's path becomes config_file() unless it is absent.
  Status LoadCommandLine(std::span<const std::string> argv, FileSystem* fs,
                         std::string_view stdin_text);
  // The same with the config file's text given directly.
  Status LoadCommandLine(std::span<const std::string> argv, std::string_view file_text,
                         std::string_view stdin_text);

  // --- CONFIG SET ---

  struct SetOptions {
    // The client is on a loopback address or a unix socket (protected
    // parameters are allowed to it when enable-protected-configs is local).
    bool local_client = false;
  };
  // Called once per parameter whose value changed, with its canonical name,
  // after all new values are in place; an error makes the whole Set roll
  // back (values restored, apply called again for the ones already applied).
  using ApplyFn = std::function<Status(std::string_view canonical_name)>;

  // CONFIG SET name value [name value ...], all or nothing, in Redis 7.0's
  // order of checks. On failure the status message is the full Redis error
  // text ("ERR CONFIG SET failed (possibly related to argument 'x') - ...").
  // changed receives the canonical names whose value changed.
  Status Set(std::span<const std::string_view> name_value_pairs, std::vector<std::string>* changed);
  Status Set(std::span<const std::string_view> name_value_pairs, const SetOptions& options,
             const ApplyFn& apply, std::vector<std::string>* changed);

  // --- CONFIG GET ---

  // (name, value) pairs of every parameter matching any pattern: a pattern
  // without * ? [ is an exact, case-insensitive lookup answered under the
  // name as given; a glob matches table names (aliases too, hidden ones
  // never) case-insensitively, in name order. Each name appears once.
  void Get(std::string_view pattern, std::vector<std::pair<std::string, std::string>>& out) const;
  void Get(std::span<const std::string_view> patterns,
           std::vector<std::pair<std::string, std::string>>& out) const;
  // The canonical value of one parameter (any alias, any case).
  std::optional<std::string> Value(std::string_view name) const;

  // --- CONFIG REWRITE ---

  // The new contents of the config file, given its old text, by Redis's
  // rules: the file's lines stay in place (trimmed), a parameter's lines are
  // replaced by its current value, lines left over are dropped, unknown
  // directives become "# ??? " comments, and values that differ from the
  // default but have no line are appended after "# Generated by CONFIG
  // REWRITE". Runs of blank lines collapse to one.
  std::string Rewrite(std::string_view old_text) const;
  // Rewrites config_file() through fs: reads it (a missing file counts as
  // empty), writes the new text to "<file>.tmp-rewrite", renames it over the
  // file. Errors are Redis's reply texts: "ERR The server is running without
  // a config file", "ERR Rewriting config file: <reason>".
  Status RewriteFile(FileSystem& fs) const;

  // The config file given on the command line (absolute), or "".
  const std::string& config_file() const { return config_file_; }
  void set_config_file(std::string path) { config_file_ = std::move(path); }

  // rename-command lines seen in the config, in order.
  const std::vector<std::pair<std::string, std::string>>& renamed_commands() const {
    return renamed_commands_;
  }
  const std::vector<RenameDirective>& rename_directives() const { return rename_directives_; }
  // Applies every rename-command through apply (which renames in a command
  // table); a failure reads as a config file error at the directive's line.
  Status CheckRenames(
      const std::function<Status(std::string_view from, std::string_view to)>& apply) const;

  // "user <name> <rules...>" lines seen in the config, in order (kept for an
  // ACL layer; CONFIG REWRITE leaves them in place).
  const std::vector<std::vector<std::string>>& user_directives() const { return user_directives_; }

 private:
  struct Table;
  struct Loader;

  Status LoadAll(std::span<const std::string> argv, FileSystem* fs,
                 std::optional<std::string_view> file_text, std::string_view stdin_text);
  // Stores a canonical value and refreshes its Settings mirror.
  void Store(size_t index, std::string value);
  Status CheckTls() const;

  Settings settings_;
  std::unique_ptr<Table> table_;
  std::string config_file_;
  std::vector<std::pair<std::string, std::string>> renamed_commands_;
  std::vector<RenameDirective> rename_directives_;
  std::vector<std::vector<std::string>> user_directives_;
};

// Redis's rule for "local" clients (enable-protected-configs local): a unix
// socket, or a TCP peer whose address is exactly 127.0.0.1 or ::1.
bool IsLocalPeer(std::string_view peer, bool unix_socket);

}  // namespace cairn
