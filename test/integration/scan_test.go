package integration

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"cairn/internal/testutil"
)

// TestScanGuaranteeWhileKeyspaceGrows: while other clients insert new keys
// (the keyspace grows more than tenfold, so every shard's table doubles
// several times) and delete other keys, each full SCAN returns every key
// that existed for its whole duration. The first scan also grows the
// keyspace itself between its pages, so at least one scan spans several
// doublings however the scheduler treats the concurrent writers.
func TestScanGuaranteeWhileKeyspaceGrows(t *testing.T) {
	t.Parallel()
	p := testutil.StartCairn(t)
	c := newClient(t, p, 2)
	ctx := testCtx(t, 90*time.Second)

	const stable, victims = 2000, 2000
	pipe := c.Pipeline()
	for i := 0; i < stable; i++ {
		pipe.Set(ctx, fmt.Sprintf("stable:%d", i), "s", 0)
	}
	for i := 0; i < victims; i++ {
		pipe.Set(ctx, fmt.Sprintf("victim:%d", i), "v", 0)
	}
	_, err := pipe.Exec(ctx)
	must(t, err)

	// Writers insert in small pipelines until told to stop or the
	// keyspace is 12x its start; a deleter removes the victims meanwhile.
	const target = 12 * (stable + victims)
	var stop atomic.Bool
	var inserted atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; !stop.Load() && inserted.Load() < target; i += 50 {
				pipe := c.Pipeline()
				for j := i; j < i+50; j++ {
					pipe.Set(ctx, fmt.Sprintf("new:%d:%d", w, j), "n", 0)
				}
				if _, err := pipe.Exec(ctx); err != nil {
					t.Error(err)
					return
				}
				inserted.Add(50)
				time.Sleep(time.Millisecond) // leave room for the scanner
			}
		}(w)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < victims && !stop.Load(); i++ {
			if err := c.Del(ctx, fmt.Sprintf("victim:%d", i)).Err(); err != nil {
				t.Error(err)
				return
			}
			if i%10 == 0 {
				time.Sleep(time.Millisecond)
			}
		}
	}()
	defer func() { stop.Store(true); wg.Wait() }()

	// Full scans with a small COUNT, so each spans many growth steps.
	scans, grewDuringScan := 0, false
	for grown := false; !grown; scans++ {
		startSize := c.DBSize(ctx).Val()
		seen := map[string]bool{}
		var between func() error
		if scans == 0 {
			page := 0
			between = func() error {
				// 50 keys after each of the first 400 pages: +20,000
				// keys (about 5x) before the scan can be half done, and
				// then no more, so the scan is not chasing its own growth.
				if page == 400 {
					return nil
				}
				pipe := c.Pipeline()
				for j := 0; j < 50; j++ {
					pipe.Set(ctx, fmt.Sprintf("grow:%d:%d", page, j), "g", 0)
				}
				page++
				_, err := pipe.Exec(ctx)
				return err
			}
		}
		if err := fullScan(ctx, c, 10, seen, between); err != nil {
			t.Fatal(err)
		}
		endSize := c.DBSize(ctx).Val()
		missing := 0
		for i := 0; i < stable; i++ {
			if !seen[fmt.Sprintf("stable:%d", i)] {
				missing++
			}
		}
		if missing > 0 {
			t.Fatalf("scan %d (keyspace %d -> %d keys) missed %d of %d keys present throughout", scans, startSize, endSize, missing, stable)
		}
		t.Logf("scan %d: keyspace %d -> %d keys during the scan, %d keys returned, all %d stable keys seen", scans, startSize, endSize, len(seen), stable)
		grewDuringScan = grewDuringScan || endSize >= 2*startSize
		grown = inserted.Load() >= target
		if scans > 50 {
			t.Fatal("the writers never reached their target")
		}
	}
	if !grewDuringScan {
		t.Fatalf("no scan saw the keyspace even double while it ran (%d scans); the test proved nothing", scans)
	}
}

// fullScan runs SCAN from cursor 0 until it returns 0, recording keys,
// and calls between, if not nil, after every page but the last.
func fullScan(ctx context.Context, c *redis.Client, count int64, seen map[string]bool, between func() error) error {
	var cursor uint64
	for {
		keys, next, err := c.Scan(ctx, cursor, "", count).Result()
		if err != nil {
			return err
		}
		for _, k := range keys {
			seen[k] = true
		}
		if next == 0 {
			return nil
		}
		if between != nil {
			if err := between(); err != nil {
				return err
			}
		}
		cursor = next
	}
}
