package command

import (
	"math"
	"math/bits"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
)

// Per-command latency distributions for INFO latencystats and LATENCY
// HISTOGRAM (latency-tracking yes, the default). Durations are counted in
// log-linear buckets of nanoseconds: 16 per power of two, so a bucket is
// at most about 6% wide, and each is one atomic counter, so recording
// takes no lock. A connection records once per group of consecutive calls
// of one command (flushStats), each call at the group's average: calls
// inside a batch are timed together anyway (untimed.go).

const (
	histSub     = 16
	histBuckets = 48 * histSub // up to 2^47 ns, about 39 hours
)

type latencyHist struct {
	counts [histBuckets]atomic.Uint64
}

// histIndex is the bucket of a duration of ns nanoseconds.
func histIndex(ns int64) int {
	if ns < histSub {
		return int(max(ns, 0))
	}
	e := bits.Len64(uint64(ns)) - 5 // ns>>e is in [16, 32)
	return min((e+1)*histSub+int(uint64(ns)>>e)-histSub, histBuckets-1)
}

// histUpper is the largest duration bucket i holds.
func histUpper(i int) int64 {
	if i < histSub {
		return int64(i)
	}
	e, sub := i/histSub-1, i%histSub
	return int64(histSub+sub+1)<<e - 1
}

func (h *latencyHist) add(ns int64, n int64) { h.counts[histIndex(ns)].Add(uint64(n)) }

// snapshot copies the counts and returns their total.
func (h *latencyHist) snapshot(out *[histBuckets]uint64) uint64 {
	var total uint64
	for i := range h.counts {
		out[i] = h.counts[i].Load()
		total += out[i]
	}
	return total
}

// latency returns cmd's histogram, creating it on first use.
func (cmd *Command) latency() *latencyHist {
	if h := cmd.lat.Load(); h != nil {
		return h
	}
	cmd.lat.CompareAndSwap(nil, new(latencyHist))
	return cmd.lat.Load()
}

// percentileUs is the duration in µs below which pct percent of the
// counted calls fall: the upper bound of the bucket that reaches it.
func percentileUs(counts *[histBuckets]uint64, total uint64, pct float64) float64 {
	want := uint64(math.Ceil(pct / 100 * float64(total)))
	want = max(want, 1)
	var seen uint64
	for i, n := range counts {
		seen += n
		if seen >= want {
			return float64(histUpper(i)) / 1000
		}
	}
	return float64(histUpper(histBuckets-1)) / 1000
}

// commandsByName lists every command and subcommand, sorted by name.
func (e *Engine) commandsByName() []*Command {
	var cmds []*Command
	for _, cmd := range e.table {
		cmds = append(cmds, cmd)
		for _, sc := range cmd.Subs {
			cmds = append(cmds, sc)
		}
	}
	sort.Slice(cmds, func(i, j int) bool { return cmds[i].FullName < cmds[j].FullName })
	return cmds
}

// infoLatencyStats writes "latency_percentiles_usec_<cmd>:p50=...,..."
// for every command with counted calls.
func infoLatencyStats(e *Engine, w *infoWriter) {
	pcts := []float64{50, 99, 99.9}
	if e.Config != nil {
		pcts = e.Config.LatencyPercentiles()
	}
	var counts [histBuckets]uint64
	for _, cmd := range e.commandsByName() {
		h := cmd.lat.Load()
		if h == nil {
			continue
		}
		total := h.snapshot(&counts)
		if total == 0 {
			continue
		}
		b := append(w.b, "latency_percentiles_usec_"...)
		b = append(b, cmd.FullName...)
		b = append(b, ':')
		for i, p := range pcts {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, 'p')
			b = strconv.AppendFloat(b, p, 'f', -1, 64)
			b = append(b, '=')
			b = strconv.AppendFloat(b, percentileUs(&counts, total, p), 'f', 3, 64)
		}
		w.b = append(b, "\r\n"...)
	}
}

// cmdLatencyHistogram answers LATENCY HISTOGRAM [command ...]: for each
// command with counted calls (all of them, or those named; a name with
// subcommands stands for each of them), its calls and the cumulative
// count of calls at each power-of-two bound in µs.
func cmdLatencyHistogram(c *Ctx) {
	var cmds []*Command
	if len(c.Args) == 2 {
		cmds = c.E.commandsByName()
	} else {
		for _, a := range c.Args[2:] {
			name := strings.ToLower(string(a))
			parent, sub, isSub := strings.Cut(name, "|")
			cmd := c.E.table[parent]
			if cmd == nil {
				continue
			}
			if isSub {
				if sc := cmd.Subs[sub]; sc != nil {
					cmds = append(cmds, sc)
				}
				continue
			}
			cmds = append(cmds, cmd)
			subs := make([]*Command, 0, len(cmd.Subs))
			for _, sc := range cmd.Subs {
				subs = append(subs, sc)
			}
			sort.Slice(subs, func(i, j int) bool { return subs[i].FullName < subs[j].FullName })
			cmds = append(cmds, subs...)
		}
	}
	type entry struct {
		name   string
		total  uint64
		counts [histBuckets]uint64
	}
	var out []*entry
	for _, cmd := range cmds {
		h := cmd.lat.Load()
		if h == nil {
			continue
		}
		en := &entry{name: cmd.FullName}
		if en.total = h.snapshot(&en.counts); en.total > 0 {
			out = append(out, en)
		}
	}
	c.Map(len(out))
	for _, en := range out {
		c.BulkString(en.name)
		c.Map(2)
		c.BulkString("calls")
		c.Int(int64(en.total))
		c.BulkString("histogram_usec")
		// Bounds 2^10, 2^11, ... ns (1, 2, 4, 8 ... 65, 131 µs as Redis
		// prints them); a bound appears when calls fall at or below it.
		var bounds, cum []int64
		var seen, last uint64
		i := 0
		for m := 10; m < 48 && last < en.total; m++ {
			limit := int64(1)<<m - 1
			for ; i < histBuckets && histUpper(i) <= limit; i++ {
				seen += en.counts[i]
			}
			if seen > last {
				bounds = append(bounds, (limit+1)/1000)
				cum = append(cum, int64(seen))
				last = seen
			}
		}
		c.Map(len(bounds))
		for k := range bounds {
			c.Int(bounds[k])
			c.Int(cum[k])
		}
	}
}
