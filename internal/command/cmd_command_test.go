package command

import (
	"bytes"
	"reflect"
	"slices"
	"strings"
	"testing"

	"cairn/internal/config"
	"cairn/internal/store"
)

// commandTestEngine builds an engine and a session speaking proto.
func commandTestEngine(t testing.TB, proto int) (*Engine, *Session) {
	t.Helper()
	e := NewEngine(store.New(16), config.Default())
	s := e.NewSession("127.0.0.1:1", "127.0.0.1:2", -1, 0, func() {})
	s.setProto(proto)
	return e, s
}

// runCommand executes one command line and returns the raw reply.
func runCommand(e *Engine, s *Session, args ...string) []byte {
	c := &Ctx{E: e, S: s}
	for _, a := range args {
		c.Args = append(c.Args, []byte(a))
	}
	e.Exec(c)
	return c.Out
}

func TestCommandCount(t *testing.T) {
	e, s := commandTestEngine(t, 2)
	want := ":" + itoa(len(specs)) + "\r\n"
	if got := string(runCommand(e, s, "COMMAND", "COUNT")); got != want {
		t.Fatalf("COMMAND COUNT = %q, want %q", got, want)
	}
}

func itoa(n int) string {
	var b []byte
	if n == 0 {
		return "0"
	}
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func TestCommandInfoShapes(t *testing.T) {
	e, s := commandTestEngine(t, 2)
	got := string(runCommand(e, s, "COMMAND", "INFO", "get", "nosuch"))
	want := "*2\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n" +
		"*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n" +
		"*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n" +
		"$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n" +
		"$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n" +
		"*0\r\n$-1\r\n"
	if got != want {
		t.Fatalf("COMMAND INFO get nosuch (RESP2)\n got %q\nwant %q", got, want)
	}

	e3, s3 := commandTestEngine(t, 3)
	got = string(runCommand(e3, s3, "COMMAND", "INFO", "nosuch", "client|id"))
	want = "*2\r\n_\r\n*10\r\n$9\r\nclient|id\r\n:2\r\n~3\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n" +
		"~2\r\n+@slow\r\n+@connection\r\n~0\r\n~0\r\n~0\r\n"
	if got != want {
		t.Fatalf("COMMAND INFO nosuch client|id (RESP3)\n got %q\nwant %q", got, want)
	}

	// CLIENT SETINFO has Redis 7.2's shape (7.0 lacks it).
	got = string(runCommand(e, s, "COMMAND", "INFO", "client|setinfo"))
	want = "*1\r\n*10\r\n$14\r\nclient|setinfo\r\n:4\r\n*3\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n" +
		"*2\r\n+@slow\r\n+@connection\r\n*0\r\n*0\r\n*0\r\n"
	if got != want {
		t.Fatalf("COMMAND INFO client|setinfo\n got %q\nwant %q", got, want)
	}
	got = string(runCommand(e, s, "COMMAND", "DOCS", "client|setinfo"))
	if !strings.Contains(got, "$5\r\n7.2.0\r\n") || !strings.Contains(got, "$5\r\ntoken\r\n$8\r\nlib-name\r\n") ||
		!strings.Contains(got, "$5\r\ntoken\r\n$7\r\nlib-ver\r\n") {
		t.Fatalf("COMMAND DOCS client|setinfo = %q", got)
	}

	// A container lists its subcommands as an array, sorted by name.
	got = string(runCommand(e, s, "COMMAND", "INFO", "SLOWLOG"))
	for i, name := range []string{"slowlog|get", "slowlog|help", "slowlog|len", "slowlog|reset"} {
		if j := strings.Index(got, name); j < 0 {
			t.Fatalf("COMMAND INFO slowlog lacks %s: %q", name, got)
		} else if i > 0 && j < strings.Index(got, "slowlog|get") {
			t.Fatalf("subcommands out of order: %q", got)
		}
	}
}

func TestCommandAllMatchesInfo(t *testing.T) {
	e, s := commandTestEngine(t, 3)
	all := runCommand(e, s, "COMMAND")
	info := runCommand(e, s, "COMMAND", "INFO")
	if !bytes.Equal(all, info) {
		t.Fatal("COMMAND and COMMAND INFO without names differ")
	}
	if !bytes.HasPrefix(all, []byte("*"+itoa(len(specs))+"\r\n")) {
		t.Fatalf("COMMAND does not list %d commands: %q", len(specs), all[:20])
	}
}

func TestCommandDocs(t *testing.T) {
	e, s := commandTestEngine(t, 3)
	got := string(runCommand(e, s, "COMMAND", "DOCS", "nosuch", "getdel", "config|x"))
	want := "%1\r\n$6\r\ngetdel\r\n%5\r\n" +
		"$7\r\nsummary\r\n$" + itoa(len(specByName("getdel").Doc.Summary)) + "\r\n" + specByName("getdel").Doc.Summary + "\r\n" +
		"$5\r\nsince\r\n$5\r\n6.2.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n" +
		"$10\r\ncomplexity\r\n$4\r\nO(1)\r\n" +
		"$9\r\narguments\r\n*1\r\n%3\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n:0\r\n"
	if got != want {
		t.Fatalf("COMMAND DOCS\n got %q\nwant %q", got, want)
	}
	if got := string(runCommand(e, s, "COMMAND", "DOCS", "nosuch")); got != "%0\r\n" {
		t.Fatalf("COMMAND DOCS nosuch = %q", got)
	}
	// RESP2 flattens maps; history is a list of [version, text] pairs.
	e2, s2 := commandTestEngine(t, 2)
	got = string(runCommand(e2, s2, "COMMAND", "DOCS", "ttl"))
	if !strings.HasPrefix(got, "*2\r\n$3\r\nttl\r\n*12\r\n") || !strings.Contains(got, "$7\r\nhistory\r\n*1\r\n*2\r\n$5\r\n2.8.0\r\n") {
		t.Fatalf("COMMAND DOCS ttl (RESP2) = %q", got)
	}
	all := string(runCommand(e2, s2, "COMMAND", "DOCS"))
	if !strings.HasPrefix(all, "*"+itoa(2*len(specs))+"\r\n") {
		t.Fatalf("COMMAND DOCS does not cover every command: %q", all[:20])
	}
}

func specByName(name string) *Spec {
	for i := range specs {
		if specs[i].Name == name {
			return &specs[i]
		}
	}
	return nil
}

// bulkList decodes a RESP2 array of bulk strings.
func bulkList(t *testing.T, raw []byte) []string {
	t.Helper()
	s := string(raw)
	if !strings.HasPrefix(s, "*") {
		t.Fatalf("not an array: %q", s)
	}
	lines := strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n")
	var out []string
	for i := 2; i < len(lines); i += 2 {
		out = append(out, lines[i])
	}
	return out
}

func TestCommandList(t *testing.T) {
	e, s := commandTestEngine(t, 2)
	all := bulkList(t, runCommand(e, s, "COMMAND", "LIST"))
	n := 0
	for i := range specs {
		n += 1 + len(specs[i].Subcommands)
	}
	if len(all) != n {
		t.Fatalf("COMMAND LIST has %d names, want %d", len(all), n)
	}
	if i := slices.Index(all, "config"); i < 0 || all[i+1] != "config|get" {
		t.Fatalf("container not followed by its subcommands: %v", all)
	}
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"FILTERBY", "PATTERN", "CONFIG|G*"}, []string{"config|get"}},
		{[]string{"filterby", "pattern", "*|id"}, []string{"client|id"}},
		{[]string{"FILTERBY", "MODULE", "x"}, nil},
		{[]string{"FILTERBY", "ACLCAT", "nosuch"}, nil},
		{[]string{"FILTERBY", "ACLCAT", "@keyspace"}, nil},
		{[]string{"FILTERBY", "aclcat", "STRING"}, []string{"append", "decr", "decrby", "get", "getdel", "getex", "getrange",
			"getset", "incr", "incrby", "incrbyfloat", "lcs", "mget", "mset", "msetnx", "psetex", "set", "setex", "setnx",
			"setrange", "strlen", "substr"}},
	}
	for _, tc := range cases {
		got := bulkList(t, runCommand(e, s, append([]string{"COMMAND", "LIST"}, tc.args...)...))
		if !reflect.DeepEqual(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
			t.Errorf("COMMAND LIST %v = %v, want %v", tc.args, got, tc.want)
		}
	}
	for _, bad := range [][]string{{"FILTERBY"}, {"foo", "bar"}, {"FILTERBY", "foo", "bar"}, {"FILTERBY", "PATTERN", "a", "b"}, {"FILTERBY", "PATTERN"}} {
		if got := string(runCommand(e, s, append([]string{"COMMAND", "LIST"}, bad...)...)); got != "-ERR syntax error\r\n" {
			t.Errorf("COMMAND LIST %v = %q", bad, got)
		}
	}
}

func TestCommandGetKeys(t *testing.T) {
	e, s := commandTestEngine(t, 2)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"GETKEYS", "get", "k"}, "*1\r\n$1\r\nk\r\n"},
		{[]string{"GETKEYS", "MSET", "a", "1", "b", "2"}, "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
		{[]string{"GETKEYS", "mset", "a", "1", "b"}, "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
		{[]string{"GETKEYS", "object", "encoding", "k"}, "*1\r\n$1\r\nk\r\n"},
		{[]string{"GETKEYS", "lcs", "a", "b", "LEN"}, "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
		{[]string{"GETKEYS", "get", "k", "x"}, "-ERR Invalid number of arguments specified for command\r\n"},
		{[]string{"GETKEYS", "set", "k"}, "-ERR Invalid number of arguments specified for command\r\n"},
		{[]string{"GETKEYS", "ping", "x"}, "-ERR The command has no key arguments\r\n"},
		{[]string{"GETKEYS", "client", "kill"}, "-ERR The command has no key arguments\r\n"},
		{[]string{"GETKEYS", "client", "nosuch", "x"}, "-ERR Invalid command specified\r\n"},
		{[]string{"GETKEYS", "nosuch", "x"}, "-ERR Invalid command specified\r\n"},
		{[]string{"GETKEYS", "config|get", "x"}, "-ERR Invalid command specified\r\n"},
		{[]string{"GETKEYS", "get"}, "-ERR wrong number of arguments for 'command|getkeys' command\r\n"},
		{[]string{"GETKEYSANDFLAGS", "set", "k", "v"}, "*1\r\n*2\r\n$1\r\nk\r\n*2\r\n+OW\r\n+update\r\n"},
		{[]string{"GETKEYSANDFLAGS", "set", "k", "v", "EX", "1", "gEt"}, "*1\r\n*2\r\n$1\r\nk\r\n*3\r\n+RW\r\n+access\r\n+update\r\n"},
		{[]string{"GETKEYSANDFLAGS", "set", "k", "get"}, "*1\r\n*2\r\n$1\r\nk\r\n*2\r\n+OW\r\n+update\r\n"},
		{[]string{"GETKEYSANDFLAGS", "rename", "a", "b"}, "*2\r\n*2\r\n$1\r\na\r\n*3\r\n+RW\r\n+access\r\n+delete\r\n*2\r\n$1\r\nb\r\n*2\r\n+OW\r\n+update\r\n"},
	}
	for _, tc := range cases {
		got := string(runCommand(e, s, append([]string{"COMMAND"}, tc.args...)...))
		if got != tc.want {
			t.Errorf("COMMAND %v\n got %q\nwant %q", tc.args, got, tc.want)
		}
	}
	e3, s3 := commandTestEngine(t, 3)
	got := string(runCommand(e3, s3, "COMMAND", "GETKEYSANDFLAGS", "get", "k"))
	if want := "*1\r\n*2\r\n$1\r\nk\r\n~2\r\n+RO\r\n+access\r\n"; got != want {
		t.Errorf("GETKEYSANDFLAGS (RESP3) = %q, want %q", got, want)
	}
}

func TestCommandHelp(t *testing.T) {
	e, s := commandTestEngine(t, 2)
	got := string(runCommand(e, s, "command", "help"))
	if !strings.HasPrefix(got, "*21\r\n+COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n") ||
		!strings.HasSuffix(got, "+HELP\r\n+    Prints this help.\r\n") {
		t.Fatalf("COMMAND HELP = %q", got)
	}
}

// keyTestSpec builds a command with one key spec for keysOf tests.
func keyTestCommand(name string, arity int, ks ...KeySpec) *Command {
	return &Command{Spec: Spec{Name: name, Arity: arity, KeySpecs: ks}, FullName: name}
}

func splitArgs(s string) [][]byte {
	var out [][]byte
	for _, f := range strings.Fields(s) {
		out = append(out, []byte(f))
	}
	return out
}

func TestKeysOf(t *testing.T) {
	rng := func(idx, last, step, limit int) KeySpec {
		return KeySpec{Flags: []string{"RW"}, BeginSearch: "index", Index: idx, FindKeys: "range", LastKey: last, KeyStep: step, Limit: limit}
	}
	kw := func(word string, from, last, step, limit int) KeySpec {
		return KeySpec{Flags: []string{"RO"}, BeginSearch: "keyword", Keyword: word, StartFrom: from, FindKeys: "range", LastKey: last, KeyStep: step, Limit: limit}
	}
	keynum := func(idx, numIdx, first, step int) KeySpec {
		return KeySpec{Flags: []string{"RW"}, BeginSearch: "index", Index: idx, FindKeys: "keynum", KeyNumIdx: numIdx, FirstKey: first, KeyStep: step}
	}
	cases := []struct {
		name string
		cmd  *Command
		line string
		want []int
		err  bool
	}{
		{"single", keyTestCommand("get", 2, rng(1, 0, 1, 0)), "get k", []int{1}, false},
		{"all to end", keyTestCommand("del", -2, rng(1, -1, 1, 0)), "del a b c", []int{1, 2, 3}, false},
		{"pairs", keyTestCommand("mset", -3, rng(1, -1, 2, 0)), "mset a 1 b 2", []int{1, 3}, false},
		{"pairs, odd count", keyTestCommand("mset", -3, rng(1, -1, 2, 0)), "mset a 1 b", []int{1, 3}, false},
		{"all but last", keyTestCommand("blpop", -3, rng(1, -2, 1, 0)), "blpop a b c 0", []int{1, 2, 3}, false},
		{"two fixed", keyTestCommand("lcs", -3, rng(1, 1, 1, 0)), "lcs a b LEN", []int{1, 2}, false},
		{"past the end skipped", keyTestCommand("x", -2, rng(1, 2, 1, 0)), "x a", []int{1}, false},
		{"keyword forward", keyTestCommand("xread", -4, kw("STREAMS", 1, -1, 1, 2)), "xread COUNT 2 streams s1 s2 0 0", []int{4, 5}, false},
		{"keyword absent", keyTestCommand("x", -2, kw("STORE", 1, 0, 1, 0)), "x a b", nil, false},
		{"keyword last arg not searched", keyTestCommand("x", -2, kw("STORE", 1, 0, 1, 0)), "x a STORE", nil, false},
		{"keyword backward", keyTestCommand("x", -2, kw("STORE", -2, 0, 1, 0)), "x STORE a STORE b", []int{4}, false},
		{"keynum", keyTestCommand("zunion", -3, keynum(1, 0, 1, 1)), "zunion 2 a b WEIGHTS 1 2", []int{2, 3}, false},
		{"keynum zero", keyTestCommand("zunion", -3, keynum(1, 0, 1, 1)), "zunion 0 a", nil, false},
		{"keynum huge", keyTestCommand("zunion", -3, keynum(1, 0, 1, 1)), "zunion 99999999999 a b", []int{2, 3}, false},
		{"keynum not a number", keyTestCommand("zunion", -3, keynum(1, 0, 1, 1)), "zunion x a", nil, true},
		{"keynum negative", keyTestCommand("zunion", -3, keynum(1, 0, 1, 1)), "zunion -1 a", nil, true},
		{"keynum plus sign", keyTestCommand("zunion", -3, keynum(1, 0, 1, 1)), "zunion +1 a", nil, true},
		{"two specs", keyTestCommand("rename", 3, rng(1, 0, 1, 0), rng(2, 0, 1, 0)), "rename a b", []int{1, 2}, false},
		{"incomplete", keyTestCommand("x", -2, KeySpec{Flags: []string{"RO", "incomplete"}, BeginSearch: "index", Index: 1, FindKeys: "range", KeyStep: 1}), "x a", nil, true},
		{"unknown", keyTestCommand("x", -2, KeySpec{Flags: []string{"RO"}, BeginSearch: "unknown", FindKeys: "unknown"}), "x a", nil, true},
	}
	for _, tc := range cases {
		got, err := keysOf(tc.cmd, splitArgs(tc.line))
		if (err != nil) != tc.err {
			t.Errorf("%s: err = %v, want error %v", tc.name, err, tc.err)
			continue
		}
		if len(got) != 0 || len(tc.want) != 0 {
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%s: keysOf(%q) = %v, want %v", tc.name, tc.line, got, tc.want)
			}
		}
	}

	// The real table: SET's flags depend on GET.
	e, _ := commandTestEngine(t, 2)
	refs, err := keyRefsOf(e.Lookup("set"), splitArgs("set k v NX get"))
	if err != nil || len(refs) != 1 || refs[0].Pos != 1 || !reflect.DeepEqual(refs[0].Flags, []string{"RW", "access", "update"}) {
		t.Errorf("keyRefsOf(set ... get) = %v, %v", refs, err)
	}
}

// globCases are Redis's pattern rules as KEYS sees them (nocase false)
// or CONFIG GET and COMMAND LIST (nocase true). specs_live_test.go checks
// the case-sensitive ones against a real redis-server too.
var globCases = []struct {
	pattern, s string
	nocase     bool
	want       bool
}{
	{"", "", false, true},
	{"*", "", false, false},
	{"**", "", false, false},
	{"", "a", false, false},
	{"*", "anything", false, true},
	{"a*", "a", false, true},
	{"a*", "abc", false, true},
	{"a*", "ba", false, false},
	{"*a", "ba", false, true},
	{"*a", "ab", false, false},
	{"a*b", "a", false, false},
	{"a*b", "ab", false, true},
	{"a*b", "axxb", false, true},
	{"a*b", "axxbx", false, false},
	{"a*b*c", "abxbc", false, true},
	{"*a*b*c*", "xxaxxbxxcxx", false, true},
	{"*a*b*c*", "xxaxxcxxbxx", false, false},
	{"h?llo", "hello", false, true},
	{"h?llo", "hllo", false, false},
	{"h??lo", "hello", false, true},
	{"???", "ab", false, false},
	{"h[ae]llo", "hallo", false, true},
	{"h[ae]llo", "hillo", false, false},
	{"h[^e]llo", "hallo", false, true},
	{"h[^e]llo", "hello", false, false},
	{"h[a-b]llo", "hbllo", false, true},
	{"h[a-b]llo", "hcllo", false, false},
	{"h[b-a]llo", "hallo", false, true}, // reversed range
	{"[a-c-e]", "d", false, false},
	{"[a-c-e]", "-", false, true},
	{"[a-c-e]", "e", false, true},
	{"[]]", "]", false, false}, // "[]" is an empty set, then a literal ]
	{"[]]", "x]", false, false},
	{"[\\]]", "]", false, true},
	{"[\\-]", "-", false, true},
	{"[a\\", "\\", false, true}, // a trailing backslash in a class is literal
	{"[ab", "b", false, true},   // unterminated class
	{"[ab", "ab", false, false},
	{"[", "x", false, false},
	{"[^", "x", false, true},
	{"[a-]", "]", false, true}, // ']' closes the range, the class is unterminated
	{"[a-]", "-", false, false},
	{"\\*", "*", false, true},
	{"\\*", "x", false, false},
	{"\\?", "?", false, true},
	{"a\\", "a\\", false, true}, // trailing backslash is literal
	{"\\[a]", "[a]", false, true},
	{"*\\*", "abc*", false, true},
	{"[\x01-\xff]", "a", false, false}, // signed bytes: 0xff is -1, the range is -1..1
	{"[\x01-\xff]", "\xff", false, true},
	{"[\x01-\xff]", "\x01", false, true},
	{"[\x80-\xff]", "\x90", false, true},
	{"[\x80-\xff]", "a", false, false},
	{"HELLO", "hello", false, false},
	{"HELLO", "hello", true, true},
	{"h[A-Z]llo", "hello", true, true},
	{"h[E]llo", "hello", true, true},
	{"h[\\E]llo", "hello", true, false}, // escaped in a class: exact
	{"h\\Ello", "hello", true, true},    // escaped outside: folded
	{"maxmemory*", "MAXMEMORY-policy", true, true},
	{"\xc9", "\xe9", true, false}, // only ASCII folds
}

func TestGlobMatch(t *testing.T) {
	for _, tc := range globCases {
		if got := globMatch([]byte(tc.pattern), []byte(tc.s), tc.nocase); got != tc.want {
			t.Errorf("globMatch(%q, %q, nocase=%v) = %v, want %v", tc.pattern, tc.s, tc.nocase, got, tc.want)
		}
	}
}

func TestGlobStarLimit(t *testing.T) {
	s := []byte(strings.Repeat("a", 1100))
	for _, tc := range []struct {
		pattern string
		want    bool
	}{
		{strings.Repeat("*a", 1000), true},
		{strings.Repeat("*a", 1000) + "*", true},
		{strings.Repeat("*a", 1001), false},
		{strings.Repeat("*a", 1001) + "*", false},
	} {
		if got := globMatch([]byte(tc.pattern), s, false); got != tc.want {
			t.Errorf("globMatch(%d stars) = %v, want %v", strings.Count(tc.pattern, "*"), got, tc.want)
		}
	}
}

// TestGlobWorstCase guards against exponential backtracking.
func TestGlobWorstCase(t *testing.T) {
	p := []byte(strings.Repeat("*a", 30) + "b")
	s := []byte(strings.Repeat("a", 5000))
	if globMatch(p, s, false) {
		t.Fatal("unexpected match")
	}
}

func TestGlobMatchDoesNotAllocate(t *testing.T) {
	p, s := []byte("*user:[0-9]*:na?e"), []byte("app:user:42:name")
	if n := testing.AllocsPerRun(100, func() { globMatch(p, s, true) }); n != 0 {
		t.Fatalf("globMatch allocates %v times", n)
	}
}

func BenchmarkGlobMatch(b *testing.B) {
	p, s := []byte("*user:[0-9]*:na?e"), []byte("app:user:42:name")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		globMatch(p, s, false)
	}
}
