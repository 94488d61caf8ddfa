// Config: Cairn's parameters -- one table drives the config file, the command
// line, CONFIG GET/SET/REWRITE.
//
// Every Redis 7.0 parameter name (and alias) is accepted; the ones Cairn acts
// on are typed fields of Settings, the others are kept as text and returned
// as they were set, so tools that set them keep working. Validation and error
// texts are Redis's.
//
// Invariants: settings() always holds a valid, complete configuration; a
// failed Set/Load changes nothing (CONFIG SET is all-or-nothing).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/util/status.h"

namespace cairn {

// Typed values of the parameters Cairn uses.
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

  // Limits.
  int64_t proto_max_bulk_len = 512LL * 1024 * 1024;
  int64_t client_query_buffer_limit = 1024LL * 1024 * 1024;

  // Observability.
  int64_t slowlog_log_slower_than = 10000;
  int64_t slowlog_max_len = 128;
  int64_t latency_monitor_threshold = 0;

  // Persistence.
  bool appendonly = true;
  std::string appendfsync = "everysec";
  std::string appendfilename = "appendonly.aof";
  std::string appenddirname = "appendonlydir";
  int64_t auto_aof_rewrite_percentage = 100;
  int64_t auto_aof_rewrite_min_size = 64LL * 1024 * 1024;
  bool aof_load_truncated = true;
  bool aof_use_rdb_preamble = false;
  bool aof_timestamp_enabled = false;
  bool no_appendfsync_on_rewrite = false;
  bool aof_rewrite_incremental_fsync = true;
  std::string dbfilename = "dump.rdb";

  // Memory.
  int64_t maxmemory = 0;
  std::string maxmemory_policy = "noeviction";
  int64_t maxmemory_samples = 5;
  bool lazyfree_lazy_expire = false;
  bool lazyfree_lazy_user_del = false;
  bool lazyfree_lazy_user_flush = false;
  bool lazyfree_lazy_server_del = false;
  bool lazyfree_lazy_eviction = false;
  bool activerehashing = true;

  // Features a standalone server refuses unless enabled.
  std::string enable_debug_command = "no";
  std::string enable_module_command = "no";
  std::string enable_protected_configs = "no";
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

  // Applies redis.conf text (file_name is used in messages). On error the
  // message names the line and the problem, as redis-server prints it.
  Status LoadText(std::string_view text, std::string_view file_name);
  // Applies "--name value [value ...]" arguments from the command line.
  Status ApplyArgs(std::span<const std::string> args);
  // Reads the config file and the command line as redis-server does:
  // argv = [file] [--name value ...]; file may be "-" for stdin text given
  // in stdin_text.
  Status LoadCommandLine(std::span<const std::string> argv, std::string_view file_text,
                         std::string_view stdin_text);

  // CONFIG SET name value [name value ...], all or nothing. On failure the
  // status message is the full Redis error text ("ERR CONFIG SET failed ...").
  // changed receives the canonical names that were set.
  Status Set(std::span<const std::string_view> name_value_pairs, std::vector<std::string>* changed);

  // CONFIG GET pattern: (name, value) pairs of every parameter matching the
  // glob (case-insensitive), aliases included when they match.
  void Get(std::string_view pattern, std::vector<std::pair<std::string, std::string>>& out) const;

  // CONFIG REWRITE: the new contents of the config file, given its old text.
  std::string Rewrite(std::string_view old_text) const;

  // The config file given on the command line (absolute), or "".
  const std::string& config_file() const { return config_file_; }
  void set_config_file(std::string path) { config_file_ = std::move(path); }

  // rename-command lines seen in the config file, in order.
  const std::vector<std::pair<std::string, std::string>>& renamed_commands() const {
    return renamed_commands_;
  }

 private:
  struct Table;
  Settings settings_;
  std::unique_ptr<Table> table_;
  std::string config_file_;
  std::vector<std::pair<std::string, std::string>> renamed_commands_;
};

}  // namespace cairn
