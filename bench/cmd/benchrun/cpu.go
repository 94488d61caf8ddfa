package main

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Server CPU per request. At pipeline 1 on two shared cores the load
// generator, not the server, sets the pace, so ops/s ratios sit near 1
// whatever the servers cost. What each server spent per request (user +
// system time of the whole process, its background threads included,
// over the run) shows the cost the throughput figure cannot.

// clockTicksPerSec is USER_HZ, the unit of utime/stime in /proc/<pid>/stat:
// 100 on every Linux architecture Go supports.
const clockTicksPerSec = 100

// cpuKey names the runs whose median is one CPU figure.
type cpuKey struct{ load, tool, server string }

// cpuRow is one line of the report's CPU table.
type cpuRow struct {
	Load    string  `json:"load"`
	Tool    string  `json:"tool"`
	CairnUs float64 `json:"cairn_us_per_request"`
	RedisUs float64 `json:"redis_us_per_request"`
	Ratio   float64 `json:"ratio"`
}

// cpuTicks returns the server's user + system time so far, in ticks.
func (s *server) cpuTicks() (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	return statTicks(b)
}

// statTicks reads utime + stime out of a /proc/<pid>/stat line.
func statTicks(b []byte) (int64, error) {
	// The command name (field 2) may hold spaces; fields are counted
	// from after its closing parenthesis.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0, fmt.Errorf("benchrun: unreadable /proc stat")
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("benchrun: short /proc stat")
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64) // field 14
	stime, err2 := strconv.ParseInt(f[12], 10, 64) // field 15
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("benchrun: bad /proc stat times")
	}
	return utime + stime, nil
}

// requestsOf is how many requests one run of l sends: -n for each test.
func requestsOf(l load, tests int) int64 {
	i := slices.Index(l.Args, "-n")
	if i < 0 || i+1 >= len(l.Args) {
		return 0
	}
	n, _ := strconv.ParseInt(l.Args[i+1], 10, 64)
	return n * int64(tests)
}

// addCPU records one run's CPU per request. Runs too short to measure in
// 10 ms ticks (under 50 ticks of server time) are left out.
func (b *bench) addCPU(l load, tool, server string, ticks int64, tests int) {
	req := requestsOf(l, tests)
	if req == 0 || ticks < 50 {
		return
	}
	if b.cpu == nil {
		b.cpu = map[cpuKey][]float64{}
	}
	us := float64(ticks) * 1e6 / clockTicksPerSec / float64(req)
	k := cpuKey{l.ID, tool, server}
	b.cpu[k] = append(b.cpu[k], us)
}

// cpuRows gives the median CPU per request of each load and tool that has
// figures for both servers.
func (b *bench) cpuRows() []cpuRow {
	var out []cpuRow
	for _, l := range b.loads {
		for _, tool := range []string{toolRedisBench, toolCairnBench} {
			c, r := b.cpu[cpuKey{l.ID, tool, "cairn"}], b.cpu[cpuKey{l.ID, tool, "redis"}]
			if len(c) == 0 || len(r) == 0 {
				continue
			}
			cm, rm := medianOf(slices.Clone(c)), medianOf(slices.Clone(r))
			out = append(out, cpuRow{Load: l.Title, Tool: tool, CairnUs: cm, RedisUs: rm, Ratio: cm / rm})
		}
	}
	return out
}

// cpuSection prints the CPU table.
func cpuSection(p func(string, ...any), rows []cpuRow) {
	if len(rows) == 0 {
		return
	}
	p("\n## Server CPU per request (user + system time of the server process over each run, median)\n\n")
	p("Where the load generator sets the pace (pipeline 1 on two shared cores), ops/s ratios stay near 1 whatever each server costs; this is the cost. Lower is better; ratio = Cairn / Redis.\n\n")
	p("| load | tool | Cairn µs/request | Redis µs/request | ratio |\n|---|---|---:|---:|---:|\n")
	for _, r := range rows {
		p("| %s | %s | %.2f | %.2f | **%.2f** |\n", r.Load, r.Tool, r.CairnUs, r.RedisUs, r.Ratio)
	}
}
