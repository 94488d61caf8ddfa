package testutil

import (
	"bufio"
	"strings"
	"testing"
)

func TestParseFrameWhole(t *testing.T) {
	cases := []string{
		"+OK\r\n",
		"-ERR bad\r\n",
		":-12\r\n",
		"$-1\r\n",
		"$0\r\n\r\n",
		"$4\r\na\r\nb\r\n",
		"*-1\r\n",
		"*0\r\n",
		"*2\r\n$1\r\na\r\n*1\r\n:1\r\n",
		"_\r\n",
		",3.14\r\n",
		"#t\r\n",
		"(12345678901234567890\r\n",
		"!3\r\nbad\r\n",
		"=7\r\ntxt:abc\r\n",
		"%1\r\n$1\r\nk\r\n:1\r\n",
		"~2\r\n+a\r\n+b\r\n",
		">2\r\n+message\r\n+x\r\n",
		"|1\r\n+ttl\r\n:3\r\n$1\r\nv\r\n",
	}
	for _, c := range cases {
		f, n, err := ParseFrame([]byte(c + "+next\r\n"))
		if err != nil {
			t.Errorf("%q: %v", c, err)
			continue
		}
		if n != len(c) || string(f.Raw) != c {
			t.Errorf("%q: consumed %d bytes, raw %q", c, n, f.Raw)
		}
	}
}

func TestParseFrameStructure(t *testing.T) {
	f, _, err := ParseFrame([]byte("|1\r\n+a\r\n:1\r\n%2\r\n$1\r\nk\r\n$2\r\nvv\r\n+x\r\n_\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if f.Type != '%' || len(f.Elems) != 4 || f.Attr == nil || len(f.Attr.Elems) != 2 {
		t.Fatalf("bad structure: type %q elems %d attr %v", f.Type, len(f.Elems), f.Attr)
	}
	if string(f.Head) != "%2" || string(f.Elems[1].Body) != "vv" || !f.Elems[3].IsNull() {
		t.Fatalf("head %q body %q null %v", f.Head, f.Elems[1].Body, f.Elems[3].IsNull())
	}
	if string(f.Attr.Raw) != "|1\r\n+a\r\n:1\r\n" {
		t.Fatalf("attr raw %q", f.Attr.Raw)
	}
}

func TestParseFrameErrors(t *testing.T) {
	for _, c := range []string{"", "+OK\n", "?x\r\n", "$3\r\nab\r\n", "$2\r\nabcd\r\n", "*2\r\n+a\r\n", "$x\r\n", "*-2\r\n"} {
		if _, _, err := ParseFrame([]byte(c)); err == nil {
			t.Errorf("%q: no error", c)
		}
	}
}

func TestReadFrameSequence(t *testing.T) {
	r := bufio.NewReader(strings.NewReader("+a\r\n*1\r\n$1\r\nb\r\n"))
	for _, want := range []string{"+a\r\n", "*1\r\n$1\r\nb\r\n"} {
		f, err := ReadFrame(r)
		if err != nil || string(f.Raw) != want {
			t.Fatalf("got %q, %v; want %q", f.Raw, err, want)
		}
	}
	if _, err := ReadFrame(r); err == nil {
		t.Fatal("no error at end of input")
	}
}
