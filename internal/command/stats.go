package command

import (
	"strings"
	"sync"
	"sync/atomic"
)

// stats holds the server-wide counters INFO reports. Counters touched per
// command are atomics; the error table is small and takes a mutex only
// when an error is replied.
type stats struct {
	commands      atomic.Int64 // total_commands_processed
	connections   atomic.Int64 // total_connections_received
	rejectedConns atomic.Int64
	netIn, netOut atomic.Int64
	hits, misses  atomic.Int64
	dirty         atomic.Int64 // changes since start (rdb_changes_since_last_save)
	errorReplies  atomic.Int64

	errMu  sync.Mutex
	errors map[string]int64 // error code ("ERR", "WRONGTYPE") -> count
}

// countError counts an error reply under its code, the text's first word.
func (s *stats) countError(msg string) {
	code := msg
	if i := strings.IndexByte(msg, ' '); i >= 0 {
		code = msg[:i]
	}
	s.errorReplies.Add(1)
	s.errMu.Lock()
	if s.errors == nil {
		s.errors = make(map[string]int64)
	}
	// Redis caps the table so that clients inventing codes cannot grow it
	// without bound.
	if _, ok := s.errors[code]; ok || len(s.errors) < 128 {
		s.errors[code]++
	}
	s.errMu.Unlock()
}

// Hit and Miss count keyspace lookups.
func (c *Ctx) Hit()  { c.pend.hits++ }
func (c *Ctx) Miss() { c.pend.misses++ }

// pendingStats are one connection's counts not yet added to the shared
// counters. Adding to counters every connection shares made both cores
// fight over their cache lines on every command; a connection now adds
// its counts when its command changes, before a command that reads or
// resets the figures (INFO, CONFIG RESETSTAT), and when its batch ends.
// Counts reach INFO at most one batch late, as if those commands had
// finished a moment later.
type pendingStats struct {
	cmd                 *Command // the command calls, usec and failed are for
	calls, usec, failed int64
	ns                  int64 // the calls' time in ns, for the latency histogram
	hits, misses        int64
}

// flushStats adds c's pending counts to the shared counters.
func (c *Ctx) flushStats() {
	p := &c.pend
	if cmd := p.cmd; cmd != nil && p.calls > 0 {
		cmd.calls.Add(p.calls)
		cmd.usec.Add(p.usec)
		if c.E.Config == nil || c.E.Config.LatencyTracking() {
			cmd.latency().add(p.ns/p.calls, p.calls)
		}
		if p.failed > 0 {
			cmd.failed.Add(p.failed)
		}
		c.E.stats.commands.Add(p.calls)
	}
	if p.hits > 0 {
		c.E.stats.hits.Add(p.hits)
	}
	if p.misses > 0 {
		c.E.stats.misses.Add(p.misses)
	}
	*p = pendingStats{}
}

// ConnectionAccepted, ConnectionRejected and CountNet are the server's
// contributions to the figures.
func (e *Engine) ConnectionAccepted()    { e.stats.connections.Add(1) }
func (e *Engine) ConnectionRejected()    { e.stats.rejectedConns.Add(1) }
func (e *Engine) CountNet(in, out int64) { e.stats.netIn.Add(in); e.stats.netOut.Add(out) }
