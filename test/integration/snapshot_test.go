package integration

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"cairn/internal/testutil"
)

// TestSnapshotLoadsInRedis: SAVE writes a dump.rdb that redis-server 7.0
// loads with the same data, and that Cairn loads back with appendonly no.
func TestSnapshotLoadsInRedis(t *testing.T) {
	testutil.RequireRedisServer(t)
	ctx := context.Background()
	p := testutil.StartCairn(t, "--appendonly", "no")
	aofWorkload(t, p.Addr())
	c := aofClient(t, p.Addr(), 0)
	for i := 0; i < 2000; i++ {
		must(t, c.Set(ctx, fmt.Sprint("bulk:", i), fmt.Sprint(i*7), 0).Err())
	}
	must(t, c.Save(ctx).Err())
	if n := aofInfo(t, c, "rdb_changes_since_last_save"); n != "0" {
		t.Fatalf("rdb_changes_since_last_save after SAVE: %s", n)
	}
	want := aofDump(t, p.Addr())
	if code := p.Stop(); code != 0 {
		t.Fatalf("cairn exit %d", code)
	}
	r := testutil.StartRedis(t, "--dir", p.Dir())
	aofSameDump(t, "redis-server loading Cairn's dump.rdb", aofDump(t, r.Addr()), want)
	r.Stop()
	p.Restart()
	aofSameDump(t, "Cairn loading its own dump.rdb", aofDump(t, p.Addr()), want)
}

// TestBGSaveIsPointInTime: a BGSAVE taken while eight clients keep
// incrementing counters completes, INFO reports it, and a restart from it
// has every key, each counter at a value it really had (between 1 and its
// final value).
func TestBGSaveIsPointInTime(t *testing.T) {
	ctx := context.Background()
	p := testutil.StartCairn(t, "--appendonly", "no")
	c := aofClient(t, p.Addr(), 0)
	pipe := c.Pipeline()
	for i := 0; i < 5000; i++ {
		pipe.Set(ctx, "fill:"+strconv.Itoa(i), "x", 0)
	}
	_, err := pipe.Exec(ctx)
	must(t, err)
	stop := make(chan struct{})
	done := make(chan struct{})
	for w := 0; w < 8; w++ {
		go func(w int) {
			defer func() { done <- struct{}{} }()
			wc := aofClient(t, p.Addr(), 0)
			for {
				select {
				case <-stop:
					return
				default:
				}
				if err := wc.Incr(ctx, "counter:"+strconv.Itoa(w)).Err(); err != nil {
					t.Error(err)
					return
				}
			}
		}(w)
	}
	time.Sleep(100 * time.Millisecond)
	before := aofInfo(t, c, "rdb_saves")
	must(t, c.Do(ctx, "BGSAVE").Err())
	deadline := time.Now().Add(20 * time.Second)
	for aofInfo(t, c, "rdb_saves") == before {
		if time.Now().After(deadline) {
			t.Fatal("BGSAVE did not finish")
		}
		time.Sleep(5 * time.Millisecond)
	}
	close(stop)
	for range 8 {
		<-done
	}
	if got := aofInfo(t, c, "rdb_last_bgsave_status"); got != "ok" {
		t.Fatalf("rdb_last_bgsave_status %s", got)
	}
	final := aofDump(t, p.Addr())
	// Restart from the snapshot: every counter is there, at most its final value.
	p.Stop()
	p.Restart()
	snap := aofDump(t, p.Addr())
	if len(snap) < 5000+8 {
		t.Fatalf("snapshot holds %d keys", len(snap))
	}
	for w := 0; w < 8; w++ {
		k := "0/counter:" + strconv.Itoa(w)
		var s, f int64
		fmt.Sscanf(snap[k], "%d@", &s)
		fmt.Sscanf(final[k], "%d@", &f)
		if s <= 0 || s > f {
			t.Fatalf("%s: snapshot %d, final %d", k, s, f)
		}
	}
}

// TestSavePointsAndShutdownSave: with a save point of one change in one
// second a write is saved by itself; SHUTDOWN saves when save points are
// set, SHUTDOWN NOSAVE does not, and without save points SHUTDOWN SAVE
// still does.
func TestSavePointsAndShutdownSave(t *testing.T) {
	ctx := context.Background()
	p := testutil.StartCairn(t, "--appendonly", "no", "--save", "1 1")
	c := aofClient(t, p.Addr(), 0)
	must(t, c.Set(ctx, "auto", "saved", 0).Err())
	dump := filepath.Join(p.Dir(), "dump.rdb")
	if !waitFor(10*time.Second, func() bool { _, err := os.Stat(dump); return err == nil }) {
		t.Fatal("no dump.rdb after a save point was reached")
	}
	must(t, c.Set(ctx, "at-shutdown", "saved", 0).Err())
	c.Shutdown(ctx) // the connection closes as the server stops
	p.Restart()
	got := aofDump(t, p.Addr())
	if got["0/auto"] != "saved@-1" || got["0/at-shutdown"] != "saved@-1" {
		t.Fatalf("after SHUTDOWN with save points: %v", got)
	}
	c = aofClient(t, p.Addr(), 0)
	must(t, c.Set(ctx, "lost", "x", 0).Err())
	c.Do(ctx, "SHUTDOWN", "NOSAVE")
	p.Restart()
	if got := aofDump(t, p.Addr()); got["0/lost"] != "" {
		t.Fatalf("SHUTDOWN NOSAVE saved: %v", got)
	}

	q := testutil.StartCairn(t, "--appendonly", "no")
	c = aofClient(t, q.Addr(), 0)
	must(t, c.Set(ctx, "forced", "x", 0).Err())
	c.Do(ctx, "SHUTDOWN", "SAVE")
	q.Restart()
	if got := aofDump(t, q.Addr()); got["0/forced"] != "x@-1" {
		t.Fatalf("SHUTDOWN SAVE without save points: %v", got)
	}
}
