package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestSplitArgs(t *testing.T) {
	tests := []struct {
		line string
		want []string
		bad  bool
	}{
		{line: "port 6379", want: []string{"port", "6379"}},
		{line: "  save   900 1\t300 10 ", want: []string{"save", "900", "1", "300", "10"}},
		{line: `requirepass "a b"`, want: []string{"requirepass", "a b"}},
		{line: `x "\n\r\t\b\a\\\"\x41\x4a\xzz"`, want: []string{"x", "\n\r\t\b\a\\\"AJxzz"}},
		{line: `x 'it\'s' '\n'`, want: []string{"x", "it's", `\n`}},
		{line: `x ""`, want: []string{"x", ""}},
		{line: `x a"b c"d`, bad: true},
		{line: `x a"b c"`, want: []string{"x", "ab c"}},
		{line: `x "unterminated`, bad: true},
		{line: `x 'it''s'`, bad: true},
		{line: `x "a"b`, bad: true},
		{line: "", want: nil},
	}
	for _, tt := range tests {
		got, err := splitArgs(tt.line)
		if tt.bad {
			if err == nil {
				t.Errorf("splitArgs(%q) = %q, want error", tt.line, got)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("splitArgs(%q) = %q, %v; want %q", tt.line, got, err, tt.want)
		}
	}
}

func TestQuoteArgRoundTrip(t *testing.T) {
	for _, s := range []string{"", "plain", "a b", "\"q\"", "back\\slash", "\n\r\t\a\b", "\x00\x01\xff", "it's"} {
		q := quoteArg(s)
		got, err := splitArgs("x " + q)
		if err != nil || len(got) != 2 || got[1] != s {
			t.Errorf("quoteArg(%q) = %s reads back as %q, %v", s, q, got, err)
		}
	}
	if got := quoteArg("aA\n\"b'"); got != `"aA\n\"b'"` {
		t.Errorf("quoteArg = %s", got)
	}
}

func TestParseMemory(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true}, {"100", 100, true}, {"010", 10, true}, {"", 0, true}, {"kb", 0, true},
		{"1k", 1000, true}, {"1K", 1000, true}, {"1kb", 1024, true}, {"1kB", 1024, true},
		{"1m", 1000000, true}, {"1mb", 1 << 20, true}, {"1g", 1000000000, true}, {"1GB", 1 << 30, true},
		{"512mb", 512 << 20, true}, {"1b", 1, true},
		{"-1", 0, false}, {"+5", 0, false}, {"1.5mb", 0, false}, {"1 kb", 0, false}, {"1t", 0, false},
		{"0x10", 0, false}, {"9223372036854775807", 1<<63 - 1, true}, {"9223372036854775808", 0, false},
		{"9999999999gb", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseMemory(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("parseMemory(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	for n, want := range map[int64]string{0: "0", 1000: "1000", 1024: "1kb", 64 << 20: "64mb", 1 << 30: "1gb", 1536: "1536"} {
		if got := formatMemoryUnit(n); got != want {
			t.Errorf("formatMemoryUnit(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestParseRedisInt(t *testing.T) {
	for in, want := range map[string]bool{"0": true, "5": true, "-5": true, "123": true,
		"010": false, "00": false, "-0": false, "+5": false, " 5": false, "5 ": false, "1e3": false, "": false, "-": false,
		"9223372036854775807": true, "9223372036854775808": false} {
		if _, ok := parseRedisInt(in); ok != want {
			t.Errorf("parseRedisInt(%q) ok = %v, want %v", in, ok, want)
		}
	}
}

func TestSplitOptions(t *testing.T) {
	tests := []struct {
		args  []string
		start int
		want  [][]string
		stdin bool
	}{
		{args: []string{"--port", "7777"}, want: [][]string{{"port", "7777"}}},
		{args: []string{"--save", "900", "1", "300", "10", "--appendonly", "no"}, want: [][]string{{"save", "900", "1", "300", "10"}, {"appendonly", "no"}}},
		{args: []string{"--save", "--port", "1"}, want: [][]string{{"save", ""}, {"port", "1"}}},
		{args: []string{"--port", "1", "--save"}, want: [][]string{{"port", "1"}, {"save", ""}}},
		{args: []string{"--requirepass", "--port", "x"}, want: [][]string{{"requirepass", "--port", "x"}}},
		{args: []string{"--port"}, want: [][]string{{"port"}}},
		{args: []string{"--port", "1", "extra"}, want: [][]string{{"port", "1", "extra"}}},
		{args: []string{"--slowlog-log-slower-than", "-1"}, want: [][]string{{"slowlog-log-slower-than", "-1"}}},
		{args: []string{"--port", "-"}, want: [][]string{{"port"}}, stdin: true},
		{args: []string{"-", "--port", "1"}, want: [][]string{{"port", "1"}}, stdin: true},
		{args: []string{"--port", "7", "-", "-"}, want: [][]string{{"port", "7", "-"}}, stdin: true},
		{args: []string{"-port", "x"}, want: [][]string{{"-port", "x"}}},
		{args: []string{"f.conf", "--port", "1"}, start: 1, want: [][]string{{"port", "1"}}},
	}
	for _, tt := range tests {
		got, stdin := splitOptions(tt.args, tt.start)
		if !reflect.DeepEqual(got, tt.want) || stdin != tt.stdin {
			t.Errorf("splitOptions(%q) = %q, %v; want %q, %v", tt.args, got, stdin, tt.want, tt.stdin)
		}
	}
}

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func mustGet(t *testing.T, c *Config, name string) string {
	t.Helper()
	v, ok := c.Value(name)
	if !ok {
		t.Fatalf("no parameter %q", name)
	}
	return v
}

func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	inc := writeFile(t, dir, "inc.conf", "maxclients 77\n")
	conf := writeFile(t, dir, "a.conf", `# comment
PORT 7781
  save 900 1
save 300 10
client-output-buffer-limit pubsub 1mb 2mb 3
client-output-buffer-limit normal 5 6 7
include `+inc+`
rename-command FLUSHALL ""
   # indented comment
requirepass "a\x41\n\"b'"
masterauth 'it\'s'
HZ 2000
bind 127.0.0.1 ::1
hash-max-ziplist-entries 100
appendonly no
maxmemory 1gb
proto-max-bulk-len 1mb
slaveof 10.0.0.1 6380
notify-keyspace-events KEA
loglevel WARNING
`)
	c, err := load([]string{conf, "--port", "7782", "--save", "60", "5"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"port":                       "7782",
		"save":                       "900 1 300 10 60 5",
		"client-output-buffer-limit": "normal 5 6 7 slave 268435456 67108864 60 pubsub 1048576 2097152 3",
		"maxclients":                 "77",
		"requirepass":                "aA\n\"b'",
		"masterauth":                 "it's",
		"hz":                         "500",
		"bind":                       "127.0.0.1 ::1",
		"hash-max-listpack-entries":  "100",
		"hash-max-ziplist-entries":   "100",
		"appendonly":                 "no",
		"maxmemory":                  "1073741824",
		"proto-max-bulk-len":         "1048576",
		"replicaof":                  "10.0.0.1 6380",
		"notify-keyspace-events":     "AKE",
		"loglevel":                   "warning",
	}
	for name, v := range want {
		if got := mustGet(t, c, name); got != v {
			t.Errorf("%s = %q, want %q", name, got, v)
		}
	}
	if c.File() != conf {
		t.Errorf("File() = %q, want %q", c.File(), conf)
	}
	if got := c.RenameCommands(); !reflect.DeepEqual(got, [][2]string{{"FLUSHALL", ""}}) {
		t.Errorf("RenameCommands() = %q", got)
	}
	if c.Port() != 7782 || c.MaxClients() != 77 || c.Hz() != 500 || c.AppendOnly() || c.MaxMemory() != 1<<30 ||
		c.LogLevel() != "warning" || !reflect.DeepEqual(c.Bind(), []string{"127.0.0.1", "::1"}) ||
		c.OutputBufferLimit(ClassPubSub) != (OutputBufferLimit{Hard: 1 << 20, Soft: 2 << 20, SoftSeconds: 3}) {
		t.Errorf("typed accessors disagree with values: port %d maxclients %d hz %d aof %v maxmemory %d", c.Port(), c.MaxClients(), c.Hz(), c.AppendOnly(), c.MaxMemory())
	}
}

func TestLoadStdinAndOrder(t *testing.T) {
	dir := t.TempDir()
	conf := writeFile(t, dir, "a.conf", "port 1\ntimeout 5\nmaxclients 9\n")
	c, err := load([]string{conf, "--port", "3", "-"}, strings.NewReader("port 2\ntimeout 6\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Port() != 3 || c.Timeout().Seconds() != 6 || c.MaxClients() != 9 {
		t.Errorf("port %d timeout %v maxclients %d; want 3 6s 9", c.Port(), c.Timeout(), c.MaxClients())
	}
	c, err = load([]string{"-"}, strings.NewReader("databases 4\n"))
	if err != nil || c.Databases() != 4 || c.File() != "" {
		t.Fatalf("stdin only: %v, databases %d, file %q", err, c.Databases(), c.File())
	}
}

func TestLoadDefaults(t *testing.T) {
	c, err := load(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	if c.Port() != 6379 || c.Dir() != filepath.Join(wd, "data") || !c.AppendOnly() || c.AOFUseRDBPreamble() ||
		!reflect.DeepEqual(c.Bind(), []string{"127.0.0.1"}) || c.Databases() != 16 || c.AppendFsync() != "everysec" ||
		c.ProtoMaxBulkLen() != 512<<20 || c.ClientQueryBufferLimit() != 1<<30 || c.Hz() != 10 ||
		c.SlowlogLogSlowerThan() != 10000 || c.SlowlogMaxLen() != 128 || c.MaxMemoryPolicy() != "noeviction" ||
		c.AutoAOFRewriteMinSize() != 64<<20 || c.AutoAOFRewritePercentage() != 100 || !c.AOFLoadTruncated() ||
		c.TCPKeepAlive().Seconds() != 300 || c.AppendDirName() != "appendonlydir" || c.AppendFilename() != "appendonly.aof" ||
		len(c.SaveParams()) != 0 || c.File() != "" {
		t.Errorf("unexpected defaults: %q", c.Get("port", "dir", "appendonly", "bind", "save"))
	}
}

func TestLoadSpecialResults(t *testing.T) {
	for args, want := range map[string]error{"-v": ErrVersion, "--version": ErrVersion, "-h": ErrHelp, "--help": ErrHelp} {
		if _, err := load([]string{args}, nil); !errors.Is(err, want) {
			t.Errorf("load(%s) = %v, want %v", args, err, want)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad.conf", "# c\n\nport abc\n")
	inner := writeFile(t, dir, "inner.conf", "maxmemory 1xb\n")
	outer := writeFile(t, dir, "outer.conf", "port 1\ninclude "+inner+"\n")
	loop := filepath.Join(dir, "loop.conf")
	writeFile(t, dir, "loop.conf", "include "+loop+"\n")
	tests := []struct {
		args  []string
		want  string
		cause error
	}{
		{[]string{bad}, `config: ` + bad + ` line 3 ("port abc"): port: argument couldn't be parsed into an integer`, errNotInteger},
		{[]string{"--port", "abc"}, `config: command line ("--port abc"): port: argument couldn't be parsed into an integer`, errNotInteger},
		{[]string{"--port"}, `config: command line ("--port"): port: wrong number of arguments`, ErrArgCount},
		{[]string{"--port", "1", "2"}, `config: command line ("--port 1 2"): port: wrong number of arguments`, ErrArgCount},
		{[]string{"--foo", "bar"}, `config: command line ("--foo bar"): foo: unknown option`, ErrUnknownOption},
		{[]string{"--appendonly"}, `config: command line ("--appendonly"): appendonly: wrong number of arguments`, ErrArgCount},
		{[]string{"--maxmemory-policy", "all keys"}, `config: command line ("--maxmemory-policy \"all keys\""): maxmemory-policy: argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction`, nil},
		{[]string{"--daemonize", "yes"}, "", ErrDaemonize},
		{[]string{"--maxclients", "0"}, `config: command line ("--maxclients 0"): maxclients: argument must be between 1 and 4294967295 inclusive`, nil},
		{[]string{outer}, `config: ` + inner + ` line 1 ("maxmemory 1xb"): maxmemory: argument must be a memory value`, errNotMemory},
		{[]string{"-", "--port", "1"}, `config: stdin line 2 ("save 0 1"): save: Invalid save parameters`, nil},
		{[]string{loop}, "", nil},
		{[]string{filepath.Join(dir, "missing.conf")}, "", os.ErrNotExist},
	}
	for _, tt := range tests {
		_, err := load(tt.args, strings.NewReader("port 1\nsave 0 1\n"))
		if err == nil {
			t.Errorf("load(%q) succeeded", tt.args)
			continue
		}
		if tt.want != "" && err.Error() != tt.want {
			t.Errorf("load(%q) error\n got %s\nwant %s", tt.args, err, tt.want)
		}
		if tt.cause != nil && !errors.Is(err, tt.cause) {
			t.Errorf("load(%q) error %v does not wrap %v", tt.args, err, tt.cause)
		}
	}
}
