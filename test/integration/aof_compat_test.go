package integration

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"cairn/internal/testutil"
)

// TestAOFRedisLoadsCairn: redis-server 7.0 starts on a directory Cairn
// wrote (after a rewrite and with later incremental records) and has the
// same data.
func TestAOFRedisLoadsCairn(t *testing.T) {
	testutil.RequireRedisServer(t)
	p := testutil.StartCairn(t, "--appendonly", "yes")
	aofWorkload(t, p.Addr())
	aofBGRewrite(t, aofClient(t, p.Addr(), 0))
	c := aofClient(t, p.Addr(), 5)
	must(t, c.Set(context.Background(), "after-rewrite", "yes", time.Hour).Err())
	must(t, c.Incr(context.Background(), "after-rewrite-counter").Err())
	want := aofDump(t, p.Addr())
	if code := p.Stop(); code != 0 {
		t.Fatalf("cairn exit code %d", code)
	}
	r := testutil.StartRedis(t, "--appendonly", "yes", "--dir", p.Dir())
	aofSameDump(t, "redis-server loading Cairn's AOF", aofDump(t, r.Addr()), want)
}

// TestAOFCairnLoadsRedis: Cairn starts on a directory redis-server wrote
// with aof-use-rdb-preamble no, base and incremental files, including a
// transaction.
func TestAOFCairnLoadsRedis(t *testing.T) {
	testutil.RequireRedisServer(t)
	r := testutil.StartRedis(t, "--appendonly", "yes", "--aof-use-rdb-preamble", "no")
	aofWorkload(t, r.Addr())
	c := aofClient(t, r.Addr(), 0)
	aofBGRewrite(t, c)
	ctx := context.Background()
	_, err := c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Incr(ctx, "tx-counter")
		p.Append(ctx, "tx-app", "ab")
		p.SetEx(ctx, "tx-ttl", "v", time.Hour)
		return nil
	})
	must(t, err)
	must(t, c.Set(ctx, "late", "v", 0).Err())
	want := aofDump(t, r.Addr())
	r.Stop()
	p := testutil.StartCairn(t, "--appendonly", "yes", "--dir", r.Dir())
	aofSameDump(t, "Cairn loading redis-server's AOF", aofDump(t, p.Addr()), want)
}

// TestAOFCairnLoadsRedisRDBPreamble: Cairn starts on the AOF directory of
// a redis-server 7.0 in its default AOF form (aof-use-rdb-preamble yes,
// so the base is an RDB file) — the workload, a rewrite, and records
// after it — with the same data; a key of a type Cairn does not store
// yet stops the start, naming the key.
func TestAOFCairnLoadsRedisRDBPreamble(t *testing.T) {
	testutil.RequireRedisServer(t)
	r := testutil.StartRedis(t, "--appendonly", "yes", "--aof-use-rdb-preamble", "yes")
	aofWorkload(t, r.Addr())
	c := aofClient(t, r.Addr(), 0)
	must(t, c.Set(context.Background(), "long", strings.Repeat("abc", 3000), 0).Err()) // LZF in the RDB
	aofBGRewrite(t, c)
	must(t, c.Set(context.Background(), "after-rewrite", "yes", time.Hour).Err())
	want := aofDump(t, r.Addr())
	r.Stop()
	if m := aofManifest(t, r.Dir()); !strings.Contains(m, ".base.rdb") {
		t.Fatalf("redis-server wrote no RDB base:\n%s", m)
	}
	p := testutil.StartCairn(t, "--appendonly", "yes", "--dir", r.Dir())
	aofSameDump(t, "Cairn loading redis-server's RDB-preamble AOF", aofDump(t, p.Addr()), want)

	q := testutil.StartRedis(t, "--appendonly", "yes", "--aof-use-rdb-preamble", "yes")
	c = aofClient(t, q.Addr(), 0)
	must(t, c.RPush(context.Background(), "mylist", "a").Err())
	aofBGRewrite(t, c)
	q.Stop()
	code, out := aofRunCairn(t, q.Dir())
	if code == 0 || !strings.Contains(out, `key \"mylist\" holds a list`) {
		t.Errorf("a list in the RDB base: exit %d, output:\n%s", code, out)
	}
}

// TestAOFLazyFreeRecordsMatchRedis: with lazyfree-lazy-expire and
// lazyfree-lazy-eviction on, a key removed because it expired and keys
// removed by eviction are journaled as UNLINK, not DEL, by redis-server
// and by Cairn alike.
func TestAOFLazyFreeRecordsMatchRedis(t *testing.T) {
	testutil.RequireRedisServer(t)
	args := []string{"--appendonly", "yes", "--lazyfree-lazy-expire", "yes",
		"--lazyfree-lazy-eviction", "yes", "--maxmemory-policy", "allkeys-random",
		mmNoBudget, "100"} // evict all 50 keys within the SET, not partly in the background
	for name, p := range map[string]*testutil.Proc{
		"redis-server": testutil.StartRedis(t, args...),
		"cairn-server": testutil.StartCairn(t, args...),
	} {
		ctx := context.Background()
		c := aofClient(t, p.Addr(), 0)
		must(t, c.Set(ctx, "short", "x", 50*time.Millisecond).Err())
		time.Sleep(120 * time.Millisecond)
		if err := c.Get(ctx, "short").Err(); err != redis.Nil {
			t.Fatalf("%s: GET of an expired key: %v", name, err)
		}
		for i := 0; i < 50; i++ {
			must(t, c.Set(ctx, fmt.Sprint("ev:", i), strings.Repeat("v", 1000), 0).Err())
		}
		must(t, c.ConfigSet(ctx, "maxmemory", "1").Err())
		if err := c.Set(ctx, "trigger", "x", 0).Err(); err == nil || !strings.HasPrefix(err.Error(), "OOM ") {
			t.Fatalf("%s: SET past maxmemory 1 with every key evicted: %v", name, err)
		}
		must(t, c.ConfigSet(ctx, "maxmemory", "0").Err())
		if n := c.DBSize(ctx).Val(); n != 0 {
			t.Fatalf("%s: %d keys left after evicting everything", name, n)
		}
		incr, err := os.ReadFile(filepath.Join(p.Dir(), "appendonlydir", "appendonly.aof.1.incr.aof"))
		must(t, err)
		log := string(incr)
		if !strings.Contains(log, "*2\r\n$6\r\nUNLINK\r\n$5\r\nshort\r\n") {
			t.Errorf("%s: no UNLINK record for the expired key in %q", name, log)
		}
		if n := strings.Count(log, "*2\r\n$6\r\nUNLINK\r\n$"); n != 51 {
			t.Errorf("%s: %d UNLINK records, want 1 expiry + 50 evictions", name, n)
		}
		if strings.Contains(log, "\r\nDEL\r\n") {
			t.Errorf("%s: a DEL record although lazy freeing is on: %q", name, log)
		}
	}
}

// TestAOFAdoptsOldStyleFileLikeRedis: a Redis 6 data directory (one
// appendonly.aof file, no AOF directory) is adopted by redis-server 7.0
// and by Cairn alike: the same data, the same files in appendonlydir and
// the same manifest, and the data survives a restart.
func TestAOFAdoptsOldStyleFileLikeRedis(t *testing.T) {
	testutil.RequireRedisServer(t)
	old := aofResp(
		[]string{"SELECT", "0"}, []string{"SET", "a", "1"}, []string{"SET", "b", "hello"},
		[]string{"PEXPIREAT", "b", "4102444800000"},
		[]string{"SELECT", "3"}, []string{"SET", "c", "x"}, []string{"INCR", "n"}, []string{"INCR", "n"},
		[]string{"MULTI"}, []string{"SET", "t", "1"}, []string{"APPEND", "t", "2"}, []string{"EXEC"},
	)
	dumps := map[string]map[string]string{}
	layouts := map[string]string{}
	for _, name := range []string{"redis-server", "cairn-server"} {
		dir := t.TempDir()
		must(t, os.WriteFile(filepath.Join(dir, "appendonly.aof"), []byte(old), 0o644)) // beside appendonlydir
		var p *testutil.Proc
		if name == "redis-server" {
			p = testutil.StartRedis(t, "--appendonly", "yes", "--dir", dir)
		} else {
			p = testutil.StartCairn(t, "--appendonly", "yes", "--dir", dir)
		}
		dumps[name] = aofDump(t, p.Addr())
		if _, err := os.Stat(filepath.Join(dir, "appendonly.aof")); !os.IsNotExist(err) {
			t.Errorf("%s: the old file is still beside appendonlydir (%v)", name, err)
		}
		layouts[name] = fmt.Sprint(aofDirSizes(t, dir)) + "\n" + aofManifest(t, dir)
		must(t, aofClient(t, p.Addr(), 0).Set(context.Background(), "after", "yes", 0).Err())
		want := aofDump(t, p.Addr())
		p.Restart()
		aofSameDump(t, name+" after restart", aofDump(t, p.Addr()), want)
	}
	if len(dumps["redis-server"]) != 5 {
		t.Fatalf("redis-server loaded %v", dumps["redis-server"])
	}
	aofSameDump(t, "Cairn adopting an old-style AOF", dumps["cairn-server"], dumps["redis-server"])
	if layouts["redis-server"] != layouts["cairn-server"] {
		t.Errorf("appendonlydir after adoption:\nredis-server: %s\ncairn-server: %s", layouts["redis-server"], layouts["cairn-server"])
	}
}

// TestBGRewriteAOFWithAppendonlyOff: with appendonly no, BGREWRITEAOF
// writes a base file and a manifest listing it alone, as redis-server 7.0
// does (same reply, same files, same manifest after each of two
// rewrites), and a later start with appendonly yes loads that data.
func TestBGRewriteAOFWithAppendonlyOff(t *testing.T) {
	testutil.RequireRedisServer(t)
	ctx := context.Background()
	layouts := map[string][]string{}
	for _, name := range []string{"redis-server", "cairn-server"} {
		var p *testutil.Proc
		if name == "redis-server" {
			p = testutil.StartRedis(t, "--aof-use-rdb-preamble", "no")
		} else {
			p = testutil.StartCairn(t)
		}
		c := aofClient(t, p.Addr(), 0)
		for round, key := range []string{"first", "second"} {
			must(t, c.Set(ctx, key, "v", 0).Err())
			reply, err := c.BgRewriteAOF(ctx).Result()
			if err != nil || reply != "Background append only file rewriting started" {
				t.Fatalf("%s: BGREWRITEAOF with appendonly no: %q, %v", name, reply, err)
			}
			aofWaitRewrite(t, c)
			if got := aofInfo(t, c, "aof_last_bgrewrite_status"); got != "ok" {
				t.Fatalf("%s: rewrite %d status %s", name, round, got)
			}
			layouts[name] = append(layouts[name], fmt.Sprint(aofDirSizes(t, p.Dir()))+" "+aofManifest(t, p.Dir()))
		}
		want := aofDump(t, p.Addr())
		if p.Stop() != 0 {
			t.Fatalf("%s did not exit cleanly", name)
		}
		var q *testutil.Proc
		if name == "redis-server" {
			q = testutil.StartRedis(t, "--appendonly", "yes", "--dir", p.Dir())
		} else {
			q = testutil.StartCairn(t, "--appendonly", "yes", "--dir", p.Dir())
		}
		aofSameDump(t, name+" started on the offline rewrite", aofDump(t, q.Addr()), want)
	}
	if r, c := strings.Join(layouts["redis-server"], "\n"), strings.Join(layouts["cairn-server"], "\n"); r != c {
		t.Fatalf("appendonlydir after each rewrite:\nredis-server:\n%s\ncairn-server:\n%s", r, c)
	}
}

// TestCairnLoadsRedisDumpRDB: with appendonly no, Cairn starts on the
// dump.rdb redis-server saved, as Redis would, with the same data; with
// appendonly yes it ignores the file, as Redis does.
func TestCairnLoadsRedisDumpRDB(t *testing.T) {
	testutil.RequireRedisServer(t)
	r := testutil.StartRedis(t)
	aofWorkload(t, r.Addr())
	c := aofClient(t, r.Addr(), 0)
	must(t, c.Set(context.Background(), "long", strings.Repeat("xyz", 2000), 0).Err())
	must(t, c.Save(context.Background()).Err())
	want := aofDump(t, r.Addr())
	r.Stop()
	p := testutil.StartCairn(t, "--appendonly", "no", "--dir", r.Dir())
	aofSameDump(t, "Cairn loading redis-server's dump.rdb", aofDump(t, p.Addr()), want)
	p.Stop()
	q := testutil.StartCairn(t, "--appendonly", "yes", "--dir", r.Dir())
	if n := aofClient(t, q.Addr(), 0).DBSize(context.Background()).Val(); n != 0 {
		t.Fatalf("with appendonly yes Cairn loaded %d keys from dump.rdb; Redis ignores the file then", n)
	}
}
