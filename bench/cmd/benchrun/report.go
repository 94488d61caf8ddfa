package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// row is one figure of the report: a load's test, measured by one tool
// on both servers (or on two Cairn configurations for scaling).
type row struct {
	Load      string    `json:"load"`
	Title     string    `json:"title"`
	Mode      string    `json:"mode"`
	Test      string    `json:"test"`
	Tool      string    `json:"tool"`
	A         measure   `json:"cairn"`
	B         measure   `json:"redis"`
	ARuns     []float64 `json:"cairn_rps_runs"`
	BRuns     []float64 `json:"redis_rps_runs"`
	Ratio     float64   `json:"ratio"`
	P99Ratio  float64   `json:"p99_ratio,omitempty"`
	Target    string    `json:"target,omitempty"`
	TargetMet *bool     `json:"target_met,omitempty"`
}

func (b *bench) rows(s *samples, ls []load, a, bn string) []row {
	byID := map[string]load{}
	for _, l := range ls {
		byID[l.ID] = l
	}
	var out []row
	for _, k := range s.order {
		if k.server != a {
			continue
		}
		l := byID[k.load]
		ma, _ := s.median(k)
		kb := k
		kb.server = bn
		mb, ok := s.median(kb)
		if !ok {
			continue
		}
		r := row{Load: l.ID, Title: l.Title, Mode: l.ModeID, Test: k.test, Tool: k.tool, A: ma, B: mb,
			ARuns: s.rpsRuns(k), BRuns: s.rpsRuns(kb)}
		if mb.RPS > 0 {
			r.Ratio = ma.RPS / mb.RPS
		}
		if ma.P99 > 0 && mb.P99 > 0 {
			r.P99Ratio = ma.P99 / mb.P99
		}
		if t, ok := targetFor(l.ID, k.test); ok && a == "cairn" {
			r.Target = fmt.Sprintf("≥ %.1f", t.minRatio)
			met := r.Ratio >= t.minRatio
			if t.maxP99 > 0 {
				r.Target += fmt.Sprintf(", p99 ≤ %.1f×", t.maxP99)
				met = met && r.P99Ratio > 0 && r.P99Ratio <= t.maxP99
			}
			r.TargetMet = &met
		}
		out = append(out, r)
	}
	return out
}

// toolCheck compares the two load generators against the same server.
type toolCheck struct {
	Load           string    `json:"load"`
	Test           string    `json:"test"`
	Server         string    `json:"server"`
	RedisBenchRPS  float64   `json:"redis_benchmark_rps"`
	CairnBenchRPS  float64   `json:"cairn_benchmark_rps"`
	CairnOverRedis float64   `json:"ratio"`
	RedisBenchRuns []float64 `json:"redis_benchmark_rps_runs,omitempty"`
	CairnBenchRuns []float64 `json:"cairn_benchmark_rps_runs,omitempty"`
}

func (b *bench) toolChecks() []toolCheck {
	var out []toolCheck
	for _, k := range b.s.order {
		if k.tool != toolRedisBench || k.test == combinedTest {
			continue
		}
		rb, _ := b.s.median(k)
		kc := k
		kc.tool = toolCairnBench
		cb, ok := b.s.median(kc)
		if !ok || rb.RPS == 0 {
			continue
		}
		out = append(out, toolCheck{Load: k.load, Test: k.test, Server: k.server,
			RedisBenchRPS: rb.RPS, CairnBenchRPS: cb.RPS, CairnOverRedis: cb.RPS / rb.RPS,
			RedisBenchRuns: b.s.rpsRuns(k), CairnBenchRuns: b.s.rpsRuns(kc)})
	}
	return out
}

// record is the JSON file.
type record struct {
	Date       string          `json:"date"`
	Quick      bool            `json:"quick"`
	Reps       int             `json:"reps"`
	Seconds    float64         `json:"seconds"`
	Machine    machine         `json:"machine"`
	Loads      []load          `json:"loads"`
	Rows       []row           `json:"rows"`
	ToolChecks []toolCheck     `json:"tool_checks"`
	Scaling    []row           `json:"scaling"`
	Loops      []row           `json:"loops,omitempty"`
	Memory     []memoryResult  `json:"memory"`
	AOFLoad    []aofLoadResult `json:"aof_load"`
	Rewrite    []rewriteResult `json:"rewrite,omitempty"`
	GC         *gcResult       `json:"gc,omitempty"`
	CPU        []cpuRow        `json:"cpu_per_request,omitempty"`
	Notes      []string        `json:"notes"`
}

func (b *bench) writeReports(dir string, m machine, quick, partial bool, elapsed time.Duration) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	now := time.Now()
	base := now.Format("2006-01-02") + "-" + m.Host
	if quick {
		base += "-quick"
	}
	if partial {
		base += "-partial" // a -only run must not replace latest.md
	}
	sl := scalingLoad(b.sc)
	rec := record{Date: now.Format(time.RFC3339), Quick: quick, Reps: b.sc.reps, Seconds: elapsed.Seconds(), Machine: m,
		Loads: b.loads, Rows: b.rows(b.s, b.loads, "cairn", "redis"), ToolChecks: b.toolChecks(),
		Scaling: b.rows(b.scaling, []load{sl}, "GOMAXPROCS=2", "GOMAXPROCS=1"),
		Loops:   b.rows(b.loopScaling, []load{sl}, "2 loops", "1 loop"),
		Memory:  b.memory, AOFLoad: b.aofLoad, Rewrite: b.rewrite, GC: b.gc, CPU: b.cpuRows(), Notes: b.notes}
	js, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return err
	}
	var charts []string
	if len(rec.Rows) > 0 {
		if charts, err = writeCharts(dir, base, rec); err != nil {
			return err
		}
	}
	md := markdown(rec, charts)
	files := map[string][]byte{base + ".json": js, base + ".md": []byte(md)}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	if partial {
		logf("wrote %s/%s.{md,json} in %s", dir, base, elapsed.Round(time.Second))
		return nil
	}
	// latest.md and the latest-* charts are what README links to.
	if err := os.WriteFile(filepath.Join(dir, "latest.md"), []byte(md), 0o644); err != nil {
		return err
	}
	for _, c := range charts {
		data, err := os.ReadFile(filepath.Join(dir, c))
		if err != nil {
			return err
		}
		latest := "latest-" + strings.TrimPrefix(c, base+"-")
		if err := os.WriteFile(filepath.Join(dir, latest), data, 0o644); err != nil {
			return err
		}
	}
	logf("wrote %s/%s.{md,json} and %d charts in %s", dir, base, len(charts), elapsed.Round(time.Second))
	return nil
}

// rerender redraws the Markdown report and the charts of a saved record,
// e.g. after the report format changed.
func rerender(jsonPath, dir string) error {
	data, err := os.ReadFile(jsonPath)
	if err != nil {
		return err
	}
	var rec record
	if err := json.Unmarshal(data, &rec); err != nil {
		return fmt.Errorf("benchrun: %s: %w", jsonPath, err)
	}
	base := strings.TrimSuffix(filepath.Base(jsonPath), ".json")
	var charts []string
	if len(rec.Rows) > 0 {
		if charts, err = writeCharts(dir, base, rec); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(dir, base+".md"), []byte(markdown(rec, charts)), 0o644)
}

func kops(v float64) string {
	if v <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.0fk", v/1000)
}

func msf(v float64) string {
	if v < 0 {
		return "—"
	}
	return fmt.Sprintf("%.3f", v)
}

func markdown(rec record, charts []string) string {
	var w strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&w, format, args...) }
	kind := "make bench"
	if rec.Quick {
		kind = "make bench-quick (smaller loads)"
	}
	m := rec.Machine
	p("# Cairn vs Redis — %s, %s\n\n", rec.Date, kind)
	p("Machine: %s, %d cores (%s), %s RAM, Linux %s, load average at start %s, at end %s (other work on the machine shows here: with more than 2 runnable tasks, figures are noisy). %s; Cairn %s built with %s. ",
		m.Host, m.Cores, m.CPU, m.MemTotal, m.Kernel, m.LoadAvg, m.LoadAvgEnd, m.RedisServer, m.CairnCommit, m.GoVersion)
	p("Server and load generator share the cores. Each figure is the median of %d runs, servers alternating per run; ratio = Cairn / Redis measured by the same tool. Run took %.0f s.\n\n",
		rec.Reps, rec.Seconds)
	for _, c := range charts {
		p("![%s](%s)\n\n", c, c)
	}
	p("## Throughput and latency\n\n")
	p("| load | test | tool | Cairn ops/s | Redis ops/s | ratio | target | Cairn p50 / p99 ms | Redis p50 / p99 ms |\n|---|---|---|---:|---:|---:|---|---|---|\n")
	for _, r := range rec.Rows {
		tg := r.Target
		if r.TargetMet != nil {
			if *r.TargetMet {
				tg += " (met)"
			} else {
				tg += " (**not met**)"
			}
		}
		p("| %s | %s | %s | %s | %s | **%.2f** | %s | %s / %s | %s / %s |\n", r.Title, r.Test, r.Tool,
			kops(r.A.RPS), kops(r.B.RPS), r.Ratio, tg, msf(r.A.P50), msf(r.A.P99), msf(r.B.P50), msf(r.B.P99))
	}
	p("\nLatency percentiles from cairn-benchmark (ms; redis-benchmark's CSV has no p90/p99.9):\n\n")
	p("| load | test | Cairn p50 / p90 / p99 / p99.9 / max | Redis p50 / p90 / p99 / p99.9 / max |\n|---|---|---|---|\n")
	for _, r := range rec.Rows {
		if r.Tool != toolCairnBench || r.Test == combinedTest {
			continue
		}
		p("| %s | %s | %s / %s / %s / %s / %s | %s / %s / %s / %s / %s |\n", r.Title, r.Test,
			msf(r.A.P50), msf(r.A.P90), msf(r.A.P99), msf(r.A.P999), msf(r.A.Max),
			msf(r.B.P50), msf(r.B.P90), msf(r.B.P99), msf(r.B.P999), msf(r.B.Max))
	}
	cpuSection(p, rec.CPU)
	p("\n## Memory per key (distinct 16-byte keys, 16-byte values, no persistence)\n\n")
	p("| server | keys | RSS idle | RSS loaded | bytes per key |\n|---|---:|---:|---:|---:|\n")
	for _, r := range rec.Memory {
		p("| %s | %d | %d kB | %d kB | %.1f |\n", r.Server, r.Keys, r.BaseKB, r.LoadedKB, r.BytesPerKey)
	}
	if len(rec.Memory) == 2 && rec.Memory[1].BytesPerKey > 0 {
		p("\nRatio Cairn / Redis: **%.2f** (target ≤ 1.0).\n", rec.Memory[0].BytesPerKey/rec.Memory[1].BytesPerKey)
	}
	p("\n## Start-up with an AOF (appendonly yes, everysec, then SIGTERM and restart)\n\n")
	p("| server | keys written | keys restored | AOF bytes | seconds to first PONG |\n|---|---:|---:|---:|---:|\n")
	for _, r := range rec.AOFLoad {
		note := ""
		if r.KeysLoaded != r.KeysWritten {
			note = " (**restart did not restore the data**)"
		}
		p("| %s | %d | %d%s | %d | %.2f |\n", r.Server, r.KeysWritten, r.KeysLoaded, note, r.AOFBytes, r.Seconds)
	}
	rewriteSection(p, rec.Rewrite)
	gcSection(p, rec.GC)
	p("\n## Scaling: Cairn with GOMAXPROCS=2 vs 1, and with 2 event loops vs 1\n\n")
	p("| load | test | tool | GOMAXPROCS=2 ops/s | GOMAXPROCS=1 ops/s | ratio |\n|---|---|---|---:|---:|---:|\n")
	for _, r := range rec.Scaling {
		p("| %s | %s | %s | %s | %s | %.2f |\n", r.Title, r.Test, r.Tool, kops(r.A.RPS), kops(r.B.RPS), r.Ratio)
	}
	if len(rec.Loops) > 0 {
		p("\nBoth use one event loop (the default below four cores). The same load with two loops at GOMAXPROCS=2 (CAIRN_NETLOOPS=2):\n\n")
		p("| load | test | tool | 2 loops ops/s | 1 loop ops/s | ratio | 2 loops p99 ms | 1 loop p99 ms |\n|---|---|---|---:|---:|---:|---:|---:|\n")
		for _, r := range rec.Loops {
			p("| %s | %s | %s | %s | %s | %.2f | %.3f | %.3f |\n", r.Title, r.Test, r.Tool, kops(r.A.RPS), kops(r.B.RPS), r.Ratio, r.A.P99, r.B.P99)
		}
	}
	p("\n## Load generator check: cairn-benchmark vs redis-benchmark, same server, same flags\n\n")
	p("| load | test | server | redis-benchmark ops/s (runs min–max) | cairn-benchmark ops/s (runs min–max) | ratio |\n|---|---|---|---:|---:|---:|\n")
	for _, c := range rec.ToolChecks {
		p("| %s | %s | %s | %s%s | %s%s | %.2f |\n", c.Load, c.Test, c.Server, kops(c.RedisBenchRPS), spread(c.RedisBenchRuns),
			kops(c.CairnBenchRPS), spread(c.CairnBenchRuns), c.CairnOverRedis)
	}
	p("\nA ratio at or above 1 means cairn-benchmark is not the bottleneck. It often reads higher than redis-benchmark on this 2-core machine because it costs the shared CPU less per request: redis-benchmark 7.0 re-arms its epoll write and read events for every request (strace -c: 5 epoll_ctl per GET at -P 1), cairn-benchmark makes one write and one read per batch.\n")
	p("\nThe mixed load (ratio and zipfian keys) exists only in cairn-benchmark; every other Cairn/Redis ratio above is given by both tools.\n")
	for _, n := range rec.Notes {
		p("\n%s\n", n)
	}
	return w.String()
}

// rewriteSection prints the BGREWRITEAOF table and the Cairn / Redis
// ratios of time and peak memory.
func rewriteSection(p func(string, ...any), rs []rewriteResult) {
	if len(rs) == 0 {
		return
	}
	p("\n## AOF rewrite (appendonly yes, N distinct 16-byte keys and values, then BGREWRITEAOF)\n\n")
	p("| server | keys | seconds until done | RSS before | peak RSS during rewrite | increase | samples | AOF bytes after |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
	byServer := map[string]rewriteResult{}
	for _, r := range rs {
		byServer[r.Server] = r
		p("| %s | %d | %.2f | %d kB | %d kB | %d kB | %d | %d |\n", r.Server, r.Keys, r.Seconds, r.BeforeKB, r.PeakKB, r.IncreaseKB, r.Samples, r.AOFBytes)
	}
	c, okc := byServer["cairn"]
	r, okr := byServer["redis"]
	if okc && okr && r.Seconds > 0 && r.PeakKB > 0 {
		p("\nRatio Cairn / Redis: time **%.2f**, peak RSS **%.2f**", c.Seconds/r.Seconds, float64(c.PeakKB)/float64(r.PeakKB))
		if r.IncreaseKB > 0 {
			p(", RSS increase **%.2f**", float64(c.IncreaseKB)/float64(r.IncreaseKB))
		}
		p(" (lower is better).\n")
	}
	p("\nTime runs from sending BGREWRITEAOF until INFO persistence shows aof_rewrite_in_progress:0, aof_last_bgrewrite_status:ok and a higher aof_rewrites count. RSS is sampled every 10 ms: Cairn's VmRSS; for Redis the parent's VmRSS plus its forked child's. Pages the child still shares copy-on-write with the parent count in both, so Redis's peak is an upper bound on the memory the machine really used.\n")
}

// spread prints the range of a figure's runs, " (lo–hi)", so a ratio
// built from noisy runs can be read as such.
func spread(runs []float64) string {
	if len(runs) < 2 {
		return ""
	}
	lo, hi := slices.Min(runs), slices.Max(runs)
	return fmt.Sprintf(" (%s–%s)", kops(lo), kops(hi))
}

// gcSection prints Cairn's GC pauses under load (issue 6: p99 < 1 ms
// with 10M keys).
func gcSection(p func(string, ...any), g *gcResult) {
	if g == nil {
		return
	}
	p("\n## GC pauses under load (Cairn)\n\n")
	p("| keys | load | GC cycles | pauses | p50 | p99 | p99.9 | max | live heap | RSS |\n|---|---|---|---|---|---|---|---|---|---|\n")
	p("| %d | %.0f s | %d | %d | %.0f µs | %.0f µs | %.0f µs | %.0f µs | %d MB | %d MB |\n",
		g.Keys, g.LoadSecs, g.Cycles, g.Pauses, g.P50us, g.P99us, g.P999us, g.MaxUs, g.HeapBytes>>20, g.RSSKB>>10)
	p("\nStop-the-world pauses from the Go runtime's histogram (INFO cairn, counted from CONFIG RESETSTAT), while cairn-benchmark fills the keys (-c 50 -P 100 SET, 16-byte values) and then runs -c 50 -P 16 SET then GET over all of them with 40-byte values, so every SET replaces an allocation. A percentile is its histogram bucket's upper bound.\n")
}
