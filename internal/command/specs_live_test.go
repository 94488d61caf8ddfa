package command

import (
	"fmt"
	"math/rand"
	"slices"
	"sort"
	"strings"
	"testing"

	"cairn/internal/testutil"
)

// These tests hold the command table and the COMMAND replies against a
// real redis-server 7.0. Without one they are skipped, except under
// CI=true where they fail (testutil.StartRedis decides).

// replyNode is a decoded reply that the comparisons can edit: prose is
// blanked out and Redis's extra subcommands dropped before comparing.
type replyNode struct {
	typ  byte
	text string // scalars: the head line, and the payload of bulk strings
	kids []replyNode
}

func toReplyNode(f testutil.Frame) replyNode {
	n := replyNode{typ: f.Type}
	if f.IsAggregate() {
		for _, e := range f.Elems {
			n.kids = append(n.kids, toReplyNode(e))
		}
		return n
	}
	n.text = string(f.Head)
	if f.Body != nil {
		n.text = string(f.Body)
	}
	return n
}

func (n replyNode) render(b *strings.Builder, indent string) {
	if n.kids == nil && n.typ != '*' && n.typ != '~' && n.typ != '%' {
		fmt.Fprintf(b, "%s%c %q\n", indent, n.typ, n.text)
		return
	}
	fmt.Fprintf(b, "%s%c%d\n", indent, n.typ, len(n.kids))
	for _, k := range n.kids {
		k.render(b, indent+"  ")
	}
}

func (n replyNode) String() string {
	var b strings.Builder
	n.render(&b, "")
	return b.String()
}

var proseMark = replyNode{typ: '$', text: "<prose>"}

// proseFreeInfo blanks key-spec notes in a COMMAND INFO entry and keeps
// only the subcommands named in keep, sorted.
func proseFreeInfo(n *replyNode, keep map[string]bool) {
	if len(n.kids) != 10 {
		return
	}
	for i := range n.kids[8].kids {
		ks := &n.kids[8].kids[i]
		for j := 0; j+1 < len(ks.kids); j += 2 {
			if ks.kids[j].text == "notes" {
				ks.kids[j+1] = proseMark
			}
		}
	}
	subs := &n.kids[9]
	if len(subs.kids) == 0 {
		return
	}
	var kept []replyNode
	for _, s := range subs.kids {
		if keep[s.kids[0].text] {
			proseFreeInfo(&s, keep)
			kept = append(kept, s)
		}
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i].kids[0].text < kept[j].kids[0].text })
	subs.kids = kept
}

// proseFreeDocs blanks the prose of a COMMAND DOCS map and keeps only
// the subcommands named in keep, sorted.
func proseFreeDocs(n *replyNode, keep map[string]bool) {
	for j := 0; j+1 < len(n.kids); j += 2 {
		v := &n.kids[j+1]
		switch n.kids[j].text {
		case "summary", "complexity":
			*v = proseMark
		case "history":
			for i := range v.kids {
				v.kids[i].kids[1] = proseMark
			}
		case "arguments":
			proseFreeArgs(v)
		case "subcommands":
			type pair struct{ k, v replyNode }
			var kept []pair
			for i := 0; i+1 < len(v.kids); i += 2 {
				if keep[v.kids[i].text] {
					d := v.kids[i+1]
					proseFreeDocs(&d, keep)
					kept = append(kept, pair{v.kids[i], d})
				}
			}
			sort.Slice(kept, func(a, b int) bool { return kept[a].k.text < kept[b].k.text })
			v.kids = v.kids[:0]
			for _, p := range kept {
				v.kids = append(v.kids, p.k, p.v)
			}
		}
	}
}

func proseFreeArgs(list *replyNode) {
	for i := range list.kids {
		a := &list.kids[i]
		for j := 0; j+1 < len(a.kids); j += 2 {
			switch a.kids[j].text {
			case "summary":
				a.kids[j+1] = proseMark
			case "arguments":
				proseFreeArgs(&a.kids[j+1])
			}
		}
	}
}

func parseReply(t *testing.T, raw []byte) replyNode {
	t.Helper()
	f, n, err := testutil.ParseFrame(raw)
	if err != nil || n != len(raw) {
		t.Fatalf("bad reply (%v, %d of %d bytes): %q", err, n, len(raw), raw)
	}
	return toReplyNode(f)
}

// liveNames lists every command and subcommand of the table that Redis
// 7.0 has (all but CLIENT SETINFO, which is 7.2's).
func liveNames() (names []string, keep map[string]bool) {
	keep = map[string]bool{}
	for _, sp := range specs {
		names = append(names, sp.Name)
		for _, sub := range sp.Subcommands {
			full := sp.Name + "|" + sub.Name
			if full == "client|setinfo" {
				continue
			}
			names = append(names, full)
			keep[full] = true
		}
	}
	return names, keep
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			lo := max(0, i-6)
			return fmt.Sprintf("at line %d:\n  redis: %s\n  cairn: %s\ncontext (redis):\n%s", i, al[i], bl[i], strings.Join(al[lo:min(len(al), i+3)], "\n"))
		}
	}
	return fmt.Sprintf("lengths differ: redis %d lines, cairn %d lines", len(al), len(bl))
}

func TestSpecsMatchRedis(t *testing.T) {
	p := testutil.StartRedis(t)
	names, keep := liveNames()
	for _, proto := range []int{2, 3} {
		conn := testutil.Dial(t, p.Addr())
		if proto == 3 {
			conn.Do("HELLO", "3")
		}
		e, s := commandTestEngine(t, proto)
		for _, name := range names {
			theirs := parseReply(t, conn.Do("COMMAND", "INFO", name))
			ours := parseReply(t, runCommand(e, s, "COMMAND", "INFO", name))
			if len(theirs.kids) != 1 || len(ours.kids) != 1 {
				t.Fatalf("RESP%d COMMAND INFO %s: not one entry", proto, name)
			}
			proseFreeInfo(&theirs.kids[0], keep)
			proseFreeInfo(&ours.kids[0], keep)
			if a, b := theirs.String(), ours.String(); a != b {
				t.Errorf("RESP%d COMMAND INFO %s differs %s", proto, name, firstDiff(a, b))
			}

			theirs = parseReply(t, conn.Do("COMMAND", "DOCS", name))
			ours = parseReply(t, runCommand(e, s, "COMMAND", "DOCS", name))
			if len(theirs.kids) != 2 || len(ours.kids) != 2 {
				t.Fatalf("RESP%d COMMAND DOCS %s: not one entry", proto, name)
			}
			proseFreeDocs(&theirs.kids[1], keep)
			proseFreeDocs(&ours.kids[1], keep)
			if a, b := theirs.String(), ours.String(); a != b {
				t.Errorf("RESP%d COMMAND DOCS %s differs %s", proto, name, firstDiff(a, b))
			}
		}
	}
}

// TestCommandRepliesMatchRedis compares COMMAND's other replies byte for
// byte where Redis's larger command set does not matter.
func TestCommandRepliesMatchRedis(t *testing.T) {
	p := testutil.StartRedis(t)
	lines := [][]string{
		{"COMMAND", "HELP"},
		{"COMMAND", "INFO", "nosuch", "GET", "config|GET", "config|nosuch", "get|x", "config|get|x"},
		{"COMMAND", "LIST", "FILTERBY", "MODULE", "x"},
		{"COMMAND", "LIST", "FILTERBY", "ACLCAT", "nosuch"},
		{"COMMAND", "LIST", "FILTERBY"},
		{"COMMAND", "LIST", "FILTERBY", "PATTERN", "a", "b"},
		{"COMMAND", "LIST", "FILTER", "PATTERN", "a"},
		{"COMMAND", "LIST", "FILTERBY", "NAME", "a"},
		{"COMMAND", "COUNT", "x"},
		{"COMMAND", "NOSUCH"},
		{"COMMAND", "GETKEYS"},
		{"COMMAND", "GETKEYS", "get"},
		{"COMMAND", "GETKEYS", "nosuch", "x"},
		{"COMMAND", "GETKEYS", "client", "nosuch", "x"},
		{"COMMAND", "GETKEYS", "client", "kill", "x"},
		{"COMMAND", "GETKEYS", "config|get", "x"},
		{"COMMAND", "GETKEYS", "ping", "x"},
		{"COMMAND", "GETKEYS", "get", "a", "b"},
		{"COMMAND", "GETKEYS", "set", "k"},
		{"COMMAND", "GETKEYS", "mset", "a", "1", "b"},
		{"COMMAND", "GETKEYS", "getrange", "k", "0", "1"},
		{"COMMAND", "GETKEYSANDFLAGS", "set", "k", "v"},
		{"COMMAND", "GETKEYSANDFLAGS", "set", "k", "v", "get"},
		{"COMMAND", "GETKEYSANDFLAGS", "set", "k", "v", "nx", "GeT", "ex", "1"},
		{"COMMAND", "GETKEYSANDFLAGS", "set", "k", "get"},
		{"COMMAND", "GETKEYSANDFLAGS", "set", "k", "v", "get\x00x"},
	}
	// Every command with keys, called with plain arguments.
	for _, sp := range specs {
		for _, c := range append([]Spec{sp}, sp.Subcommands...) {
			if len(c.KeySpecs) == 0 {
				continue
			}
			line := []string{"COMMAND", "GETKEYSANDFLAGS"}
			if c.Name != sp.Name {
				line = append(line, sp.Name)
			}
			line = append(line, c.Name)
			n := c.Arity
			if n < 0 {
				n = -n + 3 // a few optional arguments too
			}
			for len(line)-2 < n {
				line = append(line, fmt.Sprintf("k%d", len(line)))
			}
			lines = append(lines, line)
		}
	}
	for _, proto := range []int{2, 3} {
		conn := testutil.Dial(t, p.Addr())
		if proto == 3 {
			conn.Do("HELLO", "3")
		}
		e, s := commandTestEngine(t, proto)
		for _, line := range lines {
			theirs := conn.Do(line...)
			ours := runCommand(e, s, line...)
			if string(theirs) != string(ours) {
				t.Errorf("RESP%d %q:\nredis %q\ncairn %q", proto, line, theirs, ours)
			}
		}
	}

	// Filters over names: Redis knows more commands, so compare on ours.
	conn := testutil.Dial(t, p.Addr())
	e, s := commandTestEngine(t, 2)
	all := map[string]bool{}
	for _, n := range bulkList(t, runCommand(e, s, "COMMAND", "LIST")) {
		all[n] = true
	}
	for _, filter := range [][]string{
		{}, {"FILTERBY", "ACLCAT", "keyspace"}, {"filterby", "aclcat", "CONNECTION"}, {"FILTERBY", "ACLCAT", "dangerous"},
		{"FILTERBY", "PATTERN", "*"}, {"FILTERBY", "PATTERN", "C*|*"}, {"FILTERBY", "PATTERN", "*[ex]*"}, {"FILTERBY", "PATTERN", "get?"},
	} {
		args := append([]string{"COMMAND", "LIST"}, filter...)
		var theirs []string
		for _, n := range bulkList(t, conn.Do(args...)) {
			if all[n] && n != "client|setinfo" {
				theirs = append(theirs, n)
			}
		}
		var ours []string
		for _, n := range bulkList(t, runCommand(e, s, args...)) {
			if n != "client|setinfo" {
				ours = append(ours, n)
			}
		}
		sort.Strings(theirs)
		sort.Strings(ours)
		if !slices.Equal(theirs, ours) {
			t.Errorf("COMMAND LIST %v:\nredis %v\ncairn %v", filter, theirs, ours)
		}
	}
}

// TestGlobMatchesRedis checks globMatch against KEYS on a real server:
// the listed cases, then random patterns over an alphabet rich in the
// characters that matter.
func TestGlobMatchesRedis(t *testing.T) {
	p := testutil.StartRedis(t)
	conn := testutil.Dial(t, p.Addr())
	conn.Do("HELLO", "3")
	keysMatching := func(pattern string) map[string]bool {
		f := parseReply(t, conn.Do("KEYS", pattern))
		got := map[string]bool{}
		for _, k := range f.kids {
			got[k.text] = true
		}
		return got
	}
	for _, tc := range globCases {
		if tc.nocase || tc.pattern == "*" { // KEYS answers a lone * without matching
			continue
		}
		conn.Do("FLUSHALL")
		conn.Do("SET", tc.s, "1")
		if got := keysMatching(tc.pattern)[tc.s]; got != tc.want {
			t.Errorf("redis KEYS %q on %q = %v, the case says %v", tc.pattern, tc.s, got, tc.want)
		}
	}

	rng := rand.New(rand.NewSource(7))
	const alphabet = "ab-]^[\\*?A\xff\x80"
	randString := func(max int, chars string) string {
		b := make([]byte, rng.Intn(max+1))
		for i := range b {
			b[i] = chars[rng.Intn(len(chars))]
		}
		return string(b)
	}
	conn.Do("FLUSHALL")
	keys := map[string]bool{}
	for len(keys) < 400 {
		k := randString(5, "ab-]^[\\A\xff\x80")
		keys[k] = true
		conn.Do("SET", k, "1")
	}
	for i := 0; i < 600; i++ {
		pattern := randString(7, alphabet)
		if pattern == "*" {
			continue
		}
		theirs := keysMatching(pattern)
		for k := range keys {
			if ours := globMatch([]byte(pattern), []byte(k), false); ours != theirs[k] {
				t.Errorf("globMatch(%q, %q) = %v, redis says %v", pattern, k, ours, theirs[k])
			}
		}
	}
}
