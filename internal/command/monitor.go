package command

import (
	"strconv"
	"sync"

	"cairn/internal/resp"
)

// Monitor is the feed of a client that ran MONITOR. Lines are queued
// here by whichever connection executes a command and written out by the
// monitoring connection's own goroutine, so a slow monitor never stalls
// the commands it watches: past a limit its backlog is dropped and the
// monitor is disconnected.
type Monitor struct {
	mu      sync.Mutex
	pending []byte
	Ready   chan struct{} // signalled when pending becomes non-empty
	dropped bool          // fell too far behind: disconnect the client
	stopped bool          // RESET or disconnect: stop feeding
}

// monitorBacklogLimit bounds the bytes a monitor may have queued.
const monitorBacklogLimit = 64 << 20

func newMonitor() *Monitor { return &Monitor{Ready: make(chan struct{}, 1)} }

// close marks the feed finished (RESET, disconnect): the writer stops.
func (m *Monitor) close() {
	m.mu.Lock()
	m.stopped = true
	m.pending = nil
	m.mu.Unlock()
	select {
	case m.Ready <- struct{}{}:
	default:
	}
}

// Take appends the queued bytes to buf and clears them. stopped means the
// feed is over; overflow means the client fell too far behind and must be
// disconnected.
func (m *Monitor) Take(buf []byte) (out []byte, stopped, overflow bool) {
	m.mu.Lock()
	buf = append(buf, m.pending...)
	m.pending = m.pending[:0]
	stopped, overflow = m.stopped || m.dropped, m.dropped
	m.mu.Unlock()
	return buf, stopped, overflow
}

func (m *Monitor) push(line []byte) {
	m.mu.Lock()
	if m.stopped || m.dropped {
		m.mu.Unlock()
		return
	}
	if len(m.pending)+len(line) > monitorBacklogLimit {
		m.dropped = true
		m.pending = nil
	} else {
		m.pending = append(m.pending, line...)
	}
	m.mu.Unlock()
	select {
	case m.Ready <- struct{}{}:
	default:
	}
}

var monitorsMu sync.Mutex

func (e *Engine) addMonitor(s *Session) {
	monitorsMu.Lock()
	defer monitorsMu.Unlock()
	if s.Monitor != nil {
		return
	}
	s.Monitor = newMonitor()
	s.mu.Lock()
	s.watching = true
	s.mu.Unlock()
	e.monitorList = append(e.monitorList, s.Monitor)
	e.monitors.Store(int32(len(e.monitorList)))
}

func (e *Engine) removeMonitor(m *Monitor) {
	monitorsMu.Lock()
	defer monitorsMu.Unlock()
	for i, x := range e.monitorList {
		if x == m {
			e.monitorList = append(e.monitorList[:i], e.monitorList[i+1:]...)
			break
		}
	}
	e.monitors.Store(int32(len(e.monitorList)))
}

// feedMonitors formats the command as Redis's MONITOR lines do:
// +<seconds>.<micros> [<db> <addr>] "arg" "arg" ...
func (e *Engine) feedMonitors(c *Ctx) {
	now := e.clockMicros()
	line := make([]byte, 0, 64)
	line = append(line, '+')
	line = strconv.AppendInt(line, now/1e6, 10)
	line = append(line, '.')
	us := now % 1e6
	for d := int64(100000); d > 1 && us < d; d /= 10 {
		line = append(line, '0')
	}
	line = strconv.AppendInt(line, us, 10)
	line = append(line, " ["...)
	line = strconv.AppendInt(line, int64(c.S.DB), 10)
	line = append(line, ' ')
	line = append(line, c.S.Addr...)
	line = append(line, ']')
	for _, a := range c.Args {
		line = append(line, ' ')
		line = resp.AppendQuoted(line, a)
	}
	line = append(line, "\r\n"...)
	monitorsMu.Lock()
	list := e.monitorList
	monitorsMu.Unlock()
	for _, m := range list {
		if m != c.S.Monitor {
			m.push(line)
		}
	}
}
