package command

import (
	"math"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
)

// INFO cairn is Cairn's own section, shown only when asked for by name
// (not in the default, "all" or "everything" selections, so INFO stays
// what Redis clients expect). It reports the Go runtime's garbage
// collector: stop-the-world pauses since start or since CONFIG RESETSTAT
// (percentiles from the runtime's pause histogram), cycles, live heap,
// and the GOGC / GOMEMLIMIT in force.

const metricGCPauses = "/sched/pauses/total/gc:seconds"

// gcBaseline is the pause histogram at the last CONFIG RESETSTAT. The
// collector is the process's, so one baseline serves every engine.
var gcBaseline struct {
	sync.Mutex
	counts []uint64
	cycles uint32
}

// resetGCBaseline makes the pause figures count from now.
func resetGCBaseline() {
	h := readPauses()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	gcBaseline.Lock()
	gcBaseline.counts = append(gcBaseline.counts[:0], h.Counts...)
	gcBaseline.cycles = ms.NumGC
	gcBaseline.Unlock()
}

func readPauses() *metrics.Float64Histogram {
	s := []metrics.Sample{{Name: metricGCPauses}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindFloat64Histogram {
		return &metrics.Float64Histogram{}
	}
	return s[0].Value.Float64Histogram()
}

// pauseStats are the pause figures since the baseline, in microseconds.
type pauseStats struct {
	count          uint64
	p50, p99, p999 float64
	max            float64
}

func gcPauseStats() pauseStats {
	h := readPauses()
	counts := make([]uint64, len(h.Counts))
	copy(counts, h.Counts)
	gcBaseline.Lock()
	if len(gcBaseline.counts) == len(counts) {
		for i, b := range gcBaseline.counts {
			counts[i] -= b
		}
	}
	gcBaseline.Unlock()
	return pauseStatsOf(counts, h.Buckets)
}

// pauseStatsOf reads percentiles off a histogram: buckets[i] and
// buckets[i+1] bound counts[i]. A percentile is reported as its bucket's
// upper bound, so it never understates a pause.
func pauseStatsOf(counts []uint64, buckets []float64) pauseStats {
	var st pauseStats
	for _, n := range counts {
		st.count += n
	}
	if st.count == 0 {
		return st
	}
	upper := func(i int) float64 {
		u := buckets[i+1]
		if math.IsInf(u, 1) {
			u = buckets[i]
		}
		return u * 1e6
	}
	at := func(q float64) float64 {
		want := uint64(math.Ceil(q * float64(st.count)))
		var seen uint64
		for i, n := range counts {
			seen += n
			if seen >= want {
				return upper(i)
			}
		}
		return upper(len(counts) - 1)
	}
	st.p50, st.p99, st.p999 = at(0.50), at(0.99), at(0.999)
	for i := len(counts) - 1; i >= 0; i-- {
		if counts[i] > 0 {
			st.max = upper(i)
			break
		}
	}
	return st
}

func infoCairn(e *Engine, w *infoWriter) {
	st := gcPauseStats()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	gcBaseline.Lock()
	cycles := ms.NumGC - gcBaseline.cycles
	gcBaseline.Unlock()
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
	w.str("go_version", runtime.Version())
	w.str("gomaxprocs", strconv.Itoa(runtime.GOMAXPROCS(0)))
	settings := []metrics.Sample{{Name: "/gc/gogc:percent"}, {Name: "/gc/gomemlimit:bytes"}}
	metrics.Read(settings)
	for i, name := range []string{"gogc", "gomemlimit"} {
		if settings[i].Value.Kind() == metrics.KindUint64 {
			w.str(name, strconv.FormatUint(settings[i].Value.Uint64(), 10))
		}
	}
	w.str("gc_cycles", strconv.FormatUint(uint64(cycles), 10))
	w.str("gc_pauses", strconv.FormatUint(st.count, 10))
	w.str("gc_pause_p50_us", f(st.p50))
	w.str("gc_pause_p99_us", f(st.p99))
	w.str("gc_pause_p999_us", f(st.p999))
	w.str("gc_pause_max_us", f(st.max))
	w.str("heap_live_bytes", strconv.FormatUint(ms.HeapAlloc, 10))
	w.str("heap_objects", strconv.FormatUint(ms.HeapObjects, 10))
	w.str("goroutines", strconv.Itoa(runtime.NumGoroutine()))
}
