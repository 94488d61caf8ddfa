package command

import (
	"sort"
	"sync/atomic"
)

// Handler executes one command against a Ctx and appends its reply.
type Handler func(c *Ctx)

// Command is one entry of the command table: the runtime half (handler,
// counters) joined with its description (arity, flags, key specs, docs).
type Command struct {
	Spec
	Handler  Handler
	Parent   *Command
	Subs     map[string]*Command // lower-cased subcommand names
	FullName string              // "get", "config|get"
	bits     uint32              // dispatcher flags derived from Spec.Flags

	calls, usec, rejected, failed atomic.Int64
	lat                           atomic.Pointer[latencyHist] // latency_hist.go
}

// handlers maps a command's full lower-case name to its handler; the
// files of each command family fill it in init functions.
var handlers = map[string]Handler{}

func register(name string, h Handler) {
	if _, dup := handlers[name]; dup {
		panic("command: duplicate handler " + name)
	}
	handlers[name] = h
}

// buildTable joins specs with handlers. A spec without a handler or a
// handler without a spec is a programming error caught at start-up (and
// by TestTableComplete).
func buildTable() map[string]*Command {
	t := make(map[string]*Command, len(specs))
	for i := range specs {
		sp := &specs[i]
		cmd := &Command{Spec: *sp, FullName: sp.Name, Handler: handlers[sp.Name], bits: specBits(sp)}
		if untimedCommands[sp.Name] {
			cmd.bits |= flagCheap
		}
		if len(sp.Subcommands) > 0 {
			cmd.Subs = make(map[string]*Command, len(sp.Subcommands))
			for j := range sp.Subcommands {
				sub := &sp.Subcommands[j]
				full := sp.Name + "|" + sub.Name
				sc := &Command{Spec: *sub, FullName: full, Parent: cmd, Handler: handlers[full], bits: specBits(sub)}
				cmd.Subs[sub.Name] = sc
			}
		}
		t[sp.Name] = cmd
	}
	return t
}

// Commands returns every top-level command sorted by name.
func (e *Engine) Commands() []*Command {
	out := make([]*Command, 0, len(e.table))
	for _, c := range e.table {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// SortedSubs returns a command's subcommands sorted by name.
func (cmd *Command) SortedSubs() []*Command {
	out := make([]*Command, 0, len(cmd.Subs))
	for _, c := range cmd.Subs {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func specBits(sp *Spec) uint32 {
	var b uint32
	for _, f := range sp.Flags {
		b |= flagBits[f]
	}
	return b
}
