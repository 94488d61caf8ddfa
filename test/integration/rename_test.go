package integration

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cairn/internal/testutil"
)

// renameArgs are the directives both servers start with in these tests.
var renameArgs = []string{
	"--rename-command", "SET", "XSET",
	"--rename-command", "APPEND", "xappend",
	"--rename-command", "FLUSHALL", "",
	"--rename-command", "CONFIG", "myconfig",
}

// TestRenameCommandMatchesRedis: with the same rename-command directives,
// cairn-server and redis-server 7.0 answer the same bytes: old names are
// unknown, new names work, COMMAND reports the original names.
func TestRenameCommandMatchesRedis(t *testing.T) {
	cairn := testutil.StartCairn(t, renameArgs...)
	redis := testutil.StartRedis(t, renameArgs...)
	cc, rc := testutil.Dial(t, cairn.Addr()), testutil.Dial(t, redis.Addr())
	for _, args := range [][]string{
		{"XSET", "k", "v"},
		{"xset", "k", "v", "EX", "100", "GET"},
		{"SET", "k", "v"},
		{"set"},
		{"xappend", "k", "w"},
		{"GET", "k"},
		{"FLUSHALL"},
		{"flushall", "async"},
		{"CONFIG", "GET", "maxmemory"},
		{"myconfig", "get", "maxmemory"},
		{"MYCONFIG", "GET"},
		{"xset", "k"},
		{"COMMAND", "INFO", "set", "flushall", "config|get", "config", "append"},
		{"COMMAND", "INFO", "myconfig|get", "xappend"},
		{"COMMAND", "GETKEYS", "xset", "a", "b"},
		{"COMMAND", "GETKEYS", "set", "a", "b"},
		{"COMMAND", "LIST", "FILTERBY", "PATTERN", "xset"},
		{"COMMAND", "LIST", "FILTERBY", "PATTERN", "flushall"},
		{"COMMAND", "LIST", "FILTERBY", "PATTERN", "config"},
		{"COMMAND", "DOCS", "set", "flushall"},
	} {
		got, want := cc.Do(args...), rc.Do(args...)
		if !bytes.Equal(got, want) {
			t.Errorf("%q:\ncairn %.300q\nredis %.300q", args, got, want)
		}
	}
	// SET's key-spec notes are Cairn's own words; compare what comes
	// before them. (COMMAND COUNT is not compared: Cairn's table is a
	// subset of Redis's; the unit tests check it drops by one.)
	head := func(b []byte) []byte { return b[:bytes.Index(b, []byte("$5\r\nnotes"))] }
	if got, want := head(cc.Do("COMMAND", "INFO", "xset")), head(rc.Do("COMMAND", "INFO", "xset")); !bytes.Equal(got, want) {
		t.Errorf("COMMAND INFO xset:\ncairn %q\nredis %q", got, want)
	}
}

// TestRenameCommandAOF: both servers log a renamed command under the
// name it was called by, so each loads the other's file when started
// with the same directives. (Redis writes the records it builds itself,
// such as SET ... PXAT for SET ... EX, under the original name and then
// cannot load its own file; Cairn loads both names.)
func TestRenameCommandAOF(t *testing.T) {
	testutil.RequireRedisServer(t)
	ctx := context.Background()
	workload := func(addr string) {
		c := testutil.Dial(t, addr)
		for _, args := range [][]string{
			{"xset", "plain", "1"},
			{"xappend", "plain", "23"},
			{"xset", "ttl", "v", "PXAT", "4102444800000"},
			{"INCRBYFLOAT", "float", "1.5"},
			{"SELECT", "3"},
			{"xset", "in3", "x"},
		} {
			if r := c.Do(args...); r[0] == '-' {
				t.Fatalf("%q: %q", args, r)
			}
		}
	}

	// Cairn writes, redis-server loads.
	p := testutil.StartCairn(t, append([]string{"--appendonly", "yes"}, renameArgs...)...)
	workload(p.Addr())
	want := aofDump(t, p.Addr())
	if code := p.Stop(); code != 0 {
		t.Fatalf("cairn exit code %d", code)
	}
	incr := readIncr(t, p.Dir())
	if !strings.Contains(incr, "$4\r\nXSET\r\n") || strings.Contains(incr, "$3\r\nSET\r\n") {
		t.Errorf("Cairn's AOF should name SET by its new name only:\n%q", incr)
	}
	r := testutil.StartRedis(t, append([]string{"--appendonly", "yes", "--dir", p.Dir()}, renameArgs...)...)
	aofSameDump(t, "redis-server loading Cairn's AOF with renames", aofDump(t, r.Addr()), want)
	r.Stop()

	// redis-server writes (xset, and SET ... PXAT for an EX), Cairn loads.
	r2 := testutil.StartRedis(t, append([]string{"--appendonly", "yes", "--aof-use-rdb-preamble", "no"}, renameArgs...)...)
	workload(r2.Addr())
	rc := aofClient(t, r2.Addr(), 0)
	must(t, rc.Do(ctx, "xset", "ex", "v", "EX", "100000").Err())
	time.Sleep(10 * time.Millisecond)
	want2 := aofDump(t, r2.Addr())
	r2.Stop()
	if incr := readIncr(t, r2.Dir()); !strings.Contains(incr, "$3\r\nSET\r\n") || !strings.Contains(incr, "xset") {
		t.Fatalf("redis-server's AOF no longer mixes xset and SET:\n%q", incr)
	}
	p2 := testutil.StartCairn(t, append([]string{"--appendonly", "yes", "--dir", r2.Dir()}, renameArgs...)...)
	aofSameDump(t, "Cairn loading redis-server's AOF with renames", aofDump(t, p2.Addr()), want2)
}

// readIncr returns the contents of the incremental AOF files in dir.
func readIncr(t *testing.T, dir string) string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "appendonlydir", "*.incr.aof"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no incremental AOF in %s (%v)", dir, err)
	}
	var b strings.Builder
	for _, f := range files {
		data, err := os.ReadFile(f)
		must(t, err)
		b.Write(data)
	}
	return b.String()
}
