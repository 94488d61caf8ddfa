package command

import (
	"strings"
	"testing"
)

func TestHistBuckets(t *testing.T) {
	prev := -1
	for ns := int64(0); ns < 1<<22; ns += 1 + ns/64 {
		i := histIndex(ns)
		if i < prev {
			t.Fatalf("bucket of %d ns is %d, below the previous %d", ns, i, prev)
		}
		prev = i
		if histUpper(i) < ns || (i > 0 && histUpper(i-1) >= ns) {
			t.Fatalf("%d ns in bucket %d [%d, %d]", ns, i, histUpper(i-1)+1, histUpper(i))
		}
		if w := histUpper(i) - histUpper(max(i-1, 0)); ns > 1024 && float64(w) > 0.07*float64(ns) {
			t.Fatalf("bucket %d is %d ns wide at %d ns", i, w, ns)
		}
	}
	if histIndex(1<<62) != histBuckets-1 {
		t.Fatal("huge durations must land in the last bucket")
	}
}

func TestPercentiles(t *testing.T) {
	var h latencyHist
	h.add(1000, 98)   // 98 calls of 1 µs
	h.add(50000, 1)   // one of 50 µs
	h.add(2000000, 1) // one of 2 ms
	var counts [histBuckets]uint64
	total := h.snapshot(&counts)
	for _, c := range []struct{ pct, lo, hi float64 }{{50, 1, 1.07}, {98, 1, 1.07}, {99, 50, 53.5}, {99.9, 2000, 2140}, {100, 2000, 2140}} {
		if got := percentileUs(&counts, total, c.pct); got < c.lo || got > c.hi {
			t.Errorf("p%v = %v µs, want in [%v, %v]", c.pct, got, c.lo, c.hi)
		}
	}
}

// Commands run through Exec show up in INFO latencystats and LATENCY
// HISTOGRAM; CONFIG RESETSTAT and latency-tracking no clear and stop it.
func TestLatencyStatsAndHistogram(t *testing.T) {
	m := newMemTest(t)
	for range 10 {
		m.run("set", "k", "v")
	}
	m.run("get", "k")
	info := m.run("info", "latencystats")
	if !strings.Contains(info, "latency_percentiles_usec_set:p50=") || !strings.Contains(info, ",p99.9=") {
		t.Fatalf("INFO latencystats:\n%s", info)
	}
	out := m.run("latency", "histogram", "set", "nosuch")
	if !strings.HasPrefix(out, "*2\r\n$3\r\nset\r\n*4\r\n$5\r\ncalls\r\n:10\r\n$14\r\nhistogram_usec\r\n*") {
		t.Fatalf("LATENCY HISTOGRAM set: %q", out)
	}
	if !strings.HasSuffix(out, ":10\r\n") {
		t.Fatalf("the cumulative counts must end at the 10 calls: %q", out)
	}
	m.must("+OK\r\n", "config", "resetstat")
	if out := m.run("latency", "histogram", "set"); out != "*0\r\n" {
		t.Fatalf("after RESETSTAT: %q", out)
	}
	m.must("+OK\r\n", "config", "set", "latency-tracking", "no")
	m.run("set", "k", "v")
	if out := m.run("latency", "histogram", "set"); out != "*0\r\n" {
		t.Fatalf("with latency-tracking no: %q", out)
	}
	m.must("+OK\r\n", "config", "set", "latency-tracking", "yes")
}
