package command

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// LATENCY GRAPH and LATENCY DOCTOR: the latency monitor's samples drawn
// and summarised for a person reading them, in Cairn's own layout and
// words (clients treat both replies as text).

func init() {
	register("latency|graph", cmdLatencyGraph)
	register("latency|doctor", cmdLatencyDoctor)
}

// orderedSamples returns s's samples oldest first; the caller holds the
// monitor's lock.
func (s *latencySeries) orderedSamples() []latencySample {
	var out []latencySample
	for k := 0; k < latencyHistoryLen; k++ {
		if sm := s.samples[(s.next+k)%latencyHistoryLen]; sm.unix != 0 {
			out = append(out, sm)
		}
	}
	return out
}

// graphRows is the height of LATENCY GRAPH's bars.
const graphRows = 4

// cmdLatencyGraph draws an event's samples, oldest on the left: one
// column per sample, its bar as tall as the sample is within the range
// seen, and under it how long ago the sample was taken.
func cmdLatencyGraph(c *Ctx) {
	event := string(c.Args[2])
	m := &c.E.latency
	m.mu.Lock()
	s := m.events[event]
	var samples []latencySample
	var allTime int64
	if s != nil {
		samples, allTime = s.orderedSamples(), s.max
	}
	m.mu.Unlock()
	if len(samples) == 0 {
		c.Error("ERR No samples available for event '" + event + "'")
		return
	}
	lo, hi := samples[0].ms, samples[0].ms
	for _, sm := range samples {
		lo, hi = min(lo, sm.ms), max(hi, sm.ms)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s - high %d ms, low %d ms (all time high %d ms)\n", event, hi, lo, allTime)
	b.WriteString(strings.Repeat("-", 80) + "\n")
	// Each bar is 1..graphRows high, scaled between the lowest and the
	// highest sample; '#' caps a bar, '|' fills it.
	heights := make([]int, len(samples))
	for i, sm := range samples {
		heights[i] = graphRows
		if hi > lo {
			heights[i] = 1 + int(math.Round(float64(sm.ms-lo)/float64(hi-lo)*float64(graphRows-1)))
		}
	}
	for row := graphRows; row >= 1; row-- {
		for _, h := range heights {
			switch {
			case h == row:
				b.WriteByte('#')
			case h > row:
				b.WriteByte('|')
			default:
				b.WriteByte(' ')
			}
		}
		b.WriteByte('\n')
	}
	// How long ago each sample was, written downwards under its column
	// ("12" over "s" = twelve seconds ago), with a unit row at the bottom.
	now := time.Now().Unix()
	labels := make([]string, len(samples))
	width := 0
	for i, sm := range samples {
		labels[i] = agoLabel(now - sm.unix)
		width = max(width, len(labels[i]))
	}
	for row := 0; row < width; row++ {
		for _, l := range labels {
			if pad := width - len(l); row >= pad {
				b.WriteByte(l[row-pad])
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteByte('\n')
	}
	c.Verbatim(b.String())
}

// agoLabel is a short "how long ago": seconds, minutes, hours or days.
func agoLabel(secs int64) string {
	switch {
	case secs < 60:
		return fmt.Sprintf("%ds", max(secs, 0))
	case secs < 3600:
		return fmt.Sprintf("%dm", secs/60)
	case secs < 86400:
		return fmt.Sprintf("%dh", secs/3600)
	}
	return fmt.Sprintf("%dd", secs/86400)
}

// cmdLatencyDoctor summarises every event the monitor recorded and says
// what to look at.
func cmdLatencyDoctor(c *Ctx) {
	m := &c.E.latency
	m.mu.Lock()
	type summary struct {
		name             string
		n                int
		avg, dev, period float64
		allTime          int64
	}
	var sums []summary
	for _, name := range m.names() {
		s := m.events[name]
		samples := s.orderedSamples()
		if len(samples) == 0 {
			continue
		}
		sm := summary{name: name, n: len(samples), allTime: s.max}
		var total float64
		for _, x := range samples {
			total += float64(x.ms)
		}
		sm.avg = total / float64(len(samples))
		for _, x := range samples {
			sm.dev += math.Abs(float64(x.ms) - sm.avg)
		}
		sm.dev /= float64(len(samples))
		if span := samples[len(samples)-1].unix - samples[0].unix; len(samples) > 1 {
			sm.period = float64(span) / float64(len(samples)-1)
		}
		sums = append(sums, sm)
	}
	m.mu.Unlock()

	threshold := c.E.Config.LatencyMonitorThreshold()
	var b strings.Builder
	if threshold <= 0 {
		b.WriteString("The latency monitor is off (latency-monitor-threshold is 0), so there is nothing to analyse. Turn it on with CONFIG SET latency-monitor-threshold <milliseconds>.\n")
		c.Verbatim(b.String())
		return
	}
	if len(sums) == 0 {
		fmt.Fprintf(&b, "No event has taken %d ms or more since the monitor was last reset: no latency problem to report.\n", threshold)
		c.Verbatim(b.String())
		return
	}
	fmt.Fprintf(&b, "Latency spikes of %d ms or more were recorded for %d event class(es):\n\n", threshold, len(sums))
	for i, sm := range sums {
		fmt.Fprintf(&b, "%d. %s: %d spike(s), %.0f ms on average (mean deviation %.0f ms)", i+1, sm.name, sm.n, sm.avg, sm.dev)
		if sm.n > 1 {
			fmt.Fprintf(&b, ", one every %.1f s", sm.period)
		}
		fmt.Fprintf(&b, "; worst ever %d ms.\n", sm.allTime)
	}
	b.WriteString("\nWhat to look at:\n\n")
	slow := c.E.Config.SlowlogLogSlowerThan()
	if slow < 0 || slow > threshold*1000 {
		fmt.Fprintf(&b, "- SLOWLOG only keeps commands slower than %d µs, more than the %d ms these spikes took: lower it (CONFIG SET slowlog-log-slower-than %d) to see which commands they were.\n", slow, threshold, threshold*1000)
	} else {
		b.WriteString("- SLOWLOG GET lists the slow commands themselves, with their arguments.\n")
	}
	b.WriteString("- Commands that touch many keys or large values (KEYS, FLUSHALL SYNC, big MGET/MSET, values of many megabytes) take time in proportion; SCAN and smaller values spread the cost.\n")
	b.WriteString("- INFO cairn shows the Go collector's pauses; a pause close to a spike's length points at the heap rather than at a command.\n")
	c.Verbatim(b.String())
}
