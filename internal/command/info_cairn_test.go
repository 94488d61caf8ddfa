package command

import (
	"cairn/internal/config"
	"cairn/internal/store"

	"math"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

func TestPauseStatsOf(t *testing.T) {
	// buckets in seconds: [0,1us) [1us,10us) [10us,100us) [100us,1ms) [1ms,inf)
	buckets := []float64{0, 1e-6, 1e-5, 1e-4, 1e-3, math.Inf(1)}
	counts := []uint64{0, 90, 9, 1, 0}
	st := pauseStatsOf(counts, buckets)
	if st.count != 100 || st.p50 != 10 || st.p99 != 100 || st.p999 != 1000 || st.max != 1000 {
		t.Fatalf("got %+v", st)
	}
	if st := pauseStatsOf(make([]uint64, 5), buckets); st.count != 0 || st.p99 != 0 {
		t.Fatalf("empty histogram: %+v", st)
	}
	// the open last bucket reports its lower bound
	if st := pauseStatsOf([]uint64{0, 0, 0, 0, 3}, buckets); st.max != 1000 {
		t.Fatalf("overflow bucket: %+v", st)
	}
}

func TestInfoCairnOnlyByName(t *testing.T) {
	e := NewEngine(store.New(16), config.Default())
	for _, sel := range [][]byte{nil, []byte("all"), []byte("everything")} {
		var out []byte
		if sel == nil {
			out = e.Info()
		} else {
			out = e.Info(sel)
		}
		if strings.Contains(string(out), "# Cairn") {
			t.Fatalf("INFO %s shows the Cairn section", sel)
		}
	}
	runtime.GC()
	out := string(e.Info([]byte("CAIRN")))
	for _, f := range []string{"# Cairn\r\n", "gc_cycles:", "gc_pause_p99_us:", "gogc:100\r\n", "heap_live_bytes:"} {
		if !strings.Contains(out, f) {
			t.Fatalf("INFO cairn lacks %q:\n%s", f, out)
		}
	}
	runtime.GC()
	before := infoField(t, string(e.Info([]byte("cairn"))), "gc_pauses")
	e.ResetStats()
	// A collection may slip in between; it adds two pauses at most.
	if after := infoField(t, string(e.Info([]byte("cairn"))), "gc_pauses"); after > 2 || before < 2 {
		t.Fatalf("gc_pauses %d before RESETSTAT, %d after; want >= 2 then <= 2", before, after)
	}
}

func infoField(t *testing.T, info, name string) int {
	t.Helper()
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			n, err := strconv.Atoi(v)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			return n
		}
	}
	t.Fatalf("no %s in\n%s", name, info)
	return 0
}
