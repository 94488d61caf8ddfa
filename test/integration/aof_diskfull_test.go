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

// TestAOFDiskFull: while the AOF cannot be written (a fault-injecting
// writer returns ENOSPC after writing half a batch), write commands get
// -MISCONF, reads keep working, and writes resume by themselves once the
// disk has room; the half-written record never reaches a load.
func TestAOFDiskFull(t *testing.T) {
	flag := filepath.Join(t.TempDir(), "full")
	t.Setenv("CAIRN_AOF_DISKFULL", flag)
	p := testutil.StartCairn(t, "--appendonly", "yes", "--appendfsync", "everysec")
	ctx := context.Background()
	c := aofClient(t, p.Addr(), 0)
	must(t, c.Set(ctx, "a", "1", 0).Err())
	must(t, os.WriteFile(flag, nil, 0o644))
	// This one runs (and is kept in the buffer), as in Redis: the error
	// is found when its record is written.
	must(t, c.Set(ctx, "b", "2", 0).Err())
	err := c.Set(ctx, "c", "3", 0).Err()
	if err == nil || err.Error() != "MISCONF Errors writing to the AOF file: No space left on device" {
		t.Fatalf("write during disk full: %v", err)
	}
	if v, err := c.Get(ctx, "b").Result(); err != nil || v != "2" {
		t.Errorf("read during disk full: %q %v", v, err)
	}
	if v := aofInfo(t, c, "aof_last_write_status"); v != "err" {
		t.Errorf("aof_last_write_status = %s", v)
	}
	must(t, os.Remove(flag))
	ok := waitFor(5*time.Second, func() bool { return c.Set(ctx, "d", "4", 0).Err() == nil })
	if !ok {
		t.Fatal("writes did not resume after the disk had room again")
	}
	if v := aofInfo(t, c, "aof_last_write_status"); v != "ok" {
		t.Errorf("aof_last_write_status = %s after recovery", v)
	}
	time.Sleep(1200 * time.Millisecond) // let everysec fsync
	p.Kill()
	os.Unsetenv("CAIRN_AOF_DISKFULL")
	p.Restart()
	c = aofClient(t, p.Addr(), 0)
	got := aofDump(t, p.Addr())
	want := map[string]string{"0/a": "1@-1", "0/b": "2@-1", "0/d": "4@-1"}
	aofSameDump(t, "after disk full and restart", got, want)
	if strings.Contains(p.Output(), "truncating") {
		t.Errorf("the half-written record was left in the file:\n%s", p.Output())
	}
}
