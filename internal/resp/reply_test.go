package resp

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

var replySamples = []string{
	"+OK\r\n",
	"-ERR wrong\r\n",
	":-12\r\n",
	"$5\r\nhe\r\nl\r\n",
	"$0\r\n\r\n",
	"$-1\r\n",
	"*-1\r\n",
	"*0\r\n",
	"*3\r\n:1\r\n$1\r\na\r\n*2\r\n+x\r\n_\r\n",
	"_\r\n",
	",1.5\r\n",
	",inf\r\n",
	"#t\r\n",
	"!3\r\nbad\r\n",
	"=8\r\ntxt:ab\r\n\r\n",
	"(12345678901234567890\r\n",
	"%2\r\n+a\r\n:1\r\n+b\r\n*1\r\n:2\r\n",
	"~2\r\n:1\r\n:2\r\n",
	">2\r\n+message\r\n+hi\r\n",
	"|1\r\n+ttl\r\n:3\r\n+value\r\n",
	"*2\r\n|1\r\n+a\r\n+b\r\n:1\r\n:2\r\n",
}

func TestReplyLen(t *testing.T) {
	for _, s := range replySamples {
		in := []byte(s + "+next\r\n")
		n, err := ReplyLen(in)
		if err != nil || n != len(s) {
			t.Errorf("%q: n=%d err=%v", s, n, err)
		}
		for i := 0; i < len(s); i++ {
			if n, err := ReplyLen([]byte(s[:i])); n != 0 || err != nil {
				t.Errorf("%q prefix %d: n=%d err=%v", s, i, n, err)
			}
		}
	}
	for _, s := range []string{"?x\r\n", "+OK\n", "$x\r\n", "$-2\r\n", "*-2\r\n", "%-1\r\n", "$3\r\nabcde\r\n", "*1\r\n+a\n"} {
		if _, err := ReplyLen([]byte(s)); !errors.Is(err, ErrBadReply) {
			t.Errorf("%q: err=%v", s, err)
		}
	}
	sample := []byte(replySamples[8])
	if a := testing.AllocsPerRun(100, func() { ReplyLen(sample) }); a != 0 {
		t.Errorf("ReplyLen allocates %v", a)
	}
}

func TestReader(t *testing.T) {
	var all []byte
	for _, s := range replySamples {
		all = append(all, s...)
	}
	big := bytes.Repeat([]byte("x"), 100000)
	all = AppendBulk(all, big)
	for _, wrap := range []func(io.Reader) io.Reader{
		func(r io.Reader) io.Reader { return r },
		iotest.OneByteReader,
		iotest.HalfReader,
	} {
		r := NewReader(wrap(bytes.NewReader(all)))
		for _, s := range replySamples {
			raw, err := r.ReadRaw()
			if err != nil || string(raw) != s {
				t.Fatalf("raw %q, want %q, err %v", raw, s, err)
			}
		}
		v, err := r.ReadValue()
		if err != nil || !bytes.Equal(v.Str, big) {
			t.Fatalf("big bulk: %v", err)
		}
		if _, err := r.ReadRaw(); err != io.EOF {
			t.Fatalf("end: %v", err)
		}
	}
	r := NewReader(bytes.NewReader([]byte("*2\r\n:1")))
	if _, err := r.ReadRaw(); err != io.ErrUnexpectedEOF {
		t.Fatalf("truncated: %v", err)
	}
}

func TestParseValue(t *testing.T) {
	r := NewReader(bytes.NewReader([]byte(
		"*3\r\n:1\r\n$1\r\na\r\n*-1\r\n" + "%1\r\n+k\r\n,2.5\r\n" + "=8\r\ntxt:ab\r\n\r\n" + "|1\r\n+ttl\r\n:3\r\n#f\r\n" + "-ERR x\r\n")))
	v, _ := r.ReadValue()
	if v.Type != '*' || len(v.Elems) != 3 || v.Elems[0].Int != 1 || string(v.Elems[1].Str) != "a" || !v.Elems[2].Null {
		t.Errorf("array: %+v", v)
	}
	if v.String() != "*[1 a (nil)]" {
		t.Errorf("String %q", v.String())
	}
	v, _ = r.ReadValue()
	if v.Type != '%' || string(v.Elems[0].Str) != "k" || v.Elems[1].Float != 2.5 {
		t.Errorf("map: %+v", v)
	}
	v, _ = r.ReadValue()
	if v.Format != "txt" || string(v.Str) != "ab\r\n" {
		t.Errorf("verbatim: %+v", v)
	}
	v, _ = r.ReadValue()
	if v.Type != '#' || v.Bool || len(v.Attrs) != 2 || v.Attrs[1].Int != 3 {
		t.Errorf("attr: %+v", v)
	}
	v, _ = r.ReadValue()
	if !v.IsError() || string(v.Str) != "ERR x" {
		t.Errorf("error: %+v", v)
	}
}
