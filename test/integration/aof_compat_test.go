package integration

import (
	"context"
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

// TestAOFRefusesRDBBase: a base in RDB format is refused, naming it.
func TestAOFRefusesRDBBase(t *testing.T) {
	testutil.RequireRedisServer(t)
	r := testutil.StartRedis(t, "--appendonly", "yes", "--aof-use-rdb-preamble", "yes")
	c := aofClient(t, r.Addr(), 0)
	must(t, c.Set(context.Background(), "k", "v", 0).Err())
	aofBGRewrite(t, c)
	r.Stop()
	code, out := aofRunCairn(t, r.Dir())
	if code == 0 || !strings.Contains(out, "appendonly.aof.2.base.rdb") || !strings.Contains(out, "RDB format") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}
