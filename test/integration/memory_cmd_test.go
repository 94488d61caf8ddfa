package integration

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"cairn/internal/testutil"
)

// TestMemoryCommandsWithGoRedis: MEMORY USAGE measures a key and its
// value, MEMORY STATS counts the keys and what they take, and ROLE says
// primary, through go-redis's own helpers in both protocols.
func TestMemoryCommandsWithGoRedis(t *testing.T) {
	p := testutil.StartCairn(t)
	for _, proto := range []int{2, 3} {
		c := newClient(t, p, proto)
		ctx := testCtx(t, 20*time.Second)
		must(t, c.FlushAll(ctx).Err())
		value := strings.Repeat("v", 1000)
		pipe := c.Pipeline()
		for i := range 1000 {
			pipe.Set(ctx, fmt.Sprint("key:", i), value, 0)
		}
		_, err := pipe.Exec(ctx)
		must(t, err)
		n, err := c.MemoryUsage(ctx, "key:7").Result()
		must(t, err)
		// 64-byte entry + a 1,024-byte size class for key and value + its
		// bucket slot.
		if n < 1000 || n > 1200 {
			t.Fatalf("RESP%d: MEMORY USAGE of a 1000-byte value: %d", proto, n)
		}
		if _, err := c.MemoryUsage(ctx, "key:7", 0).Result(); err != nil {
			t.Fatalf("RESP%d: MEMORY USAGE ... SAMPLES 0: %v", proto, err)
		}
		stats, err := c.Do(ctx, "MEMORY", "STATS").Result()
		must(t, err)
		fields := map[string]any{}
		switch v := stats.(type) {
		case []any: // RESP2: a flat list of pairs
			for i := 0; i+1 < len(v); i += 2 {
				fields[fmt.Sprint(v[i])] = v[i+1]
			}
		case map[any]any:
			for k, x := range v {
				fields[fmt.Sprint(k)] = x
			}
		default:
			t.Fatalf("RESP%d: MEMORY STATS reply %T", proto, stats)
		}
		if fields["keys.count"] != int64(1000) {
			t.Fatalf("RESP%d: keys.count = %v", proto, fields["keys.count"])
		}
		if d, _ := fields["dataset.bytes"].(int64); d < 1000*1000 {
			t.Fatalf("RESP%d: dataset.bytes = %v for 1000 values of 1000 bytes", proto, fields["dataset.bytes"])
		}
		if _, ok := fields["db.0"]; !ok {
			t.Fatalf("RESP%d: no db.0 in MEMORY STATS: %v", proto, fields)
		}
		role, err := c.Do(ctx, "ROLE").Slice()
		must(t, err)
		if len(role) != 3 || role[0] != "master" || role[1] != int64(0) {
			t.Fatalf("RESP%d: ROLE = %#v", proto, role)
		}
	}
}
