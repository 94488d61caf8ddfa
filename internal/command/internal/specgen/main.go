package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"os"
	"strings"
	"time"

	"cairn/internal/testutil"
)

// table lists Cairn's commands in the order specs.go keeps them, each
// with the subcommands Cairn implements (a subset of Redis's).
var table = []struct {
	name string
	subs []string
}{
	{"ping", nil}, {"echo", nil}, {"quit", nil}, {"hello", nil}, {"auth", nil},
	{"select", nil}, {"swapdb", nil}, {"reset", nil},
	{"client", []string{"id", "setname", "getname", "list", "info", "setinfo", "kill", "no-evict", "reply", "unblock", "getredir", "trackinginfo", "caching", "help"}},
	{"get", nil}, {"set", nil}, {"setnx", nil}, {"setex", nil}, {"psetex", nil},
	{"mget", nil}, {"mset", nil}, {"msetnx", nil}, {"getset", nil}, {"getdel", nil},
	{"getex", nil}, {"append", nil}, {"strlen", nil}, {"incr", nil}, {"decr", nil},
	{"incrby", nil}, {"decrby", nil}, {"incrbyfloat", nil}, {"getrange", nil},
	{"setrange", nil}, {"substr", nil}, {"lcs", nil},
	{"del", nil}, {"unlink", nil}, {"exists", nil}, {"expire", nil}, {"pexpire", nil},
	{"expireat", nil}, {"pexpireat", nil}, {"ttl", nil}, {"pttl", nil},
	{"expiretime", nil}, {"pexpiretime", nil}, {"persist", nil}, {"type", nil},
	{"keys", nil}, {"scan", nil}, {"randomkey", nil}, {"rename", nil}, {"renamenx", nil},
	{"copy", nil}, {"move", nil}, {"touch", nil}, {"dump", nil}, {"restore", nil},
	{"dbsize", nil}, {"flushdb", nil}, {"flushall", nil},
	{"object", []string{"encoding", "refcount", "idletime", "freq", "help"}},
	{"info", nil},
	{"config", []string{"get", "set", "resetstat", "rewrite", "help"}},
	{"command", []string{"count", "info", "docs", "list", "getkeys", "getkeysandflags", "help"}},
	{"time", nil}, {"lastsave", nil}, {"shutdown", nil}, {"monitor", nil},
	{"slowlog", []string{"get", "len", "reset", "help"}},
	{"latency", []string{"latest", "history", "reset", "histogram", "graph", "doctor", "help"}},
	{"function", []string{"flush", "help"}},
	{"script", []string{"flush", "help"}},
	{"bgrewriteaof", nil}, {"save", nil}, {"bgsave", nil}, {"role", nil},
	{"memory", []string{"doctor", "malloc-stats", "purge", "stats", "usage", "help"}},
	{"cluster", []string{"addslots", "addslotsrange", "bumpepoch", "count-failure-reports", "countkeysinslot",
		"delslots", "delslotsrange", "failover", "flushslots", "forget", "getkeysinslot", "help", "info", "keyslot",
		"links", "meet", "myid", "nodes", "replicas", "replicate", "reset", "saveconfig", "set-config-epoch",
		"setslot", "shards", "slaves", "slots"}},
	{"readonly", nil}, {"readwrite", nil}, {"asking", nil},
	{"module", []string{"help", "list", "load", "loadex", "unload"}},
	{"failover", nil}, {"debug", nil},
	{"acl", []string{"cat", "deluser", "dryrun", "genpass", "getuser", "list", "load", "log", "save", "setuser", "users", "whoami", "help"}},
}

func main() {
	addr := flag.String("addr", "127.0.0.1:7777", "redis-server 7.0 to read the facts from")
	out := flag.String("out", "internal/command/specs.go", "file to write")
	todo := flag.Bool("todo", false, "list missing prose instead of writing")
	catalog := flag.String("catalog", "", "also write the ACL command catalog (every Redis command and its categories) to this file")
	flag.Parse()
	if *catalog != "" {
		if err := writeCatalog(*addr, *catalog); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	specs, err := fetch(*addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if missing := applyProse(specs, *todo); missing > 0 {
		fmt.Fprintf(os.Stderr, "specgen: %d prose slots missing\n", missing)
		os.Exit(1)
	}
	if *todo {
		return
	}
	src, err := render(specs)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// caller returns a function that sends one command on c and decodes its
// reply.
func caller(c *testutil.RawConn) func(args ...string) (value, error) {
	return func(args ...string) (value, error) {
		bs := make([][]byte, len(args))
		for i, a := range args {
			bs[i] = []byte(a)
		}
		if err := c.TrySend(testutil.AppendCommand(nil, bs...)); err != nil {
			return value{}, err
		}
		f, err := c.TryReadFrame(5 * time.Second)
		if err != nil {
			return value{}, err
		}
		return decode(f)
	}
}

func fetch(addr string) ([]spec, error) {
	c, err := testutil.DialRaw(addr)
	if err != nil {
		return nil, fmt.Errorf("specgen: %w", err)
	}
	defer c.Close()
	do := caller(c)
	if _, err := do("HELLO", "3"); err != nil {
		return nil, err
	}
	var out []spec
	for _, t := range table {
		info, err := do("COMMAND", "INFO", t.name)
		if err != nil {
			return nil, err
		}
		s, err := fromInfo(info.elems[0])
		if err != nil {
			return nil, err
		}
		docs, err := do("COMMAND", "DOCS", t.name)
		if err != nil {
			return nil, err
		}
		d, _ := docs.get(t.name)
		if err := addDocs(&s, d); err != nil {
			return nil, err
		}
		if t.subs != nil {
			var subs []spec
			for _, name := range t.subs {
				found := false
				for _, ss := range s.Subcommands {
					if ss.Name == name {
						subs, found = append(subs, ss), true
					}
				}
				if !found && t.name+"|"+name == "client|setinfo" {
					subs, found = append(subs, clientSetinfo()), true
				}
				if !found {
					return nil, fmt.Errorf("specgen: redis has no %s|%s", t.name, name)
				}
			}
			s.Subcommands = subs
		}
		out = append(out, s)
	}
	return out, nil
}

// clientSetinfo is CLIENT SETINFO as Redis 7.2 describes it; 7.0 lacks
// the command, but current client libraries send it on connect.
func clientSetinfo() spec {
	return spec{
		Name: "setinfo", Arity: 4, Flags: []string{"noscript", "loading", "stale"},
		ACL:          []string{"@slow", "@connection"},
		redisSummary: "(7.2)", redisComplx: "(7.2)",
		Doc: doc{Since: "7.2.0", Group: "connection", Args: []arg{{
			Name: "attr", Type: "oneof", Args: []arg{
				{Name: "libname", Type: "string", Token: "lib-name"},
				{Name: "libver", Type: "string", Token: "lib-ver"},
			},
		}}},
	}
}

// applyProse fills every prose slot from prose.go and returns how many
// are missing. With list set it prints each missing slot.
func applyProse(specs []spec, list bool) int {
	missing := 0
	var walk func(s *spec, full string)
	walk = func(s *spec, full string) {
		p, ok := prose[full]
		report := func(what, redis string) {
			missing++
			if list {
				fmt.Printf("%-28s %-12s (redis: %q)\n", full, what, redis)
			}
		}
		if !ok || p.Summary == "" {
			report("summary", s.redisSummary)
		}
		// A command Redis documents without a complexity keeps none.
		if s.redisComplx != "" && (!ok || p.Complexity == "") {
			report("complexity", s.redisComplx)
		}
		s.Doc.Summary = p.Summary
		if s.redisComplx != "" {
			s.Doc.Complexity = p.Complexity
		}
		if len(p.History) != s.redisHistory {
			for i := len(p.History); i < s.redisHistory; i++ {
				report("history "+s.Doc.History[i][0], s.redisHistoryText[i])
			}
			if len(p.History) > s.redisHistory {
				report("history: too many lines", "")
			}
		} else {
			for i := range s.Doc.History {
				s.Doc.History[i][1] = p.History[i]
			}
		}
		for i, has := range s.redisNotes {
			if !has {
				continue
			}
			if i >= len(p.Notes) || p.Notes[i] == "" {
				report(fmt.Sprintf("notes[%d]", i), "")
				continue
			}
			s.KeySpecs[i].Notes = p.Notes[i]
		}
		for _, a := range s.redisArgSummaries {
			report("arg summary "+a, "")
		}
		for i := range s.Subcommands {
			walk(&s.Subcommands[i], full+"|"+s.Subcommands[i].Name)
		}
	}
	for i := range specs {
		walk(&specs[i], specs[i].Name)
	}
	return missing
}

func render(specs []spec) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("// Code generated by internal/command/internal/specgen; DO NOT EDIT.\n")
	b.WriteString("// Facts from redis-server 7.0.15; prose from specgen/prose.go.\n\n")
	b.WriteString("package command\n\n")
	b.WriteString("var specs = []Spec{\n")
	for _, s := range specs {
		writeSpec(&b, s)
		b.WriteString(",\n")
	}
	b.WriteString("}\n")
	return format.Source(b.Bytes())
}

func q(s string) string { return fmt.Sprintf("%q", s) }

func strList(ss []string) string {
	qs := make([]string, len(ss))
	for i, s := range ss {
		qs[i] = q(s)
	}
	return "[]string{" + strings.Join(qs, ", ") + "}"
}

func writeSpec(b *bytes.Buffer, s spec) {
	fmt.Fprintf(b, "{\nName: %s, Arity: %d,\n", q(s.Name), s.Arity)
	if len(s.Flags) > 0 {
		fmt.Fprintf(b, "Flags: %s,\n", strList(s.Flags))
	}
	if len(s.ACL) > 0 {
		fmt.Fprintf(b, "ACL: %s,\n", strList(s.ACL))
	}
	if s.FirstKey != 0 || s.LastKey != 0 || s.Step != 0 {
		fmt.Fprintf(b, "FirstKey: %d, LastKey: %d, Step: %d,\n", s.FirstKey, s.LastKey, s.Step)
	}
	if len(s.Tips) > 0 {
		fmt.Fprintf(b, "Tips: %s,\n", strList(s.Tips))
	}
	if len(s.KeySpecs) > 0 {
		b.WriteString("KeySpecs: []KeySpec{\n")
		for _, k := range s.KeySpecs {
			writeKeySpec(b, k)
		}
		b.WriteString("},\n")
	}
	writeDoc(b, s.Doc)
	if len(s.Subcommands) > 0 {
		b.WriteString("Subcommands: []Spec{\n")
		for _, sub := range s.Subcommands {
			writeSpec(b, sub)
			b.WriteString(",\n")
		}
		b.WriteString("},\n")
	}
	b.WriteString("}")
}

func writeKeySpec(b *bytes.Buffer, k keySpec) {
	b.WriteString("{")
	if k.Notes != "" {
		fmt.Fprintf(b, "Notes: %s,\n", q(k.Notes))
	}
	fmt.Fprintf(b, "Flags: %s,\n", strList(k.Flags))
	fmt.Fprintf(b, "BeginSearch: %s, ", q(k.BeginSearch))
	switch k.BeginSearch {
	case "index":
		fmt.Fprintf(b, "Index: %d,\n", k.Index)
	case "keyword":
		fmt.Fprintf(b, "Keyword: %s, StartFrom: %d,\n", q(k.Keyword), k.StartFrom)
	default:
		b.WriteString("\n")
	}
	fmt.Fprintf(b, "FindKeys: %s, ", q(k.FindKeys))
	switch k.FindKeys {
	case "range":
		fmt.Fprintf(b, "LastKey: %d, KeyStep: %d, Limit: %d,\n", k.LastKey, k.KeyStep, k.Limit)
	case "keynum":
		fmt.Fprintf(b, "KeyNumIdx: %d, FirstKey: %d, KeyStep: %d,\n", k.KeyNumIdx, k.FirstKey, k.KeyStep)
	default:
		b.WriteString("\n")
	}
	b.WriteString("},\n")
}

func writeDoc(b *bytes.Buffer, d doc) {
	b.WriteString("Doc: Doc{\n")
	fmt.Fprintf(b, "Summary: %s,\n", q(d.Summary))
	fmt.Fprintf(b, "Since: %s, Group: %s,\n", q(d.Since), q(d.Group))
	fmt.Fprintf(b, "Complexity: %s,\n", q(d.Complexity))
	if len(d.DocFlags) > 0 {
		fmt.Fprintf(b, "DocFlags: %s,\n", strList(d.DocFlags))
	}
	if d.DeprecatedSince != "" {
		fmt.Fprintf(b, "DeprecatedSince: %s,\n", q(d.DeprecatedSince))
	}
	if d.ReplacedBy != "" {
		fmt.Fprintf(b, "ReplacedBy: %s,\n", q(d.ReplacedBy))
	}
	if len(d.History) > 0 {
		b.WriteString("History: [][2]string{\n")
		for _, h := range d.History {
			fmt.Fprintf(b, "{%s, %s},\n", q(h[0]), q(h[1]))
		}
		b.WriteString("},\n")
	}
	if len(d.Args) > 0 {
		b.WriteString("Args: []Arg{\n")
		writeArgs(b, d.Args)
		b.WriteString("},\n")
	}
	b.WriteString("},\n")
}

func writeArgs(b *bytes.Buffer, args []arg) {
	for _, a := range args {
		fmt.Fprintf(b, "{Name: %s, Type: %s", q(a.Name), q(a.Type))
		if a.Type == "key" {
			fmt.Fprintf(b, ", KeySpecIndex: %d", a.KeySpecIndex)
		}
		if a.Token != "" {
			fmt.Fprintf(b, ", Token: %s", q(a.Token))
		}
		if a.Summary != "" {
			fmt.Fprintf(b, ", Summary: %s", q(a.Summary))
		}
		if a.Since != "" {
			fmt.Fprintf(b, ", Since: %s", q(a.Since))
		}
		if len(a.Flags) > 0 {
			fmt.Fprintf(b, ", Flags: %s", strList(a.Flags))
		}
		if a.DeprecatedSince != "" {
			fmt.Fprintf(b, ", DeprecatedSince: %s", q(a.DeprecatedSince))
		}
		if len(a.Args) > 0 {
			b.WriteString(", Args: []Arg{\n")
			writeArgs(b, a.Args)
			b.WriteString("}")
		}
		b.WriteString("},\n")
	}
}
