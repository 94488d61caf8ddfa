package command

import (
	"bytes"
	"strings"
)

// COMMAND and its subcommands: the command table described to clients.
// The reply shapes are Redis 7.0's, element for element, because client
// libraries and redis-cli parse them positionally. Only the order differs:
// Redis lists commands in hash-table order, Cairn by name.

func init() {
	register("command", cmdCommand)
	register("command|count", cmdCommandCount)
	register("command|info", cmdCommandInfo)
	register("command|docs", cmdCommandDocs)
	register("command|list", cmdCommandList)
	register("command|getkeys", cmdCommandGetKeys)
	register("command|getkeysandflags", cmdCommandGetKeysAndFlags)
	register("command|help", cmdCommandHelp)
}

// cmdCommand describes every command, as COMMAND INFO without names.
func cmdCommand(c *Ctx) {
	all := c.E.Commands()
	c.Array(len(all))
	for _, cmd := range all {
		replyCommandInfo(c, cmd)
	}
}

func cmdCommandCount(c *Ctx) { c.Int(int64(len(c.E.table))) }

func cmdCommandInfo(c *Ctx) {
	if len(c.Args) == 2 {
		cmdCommand(c)
		return
	}
	c.Array(len(c.Args) - 2)
	for _, name := range c.Args[2:] {
		if cmd := c.E.lookupFullName(name); cmd != nil {
			replyCommandInfo(c, cmd)
		} else {
			c.Null()
		}
	}
}

func cmdCommandDocs(c *Ctx) {
	if len(c.Args) == 2 {
		all := c.E.Commands()
		c.Map(len(all))
		for _, cmd := range all {
			c.BulkString(cmd.FullName)
			replyCommandDocs(c, cmd)
		}
		return
	}
	// Unknown names are left out, so the map is counted first.
	found := make([]*Command, 0, len(c.Args)-2)
	for _, name := range c.Args[2:] {
		if cmd := c.E.lookupFullName(name); cmd != nil {
			found = append(found, cmd)
		}
	}
	c.Map(len(found))
	for _, cmd := range found {
		c.BulkString(cmd.FullName)
		replyCommandDocs(c, cmd)
	}
}

// cmdCommandList replies with command names, each container followed by
// its subcommands, optionally filtered by FILTERBY MODULE, ACLCAT or
// PATTERN (a case-insensitive glob over the full name).
func cmdCommandList(c *Ctx) {
	keep := func(*Command) bool { return true }
	switch {
	case len(c.Args) == 2:
	case len(c.Args) == 5 && bytes.EqualFold(c.Args[2], []byte("filterby")):
		value := c.Args[4]
		switch {
		case bytes.EqualFold(c.Args[3], []byte("module")):
			keep = func(*Command) bool { return false } // Cairn loads no modules
		case bytes.EqualFold(c.Args[3], []byte("aclcat")):
			cat := "@" + string(value)
			keep = func(cmd *Command) bool {
				for _, a := range cmd.ACL {
					if strings.EqualFold(a, cat) {
						return true
					}
				}
				return false
			}
		case bytes.EqualFold(c.Args[3], []byte("pattern")):
			keep = func(cmd *Command) bool { return globMatch(value, []byte(cmd.FullName), true) }
		default:
			c.Error(errSyntax)
			return
		}
	default:
		c.Error(errSyntax)
		return
	}
	var names []string
	for _, cmd := range c.E.Commands() {
		if keep(cmd) {
			names = append(names, cmd.FullName)
		}
		for _, sub := range cmd.SortedSubs() {
			if keep(sub) {
				names = append(names, sub.FullName)
			}
		}
	}
	c.Array(len(names))
	for _, n := range names {
		c.BulkString(n)
	}
}

func cmdCommandGetKeys(c *Ctx)         { commandGetKeys(c, false) }
func cmdCommandGetKeysAndFlags(c *Ctx) { commandGetKeys(c, true) }

// commandGetKeys finds the keys of the command line in c.Args[2:].
func commandGetKeys(c *Ctx, withFlags bool) {
	line := c.Args[2:]
	cmd := c.E.lookupArgs(line)
	switch {
	case cmd == nil:
		c.Error("ERR Invalid command specified")
		return
	case !hasKeyArgs(cmd):
		c.Error("ERR The command has no key arguments")
		return
	case (cmd.Arity > 0 && len(line) != cmd.Arity) || len(line) < -cmd.Arity:
		c.Error("ERR Invalid number of arguments specified for command")
		return
	}
	refs, err := keyRefsOf(cmd, line)
	if err != nil || len(refs) == 0 {
		if hasString(cmd.Flags, "no_mandatory_keys") {
			c.Array(0)
		} else {
			c.Error("ERR Invalid arguments specified for command")
		}
		return
	}
	c.Array(len(refs))
	for _, r := range refs {
		if !withFlags {
			c.Bulk(line[r.Pos])
			continue
		}
		c.Array(2)
		c.Bulk(line[r.Pos])
		c.Set(len(r.Flags))
		for _, f := range r.Flags {
			c.Simple(f)
		}
	}
}

// commandHelpLines is COMMAND HELP's reply, Redis's text line for line.
var commandHelpLines = []string{
	"COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"(no subcommand)",
	"    Return details about all Redis commands.",
	"COUNT",
	"    Return the total number of commands in this Redis server.",
	"LIST",
	"    Return a list of all commands in this Redis server.",
	"INFO [<command-name> ...]",
	"    Return details about multiple Redis commands.",
	"    If no command names are given, documentation details for all",
	"    commands are returned.",
	"DOCS [<command-name> ...]",
	"    Return documentation details about multiple Redis commands.",
	"    If no command names are given, documentation details for all",
	"    commands are returned.",
	"GETKEYS <full-command>",
	"    Return the keys from a full Redis command.",
	"GETKEYSANDFLAGS <full-command>",
	"    Return the keys and the access flags from a full Redis command.",
	"HELP",
	"    Prints this help.",
}

func cmdCommandHelp(c *Ctx) {
	c.Array(len(commandHelpLines))
	for _, l := range commandHelpLines {
		c.Simple(l)
	}
}

// lookupFullName finds a command by its full name, "get" or
// "config|get", in any case.
func (e *Engine) lookupFullName(name []byte) *Command {
	base, sub, isSub := bytes.Cut(name, []byte{'|'})
	if len(base) > maxNameLen || len(sub) > maxNameLen {
		return nil
	}
	var buf [maxNameLen]byte
	cmd := e.table[string(lowerInto(buf[:], base))]
	if cmd == nil || !isSub {
		return cmd
	}
	if bytes.IndexByte(sub, '|') >= 0 {
		return nil
	}
	return cmd.Subs[string(lowerInto(buf[:], sub))]
}

// lookupArgs finds the command a command line would run: a container's
// subcommand when it has one, else the command itself.
func (e *Engine) lookupArgs(line [][]byte) *Command {
	if len(line[0]) > maxNameLen {
		return nil
	}
	var buf [maxNameLen]byte
	cmd := e.table[string(lowerInto(buf[:], line[0]))]
	if cmd == nil || cmd.Subs == nil || len(line) == 1 {
		return cmd
	}
	if len(line[1]) > maxNameLen {
		return nil
	}
	return cmd.Subs[string(lowerInto(buf[:], line[1]))]
}

// replyCommandInfo writes one command's COMMAND INFO entry:
// [name arity flags first last step acl-categories tips key-specs subcommands].
func replyCommandInfo(c *Ctx, cmd *Command) {
	c.Array(10)
	c.BulkString(cmd.FullName)
	c.Int(int64(cmd.Arity))
	replySimpleSet(c, cmd.Flags)
	c.Int(int64(cmd.FirstKey))
	c.Int(int64(cmd.LastKey))
	c.Int(int64(cmd.Step))
	replySimpleSet(c, cmd.ACL)
	c.Set(len(cmd.Tips))
	for _, t := range cmd.Tips {
		c.BulkString(t)
	}
	c.Set(len(cmd.KeySpecs))
	for i := range cmd.KeySpecs {
		replyKeySpec(c, &cmd.KeySpecs[i])
	}
	if cmd.Subs == nil {
		c.Set(0)
		return
	}
	subs := cmd.SortedSubs()
	c.Array(len(subs))
	for _, sub := range subs {
		replyCommandInfo(c, sub)
	}
}

func replyKeySpec(c *Ctx, ks *KeySpec) {
	n := 3
	if ks.Notes != "" {
		n++
	}
	c.Map(n)
	if ks.Notes != "" {
		c.BulkString("notes")
		c.BulkString(ks.Notes)
	}
	c.BulkString("flags")
	replySimpleSet(c, ks.Flags)

	c.BulkString("begin_search")
	c.Map(2)
	c.BulkString("type")
	c.BulkString(ks.BeginSearch)
	c.BulkString("spec")
	switch ks.BeginSearch {
	case "index":
		c.Map(1)
		c.BulkString("index")
		c.Int(int64(ks.Index))
	case "keyword":
		c.Map(2)
		c.BulkString("keyword")
		c.BulkString(ks.Keyword)
		c.BulkString("startfrom")
		c.Int(int64(ks.StartFrom))
	default:
		c.Map(0)
	}

	c.BulkString("find_keys")
	c.Map(2)
	c.BulkString("type")
	c.BulkString(ks.FindKeys)
	c.BulkString("spec")
	switch ks.FindKeys {
	case "range":
		c.Map(3)
		c.BulkString("lastkey")
		c.Int(int64(ks.LastKey))
		c.BulkString("keystep")
		c.Int(int64(ks.KeyStep))
		c.BulkString("limit")
		c.Int(int64(ks.Limit))
	case "keynum":
		c.Map(3)
		c.BulkString("keynumidx")
		c.Int(int64(ks.KeyNumIdx))
		c.BulkString("firstkey")
		c.Int(int64(ks.FirstKey))
		c.BulkString("keystep")
		c.Int(int64(ks.KeyStep))
	default:
		c.Map(0)
	}
}

// replyCommandDocs writes one command's COMMAND DOCS map. Fields without
// a value are left out, as Redis does.
func replyCommandDocs(c *Ctx, cmd *Command) {
	d := &cmd.Doc
	n := 1 // group is always there
	for _, present := range []bool{d.Summary != "", d.Since != "", d.Complexity != "",
		len(d.DocFlags) > 0, d.DeprecatedSince != "", d.ReplacedBy != "",
		len(d.History) > 0, len(d.Args) > 0, cmd.Subs != nil} {
		if present {
			n++
		}
	}
	c.Map(n)
	replyOptionalField(c, "summary", d.Summary)
	replyOptionalField(c, "since", d.Since)
	c.BulkString("group")
	c.BulkString(d.Group)
	replyOptionalField(c, "complexity", d.Complexity)
	if len(d.DocFlags) > 0 {
		c.BulkString("doc_flags")
		replySimpleSet(c, d.DocFlags)
	}
	replyOptionalField(c, "deprecated_since", d.DeprecatedSince)
	replyOptionalField(c, "replaced_by", d.ReplacedBy)
	if len(d.History) > 0 {
		c.BulkString("history")
		c.Set(len(d.History))
		for _, h := range d.History {
			c.Array(2)
			c.BulkString(h[0])
			c.BulkString(h[1])
		}
	}
	if len(d.Args) > 0 {
		c.BulkString("arguments")
		replyDocArgs(c, d.Args)
	}
	if cmd.Subs != nil {
		c.BulkString("subcommands")
		subs := cmd.SortedSubs()
		c.Map(len(subs))
		for _, sub := range subs {
			c.BulkString(sub.FullName)
			replyCommandDocs(c, sub)
		}
	}
}

func replyDocArgs(c *Ctx, args []Arg) {
	c.Array(len(args))
	for i := range args {
		a := &args[i]
		composite := a.Type == "oneof" || a.Type == "block"
		n := 2
		for _, present := range []bool{a.Type == "key", a.Token != "", a.Summary != "",
			a.Since != "", len(a.Flags) > 0, a.DeprecatedSince != "", composite} {
			if present {
				n++
			}
		}
		c.Map(n)
		c.BulkString("name")
		c.BulkString(a.Name)
		c.BulkString("type")
		c.BulkString(a.Type)
		if a.Type == "key" {
			c.BulkString("key_spec_index")
			c.Int(int64(a.KeySpecIndex))
		}
		replyOptionalField(c, "token", a.Token)
		replyOptionalField(c, "summary", a.Summary)
		replyOptionalField(c, "since", a.Since)
		if len(a.Flags) > 0 {
			c.BulkString("flags")
			replySimpleSet(c, a.Flags)
		}
		replyOptionalField(c, "deprecated_since", a.DeprecatedSince)
		if composite {
			c.BulkString("arguments")
			replyDocArgs(c, a.Args)
		}
	}
}

func replyOptionalField(c *Ctx, key, value string) {
	if value != "" {
		c.BulkString(key)
		c.BulkString(value)
	}
}

// replySimpleSet writes names as a set of status strings, the form
// Redis uses for flags and categories.
func replySimpleSet(c *Ctx, names []string) {
	c.Set(len(names))
	for _, s := range names {
		c.Simple(s)
	}
}

// hasKeyArgs reports whether any of a command's key specs names keys
// (rather than, say, pub/sub channels).
func hasKeyArgs(cmd *Command) bool {
	if variableKeyFlags[cmd.FullName] != nil {
		return true
	}
	for i := range cmd.KeySpecs {
		if !hasString(cmd.KeySpecs[i].Flags, "not_key") {
			return true
		}
	}
	return false
}

func hasString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
