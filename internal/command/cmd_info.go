package command

import (
	"bytes"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// INFO [section ...] reports the server's figures as Redis 7.0 does:
// "# Title" headings, "field:value" lines, CRLF line ends, a blank line
// between sections, sections always in the fixed order below whatever
// order they were asked for in. Fields Cairn has no equivalent for keep
// Redis's names with the value of an idle Redis, so that monitoring tools
// find every field they expect.

func init() {
	register("info", cmdInfo)
}

// CairnVersion is Cairn's own version, reported as cairn_version next to
// the Redis version it reproduces (Version).
const CairnVersion = "0.1.0"

// RDBStatus is what the snapshot code reports for INFO persistence,
// through Engine.RDBStatus. Times are seconds, -1 for never.
type RDBStatus struct {
	InProgress     bool
	LastOK         bool
	LastTimeSec    int64
	CurrentTimeSec int64
	Saves          int64
	LastLoadKeys   int64
}

// AOFStatus is what the append-only file code reports for INFO
// persistence, through Engine.AOFStatus. Times are seconds, -1 for never.
type AOFStatus struct {
	Enabled                     bool
	RewriteInProgress           bool
	RewriteScheduled            bool
	LastRewriteTimeSec          int64
	CurrentRewriteTimeSec       int64
	LastRewriteOK               bool
	Rewrites                    int64
	RewritesConsecutiveFailures int64
	LastWriteOK                 bool
	// Shown only when Enabled:
	CurrentSize    int64
	BaseSize       int64
	PendingRewrite bool
	BufferLength   int64
	PendingFsync   int64
	DelayedFsync   int64
}

// infoSection is one section of INFO: its request name, its heading, and
// whether it belongs to the default and "all" selections.
type infoSection struct {
	name  string
	title string
	dflt  bool
	all   bool
	write func(e *Engine, w *infoWriter)
}

// infoSections is in output order. "everything" is "all" plus the
// sections modules would add; Cairn has no modules, so the two agree.
var infoSections = []infoSection{
	{"server", "Server", true, true, infoServer},
	{"clients", "Clients", true, true, infoClients},
	{"memory", "Memory", true, true, infoMemory},
	{"persistence", "Persistence", true, true, infoPersistence},
	{"stats", "Stats", true, true, infoStats},
	{"replication", "Replication", true, true, infoReplication},
	{"cpu", "CPU", true, true, infoCPU},
	{"modules", "Modules", true, true, func(*Engine, *infoWriter) {}},
	{"commandstats", "Commandstats", false, true, infoCommandStats},
	{"errorstats", "Errorstats", true, true, infoErrorStats},
	{"latencystats", "Latencystats", false, true, infoLatencyStats},
	{"cluster", "Cluster", true, true, infoCluster},
	{"keyspace", "Keyspace", true, true, infoKeyspace},
	{"cairn", "Cairn", false, false, infoCairn}, // only by name (info_cairn.go)
}

func cmdInfo(c *Ctx) {
	c.Verbatim(string(c.E.Info(c.Args[1:]...)))
}

// Info renders INFO for the given section names (any case; none means
// the default selection). Unknown names select nothing.
func (e *Engine) Info(sections ...[]byte) []byte {
	want := make([]bool, len(infoSections))
	if len(sections) == 0 {
		for i, s := range infoSections {
			want[i] = s.dflt
		}
	}
	for _, a := range sections {
		name := strings.ToLower(string(a))
		for i, s := range infoSections {
			switch name {
			case "all", "everything":
				want[i] = want[i] || s.all
			case "default":
				want[i] = want[i] || s.dflt
			case s.name:
				want[i] = true
			}
		}
	}
	w := &infoWriter{}
	for i, s := range infoSections {
		if !want[i] {
			continue
		}
		if w.sections > 0 {
			w.b = append(w.b, "\r\n"...)
		}
		w.sections++
		w.b = append(w.b, "# "...)
		w.b = append(w.b, s.title...)
		w.b = append(w.b, "\r\n"...)
		s.write(e, w)
	}
	return w.b
}

// infoWriter appends "field:value\r\n" lines.
type infoWriter struct {
	b        []byte
	sections int
}

func (w *infoWriter) str(k, v string) {
	w.b = append(w.b, k...)
	w.b = append(w.b, ':')
	w.b = append(w.b, v...)
	w.b = append(w.b, "\r\n"...)
}

func (w *infoWriter) int(k string, v int64) {
	w.b = append(w.b, k...)
	w.b = append(w.b, ':')
	w.b = strconv.AppendInt(w.b, v, 10)
	w.b = append(w.b, "\r\n"...)
}

func (w *infoWriter) bool(k string, v bool) {
	if v {
		w.int(k, 1)
	} else {
		w.int(k, 0)
	}
}

// float writes v with two decimals, Redis's "%.2f".
func (w *infoWriter) float(k string, v float64) {
	w.b = append(w.b, k...)
	w.b = append(w.b, ':')
	w.b = strconv.AppendFloat(w.b, v, 'f', 2, 64)
	w.b = append(w.b, "\r\n"...)
}

// status writes "ok" or "err".
func (w *infoWriter) status(k string, ok bool) {
	if ok {
		w.str(k, "ok")
	} else {
		w.str(k, "err")
	}
}

// bytesHuman formats n the way Redis's INFO *_human fields do: bytes
// below 1 KiB as "123B", then two decimals with K, M, G, T or P (binary
// multiples); anything beyond that falls back to bytes.
func bytesHuman(n int64) string {
	d := float64(n)
	if n >= 1024 {
		for _, u := range []string{"K", "M", "G", "T", "P"} {
			d /= 1024
			if d < 1024 {
				return strconv.FormatFloat(d, 'f', 2, 64) + u
			}
		}
	}
	return strconv.FormatInt(n, 10) + "B"
}

// vcsRevision is the first 16 characters of the VCS revision Go stamped
// into the binary, or "".
func vcsRevision() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && s.Value != "" {
			return s.Value[:min(16, len(s.Value))]
		}
	}
	return ""
}

func infoServer(e *Engine, w *infoWriter) {
	now := time.Now()
	up := now.Sub(e.Started)
	port := 0
	if e.Host != nil {
		port = e.Host.Port()
	} else if e.Config != nil {
		port = e.Config.Port()
	}
	hz := int64(10)
	if e.Config != nil {
		hz = int64(e.Config.Hz())
	}
	exe, _ := os.Executable()
	w.str("redis_version", Version)
	w.str("cairn_version", CairnVersion)
	w.str("redis_git_sha1", "00000000")
	w.int("redis_git_dirty", 0)
	w.str("redis_build_id", buildID())
	w.str("redis_mode", "standalone")
	w.str("os", osName())
	w.int("arch_bits", strconv.IntSize)
	w.str("monotonic_clock", "POSIX clock_gettime")
	w.str("multiplexing_api", multiplexingAPI())
	w.str("atomicvar_api", "sync/atomic")
	w.str("gcc_version", "0.0.0")
	w.str("go_version", runtime.Version())
	w.int("process_id", int64(os.Getpid()))
	w.str("process_supervised", "no")
	w.str("run_id", e.RunID)
	w.int("tcp_port", int64(port))
	w.int("server_time_usec", now.UnixMicro())
	w.int("uptime_in_seconds", int64(up/time.Second))
	w.int("uptime_in_days", int64(up/(24*time.Hour)))
	w.int("hz", hz)
	w.int("configured_hz", hz)
	// Redis's LRU clock: seconds, wrapping at 24 bits.
	w.int("lru_clock", now.Unix()&(1<<24-1))
	w.str("executable", exe)
	w.str("config_file", e.configFile())
	w.int("io_threads_active", 0)
}

func (e *Engine) configFile() string {
	if e.Config == nil {
		return ""
	}
	return e.Config.File()
}

// buildID is a short identity of the binary, from the VCS revision Go
// stamps into it when there is one.
func buildID() string {
	if id := vcsRevision(); id != "" {
		return id
	}
	return "0"
}

// osName is "sysname release machine", as uname reports it.
func osName() string {
	sys, _ := os.ReadFile("/proc/sys/kernel/ostype")
	rel, _ := os.ReadFile("/proc/sys/kernel/osrelease")
	name := strings.TrimSpace(string(sys))
	if name == "" {
		name = runtime.GOOS
	}
	machine := runtime.GOARCH
	switch machine {
	case "amd64":
		machine = "x86_64"
	case "arm64":
		machine = "aarch64"
	case "386":
		machine = "i686"
	}
	if r := strings.TrimSpace(string(rel)); r != "" {
		return name + " " + r + " " + machine
	}
	return name + " " + machine
}

// multiplexingAPI names the poller the Go runtime uses on this system.
func multiplexingAPI() string {
	switch runtime.GOOS {
	case "linux", "android":
		return "epoll"
	case "darwin", "freebsd", "netbsd", "openbsd", "dragonfly":
		return "kqueue"
	case "solaris", "illumos":
		return "evport"
	}
	return "poll"
}

func infoClients(e *Engine, w *infoWriter) {
	var maxIn, maxOut int64
	sessions := e.sessions()
	for _, s := range sessions {
		maxIn = max(maxIn, s.QueryBuf.Load())
		maxOut = max(maxOut, s.OutBuf.Load())
	}
	maxClients := int64(10000)
	if e.Config != nil {
		maxClients = int64(e.Config.MaxClients())
	}
	w.int("connected_clients", int64(len(sessions)))
	w.int("cluster_connections", 0)
	w.int("maxclients", maxClients)
	w.int("client_recent_max_input_buffer", maxIn)
	w.int("client_recent_max_output_buffer", maxOut)
	w.int("blocked_clients", 0)
	w.int("tracking_clients", 0)
	w.int("clients_in_timeout_table", 0)
}

// memoryReport holds the figures INFO memory and MEMORY STATS share.
//
// used_memory is the figure maxmemory is checked against (maxmemory.go):
// the keyspace plus a baseline for everything else. The overhead is that
// baseline plus the keyspace's tables (dbOverhead), so the dataset is
// exactly what the entries and their values take. The allocator_* fields
// keep the Go heap's own view.
type memoryReport struct {
	m                   memoryFigures
	used, peak, startup int64
	overhead            int64 // baseline + every database's tables
	dbs                 []dbOverhead
	rss, resident       int64
}

// dbOverhead is one database's share of MEMORY STATS.
type dbOverhead struct {
	index         int
	keys          int
	main, expires int64
}

func (e *Engine) memoryReport() memoryReport {
	r := memoryReport{m: e.readMemory()}
	r.used = e.trackMemory()
	r.peak = max(e.figures.peakMemory.Load(), r.used)
	r.startup = min(e.figures.startupMemory.Load(), r.used)
	r.overhead = r.used
	if st := e.Store; st != nil {
		r.overhead = st.Baseline()
		for i := 0; i < st.Databases(); i++ {
			db := st.DB(i)
			n := db.Len()
			if n == 0 {
				continue
			}
			main, exp := db.Overhead()
			r.dbs = append(r.dbs, dbOverhead{index: i, keys: n, main: main, expires: exp})
			r.overhead += main + exp
		}
		r.overhead = min(r.overhead, r.used)
	}
	r.resident = r.m.total - r.m.heapReleased
	r.rss = residentBytes()
	if r.rss == 0 {
		r.rss = r.resident
	}
	return r
}

// net is the memory used beyond start-up (at least 1, as a divisor).
func (r memoryReport) net() int64 {
	if r.used > r.startup {
		return r.used - r.startup
	}
	return 1
}

func infoMemory(e *Engine, w *infoWriter) {
	r := e.memoryReport()
	m, used, peak, startup, rss, resident := r.m, r.used, r.peak, r.startup, r.rss, r.resident
	overhead := r.overhead
	dataset := used - overhead
	net := r.net()
	var maxMemory int64
	policy := "noeviction"
	if e.Config != nil {
		maxMemory = e.Config.MaxMemory()
		policy = e.Config.MaxMemoryPolicy()
	}
	sysMem := systemMemory()

	w.int("used_memory", used)
	w.str("used_memory_human", bytesHuman(used))
	w.int("used_memory_rss", rss)
	w.str("used_memory_rss_human", bytesHuman(rss))
	w.int("used_memory_peak", peak)
	w.str("used_memory_peak_human", bytesHuman(peak))
	w.str("used_memory_peak_perc", percent(used, peak))
	w.int("used_memory_overhead", overhead)
	w.int("used_memory_startup", startup)
	w.int("used_memory_dataset", dataset)
	w.str("used_memory_dataset_perc", percent(dataset, net))
	w.int("allocator_allocated", m.heapObjects)
	w.int("allocator_active", m.heapActive)
	w.int("allocator_resident", resident)
	w.int("total_system_memory", sysMem)
	w.str("total_system_memory_human", bytesHuman(sysMem))
	// Cairn runs no scripts: the scripting figures are those of nothing.
	w.int("used_memory_lua", 0)
	w.int("used_memory_vm_eval", 0)
	w.str("used_memory_lua_human", "0B")
	w.int("used_memory_scripts_eval", 0)
	w.int("number_of_cached_scripts", 0)
	w.int("number_of_functions", 0)
	w.int("number_of_libraries", 0)
	w.int("used_memory_vm_functions", 0)
	w.int("used_memory_vm_total", 0)
	w.str("used_memory_vm_total_human", "0B")
	w.int("used_memory_functions", 0)
	w.int("used_memory_scripts", 0)
	w.str("used_memory_scripts_human", "0B")
	w.int("maxmemory", maxMemory)
	w.str("maxmemory_human", bytesHuman(maxMemory))
	w.str("maxmemory_policy", policy)
	w.float("allocator_frag_ratio", ratio(m.heapActive, m.heapObjects))
	w.int("allocator_frag_bytes", m.heapActive-m.heapObjects)
	w.float("allocator_rss_ratio", ratio(resident, m.heapActive))
	w.int("allocator_rss_bytes", resident-m.heapActive)
	w.float("rss_overhead_ratio", ratio(rss, resident))
	w.int("rss_overhead_bytes", rss-resident)
	w.float("mem_fragmentation_ratio", ratio(rss, used))
	w.int("mem_fragmentation_bytes", rss-used)
	w.int("mem_not_counted_for_evict", 0)
	w.int("mem_replication_backlog", 0)
	w.int("mem_total_replication_buffers", 0)
	w.int("mem_clients_slaves", 0)
	w.int("mem_clients_normal", 0)
	w.int("mem_cluster_links", 0)
	w.int("mem_aof_buffer", 0)
	w.str("mem_allocator", "go")
	w.int("active_defrag_running", 0)
	w.int("lazyfree_pending_objects", 0)
	w.int("lazyfreed_objects", 0)
}

func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// percent is Redis's "%.2f%%" of a/b.
func percent(a, b int64) string {
	return strconv.FormatFloat(ratio(a, b)*100, 'f', 2, 64) + "%"
}

// residentBytes is the process's resident set size, or 0 where
// /proc/self/statm does not exist.
func residentBytes() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := bytes.Fields(b)
	if len(f) < 2 {
		return 0
	}
	pages, err := strconv.ParseInt(string(f[1]), 10, 64)
	if err != nil {
		return 0
	}
	return pages * int64(os.Getpagesize())
}

// systemMemory is the machine's physical memory, or 0 where
// /proc/meminfo does not exist.
func systemMemory() int64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				kb, _ := strconv.ParseInt(f[0], 10, 64)
				return kb * 1024
			}
		}
	}
	return 0
}

func infoPersistence(e *Engine, w *infoWriter) {
	loading := e.Host != nil && e.Host.Loading()
	aof := AOFStatus{LastRewriteTimeSec: -1, CurrentRewriteTimeSec: -1, LastRewriteOK: true, LastWriteOK: true}
	if f := e.AOFStatus; f != nil {
		aof = f()
	} else if e.Config != nil {
		aof.Enabled = e.Config.AppendOnly()
	}
	w.bool("loading", loading)
	w.int("async_loading", 0)
	w.int("current_cow_peak", 0)
	w.int("current_cow_size", 0)
	w.int("current_cow_size_age", 0)
	w.float("current_fork_perc", 0)
	w.int("current_save_keys_processed", 0)
	w.int("current_save_keys_total", 0)
	rdb := RDBStatus{LastOK: true, LastTimeSec: -1, CurrentTimeSec: -1}
	if f := e.RDBStatus; f != nil {
		rdb = f()
	}
	w.int("rdb_changes_since_last_save", e.stats.dirty.Load())
	w.bool("rdb_bgsave_in_progress", rdb.InProgress)
	w.int("rdb_last_save_time", e.lastSave())
	w.status("rdb_last_bgsave_status", rdb.LastOK)
	w.int("rdb_last_bgsave_time_sec", rdb.LastTimeSec)
	w.int("rdb_current_bgsave_time_sec", rdb.CurrentTimeSec)
	w.int("rdb_saves", rdb.Saves)
	w.int("rdb_last_cow_size", 0)
	w.int("rdb_last_load_keys_expired", 0)
	w.int("rdb_last_load_keys_loaded", rdb.LastLoadKeys)
	w.bool("aof_enabled", aof.Enabled)
	w.bool("aof_rewrite_in_progress", aof.RewriteInProgress)
	w.bool("aof_rewrite_scheduled", aof.RewriteScheduled)
	w.int("aof_last_rewrite_time_sec", aof.LastRewriteTimeSec)
	w.int("aof_current_rewrite_time_sec", aof.CurrentRewriteTimeSec)
	w.status("aof_last_bgrewrite_status", aof.LastRewriteOK)
	w.int("aof_rewrites", aof.Rewrites)
	w.int("aof_rewrites_consecutive_failures", aof.RewritesConsecutiveFailures)
	w.status("aof_last_write_status", aof.LastWriteOK)
	w.int("aof_last_cow_size", 0)
	w.int("module_fork_in_progress", 0)
	w.int("module_fork_last_cow_size", 0)
	if aof.Enabled {
		w.int("aof_current_size", aof.CurrentSize)
		w.int("aof_base_size", aof.BaseSize)
		w.bool("aof_pending_rewrite", aof.PendingRewrite)
		w.int("aof_buffer_length", aof.BufferLength)
		w.int("aof_pending_bio_fsync", aof.PendingFsync)
		w.int("aof_delayed_fsync", aof.DelayedFsync)
	}
}

func infoStats(e *Engine, w *infoWriter) {
	s := &e.stats
	ops, inKbps, outKbps := e.rates()
	w.int("total_connections_received", s.connections.Load())
	w.int("total_commands_processed", s.commands.Load())
	w.int("instantaneous_ops_per_sec", ops)
	w.int("total_net_input_bytes", s.netIn.Load())
	w.int("total_net_output_bytes", s.netOut.Load())
	w.int("total_net_repl_input_bytes", 0)
	w.int("total_net_repl_output_bytes", 0)
	w.float("instantaneous_input_kbps", inKbps)
	w.float("instantaneous_output_kbps", outKbps)
	w.float("instantaneous_input_repl_kbps", 0)
	w.float("instantaneous_output_repl_kbps", 0)
	w.int("rejected_connections", s.rejectedConns.Load())
	w.int("sync_full", 0)
	w.int("sync_partial_ok", 0)
	w.int("sync_partial_err", 0)
	w.int("expired_keys", e.expiredKeys())
	w.float("expired_stale_perc", 0)
	w.int("expired_time_cap_reached_count", 0)
	w.int("expire_cycle_cpu_milliseconds", 0)
	w.int("evicted_keys", e.evictedKeys())
	w.int("evicted_clients", 0)
	w.int("total_eviction_exceeded_time", 0)
	w.int("current_eviction_exceeded_time", 0)
	w.int("keyspace_hits", s.hits.Load())
	w.int("keyspace_misses", s.misses.Load())
	w.int("pubsub_channels", 0)
	w.int("pubsub_patterns", 0)
	w.int("pubsubshard_channels", 0)
	w.int("latest_fork_usec", 0)
	w.int("total_forks", 0)
	w.int("migrate_cached_sockets", 0)
	w.int("slave_expires_tracked_keys", 0)
	w.int("active_defrag_hits", 0)
	w.int("active_defrag_misses", 0)
	w.int("active_defrag_key_hits", 0)
	w.int("active_defrag_key_misses", 0)
	w.int("total_active_defrag_time", 0)
	w.int("current_active_defrag_time", 0)
	w.int("tracking_total_keys", 0)
	w.int("tracking_total_items", 0)
	w.int("tracking_total_prefixes", 0)
	w.int("unexpected_error_replies", 0)
	w.int("total_error_replies", s.errorReplies.Load())
	w.int("dump_payload_sanitizations", 0)
	w.int("total_reads_processed", 0)
	w.int("total_writes_processed", 0)
	w.int("io_threaded_reads_processed", 0)
	w.int("io_threaded_writes_processed", 0)
	w.int("reply_buffer_shrinks", 0)
	w.int("reply_buffer_expands", 0)
}

func infoReplication(e *Engine, w *infoWriter) {
	backlog := "1048576"
	if e.Config != nil {
		if v, ok := e.Config.Value("repl-backlog-size"); ok {
			backlog = v
		}
	}
	w.str("role", "master")
	w.int("connected_slaves", 0)
	w.str("master_failover_state", "no-failover")
	w.str("master_replid", e.replicationID())
	w.str("master_replid2", strings.Repeat("0", 40))
	w.int("master_repl_offset", 0)
	w.int("second_repl_offset", -1)
	w.int("repl_backlog_active", 0)
	w.str("repl_backlog_size", backlog)
	w.int("repl_backlog_first_byte_offset", 0)
	w.int("repl_backlog_histlen", 0)
}

func infoCPU(e *Engine, w *infoWriter) {
	var self, children syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	_ = syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children)
	w.str("used_cpu_sys", cpuTime(self.Stime))
	w.str("used_cpu_user", cpuTime(self.Utime))
	w.str("used_cpu_sys_children", cpuTime(children.Stime))
	w.str("used_cpu_user_children", cpuTime(children.Utime))
	// Goroutines move between threads; the process is the nearest thing
	// Cairn has to Redis's main thread.
	w.str("used_cpu_sys_main_thread", cpuTime(self.Stime))
	w.str("used_cpu_user_main_thread", cpuTime(self.Utime))
}

// cpuTime formats a rusage time as seconds with six decimals.
func cpuTime(t syscall.Timeval) string {
	us := strconv.FormatInt(int64(t.Usec), 10)
	return strconv.FormatInt(int64(t.Sec), 10) + "." + strings.Repeat("0", max(0, 6-len(us))) + us
}

// infoCommandStats lists every command (and subcommand) that has been
// called, rejected or failed since the start or the last CONFIG
// RESETSTAT, sorted by name.
func infoCommandStats(e *Engine, w *infoWriter) {
	var cmds []*Command
	for _, cmd := range e.table {
		cmds = append(cmds, cmd)
		for _, sc := range cmd.Subs {
			cmds = append(cmds, sc)
		}
	}
	sort.Slice(cmds, func(i, j int) bool { return cmds[i].FullName < cmds[j].FullName })
	for _, cmd := range cmds {
		calls, usec := cmd.calls.Load(), cmd.usec.Load()
		rejected, failed := cmd.rejected.Load(), cmd.failed.Load()
		if calls == 0 && rejected == 0 && failed == 0 {
			continue
		}
		perCall := 0.0
		if calls > 0 {
			perCall = float64(usec) / float64(calls)
		}
		b := append(w.b, "cmdstat_"...)
		b = append(b, cmd.FullName...)
		b = append(b, ":calls="...)
		b = strconv.AppendInt(b, calls, 10)
		b = append(b, ",usec="...)
		b = strconv.AppendInt(b, usec, 10)
		b = append(b, ",usec_per_call="...)
		b = strconv.AppendFloat(b, perCall, 'f', 2, 64)
		b = append(b, ",rejected_calls="...)
		b = strconv.AppendInt(b, rejected, 10)
		b = append(b, ",failed_calls="...)
		b = strconv.AppendInt(b, failed, 10)
		w.b = append(b, "\r\n"...)
	}
}

// infoErrorStats lists error replies by code, sorted.
func infoErrorStats(e *Engine, w *infoWriter) {
	s := &e.stats
	s.errMu.Lock()
	codes := make([]string, 0, len(s.errors))
	for code := range s.errors {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		w.b = append(w.b, "errorstat_"...)
		w.b = append(w.b, code...)
		w.b = append(w.b, ":count="...)
		w.b = strconv.AppendInt(w.b, s.errors[code], 10)
		w.b = append(w.b, "\r\n"...)
	}
	s.errMu.Unlock()
}

func infoCluster(_ *Engine, w *infoWriter) {
	w.int("cluster_enabled", 0)
}

// infoKeyspace has a line per database that holds keys.
func infoKeyspace(e *Engine, w *infoWriter) {
	if e.Store == nil {
		return
	}
	for i := 0; i < e.Store.Databases(); i++ {
		db := e.Store.DB(i)
		keys := db.Len()
		if keys == 0 {
			continue
		}
		w.b = append(w.b, "db"...)
		w.b = strconv.AppendInt(w.b, int64(i), 10)
		w.b = append(w.b, ":keys="...)
		w.b = strconv.AppendInt(w.b, int64(keys), 10)
		w.b = append(w.b, ",expires="...)
		w.b = strconv.AppendInt(w.b, int64(db.Volatile()), 10)
		w.b = append(w.b, ",avg_ttl="...)
		w.b = strconv.AppendInt(w.b, db.AvgTTL(), 10)
		w.b = append(w.b, "\r\n"...)
	}
}
