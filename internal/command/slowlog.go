package command

import (
	"strconv"
	"sync"
	"time"

	"cairn/internal/resp"
)

// The slow log keeps the most recent commands that ran for at least
// slowlog-log-slower-than microseconds (0 logs every command, a negative
// value none), at most slowlog-max-len of them, newest first.

func init() {
	register("slowlog|get", cmdSlowlogGet)
	register("slowlog|len", cmdSlowlogLen)
	register("slowlog|reset", cmdSlowlogReset)
	register("slowlog|help", cmdSlowlogHelp)
}

// Limits on what one entry keeps of a command, as in Redis: the first
// slowlogMaxArgs-1 arguments and a note of how many were left out, and the
// first slowlogMaxArgLen bytes of each argument with a note of the rest.
const (
	slowlogMaxArgs   = 32
	slowlogMaxArgLen = 128
)

// redacted stands in for secrets (passwords) in logged commands.
const redacted = "(redacted)"

type slowlog struct {
	mu      sync.Mutex
	entries []slowEntry // oldest first; SLOWLOG GET reads from the end
	nextID  int64       // ids keep counting across SLOWLOG RESET
}

type slowEntry struct {
	id       int64
	unix     int64 // seconds
	usec     int64
	args     [][]byte // copies, already truncated and redacted
	addr     string
	name     string
	argBytes []byte // backing store of args: one allocation per entry
}

func (l *slowlog) init() {}

// maybeAdd is called after every command with its duration. It costs two
// atomic loads and no allocation unless the command is slow enough to be
// logged or to be a latency event.
func (l *slowlog) maybeAdd(c *Ctx, usec int64) {
	cfg := c.E.Config
	if th := cfg.SlowlogLogSlowerThan(); th >= 0 && usec >= th && !c.cmd.skipsSlowlog() {
		l.add(c, usec)
	}
	if th := cfg.LatencyMonitorThreshold(); th > 0 && usec/1000 >= th {
		event := "command"
		if c.cmd.hasFlag("fast") {
			event = "fast-command"
		}
		c.E.RecordLatency(event, usec/1000)
	}
}

// skipsSlowlog reports whether the command is never logged: EXEC, whose
// commands are logged one by one instead.
func (cmd *Command) skipsSlowlog() bool { return cmd.hasFlag("skip_slowlog") }

// hasFlag reports whether the command's spec lists flag f. It scans the
// short flag list, so it is for the rare paths only.
func (cmd *Command) hasFlag(f string) bool {
	for _, x := range cmd.Flags {
		if x == f {
			return true
		}
	}
	return false
}

func (l *slowlog) add(c *Ctx, usec int64) {
	e := slowEntry{
		unix: time.Now().Unix(),
		usec: usec,
		addr: c.S.Addr,
		name: c.S.Name(),
	}
	e.args, e.argBytes = slowlogArgs(c.cmd, c.Args)
	max := c.E.Config.SlowlogMaxLen()
	l.mu.Lock()
	e.id = l.nextID
	l.nextID++
	l.entries = append(l.entries, e)
	if n := len(l.entries) - max; n > 0 {
		// Drop the oldest; clear the tail so the copies can be collected.
		copy(l.entries, l.entries[n:])
		clear(l.entries[len(l.entries)-n:])
		l.entries = l.entries[:len(l.entries)-n]
	}
	l.mu.Unlock()
}

// slowlogArgs copies what the slow log keeps of args, truncated and with
// secrets replaced, into one buffer.
func slowlogArgs(cmd *Command, args [][]byte) ([][]byte, []byte) {
	n := len(args)
	if n > slowlogMaxArgs {
		n = slowlogMaxArgs
	}
	out := make([][]byte, n)
	size := 0
	for i := 0; i < n; i++ {
		size += min(len(args[i]), slowlogMaxArgLen) + 32
	}
	buf := make([]byte, 0, size)
	for i := 0; i < n; i++ {
		start := len(buf)
		switch {
		case i == slowlogMaxArgs-1 && len(args) > slowlogMaxArgs:
			buf = append(buf, "... ("...)
			buf = strconv.AppendInt(buf, int64(len(args)-slowlogMaxArgs+1), 10)
			buf = append(buf, " more arguments)"...)
		case isSecretArg(cmd, args, i):
			buf = append(buf, redacted...)
		case len(args[i]) > slowlogMaxArgLen:
			buf = append(buf, args[i][:slowlogMaxArgLen]...)
			buf = append(buf, "... ("...)
			buf = strconv.AppendInt(buf, int64(len(args[i])-slowlogMaxArgLen), 10)
			buf = append(buf, " more bytes)"...)
		default:
			buf = append(buf, args[i]...)
		}
		out[i] = buf[start:len(buf):len(buf)]
	}
	return out, buf
}

// isSecretArg reports whether args[i] is a password or user name that must
// not reach the slow log: every argument of AUTH, the credentials after
// HELLO's AUTH, and the values of CONFIG SET for the credential parameters.
func isSecretArg(cmd *Command, args [][]byte, i int) bool {
	switch cmd.FullName {
	case "auth":
		return i > 0
	case "hello":
		for j := 2; j < len(args); j++ {
			if eqFold(args[j], "auth") {
				if i == j+1 || i == j+2 {
					return true
				}
				j += 2
			}
		}
	case "config|set":
		if i >= 3 && i%2 == 1 {
			k := args[i-1]
			return eqFold(k, "requirepass") || eqFold(k, "masterauth") || eqFold(k, "masteruser")
		}
	}
	return false
}

// cmdSlowlogGet answers SLOWLOG GET [count]: the newest count entries
// (10 by default, -1 for all).
func cmdSlowlogGet(c *Ctx) {
	if len(c.Args) > 3 {
		subcommandSyntaxError(c, "SLOWLOG")
		return
	}
	count := int64(10)
	if len(c.Args) == 3 {
		n, ok := resp.ParseInt(c.Args[2])
		if !ok || n < -1 {
			c.Error("ERR count should be greater than or equal to -1")
			return
		}
		count = n
	}
	l := &c.E.slowlog
	l.mu.Lock()
	defer l.mu.Unlock()
	n := int64(len(l.entries))
	if count >= 0 && count < n {
		n = count
	}
	c.Array(int(n))
	for i := len(l.entries) - 1; i >= len(l.entries)-int(n); i-- {
		e := &l.entries[i]
		c.Array(6)
		c.Int(e.id)
		c.Int(e.unix)
		c.Int(e.usec)
		c.Array(len(e.args))
		for _, a := range e.args {
			c.Bulk(a)
		}
		c.BulkString(e.addr)
		c.BulkString(e.name)
	}
}

func cmdSlowlogLen(c *Ctx) {
	l := &c.E.slowlog
	l.mu.Lock()
	n := len(l.entries)
	l.mu.Unlock()
	c.Int(int64(n))
}

func cmdSlowlogReset(c *Ctx) {
	l := &c.E.slowlog
	l.mu.Lock()
	l.entries = nil
	l.mu.Unlock()
	c.OK()
}

func cmdSlowlogHelp(c *Ctx) {
	replyHelpLines(c, "SLOWLOG",
		"GET [<count>]",
		"    List the <count> most recent slow commands, newest first (10 by",
		"    default, -1 for all of them). Each entry holds an id, the Unix time,",
		"    the duration in microseconds, the arguments, the client address and",
		"    the client name.",
		"LEN",
		"    Count the entries in the slow log.",
		"RESET",
		"    Empty the slow log.",
	)
}

// subcommandSyntaxError is Redis's reply for a known subcommand given the
// wrong arguments; it names the subcommand as the client typed it.
func subcommandSyntaxError(c *Ctx, cmd string) {
	c.Error("ERR unknown subcommand or wrong number of arguments for '" + string(c.Args[1]) + "'. Try " + cmd + " HELP.")
}
