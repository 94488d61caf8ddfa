package command

import (
	"strings"
)

// Command flags the dispatcher checks, derived from Spec.Flags once when
// the table is built.
const (
	flagWrite uint32 = 1 << iota
	flagNoAuth
	flagAdmin
	flagLoading
	flagStale
	flagSkipMonitor
	flagDenyOOM // refused while over maxmemory (maxmemory.go)
	flagCheap   // may go untimed inside a batch (untimed.go)
)

var flagBits = map[string]uint32{
	"write":             flagWrite,
	"no_auth":           flagNoAuth,
	"admin":             flagAdmin,
	"loading":           flagLoading,
	"stale":             flagStale,
	"skip_monitor":      flagSkipMonitor,
	"denyoom":           flagDenyOOM,
	"fast":              flagCheap,
	"no_mandatory_keys": 0,
}

func (cmd *Command) has(f uint32) bool { return cmd.bits&f != 0 }

// Exec runs the request in c.Args (which must be non-empty) and appends
// its reply to c.Out. It is the whole per-command path: lookup without
// allocating, arity and authentication checks, the handler, statistics.
func (e *Engine) Exec(c *Ctx) {
	c.failed = false
	start := len(c.Out)
	cmd := e.resolve(c)
	if cmd == nil {
		e.finishReply(c, start)
		return
	}
	c.cmd = cmd
	if c.S.lastCmd.Load() != cmd { // a pointer store has a write barrier
		c.S.lastCmd.Store(cmd)
	}
	// One clock read per command inside a batch: the command's time runs
	// from the end of the previous one (or the batch's start), which adds
	// only the parsing and lookup of its own request (tens of ns) to it.
	if c.pend.cmd != cmd || cmd == e.infoCmd || cmd == e.resetStatCmd {
		c.settleUntimed()
		c.flushStats()
		c.pend.cmd = cmd
	}
	if c.batching && c.mayGoUntimed(cmd) {
		e.execUntimed(c, cmd, start)
		return
	}
	c.settleUntimed()
	t0 := c.mark
	if !c.batching {
		t0 = e.monoNow()
	}
	cmd.Handler(c)
	t1 := e.monoNow()
	c.mark = t1
	us := (t1 - t0) / 1000
	c.pend.calls++
	c.pend.usec += us
	c.pend.ns += t1 - t0
	if c.failed {
		c.pend.failed++
	}
	if !c.batching {
		c.flushStats()
	}
	if e.monitors.Load() > 0 && !cmd.has(flagAdmin|flagSkipMonitor) {
		e.feedMonitors(c)
	}
	e.slowlog.maybeAdd(c, us)
	e.finishReply(c, start)
}

// execUntimed is Exec's tail for a cheap command inside a batch: no
// clock read; the run's time is settled later (untimed.go).
func (e *Engine) execUntimed(c *Ctx, cmd *Command, start int) {
	cmd.Handler(c)
	c.pend.calls++
	if c.failed {
		c.pend.failed++
	}
	u := &c.untimed
	u.n++
	// The parser reuses its argument list for the next request; the bytes
	// themselves stay put until the batch ends.
	u.cmd, u.args = cmd, append(u.args[:0], c.Args...)
	if e.monitors.Load() > 0 && !cmd.has(flagAdmin|flagSkipMonitor) {
		e.feedMonitors(c)
	}
	if u.n >= untimedRunMax {
		c.settleUntimed()
	}
	e.finishReply(c, start)
}

// resolve finds the command for c.Args and checks arity and
// authentication, replying with the error when it fails.
func (e *Engine) resolve(c *Ctx) *Command {
	name := c.Args[0]
	cmd := c.cachedLookup(name)
	if cmd == nil && len(name) <= maxNameLen {
		cmd = e.table[string(lowerInto(c.lower[:], name))]
		c.remember(name, cmd)
	}
	if cmd == nil {
		e.rejectUnknown(c)
		return nil
	}
	if cmd.Subs != nil && len(c.Args) > 1 {
		sub := c.Args[1]
		var sc *Command
		if len(sub) <= maxNameLen {
			sc = cmd.Subs[string(lowerInto(c.lower[:], sub))]
		}
		if sc == nil {
			e.reject(c, nil, "ERR unknown subcommand '"+truncate(string(sub), 128)+"'. Try "+strings.ToUpper(cstring(c.Args[0]))+" HELP.")
			return nil
		}
		cmd = sc
	}
	if (cmd.Arity > 0 && len(c.Args) != cmd.Arity) || len(c.Args) < -cmd.Arity {
		e.reject(c, cmd, "ERR wrong number of arguments for '"+cmd.FullName+"' command")
		return nil
	}
	if !cmd.has(flagNoAuth) && e.NeedsAuth(c.S) {
		e.reject(c, cmd, errNoAuth)
		return nil
	}
	// ACL permission (acl_check.go), then memory (maxmemory.go): the
	// order Redis checks them in, so the same request gets the same error.
	if !e.permitted(c, cmd) {
		return nil
	}
	if !e.memoryAllows(c, cmd) {
		return nil
	}
	// Persistence gates: the AOF cannot be written (Redis refuses PING
	// too, so monitoring notices), or the data set is still loading.
	if f := e.WriteDenied; f != nil && (cmd.has(flagWrite) || cmd.Name == "ping") {
		if msg := f(); msg != "" {
			e.reject(c, cmd, msg)
			return nil
		}
	}
	if !cmd.has(flagLoading) && e.Host != nil && e.Host.Loading() {
		e.reject(c, cmd, "LOADING Redis is loading the dataset in memory")
		return nil
	}
	if cmd.Handler == nil {
		e.reject(c, cmd, "ERR command '"+cmd.FullName+"' is not available")
		return nil
	}
	return cmd
}

// cachedLookup returns the command the connection's previous request
// named when name is the same (in any case), or nil. Pipelines mostly
// repeat one command, and comparing a few bytes costs less than hashing
// the name for the table.
func (c *Ctx) cachedLookup(name []byte) *Command {
	if c.lastName.cmd == nil || len(name) != int(c.lastName.n) {
		return nil
	}
	for i, ch := range name {
		if 'A' <= ch && ch <= 'Z' {
			ch += 'a' - 'A'
		}
		if ch != c.lastName.lower[i] {
			return nil
		}
	}
	return c.lastName.cmd
}

// remember caches the lookup of name (already lower-cased into c.lower).
func (c *Ctx) remember(name []byte, cmd *Command) {
	if cmd == nil {
		return
	}
	c.lastName.n = uint8(copy(c.lastName.lower[:], c.lower[:len(name)]))
	c.lastName.cmd = cmd
}

// reject replies with an error for a command that does not run, counting
// it against the command (rejected_calls) when one was found.
func (e *Engine) reject(c *Ctx, cmd *Command, msg string) {
	if cmd != nil {
		cmd.rejected.Add(1)
	}
	c.Error(msg)
}

func (e *Engine) rejectUnknown(c *Ctx) {
	var b strings.Builder
	for _, a := range c.Args[1:] {
		if b.Len() >= 128 {
			break
		}
		room := 128 - b.Len()
		b.WriteByte('\'')
		b.WriteString(truncate(cstring(a), room))
		b.WriteString("' ")
	}
	e.reject(c, nil, "ERR unknown command '"+truncate(cstring(c.Args[0]), 128)+"', with args beginning with: "+b.String())
}

// cstring cuts b at its first NUL byte: Redis formats these texts with C
// string functions, which stop there.
func cstring(b []byte) string {
	for i, ch := range b {
		if ch == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}

func truncate(s string, n int) string {
	if n < 0 {
		n = 0
	}
	if len(s) > n {
		return s[:n]
	}
	return s
}

// finishReply applies CLIENT REPLY OFF/SKIP by discarding what the
// command appended.
func (e *Engine) finishReply(c *Ctx, start int) {
	switch c.S.ReplyMode {
	case ReplyOn:
	case ReplyOff:
		c.Out = c.Out[:start]
	case replySkipThis:
		c.Out = c.Out[:start]
		c.S.ReplyMode = ReplySkipNext
	case ReplySkipNext:
		c.Out = c.Out[:start]
		c.S.ReplyMode = ReplyOn
	}
}
