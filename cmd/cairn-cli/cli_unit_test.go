package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"cairn/internal/resp"
)

func TestSplitArgs(t *testing.T) {
	ok := map[string][]string{
		`SET k v`:             {"SET", "k", "v"},
		`  GET   k  `:         {"GET", "k"},
		`SET "a b" 'c d'`:     {"SET", "a b", "c d"},
		`SET k "x\n\x41\"\\"`: {"SET", "k", "x\nA\"\\"},
		`SET k 'it\'s \n'`:    {"SET", "k", `it's \n`},
		`SET k ""`:            {"SET", "k", ""},
		`SET k"v" w`:          {"SET", "kv", "w"},
		"\t":                  nil,
		`ECHO "\xzz"`:         {"ECHO", "xzz"},
	}
	for in, want := range ok {
		got, err := splitArgs(in)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("splitArgs(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{`SET "k`, `SET 'k`, `SET "a"b`, `SET 'a'b`, `GET "a\"`} {
		if got, err := splitArgs(in); err != errUnbalanced {
			t.Errorf("splitArgs(%q) = %q, %v; want errUnbalanced", in, got, err)
		}
	}
}

func parse(t *testing.T, s string) resp.Value {
	t.Helper()
	v, _, err := resp.ParseValue([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Expected bytes below were captured from redis-cli 7.0.15; the
// integration tests compare against the live binary as well.
func TestFormatReply(t *testing.T) {
	cases := []struct {
		reply string
		mode  outputMode
		want  string
	}{
		{"*3\r\n$1\r\na\r\n*2\r\n:1\r\n$-1\r\n*0\r\n", outputTTY, "1) \"a\"\n2) 1) (integer) 1\n   2) (nil)\n3) (empty array)\n"},
		{"*3\r\n$1\r\na\r\n*2\r\n:1\r\n$-1\r\n*0\r\n", outputRaw, "a\n1\n\n\n"},
		{"*3\r\n$1\r\na\r\n*2\r\n:1\r\n$-1\r\n*0\r\n", outputCSV, "\"a\",1,NULL,\n"},
		{"*3\r\n$1\r\na\r\n*2\r\n:1\r\n$-1\r\n*0\r\n", outputJSON, "[\"a\",[1,null],[]]\n"},
		{"%1\r\n+a\r\n*2\r\n:1\r\n:2\r\n", outputTTY, "1# a => \n   1) (integer) 1\n   2) (integer) 2\n"},
		{"%1\r\n+a\r\n*1\r\n:1\r\n", outputTTY, "1# a => 1) (integer) 1\n"},
		{"~2\r\n+a\r\n,1.5\r\n", outputTTY, "1~ a\n2~ (double) 1.5\n"},
		{"-ERR bad\r\n", outputTTY, "(error) ERR bad\n"},
		{"-ERR bad\r\n", outputRaw, "ERR bad\n\n"},
		{"-ERR bad\r\n", outputCSV, "ERROR,\"ERR bad\"\n"},
		{"-ERR bad\r\n", outputJSON, "error:\"ERR bad\"\n"},
		{"$4\r\na\"\x01\xff\r\n", outputTTY, "\"a\\\"\\x01\\xff\"\n"},
		{"$4\r\na\"\x01\xff\r\n", outputJSON, "\"a\\\"\\u0001\xff\"\n"},
		{"$2\r\nv\n\r\n", outputQuotedJSON, "\"v\\\\n\"\n"},
		{"%1\r\n:7\r\n*0\r\n", outputJSON, "{\"7\":[]}\n"},
		{"#f\r\n", outputTTY, "(false)\n"},
		{"=9\r\ntxt:hi yo\r\n", outputTTY, "hi yo\n"},
		{"(123\r\n", outputTTY, "(big number) 123\n"},
	}
	for _, c := range cases {
		if got := string(formatReply(parse(t, c.reply), c.mode, false)); got != c.want {
			t.Errorf("mode %d reply %q:\n got %q\nwant %q", c.mode, c.reply, got, c.want)
		}
	}
}

func docsFixture(t *testing.T) *commandDocs {
	// A COMMAND DOCS reply in RESP2 shape for SET and CONFIG GET.
	reply := "*4\r\n" +
		"$3\r\nset\r\n*8\r\n$7\r\nsummary\r\n$5\r\nSet k\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n" +
		"$9\r\narguments\r\n*3\r\n" +
		"*4\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n" +
		"*4\r\n$4\r\nname\r\n$5\r\nvalue\r\n$4\r\ntype\r\n$6\r\nstring\r\n" +
		"*8\r\n$4\r\nname\r\n$9\r\ncondition\r\n$4\r\ntype\r\n$5\r\noneof\r\n$5\r\nflags\r\n*1\r\n$8\r\noptional\r\n" +
		"$9\r\narguments\r\n*2\r\n" +
		"*6\r\n$4\r\nname\r\n$2\r\nnx\r\n$4\r\ntype\r\n$10\r\npure-token\r\n$5\r\ntoken\r\n$2\r\nNX\r\n" +
		"*6\r\n$4\r\nname\r\n$2\r\nxx\r\n$4\r\ntype\r\n$10\r\npure-token\r\n$5\r\ntoken\r\n$2\r\nXX\r\n" +
		"$6\r\nconfig\r\n*8\r\n$7\r\nsummary\r\n$1\r\nC\r\n$5\r\nsince\r\n$5\r\n2.0.0\r\n$5\r\ngroup\r\n$6\r\nserver\r\n" +
		"$11\r\nsubcommands\r\n*2\r\n$10\r\nconfig|get\r\n*4\r\n$5\r\ngroup\r\n$6\r\nserver\r\n$9\r\narguments\r\n*1\r\n" +
		"*6\r\n$4\r\nname\r\n$9\r\nparameter\r\n$4\r\ntype\r\n$6\r\nstring\r\n$5\r\nflags\r\n*1\r\n$8\r\nmultiple\r\n"
	d := &commandDocs{byName: map[string]*commandDoc{}}
	d.add("", parse(t, reply))
	for name, doc := range d.byName {
		if !strings.Contains(name, " ") {
			d.names = append(d.names, doc.name)
		}
	}
	return d
}

func TestHintsCompletionHelp(t *testing.T) {
	d := docsFixture(t)
	hints := map[string]string{
		"SET ":         "key value [NX|XX]",
		"set k ":       "value [NX|XX]",
		"SET k v ":     "[NX|XX]",
		"SET k v NX ":  "",
		"SET":          "",
		"CONFIG ":      "GET",
		"CONFIG GET ":  "parameter [parameter ...]",
		"NOSUCH ":      "",
		"SET \"unbal ": "",
	}
	for line, want := range hints {
		if got := d.hint(line); got != want {
			t.Errorf("hint(%q) = %q, want %q", line, got, want)
		}
	}
	if got := d.complete("se"); !reflect.DeepEqual(got, []string{"set"}) {
		t.Errorf("complete(se) = %q", got)
	}
	if got := d.complete("CONFIG G"); !reflect.DeepEqual(got, []string{"GET"}) {
		t.Errorf("complete(CONFIG G) = %q", got)
	}
	if got := d.help([]string{"set"}); !strings.Contains(got, "SET key value [NX|XX]\n  summary: Set k\n  since: 1.0.0\n  group: string\n") {
		t.Errorf("help set:\n%s", got)
	}
	if got := d.help([]string{"@server"}); !strings.Contains(got, "CONFIG GET parameter [parameter ...]") {
		t.Errorf("help @server:\n%s", got)
	}
}

func TestHistoryKeepsPasswordsOut(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hist")
	h := openHistory(path)
	for _, line := range []string{"SET a 1", "AUTH secret", "auth user secret", "HELLO 3 AUTH u p", "CONFIG SET requirepass x", "GET a"} {
		h.Write(line)
	}
	data, _ := os.ReadFile(path)
	if string(data) != "SET a 1\nGET a\n" {
		t.Fatalf("history file %q", data)
	}
	if h2 := openHistory(path); h2.Len() != 2 {
		t.Fatalf("reloaded %d lines", h2.Len())
	}
}

func TestParseArgs(t *testing.T) {
	c, err := parseArgs([]string{"-u", "redis://bob:pw@example.org:7000/3", "--json", "GET", "-x"})
	if err != nil {
		t.Fatal(err)
	}
	if c.host != "example.org" || c.port != 7000 || c.user != "bob" || c.password != "pw" || c.db != 3 ||
		c.mode != outputJSON || c.proto != 3 || !reflect.DeepEqual(c.args, []string{"GET", "-x"}) {
		t.Fatalf("%+v", c)
	}
	if _, err := parseArgs([]string{"-p"}); err == nil {
		t.Fatal("-p without a value accepted")
	}
}
