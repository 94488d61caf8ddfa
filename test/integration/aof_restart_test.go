package integration

import (
	"context"
	"strings"
	"testing"
	"time"

	"cairn/internal/testutil"
)

// aofWorkload runs a mix of commands whose logged forms differ from the
// requests: relative TTLs, INCRBYFLOAT, APPEND, SETRANGE, several
// databases, SWAPDB, RENAME, COPY, MOVE, FLUSHDB, GETDEL, expiry.
func aofWorkload(t *testing.T, addr string) {
	t.Helper()
	ctx := context.Background()
	c0, c1, c2 := aofClient(t, addr, 0), aofClient(t, addr, 1), aofClient(t, addr, 2)
	must(t, c0.Set(ctx, "plain", "v", 0).Err())
	must(t, c0.Set(ctx, "ttl", "t", time.Hour).Err())
	must(t, c0.Incr(ctx, "counter").Err())
	must(t, c0.IncrBy(ctx, "counter", 41).Err())
	must(t, c0.IncrByFloat(ctx, "float", 2.5).Err())
	must(t, c0.Append(ctx, "app", "hello").Err())
	must(t, c0.Append(ctx, "app", " world").Err())
	must(t, c0.SetRange(ctx, "app", 0, "J").Err())
	must(t, c0.Set(ctx, "gone", "x", 0).Err())
	must(t, c0.Del(ctx, "gone").Err())
	must(t, c0.Set(ctx, "short", "x", 50*time.Millisecond).Err())
	must(t, c0.Expire(ctx, "plain", 2*time.Hour).Err())
	must(t, c0.Persist(ctx, "plain").Err())
	must(t, c0.Set(ctx, "getdel", "x", 0).Err())
	must(t, c0.GetDel(ctx, "getdel").Err())
	must(t, c1.Set(ctx, "one", "1", 0).Err())
	must(t, c1.Rename(ctx, "one", "uno").Err())
	must(t, c1.Copy(ctx, "uno", "dos", 2, false).Err())
	must(t, c2.Set(ctx, "tmp", "x", 0).Err())
	must(t, c2.Move(ctx, "tmp", 3).Err())
	must(t, c0.Do(ctx, "SWAPDB", 1, 4).Err())
	must(t, c2.Set(ctx, "flushed", "x", 0).Err())
	must(t, c0.MSet(ctx, "m1", "a", "m2", "b").Err())
	time.Sleep(120 * time.Millisecond)
	c0.Get(ctx, "short") // lazily expired: logged as DEL
}

// TestAOFRestartKeepsState: everything survives SIGTERM restarts, and
// restarting again and again neither changes the data nor grows the files.
func TestAOFRestartKeepsState(t *testing.T) {
	p := testutil.StartCairn(t, "--appendonly", "yes")
	aofWorkload(t, p.Addr())
	want := aofDump(t, p.Addr())
	if strings.Contains(want["0/app"], "hello") || want["0/app"] != "Jello world@-1" {
		t.Fatalf("workload: app = %q", want["0/app"])
	}
	p.Restart()
	aofSameDump(t, "after restart", aofDump(t, p.Addr()), want)
	sizes := aofDirSizes(t, p.Dir())
	for i := 0; i < 3; i++ {
		p.Restart()
	}
	aofSameDump(t, "after restart loop", aofDump(t, p.Addr()), want)
	after := aofDirSizes(t, p.Dir())
	if len(after) != len(sizes) {
		t.Errorf("files changed across restarts: %v -> %v", sizes, after)
	}
	for name, n := range sizes {
		if after[name] != n {
			t.Errorf("%s grew across restarts: %d -> %d", name, n, after[name])
		}
	}
	// A rewrite gives the same data in a smaller base, and that loads too.
	c := aofClient(t, p.Addr(), 0)
	aofBGRewrite(t, c)
	if m := aofManifest(t, p.Dir()); m != "file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n" {
		t.Errorf("manifest after rewrite:\n%s", m)
	}
	p.Restart()
	aofSameDump(t, "after rewrite and restart", aofDump(t, p.Addr()), want)
}

// TestAOFOffByFlag: --appendonly no writes nothing.
func TestAOFOffByFlag(t *testing.T) {
	p := testutil.StartCairn(t)
	c := aofClient(t, p.Addr(), 0)
	must(t, c.Set(context.Background(), "k", "v", 0).Err())
	if v := aofInfo(t, c, "aof_enabled"); v != "0" {
		t.Errorf("aof_enabled = %s", v)
	}
	p.Restart()
	if n, _ := c.DBSize(context.Background()).Result(); n != 0 {
		t.Errorf("dbsize after restart without AOF = %d", n)
	}
}
