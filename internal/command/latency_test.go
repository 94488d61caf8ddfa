package command

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestLatencyDisabledByDefault(t *testing.T) {
	e, s := serverTestEngine(t)
	e.RecordLatency("command", 500)
	srvExpect(t, e, s, "*0\r\n", "LATENCY", "LATEST")
	srvExpect(t, e, s, "*0\r\n", "LATENCY", "HISTORY", "command")
	srvExpect(t, e, s, ":0\r\n", "LATENCY", "RESET")
}

func TestLatencyEvents(t *testing.T) {
	e, s := serverTestEngine(t)
	srvExpect(t, e, s, "+OK\r\n", "CONFIG", "SET", "latency-monitor-threshold", "10")
	e.RecordLatency("aof-fsync-always", 5) // under the threshold
	srvExpect(t, e, s, "*0\r\n", "LATENCY", "LATEST")

	// Samples within one second merge, keeping the larger.
	e.latency.add("command", 1000, 30)
	e.latency.add("command", 1000, 20)
	e.latency.add("command", 1002, 15)
	e.latency.add("fast-command", 1001, 12)
	srvExpect(t, e, s, "*2\r\n*4\r\n$7\r\ncommand\r\n:1002\r\n:15\r\n:30\r\n*4\r\n$12\r\nfast-command\r\n:1001\r\n:12\r\n:12\r\n",
		"LATENCY", "LATEST")
	srvExpect(t, e, s, "*2\r\n*2\r\n:1000\r\n:30\r\n*2\r\n:1002\r\n:15\r\n", "LATENCY", "HISTORY", "command")
	srvExpect(t, e, s, "*0\r\n", "LATENCY", "HISTORY", "COMMAND") // names are case-sensitive
	srvExpect(t, e, s, ":1\r\n", "LATENCY", "RESET", "command", "nosuch")
	srvExpect(t, e, s, "*0\r\n", "LATENCY", "HISTORY", "command")
	srvExpect(t, e, s, ":1\r\n", "LATENCY", "RESET")
	srvExpect(t, e, s, "*0\r\n", "LATENCY", "LATEST")

	now := time.Now().Unix()
	e.RecordLatency("expire-cycle", 11)
	got := srvRun(e, s, "LATENCY", "LATEST")
	want := func(ts int64) string {
		return "*1\r\n*4\r\n$12\r\nexpire-cycle\r\n:" + strconv.FormatInt(ts, 10) + "\r\n:11\r\n:11\r\n"
	}
	if got != want(now) && got != want(now+1) {
		t.Errorf("LATEST: %q", got)
	}
}

func TestLatencyHistoryRing(t *testing.T) {
	e, s := serverTestEngine(t)
	for i := int64(1); i <= latencyHistoryLen+5; i++ {
		e.latency.add("command", i, i)
	}
	got := srvRun(e, s, "LATENCY", "HISTORY", "command")
	prefix := "*160\r\n*2\r\n:6\r\n:6\r\n"
	if len(got) < len(prefix) || got[:len(prefix)] != prefix {
		t.Errorf("HISTORY after wrap starts %q", got[:min(len(got), 40)])
	}
	srvExpect(t, e, s, "*1\r\n*4\r\n$7\r\ncommand\r\n:165\r\n:165\r\n:165\r\n", "LATENCY", "LATEST")
}

func TestLatencyFromSlowCommands(t *testing.T) {
	e, s := serverTestEngine(t)
	srvRun(e, s, "CONFIG", "SET", "latency-monitor-threshold", "1")
	c := &Ctx{E: e, S: s, Args: [][]byte{[]byte("TIME")}, cmd: e.Lookup("time")}
	e.slowlog.maybeAdd(c, 2500) // 2.5 ms
	got := srvRun(e, s, "LATENCY", "LATEST")
	// TIME is flagged fast in Redis's table.
	if want := "$12\r\nfast-command\r\n"; !strings.Contains(got, want) {
		t.Errorf("LATEST %q lacks %q", got, want)
	}
	c.cmd = e.Lookup("info")
	e.slowlog.maybeAdd(c, 1000)
	got = srvRun(e, s, "LATENCY", "LATEST")
	if want := "$7\r\ncommand\r\n"; !strings.Contains(got, want) {
		t.Errorf("LATEST %q lacks %q", got, want)
	}
	srvExpect(t, e, s, "-ERR wrong number of arguments for 'latency|history' command\r\n", "LATENCY", "HISTORY")
	srvExpect(t, e, s, "-ERR unknown subcommand 'foo'. Try LATENCY HELP.\r\n", "LATENCY", "foo")
}

// TestServerFiguresConcurrent exercises the shared figures from several
// goroutines at once; run with -race.
func TestServerFiguresConcurrent(t *testing.T) {
	e, _ := serverTestEngine(t)
	srvRun(e, e.NewSession("127.0.0.1:1", "", 0, 0, nil), "CONFIG", "SET", "latency-monitor-threshold", "1", "slowlog-log-slower-than", "0")
	done := make(chan struct{})
	for g := 0; g < 4; g++ {
		go func() {
			defer func() { done <- struct{}{} }()
			s := e.NewSession("127.0.0.1:2", "", 0, 0, nil)
			for i := 0; i < 200; i++ {
				e.RecordLatency("command", 5)
				e.Cron(time.Now())
				srvRun(e, s, "TIME")
				srvRun(e, s, "LATENCY", "LATEST")
				srvRun(e, s, "SLOWLOG", "GET")
				if i%50 == 0 {
					srvRun(e, s, "INFO", "everything")
					srvRun(e, s, "CONFIG", "RESETSTAT")
				}
			}
		}()
	}
	for g := 0; g < 4; g++ {
		<-done
	}
}
