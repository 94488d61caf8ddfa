package integration

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"cairn/internal/testutil"
)

// TestAOFKill9Always: with appendfsync always, every write acknowledged
// before a SIGKILL is there after the restart, and counters are at least
// their acknowledged value.
func TestAOFKill9Always(t *testing.T) {
	p := testutil.StartCairn(t, "--appendonly", "yes", "--appendfsync", "always")
	ctx := context.Background()
	const clients = 8
	var acked [clients]atomic.Int64 // last acknowledged SET index per client
	var counter [clients]atomic.Int64
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c := aofClient(t, p.Addr(), 0)
			for n := int64(1); ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				if c.Set(ctx, fmt.Sprintf("k:%d:%d", i, n), n, 0).Err() != nil {
					return
				}
				acked[i].Store(n)
				v, err := c.Incr(ctx, "ctr:"+strconv.Itoa(i)).Result()
				if err != nil {
					return
				}
				counter[i].Store(v)
			}
		}(i)
	}
	time.Sleep(700 * time.Millisecond)
	p.Kill()
	close(stop)
	wg.Wait()
	p.Restart()
	c := aofClient(t, p.Addr(), 0)
	total := int64(0)
	for i := 0; i < clients; i++ {
		n := acked[i].Load()
		total += n
		for j := int64(1); j <= n; j++ {
			if v, err := c.Get(ctx, fmt.Sprintf("k:%d:%d", i, j)).Result(); err != nil || v != strconv.FormatInt(j, 10) {
				t.Fatalf("acknowledged k:%d:%d missing after kill -9: %q %v", i, j, v, err)
			}
		}
		got, _ := c.Get(ctx, "ctr:"+strconv.Itoa(i)).Int64()
		if got < counter[i].Load() {
			t.Errorf("ctr:%d = %d after restart, acknowledged %d", i, got, counter[i].Load())
		}
	}
	if total < 50 {
		t.Fatalf("only %d acknowledged writes: the test proves little", total)
	}
	t.Logf("%d acknowledged SETs survived kill -9", total)
}

// TestAOFIncrRacingRewrites: 20,000 INCRs from several clients race
// repeated BGREWRITEAOF. A rewrite without a point-in-time cut would
// count racing INCRs twice (in the base and in the new incremental file).
// The total must be exactly 20,000 after the rewrites and after a
// restart, and keys with TTLs keep their absolute expiry.
func TestAOFIncrRacingRewrites(t *testing.T) {
	p := testutil.StartCairn(t, "--appendonly", "yes")
	ctx := context.Background()
	admin := aofClient(t, p.Addr(), 0)
	// Enough keys that a rewrite takes a while, some with TTLs.
	pipe := admin.Pipeline()
	for i := 0; i < 20000; i++ {
		if i%4 == 0 {
			pipe.Set(ctx, "fill:"+strconv.Itoa(i), "v", time.Duration(1000+i)*time.Second)
		} else {
			pipe.Set(ctx, "fill:"+strconv.Itoa(i), "v", 0)
		}
	}
	_, err := pipe.Exec(ctx)
	must(t, err)
	ttlBefore, _ := admin.Do(ctx, "PEXPIRETIME", "fill:400").Int64()

	const clients, per = 8, 2500
	var wg sync.WaitGroup
	done := make(chan struct{})
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c := aofClient(t, p.Addr(), 0)
			for n := 0; n < per; n++ {
				if err := c.Incr(ctx, "hits").Err(); err != nil {
					t.Errorf("INCR: %v", err)
					return
				}
				if err := c.Append(ctx, "log:"+strconv.Itoa(i), "x").Err(); err != nil {
					t.Errorf("APPEND: %v", err)
					return
				}
			}
		}(i)
	}
	go func() { wg.Wait(); close(done) }()
	rewrites := 0
	for loop := true; loop; {
		select {
		case <-done:
			loop = false
		default:
			aofBGRewrite(t, admin)
			rewrites++
		}
	}
	// No clean rewrite after the INCRs stopped: the files on disk are the
	// base of a rewrite that raced them plus its incremental file.
	check := func(when string) {
		if v, _ := admin.Get(ctx, "hits").Int(); v != clients*per {
			t.Errorf("%s: hits = %d, want %d", when, v, clients*per)
		}
		for i := 0; i < clients; i++ {
			if n, _ := admin.StrLen(ctx, "log:"+strconv.Itoa(i)).Result(); n != per {
				t.Errorf("%s: log:%d has %d bytes, want %d", when, i, n, per)
			}
		}
		if at, _ := admin.Do(ctx, "PEXPIRETIME", "fill:400").Int64(); at != ttlBefore {
			t.Errorf("%s: fill:400 expires at %d, was %d", when, at, ttlBefore)
		}
	}
	check("after rewrites")
	if rewrites < 2 {
		t.Errorf("only %d rewrites raced the INCRs", rewrites)
	}
	t.Logf("%d rewrites raced %d INCRs", rewrites, clients*per)
	p.Kill() // no graceful flush: the files alone must hold it
	p.Restart()
	admin = aofClient(t, p.Addr(), 0)
	check("after kill and restart")
	if n, _ := admin.DBSize(ctx).Result(); n != 20000+1+clients {
		t.Errorf("dbsize = %d", n)
	}
}

// TestAOFCrashAtEachRewriteStep kills the server (SIGKILL from inside,
// through a failpoint) at every step of a rewrite and checks that the
// directory loads to the acknowledged state.
func TestAOFCrashAtEachRewriteStep(t *testing.T) {
	steps := []string{
		"rewrite-after-create-incr",
		"rewrite-after-incr-manifest",
		"rewrite-after-cut",
		"rewrite-mid-dump",
		"rewrite-after-temp-synced",
		"rewrite-after-rename",
		"rewrite-after-manifest",
	}
	for _, step := range steps {
		t.Run(step, func(t *testing.T) {
			t.Setenv("CAIRN_AOF_FAILPOINT", step)
			p := testutil.StartCairn(t, "--appendonly", "yes", "--appendfsync", "always")
			ctx := context.Background()
			c := aofClient(t, p.Addr(), 0)
			for i := 0; i < 200; i++ {
				must(t, c.Incr(ctx, "n").Err())
				must(t, c.Set(ctx, "k"+strconv.Itoa(i), i, time.Hour).Err())
			}
			must(t, c.Append(ctx, "a", "xy").Err())
			acked := 200
			c.BgRewriteAOF(ctx)
			for i := 0; i < 300 && p.Running(); i++ {
				if c.Incr(ctx, "n").Err() == nil {
					acked++
				}
				time.Sleep(time.Millisecond)
			}
			deadline := time.Now().Add(5 * time.Second)
			for p.Running() && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
			if p.Running() {
				t.Fatalf("failpoint %s never crashed the server", step)
			}
			os.Unsetenv("CAIRN_AOF_FAILPOINT")
			p.Restart()
			c = aofClient(t, p.Addr(), 0)
			n, _ := c.Get(ctx, "n").Int()
			if n < acked || n > acked+1 {
				t.Errorf("n = %d after crash at %s, acknowledged %d", n, step, acked)
			}
			if v, _ := c.Get(ctx, "a").Result(); v != "xy" {
				t.Errorf("a = %q after crash at %s", v, step)
			}
			for i := 0; i < 200; i++ {
				if v, _ := c.Get(ctx, "k"+strconv.Itoa(i)).Int(); v != i {
					t.Fatalf("k%d = %d after crash at %s", i, v, step)
				}
			}
			// The directory is still good for a full rewrite and restart.
			aofBGRewrite(t, c)
			p.Restart()
			c = aofClient(t, p.Addr(), 0)
			if n2, _ := c.Get(ctx, "n").Int(); n2 != n {
				t.Errorf("n = %d after a rewrite and restart, was %d", n2, n)
			}
		})
	}
}
