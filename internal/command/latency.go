package command

import (
	"sort"
	"sync"
	"time"
)

// The latency monitor keeps, per event class ("command", "fast-command",
// or whatever other code reports through RecordLatency), one sample per
// second for the last latencyHistoryLen seconds in which the event
// exceeded latency-monitor-threshold, and the all-time maximum.

func init() {
	register("latency|latest", cmdLatencyLatest)
	register("latency|history", cmdLatencyHistory)
	register("latency|reset", cmdLatencyReset)
	register("latency|histogram", cmdLatencyHistogram)
	register("latency|help", cmdLatencyHelp)
}

// latencyHistoryLen is how many samples an event keeps, as in Redis.
const latencyHistoryLen = 160

type latencyMonitor struct {
	mu     sync.Mutex
	events map[string]*latencySeries
}

// latencySeries is a ring of samples; samples with unix == 0 are unused.
type latencySeries struct {
	samples [latencyHistoryLen]latencySample
	next    int   // where the next new sample goes
	max     int64 // ms, since the last reset
}

type latencySample struct {
	unix int64 // seconds
	ms   int64
}

// RecordLatency notes that event took ms milliseconds, if the latency
// monitor is on (latency-monitor-threshold > 0) and ms reaches the
// threshold. Samples of the same second merge, keeping the larger.
func (e *Engine) RecordLatency(event string, ms int64) {
	th := e.Config.LatencyMonitorThreshold()
	if th <= 0 || ms < th {
		return
	}
	e.latency.add(event, time.Now().Unix(), ms)
}

func (m *latencyMonitor) add(event string, unix, ms int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.events == nil {
		m.events = make(map[string]*latencySeries)
	}
	s := m.events[event]
	if s == nil {
		s = &latencySeries{}
		m.events[event] = s
	}
	s.max = max(s.max, ms)
	prev := &s.samples[(s.next+latencyHistoryLen-1)%latencyHistoryLen]
	if prev.unix == unix {
		prev.ms = max(prev.ms, ms)
		return
	}
	s.samples[s.next] = latencySample{unix: unix, ms: ms}
	s.next = (s.next + 1) % latencyHistoryLen
}

// names returns the event names in order; the caller holds m.mu.
func (m *latencyMonitor) names() []string {
	out := make([]string, 0, len(m.events))
	for name := range m.events {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// cmdLatencyLatest lists, per event: name, time and duration of its latest
// sample, and its maximum.
func cmdLatencyLatest(c *Ctx) {
	m := &c.E.latency
	m.mu.Lock()
	defer m.mu.Unlock()
	names := m.names()
	c.Array(len(names))
	for _, name := range names {
		s := m.events[name]
		last := s.samples[(s.next+latencyHistoryLen-1)%latencyHistoryLen]
		c.Array(4)
		c.BulkString(name)
		c.Int(last.unix)
		c.Int(last.ms)
		c.Int(s.max)
	}
}

// cmdLatencyHistory lists an event's samples, oldest first, as
// [time, duration] pairs; an unknown event has none.
func cmdLatencyHistory(c *Ctx) {
	m := &c.E.latency
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.events[string(c.Args[2])]
	if s == nil {
		c.Array(0)
		return
	}
	n := 0
	for i := range s.samples {
		if s.samples[i].unix != 0 {
			n++
		}
	}
	c.Array(n)
	for k := 0; k < latencyHistoryLen; k++ {
		sm := s.samples[(s.next+k)%latencyHistoryLen]
		if sm.unix == 0 {
			continue
		}
		c.Array(2)
		c.Int(sm.unix)
		c.Int(sm.ms)
	}
}

// cmdLatencyReset forgets the named events (all of them without names)
// and answers how many it forgot.
func cmdLatencyReset(c *Ctx) {
	m := &c.E.latency
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	if len(c.Args) == 2 {
		n = len(m.events)
		m.events = nil
	} else {
		for _, a := range c.Args[2:] {
			if _, ok := m.events[string(a)]; ok {
				delete(m.events, string(a))
				n++
			}
		}
	}
	c.Int(int64(n))
}

func cmdLatencyHelp(c *Ctx) {
	replyHelpLines(c, "LATENCY",
		"DOCTOR",
		"    Summarise the recorded spikes of every event and say what to look at.",
		"GRAPH <event>",
		"    Draw the recorded samples of <event>, oldest on the left.",
		"HISTORY <event>",
		"    List the samples of <event> as [Unix time, milliseconds], oldest first.",
		"LATEST",
		"    For every event: name, time and ms of its latest sample, and its maximum.",
		"RESET [<event> ...]",
		"    Forget the samples of the given events,",
		"    or of all events when none is named.",
		"HISTOGRAM [<command> ...]",
		"    For each command (every command that ran, when none is named): its",
		"    calls and how many took at most 1, 2, 4 ... microseconds.",
	)
}
