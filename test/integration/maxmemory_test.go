package integration

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"cairn/internal/testutil"
)

// Tests of maxmemory and the eviction policies against a real
// cairn-server. Limits are set relative to INFO's used_memory at the
// time, so they do not depend on how much the process needs to start.

const mmValue = 1000 // bytes per value: keys are counted in KB

func mmUsed(t *testing.T, c *redis.Client) int64 {
	t.Helper()
	n, err := strconv.ParseInt(infoField(t, c, "memory", "used_memory"), 10, 64)
	must(t, err)
	return n
}

// mmNoBudget (with "100") lifts the time limit on one command's eviction:
// these tests check which keys a policy takes, and under load the default
// 500 µs would leave part of a big cut to the background eviction (tested
// in the command package).
const mmNoBudget = "--maxmemory-eviction-tenacity"

// mmSetLimit sets maxmemory to used_memory plus delta (negative: that
// many bytes must go).
func mmSetLimit(t *testing.T, c *redis.Client, delta int64) {
	t.Helper()
	must(t, c.ConfigSet(context.Background(), "maxmemory", strconv.FormatInt(mmUsed(t, c)+delta, 10)).Err())
}

// mmFill writes n keys prefix0..prefix(n-1) with mmValue-byte values and
// the given TTL (0: none), pipelined.
func mmFill(t *testing.T, c *redis.Client, prefix string, n int, ttl func(i int) time.Duration) {
	t.Helper()
	ctx := context.Background()
	val := strings.Repeat("v", mmValue)
	for start := 0; start < n; start += 100 {
		pipe := c.Pipeline()
		for i := start; i < min(n, start+100); i++ {
			var d time.Duration
			if ttl != nil {
				d = ttl(i)
			}
			pipe.Set(ctx, fmt.Sprint(prefix, i), val, d)
		}
		_, err := pipe.Exec(ctx)
		must(t, err)
	}
}

// mmExisting returns which of prefix0..prefix(n-1) exist.
func mmExisting(t *testing.T, c *redis.Client, prefix string, n int) []bool {
	t.Helper()
	ctx := context.Background()
	pipe := c.Pipeline()
	cmds := make([]*redis.IntCmd, n)
	for i := range n {
		cmds[i] = pipe.Exists(ctx, fmt.Sprint(prefix, i))
	}
	_, err := pipe.Exec(ctx)
	must(t, err)
	out := make([]bool, n)
	for i, cmd := range cmds {
		out[i] = cmd.Val() == 1
	}
	return out
}

func count(b []bool) int {
	n := 0
	for _, x := range b {
		if x {
			n++
		}
	}
	return n
}

// mmFillUntilOOM writes keys until a write is refused and returns the
// error text.
func mmFillUntilOOM(t *testing.T, c *redis.Client) string {
	t.Helper()
	ctx := context.Background()
	val := strings.Repeat("x", mmValue)
	for i := range 100000 {
		if err := c.Set(ctx, fmt.Sprint("fill:", i), val, 0).Err(); err != nil {
			return err.Error()
		}
	}
	t.Fatal("100000 writes past maxmemory were all accepted")
	return ""
}

// noeviction: denyoom commands get Redis's exact OOM error, reads and
// DEL still work, and writes work again once memory was freed.
func TestMaxmemoryNoEviction(t *testing.T) {
	ctx := context.Background()
	texts := map[string]string{}
	for name, p := range map[string]*testutil.Proc{"cairn": testutil.StartCairn(t), "redis": testutil.StartRedis(t)} {
		c := newClient(t, p, 2)
		must(t, c.Set(ctx, "kept", "v", 0).Err())
		mmSetLimit(t, c, 300_000)
		texts[name] = mmFillUntilOOM(t, c)
		if v, err := c.Get(ctx, "kept").Result(); err != nil || v != "v" {
			t.Errorf("%s: GET over the limit: %q, %v", name, v, err)
		}
		if err := c.Incr(ctx, "counter").Err(); err == nil || err.Error() != texts[name] {
			t.Errorf("%s: INCR over the limit: %v", name, err)
		}
		if n, err := c.Del(ctx, "kept").Result(); err != nil || n != 1 {
			t.Errorf("%s: DEL over the limit: %d, %v", name, n, err)
		}
		if got := infoField(t, c, "stats", "evicted_keys"); got != "0" {
			t.Errorf("%s: noeviction evicted %s keys", name, got)
		}
		must(t, c.FlushAll(ctx).Err())
		if err := c.Set(ctx, "again", "v", 0).Err(); err != nil {
			t.Errorf("%s: SET after FLUSHALL: %v", name, err)
		}
	}
	const want = "OOM command not allowed when used memory > 'maxmemory'."
	if texts["cairn"] != want || texts["redis"] != want {
		t.Fatalf("OOM texts: cairn %q, redis %q", texts["cairn"], texts["redis"])
	}
}

// volatile-*: keys without a TTL are never evicted; once no key with a
// TTL is left, writes are refused.
func TestMaxmemoryVolatileSparesPersistentKeys(t *testing.T) {
	ctx := context.Background()
	for _, policy := range []string{"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"} {
		t.Run(policy, func(t *testing.T) {
			p := testutil.StartCairn(t, mmNoBudget, "100", "--maxmemory-policy", policy)
			c := newClient(t, p, 2)
			mmFill(t, c, "plain:", 300, nil)
			mmFill(t, c, "ttl:", 300, func(int) time.Duration { return time.Hour })
			mmSetLimit(t, c, -150*mmValue)
			must(t, c.Set(ctx, "trigger", "x", 0).Err())
			if n := count(mmExisting(t, c, "plain:", 300)); n != 300 {
				t.Fatalf("%d of 300 keys without TTL left", n)
			}
			left := count(mmExisting(t, c, "ttl:", 300))
			if left > 200 || left < 50 {
				t.Fatalf("%d of 300 keys with TTL left after a 150 KB cut", left)
			}
			mmSetLimit(t, c, -400*mmValue)
			err := c.Set(ctx, "refused", "x", 0).Err()
			if err == nil || err.Error() != "OOM command not allowed when used memory > 'maxmemory'." {
				t.Fatalf("write with nothing volatile left: %v", err)
			}
			if n := count(mmExisting(t, c, "plain:", 300)); n != 300 {
				t.Fatalf("%d of 300 keys without TTL left", n)
			}
			if n := count(mmExisting(t, c, "ttl:", 300)); n != 0 {
				t.Fatalf("%d keys with TTL left while writes are refused", n)
			}
			if got := infoField(t, c, "stats", "evicted_keys"); got != "300" {
				t.Fatalf("evicted_keys %s, want 300", got)
			}
		})
	}
}

// volatile-ttl evicts the keys that expire soonest first.
func TestMaxmemoryVolatileTTLShortestFirst(t *testing.T) {
	ctx := context.Background()
	p := testutil.StartCairn(t, mmNoBudget, "100", "--maxmemory-policy", "volatile-ttl", "--maxmemory-samples", "10")
	c := newClient(t, p, 2)
	const n = 400
	mmFill(t, c, "k", n, func(i int) time.Duration { return time.Duration(i+1) * time.Minute })
	mmSetLimit(t, c, -200*mmValue)
	must(t, c.Set(ctx, "trigger", "x", 0).Err())
	exists := mmExisting(t, c, "k", n)
	var gone, rankSum int
	for i, ok := range exists {
		if !ok {
			gone++
			rankSum += i
		}
	}
	if gone < 150 || gone > 250 {
		t.Fatalf("%d keys evicted for 200 KB", gone)
	}
	// Exact order would give an average rank of gone/2; random eviction
	// n/2. Sampling is approximate, so allow some slack.
	if avg := rankSum / gone; avg > gone*3/4 {
		t.Fatalf("average TTL rank of evicted keys %d (of %d evicted)", avg, gone)
	}
	// A key that no sample happened to include survives (each key is
	// seen about five times over 200 evictions of 10 samples), so allow a
	// few of the soonest: random eviction would leave about 25 of them,
	// and 4 survivors showed up once in 8 runs.
	if n := count(exists[:50]); n > 7 {
		t.Fatalf("%d of the 50 soonest-expiring keys survived", n)
	}
}

// allkeys-lru keeps a hot set that is read while new keys push old ones
// out.
func TestMaxmemoryAllKeysLRUKeepsHotSet(t *testing.T) {
	ctx := context.Background()
	p := testutil.StartCairn(t, mmNoBudget, "100", "--maxmemory-policy", "allkeys-lru", "--maxmemory-samples", "10")
	c := newClient(t, p, 2)
	mmFill(t, c, "old:", 1000, nil)
	time.Sleep(2100 * time.Millisecond) // the LRU clock counts seconds
	read := func() {
		pipe := c.Pipeline()
		for i := range 100 {
			pipe.Get(ctx, fmt.Sprint("old:", i))
		}
		if _, err := pipe.Exec(ctx); err != nil && err != redis.Nil {
			t.Fatal(err)
		}
	}
	read()
	mmSetLimit(t, c, 0)
	for round := range 7 {
		mmFill(t, c, fmt.Sprint("new", round, ":"), 100, nil)
		read()
	}
	if n := count(mmExisting(t, c, "old:", 100)); n != 100 {
		t.Fatalf("%d of 100 hot keys survived", n)
	}
	if n := count(mmExisting(t, c, "old:", 1000)); n > 450 {
		t.Fatalf("%d of 1000 old keys left after 700 KB of new ones", n)
	}
}

// allkeys-lfu keeps the keys read most often.
func TestMaxmemoryAllKeysLFUKeepsFrequentKeys(t *testing.T) {
	ctx := context.Background()
	// A limit from the start, as a cache would run: LFU counting starts
	// with the first command.
	p := testutil.StartCairn(t, mmNoBudget, "100", "--maxmemory-policy", "allkeys-lfu", "--maxmemory-samples", "10", "--maxmemory", "1gb")
	c := newClient(t, p, 2)
	mmFill(t, c, "k", 1000, nil)
	for range 30 {
		pipe := c.Pipeline()
		for i := range 100 {
			pipe.Get(ctx, fmt.Sprint("k", i))
		}
		_, err := pipe.Exec(ctx)
		must(t, err)
	}
	freq, err := c.Do(ctx, "OBJECT", "FREQ", "k1").Int64()
	must(t, err)
	cold, err := c.Do(ctx, "OBJECT", "FREQ", "k999").Int64()
	must(t, err)
	if freq <= cold || cold != 5 {
		t.Fatalf("OBJECT FREQ: hot key %d, cold key %d", freq, cold)
	}
	mmSetLimit(t, c, 0)
	mmFill(t, c, "new:", 700, nil)
	if n := count(mmExisting(t, c, "k", 100)); n != 100 {
		t.Fatalf("%d of 100 frequent keys survived", n)
	}
	if got, _ := strconv.Atoi(infoField(t, c, "stats", "evicted_keys")); got < 600 {
		t.Fatalf("evicted_keys %d after 700 KB past the limit", got)
	}
}

// Evictions are logged as DEL in the right database: after a restart the
// data set is exactly what was left.
func TestMaxmemoryEvictionsReachAOF(t *testing.T) {
	ctx := context.Background()
	p := testutil.StartCairn(t, mmNoBudget, "100", "--appendonly", "yes", "--maxmemory-policy", "allkeys-random")
	c := aofClient(t, p.Addr(), 2)
	mmFill(t, c, "k", 500, nil)
	mmSetLimit(t, c, -200*mmValue)
	must(t, c.Set(ctx, "trigger", "x", 0).Err())
	evicted, _ := strconv.Atoi(infoField(t, c, "stats", "evicted_keys"))
	if evicted < 150 {
		t.Fatalf("evicted_keys %d", evicted)
	}
	// Back to no limit (set at run time, so the restart has none either).
	must(t, c.ConfigSet(ctx, "maxmemory", "0").Err())
	want := aofDump(t, p.Addr())
	if len(want) != 500+1-evicted {
		t.Fatalf("%d keys before restart, want %d", len(want), 500+1-evicted)
	}
	p.Restart()
	aofSameDump(t, "after restart", aofDump(t, p.Addr()), want)

	incr, err := os.ReadFile(filepath.Join(p.Dir(), "appendonlydir", "appendonly.aof.1.incr.aof"))
	must(t, err)
	if n := strings.Count(string(incr), "*2\r\n$3\r\nDEL\r\n"); n != evicted {
		t.Fatalf("%d DEL records in the AOF, %d evictions", n, evicted)
	}
	if !strings.HasPrefix(string(incr), "*2\r\n$6\r\nSELECT\r\n$1\r\n2\r\n") {
		t.Fatalf("AOF does not select db 2 first: %q", string(incr[:min(len(incr), 40)]))
	}
}
