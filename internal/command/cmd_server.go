package command

import (
	"strconv"
	"strings"
	"time"
)

// Server-level commands that are not INFO, CONFIG, SLOWLOG or LATENCY:
// the clock, SHUTDOWN, the append-only rewrite trigger, and the flush
// subcommands of the scripting families (Cairn keeps no scripts or
// functions, so flushing them only validates the arguments).

func init() {
	register("time", cmdTime)
	register("lastsave", cmdLastSave)
	register("shutdown", cmdShutdown)
	register("bgrewriteaof", cmdBgRewriteAOF)
	register("function|flush", cmdFunctionFlush)
	register("function|help", cmdFunctionHelp)
	register("script|flush", cmdScriptFlush)
	register("script|help", cmdScriptHelp)
}

// errNoAOFRewrite is BGREWRITEAOF's reply while no persistence code has
// installed Engine.RewriteAOF.
const errNoAOFRewrite = "ERR Background append only file rewriting is not available"

func cmdTime(c *Ctx) {
	now := time.Now()
	var buf [20]byte
	c.Array(2)
	c.Bulk(strconv.AppendInt(buf[:0], now.Unix(), 10))
	c.Bulk(strconv.AppendInt(buf[:0], int64(now.Nanosecond()/1000), 10))
}

// cmdLastSave answers with the time of the last successful save. Cairn
// writes no snapshots, so until persistence reports one (Engine.LastSave)
// that is the start time, as in a Redis that has not saved yet.
func cmdLastSave(c *Ctx) { c.Int(c.E.lastSave()) }

func (e *Engine) lastSave() int64 {
	if f := e.LastSave; f != nil {
		return f()
	}
	return e.Started.Unix()
}

// cmdShutdown parses SHUTDOWN's modifiers the way Redis 7.0 does (any
// order, repeats allowed, ABORT alone, not SAVE with NOSAVE) and hands
// them to the host. A shutdown that goes ahead gets no reply: the server
// closes the connection as it stops.
func cmdShutdown(c *Ctx) {
	var o ShutdownOptions
	for _, a := range c.Args[1:] {
		switch {
		case eqFold(a, "nosave"):
			o.NoSave = true
		case eqFold(a, "save"):
			o.Save = true
		case eqFold(a, "now"):
			o.Now = true
		case eqFold(a, "force"):
			o.Force = true
		case eqFold(a, "abort"):
			o.Abort = true
		default:
			c.Error(errSyntax)
			return
		}
	}
	if (o.Abort && (o.NoSave || o.Save || o.Now || o.Force)) || (o.NoSave && o.Save) {
		c.Error(errSyntax)
		return
	}
	if c.E.Host == nil {
		c.Error("ERR Errors trying to SHUTDOWN. Check logs.")
		return
	}
	if c.E.Host.Loading() && !o.Abort {
		// Nothing complete to save while loading.
		o.Save, o.NoSave = false, true
	}
	if err := c.E.Host.Shutdown(o); err != nil {
		c.Error(errorText(err.Error()))
		return
	}
	if o.Abort {
		c.OK()
	}
}

// errorText gives a reply text its error code: texts from other packages
// may come with one ("ERR ...", "BUSY ...") or without.
func errorText(msg string) string {
	code := msg
	if i := strings.IndexByte(msg, ' '); i >= 0 {
		code = msg[:i]
	}
	if code == "" {
		return "ERR " + msg
	}
	for i := 0; i < len(code); i++ {
		if code[i] < 'A' || code[i] > 'Z' {
			return "ERR " + msg
		}
	}
	return msg
}

// cmdBgRewriteAOF starts a rewrite of the append-only file through the
// hook the persistence code installs (Engine.RewriteAOF).
func cmdBgRewriteAOF(c *Ctx) {
	f := c.E.RewriteAOF
	if f == nil {
		c.Error(errNoAOFRewrite)
		return
	}
	status, err := f()
	if err != nil {
		c.Error(errorText(err.Error()))
		return
	}
	c.Simple(status)
}

func cmdFunctionFlush(c *Ctx) {
	if len(c.Args) > 3 {
		c.Error("ERR unknown subcommand or wrong number of arguments for '" + string(c.Args[1]) + "'. Try FUNCTION HELP.")
		return
	}
	if len(c.Args) == 3 && !eqFold(c.Args[2], "sync") && !eqFold(c.Args[2], "async") {
		c.Error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option")
		return
	}
	c.OK()
}

func cmdScriptFlush(c *Ctx) {
	if len(c.Args) > 3 || (len(c.Args) == 3 && !eqFold(c.Args[2], "sync") && !eqFold(c.Args[2], "async")) {
		c.Error("ERR SCRIPT FLUSH only support SYNC|ASYNC option")
		return
	}
	c.OK()
}

func cmdFunctionHelp(c *Ctx) {
	replyHelpLines(c, "FUNCTION",
		"FLUSH [ASYNC|SYNC]",
		"    Remove every function library. Cairn runs no functions, so there is",
		"    never anything to remove; the mode is accepted for compatibility.",
	)
}

func cmdScriptHelp(c *Ctx) {
	replyHelpLines(c, "SCRIPT",
		"FLUSH [ASYNC|SYNC]",
		"    Empty the script cache. Cairn caches no scripts, so there is never",
		"    anything to remove; the mode is accepted for compatibility.",
	)
}

// replyHelpLines answers a HELP subcommand in Redis's shape: a heading
// naming the command, the given lines, and an entry for HELP itself, each
// as a status line.
func replyHelpLines(c *Ctx, cmd string, lines ...string) {
	c.Array(len(lines) + 3)
	c.Simple(cmd + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:")
	for _, l := range lines {
		c.Simple(l)
	}
	c.Simple("HELP")
	c.Simple("    Print this help.")
}

// SAVE writes the snapshot before it answers; BGSAVE starts it in the
// background (snapshot.go in the server does the work).

func init() {
	register("save", cmdSave)
	register("bgsave", cmdBGSave)
}

func cmdSave(c *Ctx) {
	if c.E.Save == nil {
		c.Error("ERR snapshots are not available")
		return
	}
	if err := c.E.Save(); err != nil {
		c.Error(errorText(err.Error()))
		return
	}
	c.OK()
}

func cmdBGSave(c *Ctx) {
	schedule := false
	if len(c.Args) > 1 {
		if len(c.Args) > 2 || !eqFold(c.Args[1], "schedule") {
			c.Error(errSyntax)
			return
		}
		schedule = true
	}
	if c.E.BGSave == nil {
		c.Error("ERR snapshots are not available")
		return
	}
	msg, err := c.E.BGSave(schedule)
	if err != nil {
		c.Error(errorText(err.Error()))
		return
	}
	c.Simple(msg)
}

// SnapshotDone tells the engine a snapshot that started when dirty was
// at before finished; the changes it covers no longer count as unsaved.
func (e *Engine) SnapshotDone(before int64) { e.stats.dirty.Add(-before) }

// Dirty is rdb_changes_since_last_save.
func (e *Engine) Dirty() int64 { return e.stats.dirty.Load() }
