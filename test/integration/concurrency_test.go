package integration

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"cairn/internal/testutil"
)

// TestConcurrentMix runs many clients at once against one server: INCRs
// on shared counters (some in two databases that SWAPDB keeps exchanging),
// MSET/MGET pairs that must always read equal values, RENAME chains and
// FLUSHDBs. Counters must come out exact and nothing may deadlock.
func TestConcurrentMix(t *testing.T) {
	t.Parallel()
	p := testutil.StartCairn(t)
	ctx := testCtx(t, 90*time.Second)
	done := make(chan struct{})
	go func() {
		defer close(done)
		runConcurrentMix(t, ctx, func(db int) *redis.Client {
			return redis.NewClient(&redis.Options{Addr: p.Addr(), Protocol: 2, DB: db, PoolSize: 4,
				ReadTimeout: 20 * time.Second})
		})
	}()
	select {
	case <-done:
	case <-time.After(80 * time.Second):
		t.Fatal("concurrent mix did not finish within 80s: deadlock?")
	}
}

// runConcurrentMix is the workload of TestConcurrentMix; newClient opens
// a client on the given database. It may run outside the test goroutine,
// so it reports with t.Errorf only.
func runConcurrentMix(t *testing.T, ctx context.Context, newClient func(db int) *redis.Client) {
	const (
		incrWorkers = 8
		incrsEach   = 400
		counters    = 4
	)
	var wg sync.WaitGroup
	fail := func(format string, args ...any) { t.Errorf(format, args...) }

	// Counters in database 0, hit by every INCR worker.
	for w := 0; w < incrWorkers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			c := newClient(0)
			defer c.Close()
			// Odd workers pipeline, even workers go one by one.
			for i := 0; i < incrsEach; i++ {
				key := "ctr:" + strconv.Itoa(i%counters)
				if w%2 == 1 && i%20 == 0 && i+20 <= incrsEach {
					pipe := c.Pipeline()
					for j := i; j < i+20; j++ {
						pipe.Incr(ctx, "ctr:"+strconv.Itoa(j%counters))
					}
					if _, err := pipe.Exec(ctx); err != nil {
						fail("pipelined INCR: %v", err)
						return
					}
					i += 19
					continue
				}
				if err := c.Incr(ctx, key).Err(); err != nil {
					fail("INCR: %v", err)
					return
				}
			}
		}(w)
	}

	// Databases 1 and 2 are swapped over and over while workers INCR
	// "swapped" in both: the two values always add up to the INCR count.
	const swapIncrs = 300
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			c := newClient(1 + w%2)
			defer c.Close()
			for i := 0; i < swapIncrs; i++ {
				if err := c.Incr(ctx, "swapped").Err(); err != nil {
					fail("INCR swapped: %v", err)
					return
				}
			}
		}(w)
	}
	stopSwaps := make(chan struct{})
	var swaps sync.WaitGroup
	swaps.Add(1)
	go func() {
		defer swaps.Done()
		c := newClient(0)
		defer c.Close()
		for {
			select {
			case <-stopSwaps:
				return
			default:
			}
			if err := c.Do(ctx, "SWAPDB", 1, 2).Err(); err != nil {
				fail("SWAPDB: %v", err)
				return
			}
		}
	}()

	// MSET writes equal values to a pair of keys in different shards;
	// MGET must never see them differ.
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			c := newClient(3)
			defer c.Close()
			for i := 0; i < 300; i++ {
				v := fmt.Sprintf("%d-%d", w, i)
				if err := c.MSet(ctx, "pair:a", v, "pair:b", v, "pair:c", v).Err(); err != nil {
					fail("MSET: %v", err)
					return
				}
				got, err := c.MGet(ctx, "pair:a", "pair:b", "pair:c").Result()
				if err != nil {
					fail("MGET: %v", err)
					return
				}
				if got[0] != got[1] || got[1] != got[2] {
					fail("MGET saw a torn MSET: %v", got)
					return
				}
			}
		}(w)
	}

	// RENAME passes one token key around a ring of names; however the
	// renames interleave, exactly one key of the ring exists at the end.
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			c := newClient(4)
			defer c.Close()
			if w == 0 {
				if err := c.Set(ctx, "ring:0", "token", 0).Err(); err != nil {
					fail("SET ring: %v", err)
				}
			}
			for i := 0; i < 300; i++ {
				src, dst := fmt.Sprintf("ring:%d", i%5), fmt.Sprintf("ring:%d", (i+1)%5)
				err := c.Rename(ctx, src, dst).Err()
				if err != nil && err.Error() != "ERR no such key" {
					fail("RENAME: %v", err)
					return
				}
			}
		}(w)
	}

	// FLUSHDB races MSETs in database 5: never an error, never a hang.
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			c := newClient(5)
			defer c.Close()
			for i := 0; i < 200; i++ {
				var err error
				if w == 0 && i%10 == 0 {
					err = c.FlushDB(ctx).Err()
				} else {
					err = c.MSet(ctx, "f1", i, "f2", i, "f3", i).Err()
				}
				if err != nil {
					fail("FLUSHDB/MSET: %v", err)
					return
				}
			}
		}(w)
	}

	// Introspection from other goroutines while all of the above runs:
	// CLIENT LIST/INFO read other sessions' state, a MONITOR feed copies
	// every command, CLIENT KILL closes a victim connection, CONFIG SET
	// changes what the connection loops read.
	swaps.Add(1)
	go func() {
		defer swaps.Done()
		c := newClient(0)
		defer c.Close()
		addr := c.Options().Addr
		mon, err := testutil.DialRaw(addr)
		if err != nil {
			fail("dial monitor: %v", err)
			return
		}
		defer mon.Close()
		mon.SendCommand("MONITOR")
		go func() { mon.ReadUntilClose(2 * time.Minute) }() // drain the feed
		for i := 0; ; i++ {
			select {
			case <-stopSwaps:
				return
			default:
			}
			victim, err := testutil.DialRaw(addr)
			if err != nil {
				fail("dial victim: %v", err)
				return
			}
			victim.SendCommand("CLIENT", "SETNAME", "victim")
			victim.TryReadFrame(5 * time.Second)
			for _, args := range [][]any{
				{"CLIENT", "LIST"}, {"INFO", "everything"}, {"CLIENT", "KILL", "SKIPME", "yes", "TYPE", "normal", "LADDR", "1.2.3.4:5"},
				{"CONFIG", "SET", "hz", strconv.Itoa(10 + i%20)}, {"DBSIZE"}, {"SLOWLOG", "GET"}, {"RANDOMKEY"},
				{"MEMORY", "STATS"}, {"LATENCY", "HISTOGRAM"}, {"INFO", "latencystats"}, {"MEMORY", "USAGE", "pair:a"},
			} {
				if err := c.Do(ctx, args...).Err(); err != nil && err != redis.Nil {
					fail("%v: %v", args, err)
				}
			}
			// DUMP and RESTORE of a key the MSET writers keep changing.
			if payload, err := c.Dump(ctx, "pair:a").Result(); err == nil {
				if err := c.RestoreReplace(ctx, "copy:pair", 0, payload).Err(); err != nil {
					fail("RESTORE of a fresh DUMP: %v", err)
				}
			} else if err != redis.Nil {
				fail("DUMP: %v", err)
			}
			list, err := c.ClientList(ctx).Result()
			if err != nil {
				fail("CLIENT LIST: %v", err)
			}
			for _, line := range strings.Split(list, "\n") {
				if strings.Contains(line, "name=victim") {
					id := strings.TrimPrefix(strings.Fields(line)[0], "id=")
					c.Do(ctx, "CLIENT", "KILL", "ID", id)
				}
			}
			victim.Close()
		}
	}()

	wg.Wait()
	close(stopSwaps)
	swaps.Wait()

	c := newClient(0)
	defer c.Close()
	total := int64(0)
	for i := 0; i < counters; i++ {
		n, err := c.Get(ctx, "ctr:"+strconv.Itoa(i)).Int64()
		if err != nil {
			t.Errorf("GET ctr:%d: %v", i, err)
			return
		}
		total += n
	}
	if want := int64(incrWorkers * incrsEach); total != want {
		t.Errorf("counters add up to %d, want %d", total, want)
	}
	var swapped int64
	for db := 1; db <= 2; db++ {
		d := newClient(db)
		n, err := d.Get(ctx, "swapped").Int64()
		d.Close()
		if err != nil && err != redis.Nil {
			t.Errorf("GET swapped in db %d: %v", db, err)
			return
		}
		swapped += n
	}
	if swapped != 4*swapIncrs {
		t.Errorf("swapped counters add up to %d, want %d", swapped, 4*swapIncrs)
	}
	d := newClient(4)
	defer d.Close()
	if n := d.DBSize(ctx).Val(); n != 1 {
		t.Errorf("ring has %d keys after the renames, want 1", n)
	}
}

// TestConcurrentMixRaceBuild runs the same mix against cairn-server built
// with the race detector: any data race in the server makes it print a
// report (and exit 66), which fails the test.
func TestConcurrentMixRaceBuild(t *testing.T) {
	t.Parallel()
	s := startServer(t, raceBinary(t))
	ctx := testCtx(t, 120*time.Second)
	done := make(chan struct{})
	go func() {
		defer close(done)
		runConcurrentMix(t, ctx, func(db int) *redis.Client {
			return redis.NewClient(&redis.Options{Addr: s.addr, Protocol: 3, DB: db, PoolSize: 4,
				ReadTimeout: 30 * time.Second})
		})
	}()
	select {
	case <-done:
	case <-time.After(110 * time.Second):
		t.Fatal("concurrent mix did not finish within 110s: deadlock?")
	}
	must(t, s.cmd.Process.Signal(syscall.SIGTERM))
	code := s.wait(t, 15*time.Second)
	if out := s.out.String(); strings.Contains(out, "DATA RACE") || code != 0 {
		t.Fatalf("race-enabled server: exit code %d; output:\n%s", code, out)
	}
}
