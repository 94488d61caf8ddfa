package integration

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cairn/internal/testutil"
)

// TestDumpRestoreBetweenServers copies keys with DUMP and RESTORE from
// redis-server to Cairn and back (long repetitive values come LZF-
// compressed from Redis and uncompressed from Cairn), keeps TTLs, and
// then starts Cairn on redis-server's AOF, whose RESTORE records it must
// replay to the same data.
func TestDumpRestoreBetweenServers(t *testing.T) {
	testutil.RequireRedisServer(t)
	ctx := context.Background()
	r := testutil.StartRedis(t, "--appendonly", "yes", "--aof-use-rdb-preamble", "no")
	p := testutil.StartCairn(t)
	rc, cc := aofClient(t, r.Addr(), 0), aofClient(t, p.Addr(), 0)
	values := map[string]string{
		"int":    "12345",
		"neg":    "-2147483648",
		"bigint": "9223372036854775807",
		"text":   "hello",
		"long":   strings.Repeat("abc", 5000),
		"binary": "\x00\xff\r\n" + strings.Repeat("\x01", 100),
		"empty":  "",
	}
	for k, v := range values {
		must(t, rc.Set(ctx, k, v, 0).Err())
	}
	must(t, rc.Expire(ctx, "text", time.Hour).Err())
	for k, v := range values {
		// Redis -> Cairn.
		payload, err := rc.Dump(ctx, k).Result()
		must(t, err)
		ttl := rc.PTTL(ctx, k).Val()
		if ttl < 0 {
			ttl = 0
		}
		must(t, cc.Restore(ctx, k, ttl, payload).Err())
		if got := cc.Get(ctx, k).Val(); got != v {
			t.Fatalf("%s restored into Cairn: %d bytes, want %d", k, len(got), len(v))
		}
		// Cairn -> Redis, under a new name.
		back, err := cc.Dump(ctx, k).Result()
		must(t, err)
		must(t, rc.Restore(ctx, "copy:"+k, ttl, back).Err())
		if got := rc.Get(ctx, "copy:"+k).Val(); got != v {
			t.Fatalf("%s restored into Redis from Cairn's DUMP: %d bytes, want %d", k, len(got), len(v))
		}
	}
	if d := cc.PTTL(ctx, "text").Val(); d < 59*time.Minute || d > time.Hour {
		t.Fatalf("TTL after RESTORE: %v", d)
	}
	// Redis journals RESTORE (with ABSTTL); Cairn replays those records.
	must(t, rc.RestoreReplace(ctx, "int", 0, rc.Dump(ctx, "long").Val()).Err())
	want := aofDump(t, r.Addr())
	if code := r.Stop(); code != 0 {
		t.Fatalf("redis-server exit %d", code)
	}
	incr, err := os.ReadFile(filepath.Join(r.Dir(), "appendonlydir", "appendonly.aof.1.incr.aof"))
	must(t, err)
	if !strings.Contains(strings.ToLower(string(incr)), "\r\nrestore\r\n") {
		t.Fatal("redis-server's AOF has no RESTORE record: the replay below would prove nothing")
	}
	q := testutil.StartCairn(t, "--appendonly", "yes", "--dir", r.Dir())
	aofSameDump(t, "Cairn replaying redis-server's RESTORE records", aofDump(t, q.Addr()), want)
}
