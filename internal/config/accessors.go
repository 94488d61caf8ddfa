package config

import (
	"strconv"
	"strings"
	"time"
)

// Indexes of the parameters with typed accessors, resolved once.
var (
	idxPort                     = mustParam("port")
	idxBind                     = mustParam("bind")
	idxDir                      = mustParam("dir")
	idxDatabases                = mustParam("databases")
	idxRequirePass              = mustParam("requirepass")
	idxMaxClients               = mustParam("maxclients")
	idxTimeout                  = mustParam("timeout")
	idxTCPKeepAlive             = mustParam("tcp-keepalive")
	idxLogLevel                 = mustParam("loglevel")
	idxLogFile                  = mustParam("logfile")
	idxProtoMaxBulkLen          = mustParam("proto-max-bulk-len")
	idxClientQueryBufferLimit   = mustParam("client-query-buffer-limit")
	idxHz                       = mustParam("hz")
	idxProtectedMode            = mustParam("protected-mode")
	idxPidFile                  = mustParam("pidfile")
	idxMaxMemory                = mustParam("maxmemory")
	idxMaxMemoryPolicy          = mustParam("maxmemory-policy")
	idxMaxMemorySamples         = mustParam("maxmemory-samples")
	idxSlowlogLogSlowerThan     = mustParam("slowlog-log-slower-than")
	idxSlowlogMaxLen            = mustParam("slowlog-max-len")
	idxLatencyMonitorThreshold  = mustParam("latency-monitor-threshold")
	idxOutputBufferLimit        = mustParam("client-output-buffer-limit")
	idxAppendOnly               = mustParam("appendonly")
	idxAppendFilename           = mustParam("appendfilename")
	idxAppendDirName            = mustParam("appenddirname")
	idxAppendFsync              = mustParam("appendfsync")
	idxAutoAOFRewritePercentage = mustParam("auto-aof-rewrite-percentage")
	idxAutoAOFRewriteMinSize    = mustParam("auto-aof-rewrite-min-size")
	idxAOFLoadTruncated         = mustParam("aof-load-truncated")
	idxAOFUseRDBPreamble        = mustParam("aof-use-rdb-preamble")
	idxAOFTimestampEnabled      = mustParam("aof-timestamp-enabled")
	idxAOFRewriteIncFsync       = mustParam("aof-rewrite-incremental-fsync")
	idxNoAppendFsyncOnRewrite   = mustParam("no-appendfsync-on-rewrite")
	idxEnableProtectedConfigs   = mustParam("enable-protected-configs")
	idxSave                     = mustParam("save")
)

func (c *Config) num(i int) int64 { return c.values[i].num.Load() }

// Port is the TCP port to listen on; 0 means "pick a free port".
func (c *Config) Port() int { return int(c.num(idxPort)) }

// Bind is the list of addresses to listen on (empty: listen on none).
func (c *Config) Bind() []string { return strings.Fields(c.str(idxBind)) }

// Dir is the absolute data directory (the AOF directory lives inside it).
func (c *Config) Dir() string { return c.str(idxDir) }

// Databases is the number of logical databases (immutable).
func (c *Config) Databases() int { return int(c.num(idxDatabases)) }

// RequirePass is the default user's password; "" means no AUTH needed.
func (c *Config) RequirePass() string { return c.str(idxRequirePass) }

// MaxClients is the maximum number of connected clients.
func (c *Config) MaxClients() int { return int(c.num(idxMaxClients)) }

// Timeout is the idle time after which a client is closed; 0 disables it.
func (c *Config) Timeout() time.Duration { return time.Duration(c.num(idxTimeout)) * time.Second }

// TCPKeepAlive is the TCP keep-alive period; 0 disables keep-alive.
func (c *Config) TCPKeepAlive() time.Duration {
	return time.Duration(c.num(idxTCPKeepAlive)) * time.Second
}

// LogLevel is one of debug, verbose, notice, warning, nothing.
func (c *Config) LogLevel() string { return c.str(idxLogLevel) }

// LogFile is the log file path; "" means standard output.
func (c *Config) LogFile() string { return c.str(idxLogFile) }

// ProtoMaxBulkLen is the largest bulk string a client may send, in bytes.
func (c *Config) ProtoMaxBulkLen() int64 { return c.num(idxProtoMaxBulkLen) }

// ClientQueryBufferLimit is the most unparsed input a client may queue.
func (c *Config) ClientQueryBufferLimit() int64 { return c.num(idxClientQueryBufferLimit) }

// Hz is the frequency of background tasks per second (1..500).
func (c *Config) Hz() int { return int(c.num(idxHz)) }

// ProtectedMode reports protected-mode.
func (c *Config) ProtectedMode() bool { return c.num(idxProtectedMode) != 0 }

// PidFile is the pid file path; "" means none.
func (c *Config) PidFile() string { return c.str(idxPidFile) }

// MaxMemory is the memory limit in bytes; 0 means no limit.
func (c *Config) MaxMemory() int64 { return c.num(idxMaxMemory) }

// MaxMemoryPolicy is the eviction policy name (noeviction, allkeys-lru, ...).
func (c *Config) MaxMemoryPolicy() string { return c.str(idxMaxMemoryPolicy) }

// MaxMemorySamples is the eviction sample size.
func (c *Config) MaxMemorySamples() int { return int(c.num(idxMaxMemorySamples)) }

// SlowlogLogSlowerThan is the slow log threshold in microseconds; negative
// disables the slow log, 0 logs every command.
func (c *Config) SlowlogLogSlowerThan() int64 { return c.num(idxSlowlogLogSlowerThan) }

// SlowlogMaxLen is the slow log's capacity.
func (c *Config) SlowlogMaxLen() int { return int(c.num(idxSlowlogMaxLen)) }

// LatencyMonitorThreshold is the latency monitor threshold in
// milliseconds; 0 disables it.
func (c *Config) LatencyMonitorThreshold() int64 { return c.num(idxLatencyMonitorThreshold) }

// OutputBufferLimit returns the client-output-buffer-limit of a class
// (ClassNormal, ClassReplica, ClassPubSub).
func (c *Config) OutputBufferLimit(class int) OutputBufferLimit { return c.outLimit.Load()[class] }

// AppendOnly reports whether the AOF is on.
func (c *Config) AppendOnly() bool { return c.num(idxAppendOnly) != 0 }

// AppendFilename is the AOF base name (immutable).
func (c *Config) AppendFilename() string { return c.str(idxAppendFilename) }

// AppendDirName is the AOF directory's name inside Dir (immutable).
func (c *Config) AppendDirName() string { return c.str(idxAppendDirName) }

// AppendFsync is always, everysec or no.
func (c *Config) AppendFsync() string { return c.str(idxAppendFsync) }

// AutoAOFRewritePercentage is the growth (percent over the last rewrite's
// size) that triggers an automatic rewrite; 0 disables it.
func (c *Config) AutoAOFRewritePercentage() int { return int(c.num(idxAutoAOFRewritePercentage)) }

// AutoAOFRewriteMinSize is the AOF size below which no automatic rewrite
// happens, in bytes.
func (c *Config) AutoAOFRewriteMinSize() int64 { return c.num(idxAutoAOFRewriteMinSize) }

// AOFLoadTruncated reports whether a truncated AOF tail is loaded anyway.
func (c *Config) AOFLoadTruncated() bool { return c.num(idxAOFLoadTruncated) != 0 }

// AOFUseRDBPreamble reports aof-use-rdb-preamble (Cairn default: no).
func (c *Config) AOFUseRDBPreamble() bool { return c.num(idxAOFUseRDBPreamble) != 0 }

// AOFTimestampEnabled reports whether timestamp annotations are written.
func (c *Config) AOFTimestampEnabled() bool { return c.num(idxAOFTimestampEnabled) != 0 }

// AOFRewriteIncrementalFsync reports aof-rewrite-incremental-fsync.
func (c *Config) AOFRewriteIncrementalFsync() bool { return c.num(idxAOFRewriteIncFsync) != 0 }

// NoAppendFsyncOnRewrite reports no-appendfsync-on-rewrite.
func (c *Config) NoAppendFsyncOnRewrite() bool { return c.num(idxNoAppendFsyncOnRewrite) != 0 }

// SaveParams returns the save points as {seconds, changes} pairs: a
// background snapshot starts when, for one of them, at least changes
// writes happened and seconds passed since the last save.
func (c *Config) SaveParams() [][2]int64 {
	f := strings.Fields(c.str(idxSave))
	out := make([][2]int64, 0, len(f)/2)
	for i := 0; i+1 < len(f); i += 2 {
		s, _ := parseRedisInt(f[i])
		n, _ := parseRedisInt(f[i+1])
		out = append(out, [2]int64{s, n})
	}
	return out
}

var (
	idxLatencyTracking    = mustParam("latency-tracking")
	idxLatencyPercentiles = mustParam("latency-tracking-info-percentiles")
)

// LatencyTracking is latency-tracking: whether each command's durations
// are counted for INFO latencystats and LATENCY HISTOGRAM.
func (c *Config) LatencyTracking() bool { return c.num(idxLatencyTracking) != 0 }

// LatencyPercentiles is latency-tracking-info-percentiles: the
// percentiles INFO latencystats reports, in order.
func (c *Config) LatencyPercentiles() []float64 {
	var out []float64
	for _, f := range strings.Fields(c.str(idxLatencyPercentiles)) {
		if v, err := strconv.ParseFloat(f, 64); err == nil {
			out = append(out, v)
		}
	}
	return out
}

var idxDBFilename = mustParam("dbfilename")

// DBFilename is dbfilename: the RDB snapshot in dir that a start with
// appendonly no loads.
func (c *Config) DBFilename() string { return c.str(idxDBFilename) }
