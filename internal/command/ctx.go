package command

import (
	"time"

	"cairn/internal/resp"
	"cairn/internal/store"
)

// Ctx carries one command through its handler. The server keeps one Ctx
// per connection and reuses it for every command, so nothing here is
// allocated per command.
type Ctx struct {
	E    *Engine
	S    *Session
	Args [][]byte // the request; slices alias the connection's read buffer
	Out  []byte   // replies are appended here
	Now  int64    // the command's time, Unix ms

	cmd    *Command
	locks  store.LockSet
	lower  [maxNameLen]byte
	failed bool // the handler replied with an error

	// lastName caches the previous request's command lookup (dispatch.go).
	lastName struct {
		lower [maxNameLen]byte
		n     uint8
		cmd   *Command
	}
	// batching is set between BeginBatch and EndBatch; mark is then the
	// monotonic time (Engine.monoNow) the previous command ended, or the
	// batch began, so that Exec reads the clock once per command.
	batching bool
	mark     int64
	// untimed is the run of cheap commands executed since mark without
	// reading the clock (untimed.go).
	untimed struct {
		n    int
		cmd  *Command
		args [][]byte // the run's last command, for SLOWLOG
	}
	pend pendingStats // counts not yet in the shared counters (stats.go)

	scratch [][]byte // reusable argument list for propagated records
	// journalArgs is Propagate's reusable copy of a record's arguments.
	journalArgs [][]byte

	// Wrote is set when a command logged a record; the server makes the
	// batch durable (appendfsync) before writing replies, then clears it.
	Wrote bool
}

// maxNameLen bounds command names looked up case-insensitively on the
// stack; no Redis command name is longer.
const maxNameLen = 32

// BeginBatch starts a batch of requests read in one wake-up: it sets Now
// and the start of the first command's time with one clock read.
func (c *Ctx) BeginBatch() {
	now := time.Now()
	c.Now = now.UnixMilli()
	c.mark = int64(now.Sub(c.E.monoBase))
	c.batching = true
}

// EndBatch ends the batch BeginBatch started; Exec outside a batch reads
// the clock before and after the command.
func (c *Ctx) EndBatch() {
	c.settleUntimed()
	c.batching = false
	c.flushStats()
}

// DB returns the session's selected database.
func (c *Ctx) DB() *store.DB { return c.E.Store.DB(c.S.DB) }

// Resp3 reports whether the session speaks RESP3.
func (c *Ctx) Resp3() bool { return c.S.Proto == 3 }

// OK replies +OK.
func (c *Ctx) OK() { c.Out = append(c.Out, "+OK\r\n"...) }

// Simple replies with a status line.
func (c *Ctx) Simple(s string) { c.Out = resp.AppendSimple(c.Out, s) }

// Error replies with an error whose text starts with its code ("ERR ...",
// "WRONGTYPE ...") and counts it in the error statistics.
func (c *Ctx) Error(msg string) {
	c.Out = resp.AppendError(c.Out, msg)
	c.failed = true
	c.E.stats.countError(msg)
}

// Int replies with an integer.
func (c *Ctx) Int(n int64) { c.Out = resp.AppendInt(c.Out, n) }

// Bulk replies with a bulk string.
func (c *Ctx) Bulk(b []byte) { c.Out = resp.AppendBulk(c.Out, b) }

// BulkString replies with a bulk string.
func (c *Ctx) BulkString(s string) { c.Out = resp.AppendBulkString(c.Out, s) }

// Null replies with the null bulk string ($-1, or _ in RESP3).
func (c *Ctx) Null() {
	if c.Resp3() {
		c.Out = resp.AppendNull(c.Out)
	} else {
		c.Out = resp.AppendNullBulk(c.Out)
	}
}

// NullArray replies with the null array (*-1, or _ in RESP3).
func (c *Ctx) NullArray() {
	if c.Resp3() {
		c.Out = resp.AppendNull(c.Out)
	} else {
		c.Out = resp.AppendNullArray(c.Out)
	}
}

// Array starts an array of n elements.
func (c *Ctx) Array(n int) { c.Out = resp.AppendArrayLen(c.Out, n) }

// Map starts a map of n pairs (a flat array of 2n in RESP2).
func (c *Ctx) Map(n int) {
	if c.Resp3() {
		c.Out = resp.AppendMapLen(c.Out, n)
	} else {
		c.Out = resp.AppendArrayLen(c.Out, 2*n)
	}
}

// Set starts a set of n elements (an array in RESP2).
func (c *Ctx) Set(n int) {
	if c.Resp3() {
		c.Out = resp.AppendSetLen(c.Out, n)
	} else {
		c.Out = resp.AppendArrayLen(c.Out, n)
	}
}

// Double replies with a double (a bulk string in RESP2).
func (c *Ctx) Double(f float64) {
	if c.Resp3() {
		c.Out = resp.AppendDouble(c.Out, f)
	} else {
		c.Out = resp.AppendBulkFloat(c.Out, f)
	}
}

// Bool replies with a boolean (:1 / :0 in RESP2).
func (c *Ctx) Bool(v bool) {
	if c.Resp3() {
		c.Out = resp.AppendBool(c.Out, v)
		return
	}
	if v {
		c.Out = append(c.Out, ":1\r\n"...)
	} else {
		c.Out = append(c.Out, ":0\r\n"...)
	}
}

// Verbatim replies with verbatim text (a bulk string in RESP2).
func (c *Ctx) Verbatim(s string) {
	if c.Resp3() {
		c.Out = resp.AppendVerbatim(c.Out, "txt", s)
	} else {
		c.Out = resp.AppendBulkString(c.Out, s)
	}
}

// Journal records mutations for the append-only file.
type Journal interface {
	// Append records one effect, as a command, against database db. It is
	// called with the shards of every key the effect touches still locked,
	// so records of one key are in apply order.
	Append(db int, args ...[]byte)
}

// Propagate records a mutation's effect if persistence is on. Call it
// with the affected shards locked.
func (c *Ctx) Propagate(db int, args ...[]byte) {
	if j := c.E.Journal; j != nil {
		// Hand the journal a copy in a list the Ctx reuses: passing args
		// itself through the interface call makes every caller's
		// variadic list escape, one allocation per write command even
		// with persistence off (found by TestExecHotPathNoAllocs).
		rec := append(c.journalArgs[:0], args...)
		rec[0] = c.E.journalName(rec[0]) // rename-command (rename.go)
		j.Append(db, rec...)
		clear(rec) // don't pin the request buffer or values
		c.journalArgs = rec[:0]
		c.Wrote = true
	}
	c.E.stats.dirty.Add(1)
}
