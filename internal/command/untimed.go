package command

// Reading the clock is about a fifth of what a GET or SET costs inside a
// pipeline (vDSO clock_gettime, ~30 ns on the development VM). Inside a
// batch, a run of the same cheap command therefore goes untimed: Exec
// skips the clock for each, and the run's time is read once when it ends
// (another command, the batch's end, or untimedRunMax commands) and
// added to the command's usec, which is what INFO commandstats reports.
// Whether one of them was slow enough for SLOWLOG or LATENCY is judged on
// the run's average, and the entry names the run's last command; with a
// slowlog threshold of 0 (log every command) or below untimedMinSlowlog,
// every command is timed as before, so SLOWLOG's contents stay exact
// where anyone could tell.

// untimedRunMax bounds a run, and with it how far figures lag.
const untimedRunMax = 64

// untimedMinSlowlog is the smallest slowlog-log-slower-than (µs) at which
// cheap commands go untimed: no single GET or SET comes near it unless
// the process stalls, and a stall shows in the run's average.
const untimedMinSlowlog = 1000

// untimedArgBytes bounds the arguments of a command that may go untimed:
// its cost must not depend on its size in a way that matters.
const untimedArgBytes = 4096

// untimedCommands are cheap whatever their (bounded) arguments, besides
// those Redis flags "fast".
var untimedCommands = map[string]bool{
	"set": true, "setnx": true, "setex": true, "psetex": true, "getset": true,
	"getdel": true, "getex": true, "append": true, "incrbyfloat": true,
}

// mayGoUntimed reports whether cmd, with c.Args, may skip its clock read.
func (c *Ctx) mayGoUntimed(cmd *Command) bool {
	if cmd.bits&flagCheap == 0 {
		return false
	}
	n := 0
	for _, a := range c.Args {
		n += len(a)
	}
	if n > untimedArgBytes {
		return false
	}
	th := c.E.Config.SlowlogLogSlowerThan()
	return th < 0 || th >= untimedMinSlowlog
}

// settleUntimed ends the current untimed run: one clock read, its time
// added to the run's command, SLOWLOG and LATENCY fed with the average.
func (c *Ctx) settleUntimed() {
	n := int64(c.untimed.n)
	if n == 0 {
		return
	}
	t := c.E.monoNow()
	us := (t - c.mark) / 1000
	c.pend.ns += t - c.mark
	c.mark = t
	c.pend.usec += us
	args, cmd := c.Args, c.cmd
	c.Args, c.cmd = c.untimed.args, c.untimed.cmd
	c.E.slowlog.maybeAdd(c, us/n)
	c.Args, c.cmd = args, cmd
	clear(c.untimed.args) // do not pin the read buffer
	c.untimed.n, c.untimed.args, c.untimed.cmd = 0, c.untimed.args[:0], nil
}
