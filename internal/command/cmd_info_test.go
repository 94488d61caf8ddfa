package command

import (
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// bulk is s as a RESP2 bulk string.
func srvBulk(s string) string { return "$" + strconv.Itoa(len(s)) + "\r\n" + s + "\r\n" }

// infoBody strips the RESP2 bulk framing from an INFO reply, checking
// that the length is right.
func infoBody(t *testing.T, reply string) string {
	t.Helper()
	head, body, ok := strings.Cut(reply, "\r\n")
	if !ok || !strings.HasPrefix(head, "$") || !strings.HasSuffix(body, "\r\n") {
		t.Fatalf("not a bulk string: %q", reply)
	}
	body = strings.TrimSuffix(body, "\r\n")
	if n, _ := strconv.Atoi(head[1:]); n != len(body) {
		t.Fatalf("bulk length %d, body %d bytes", n, len(body))
	}
	return body
}

// infoSectionsOf checks INFO's layout and returns the section titles in
// order: every section is a "# Title" line then "field:value" lines, all
// CRLF-terminated, with exactly one empty line between sections.
func infoSectionsOf(t *testing.T, body string) []string {
	t.Helper()
	if body == "" {
		return nil
	}
	if !strings.HasSuffix(body, "\r\n") || strings.HasSuffix(body, "\r\n\r\n") {
		t.Errorf("INFO must end with one CRLF: %q", body[max(0, len(body)-20):])
	}
	if strings.Contains(strings.ReplaceAll(body, "\r\n", ""), "\n") {
		t.Errorf("bare LF in INFO")
	}
	field := regexp.MustCompile(`^[a-zA-Z0-9_|-]+:[^\r\n]*$`)
	var titles []string
	lines := strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n")
	for i, l := range lines {
		switch {
		case strings.HasPrefix(l, "# "):
			if i > 0 && lines[i-1] != "" {
				t.Errorf("section %q not preceded by an empty line", l)
			}
			titles = append(titles, l[2:])
		case l == "":
			if i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "# ") {
				t.Errorf("empty line %d not followed by a section", i)
			}
		case !field.MatchString(l):
			t.Errorf("line %q is not field:value", l)
		}
	}
	if len(lines) > 0 && !strings.HasPrefix(lines[0], "# ") {
		t.Errorf("INFO starts with %q", lines[0])
	}
	return titles
}

func TestInfoSections(t *testing.T) {
	e, s := serverTestEngine(t)
	dflt := "Server Clients Memory Persistence Stats Replication CPU Modules Errorstats Cluster Keyspace"
	all := "Server Clients Memory Persistence Stats Replication CPU Modules Commandstats Errorstats Latencystats Cluster Keyspace"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, dflt},
		{[]string{"default"}, dflt},
		{[]string{"all"}, all},
		{[]string{"everything"}, all},
		{[]string{"DEFAULT", "all"}, all},
		{[]string{"cpu", "server"}, "Server CPU"},
		{[]string{"CPU", "modules"}, "CPU Modules"},
		{[]string{"keyspace", "KEYSPACE"}, "Keyspace"},
		{[]string{"commandstats", "nosuch"}, "Commandstats"},
		{[]string{"nosuch"}, ""},
	} {
		body := infoBody(t, srvRun(e, s, append([]string{"INFO"}, tc.args...)...))
		if got := strings.Join(infoSectionsOf(t, body), " "); got != tc.want {
			t.Errorf("INFO %v: sections %q, want %q", tc.args, got, tc.want)
		}
	}
	srvExpect(t, e, s, srvBulk(""), "INFO", "nosuch")
	srvExpect(t, e, s, srvBulk("# Keyspace\r\n"), "INFO", "keyspace")
	srvExpect(t, e, s, srvBulk("# Cluster\r\ncluster_enabled:0\r\n"), "INFO", "cluster")
	srvExpect(t, e, s, srvBulk("# Modules\r\n\r\n# Cluster\r\ncluster_enabled:0\r\n"), "INFO", "cluster", "modules")
}

func TestInfoResp3IsVerbatim(t *testing.T) {
	e, s := serverTestEngine(t)
	s.setProto(3)
	text := "# Cluster\r\ncluster_enabled:0\r\n"
	srvExpect(t, e, s, "="+strconv.Itoa(len(text)+4)+"\r\ntxt:"+text+"\r\n", "INFO", "cluster")
}

func TestInfoServerFields(t *testing.T) {
	e, s := serverTestEngine(t)
	e.Host = &fakeHost{}
	body := infoBody(t, srvRun(e, s, "INFO", "server"))
	for _, re := range []string{
		`^# Server\r\nredis_version:7\.0\.15\r\ncairn_version:` + regexp.QuoteMeta(CairnVersion) + `\r\n`,
		`\r\nredis_mode:standalone\r\n`,
		`\r\narch_bits:(32|64)\r\n`,
		`\r\nprocess_id:\d+\r\n`,
		`\r\nrun_id:` + e.RunID + `\r\n`,
		`\r\ntcp_port:7379\r\n`,
		`\r\nserver_time_usec:\d{16}\r\n`,
		`\r\nuptime_in_seconds:\d+\r\nuptime_in_days:0\r\nhz:10\r\nconfigured_hz:10\r\n`,
		`\r\nconfig_file:\r\nio_threads_active:0\r\n$`,
	} {
		if !regexp.MustCompile(re).MatchString(body) {
			t.Errorf("INFO server does not match %q:\n%s", re, body)
		}
	}
}

func TestInfoKeyspace(t *testing.T) {
	e, s := serverTestEngine(t)
	now := time.Now().UnixMilli()
	put := func(db int, key string, expire int64) {
		sh, h := e.Store.DB(db).Shard([]byte(key))
		sh.Lock()
		sh.Set(h, []byte(key), []byte("v"), expire, now)
		sh.Unlock()
	}
	put(0, "a", 0)
	put(0, "b", now+100000)
	put(3, "c", 0)
	srvExpect(t, e, s, srvBulk("# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=0\r\ndb3:keys=1,expires=0,avg_ttl=0\r\n"),
		"INFO", "keyspace")
}

func TestInfoStatsAndErrors(t *testing.T) {
	e, s := serverTestEngine(t)
	srvRun(e, s, "TIME")
	srvRun(e, s, "TIME", "extra")
	srvRun(e, s, "SLOWLOG", "GET", "x")
	body := infoBody(t, srvRun(e, s, "INFO", "everything"))
	titles := infoSectionsOf(t, body)
	if len(titles) != 13 {
		t.Errorf("INFO everything has %d sections", len(titles))
	}
	for _, want := range []string{
		"\r\ntotal_connections_received:1\r\ntotal_commands_processed:2\r\ninstantaneous_ops_per_sec:0\r\n",
		"\r\ncmdstat_slowlog|get:calls=1,usec=",
		",rejected_calls=0,failed_calls=1\r\n",
		"\r\ncmdstat_time:calls=1,usec=",
		",rejected_calls=1,failed_calls=0\r\n",
		"# Errorstats\r\nerrorstat_ERR:count=2\r\n",
		"\r\ntotal_error_replies:2\r\n",
		"\r\nrole:master\r\nconnected_slaves:0\r\n",
		"\r\nmaster_replid2:0000000000000000000000000000000000000000\r\n",
		"\r\nconnected_clients:1\r\n",
		"\r\nmem_allocator:go\r\n",
		"\r\nloading:0\r\n",
		"\r\naof_enabled:",
		"\r\nrdb_last_bgsave_status:ok\r\n",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("INFO everything lacks %q", want)
		}
	}
	if !regexp.MustCompile(`\r\nmaster_replid:[0-9a-f]{40}\r\n`).MatchString(body) {
		t.Errorf("no master_replid")
	}
	if !regexp.MustCompile(`\r\nused_memory:[1-9]\d*\r\nused_memory_human:\d+\.\d\d[KMG]\r\nused_memory_rss:[1-9]\d*\r\n`).MatchString(body) {
		t.Errorf("memory figures missing or zero")
	}
	if !regexp.MustCompile(`\r\nused_cpu_sys:\d+\.\d{6}\r\nused_cpu_user:\d+\.\d{6}\r\n`).MatchString(body) {
		t.Errorf("cpu figures malformed")
	}
}

func TestInfoPersistenceHook(t *testing.T) {
	e, s := serverTestEngine(t)
	e.AOFStatus = func() AOFStatus {
		return AOFStatus{Enabled: true, LastRewriteTimeSec: 2, CurrentRewriteTimeSec: -1, LastRewriteOK: false,
			Rewrites: 3, LastWriteOK: true, CurrentSize: 110, BaseSize: 100, DelayedFsync: 4}
	}
	body := infoBody(t, srvRun(e, s, "INFO", "persistence"))
	want := "aof_enabled:1\r\naof_rewrite_in_progress:0\r\naof_rewrite_scheduled:0\r\naof_last_rewrite_time_sec:2\r\n" +
		"aof_current_rewrite_time_sec:-1\r\naof_last_bgrewrite_status:err\r\naof_rewrites:3\r\n" +
		"aof_rewrites_consecutive_failures:0\r\naof_last_write_status:ok\r\naof_last_cow_size:0\r\n" +
		"module_fork_in_progress:0\r\nmodule_fork_last_cow_size:0\r\naof_current_size:110\r\naof_base_size:100\r\n" +
		"aof_pending_rewrite:0\r\naof_buffer_length:0\r\naof_pending_bio_fsync:0\r\naof_delayed_fsync:4\r\n"
	if !strings.HasSuffix(body, want) {
		t.Errorf("INFO persistence:\n%s\nwant suffix\n%s", body, want)
	}
	e.AOFStatus = func() AOFStatus {
		return AOFStatus{LastRewriteTimeSec: -1, CurrentRewriteTimeSec: -1, LastRewriteOK: true, LastWriteOK: true}
	}
	body = infoBody(t, srvRun(e, s, "INFO", "persistence"))
	if !strings.HasSuffix(body, "aof_enabled:0\r\naof_rewrite_in_progress:0\r\naof_rewrite_scheduled:0\r\naof_last_rewrite_time_sec:-1\r\n"+
		"aof_current_rewrite_time_sec:-1\r\naof_last_bgrewrite_status:ok\r\naof_rewrites:0\r\n"+
		"aof_rewrites_consecutive_failures:0\r\naof_last_write_status:ok\r\naof_last_cow_size:0\r\n"+
		"module_fork_in_progress:0\r\nmodule_fork_last_cow_size:0\r\n") {
		t.Errorf("INFO persistence with AOF off:\n%s", body)
	}
}

func TestInstantaneousOps(t *testing.T) {
	e, s := serverTestEngine(t)
	t0 := time.Now()
	e.Cron(t0)
	e.stats.commands.Add(1000)
	e.stats.netIn.Add(1024 * 100)
	e.Cron(t0.Add(50 * time.Millisecond)) // too soon: ignored
	e.Cron(t0.Add(100 * time.Millisecond))
	body := infoBody(t, srvRun(e, s, "INFO", "stats"))
	// 1000 commands in 0.1 s is 10000/s, averaged over 16 samples.
	if !strings.Contains(body, "\r\ninstantaneous_ops_per_sec:625\r\n") {
		t.Errorf("ops: %s", body)
	}
	// 100 KiB in 0.1 s is 1000 KiB/s, over 16 samples.
	if !strings.Contains(body, "\r\ninstantaneous_input_kbps:62.50\r\n") {
		t.Errorf("input kbps: %s", body)
	}
}

func TestBytesHuman(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0B", 200: "200B", 1023: "1023B", 1024: "1.00K", 941056: "919.00K", 12304384: "11.73M",
		25276510208: "23.54G", 1 << 40: "1.00T", 1 << 50: "1.00P", 1 << 62: "4611686018427387904B",
	} {
		if got := bytesHuman(n); got != want {
			t.Errorf("bytesHuman(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestCPUTime(t *testing.T) {
	if got := cpuTime(syscall.Timeval{Sec: 3, Usec: 9837}); got != "3.009837" {
		t.Errorf("cpuTime = %q", got)
	}
}
