package integration

import (
	"context"
	"testing"
	"time"

	"cairn/internal/testutil"
)

// TestAOFConfigSetAppendonly: CONFIG SET appendonly yes writes the data
// set as a base and logs from then on; appendfsync changes at run time;
// appendonly no stops logging.
func TestAOFConfigSetAppendonly(t *testing.T) {
	p := testutil.StartCairn(t) // appendonly no
	ctx := context.Background()
	c := aofClient(t, p.Addr(), 0)
	must(t, c.Set(ctx, "before", "1", time.Hour).Err())
	must(t, c.ConfigSet(ctx, "appendonly", "yes").Err())
	aofWaitRewrite(t, c)
	if v := aofInfo(t, c, "aof_enabled"); v != "1" {
		t.Fatalf("aof_enabled = %s", v)
	}
	must(t, c.ConfigSet(ctx, "appendfsync", "always").Err())
	must(t, c.Incr(ctx, "after").Err())
	want := aofDump(t, p.Addr())
	p.Kill()
	q := testutil.StartCairn(t, "--appendonly", "yes", "--dir", p.Dir())
	aofSameDump(t, "after CONFIG SET appendonly yes", aofDump(t, q.Addr()), want)
	c2 := aofClient(t, q.Addr(), 0)
	must(t, c2.ConfigSet(ctx, "appendonly", "no").Err())
	must(t, c2.Set(ctx, "unlogged", "x", 0).Err())
	q.Kill()
	r := testutil.StartCairn(t, "--appendonly", "yes", "--dir", p.Dir())
	aofSameDump(t, "after appendonly no", aofDump(t, r.Addr()), want)
}
