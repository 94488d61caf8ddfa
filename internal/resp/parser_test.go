package resp

import (
	"bytes"
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"time"
)

// event is one outcome of feeding a connection's bytes to a Parser.
type event string

func argsEvent(args [][]byte) event {
	if len(args) == 0 {
		return "empty"
	}
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = fmt.Sprintf("%q", a)
	}
	return event(strings.Join(parts, " "))
}

func errEvent(err error) event {
	pe, ok := err.(*ProtocolError)
	if !ok {
		return event("non-protocol error: " + err.Error())
	}
	return event("-ERR " + pe.Msg)
}

// feed plays chunks into p like a server: append to the buffer, parse every
// complete request, keep the unparsed rest. It moves the rest to a fresh
// buffer after every chunk, so any slice kept across calls would be caught.
// It returns the events and how many bytes stayed unparsed.
func feed(t testing.TB, p *Parser, chunks [][]byte) ([]event, int) {
	var evs []event
	var buf []byte
	for _, c := range chunks {
		nb := make([]byte, len(buf), len(buf)+len(c))
		copy(nb, buf)
		buf = append(nb, c...)
		for {
			args, n, err := p.Next(buf)
			if err != nil {
				if n != 0 {
					t.Fatalf("error with n=%d", n)
				}
				return append(evs, errEvent(err)), len(buf)
			}
			if n == 0 {
				if len(args) != 0 {
					t.Fatalf("incomplete with args")
				}
				if p.Need() <= len(buf) {
					t.Fatalf("Need()=%d but buffer already holds %d", p.Need(), len(buf))
				}
				break
			}
			if n > len(buf) {
				t.Fatalf("consumed %d of %d bytes", n, len(buf))
			}
			evs = append(evs, argsEvent(args))
			buf = buf[n:]
		}
	}
	return evs, len(buf)
}

func oneShot(t testing.TB, p Parser, in []byte) ([]event, int) {
	return feed(t, &p, [][]byte{append([]byte(nil), in...)})
}

// splitEverywhere checks that every two-piece split and several random
// chunkings give the same events as one-shot parsing.
func splitEverywhere(t *testing.T, base Parser, in []byte) {
	t.Helper()
	want, wantRest := oneShot(t, base, in)
	if endsInError(want) {
		wantRest = -1 // where the connection dies does not matter
	}
	for i := 0; i <= len(in); i++ {
		p := base
		got, rest := feed(t, &p, [][]byte{append([]byte(nil), in[:i]...), append([]byte(nil), in[i:]...)})
		if endsInError(got) {
			rest = -1
		}
		if !reflect.DeepEqual(got, want) || rest != wantRest {
			t.Fatalf("split at %d of %q:\n got %q rest %d\nwant %q rest %d", i, in, got, rest, want, wantRest)
		}
	}
	r := rand.New(rand.NewSource(int64(len(in))))
	for k := 0; k < 20; k++ {
		var chunks [][]byte
		for rest := in; len(rest) > 0; {
			n := 1 + r.Intn(len(rest))
			if r.Intn(2) == 0 {
				n = 1 + r.Intn(min(len(rest), 4))
			}
			chunks = append(chunks, append([]byte(nil), rest[:n]...))
			rest = rest[n:]
		}
		p := base
		got, rest := feed(t, &p, chunks)
		if endsInError(got) {
			rest = -1
		}
		if !reflect.DeepEqual(got, want) || rest != wantRest {
			t.Fatalf("random chunks %d of %q:\n got %q\nwant %q", k, in, got, want)
		}
	}
}

func endsInError(evs []event) bool {
	return len(evs) > 0 && strings.HasPrefix(string(evs[len(evs)-1]), "-ERR")
}

type parseCase struct {
	name   string
	in     string
	unauth bool
	max    int64
	want   []event // events in order; "" never appears
	rest   int     // bytes left unparsed (incomplete tail)
}

func ev(s ...string) []event {
	out := make([]event, len(s))
	for i, x := range s {
		out[i] = event(x)
	}
	return out
}

var parseCases = []parseCase{
	// multibulk basics
	{name: "get", in: "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", want: ev(`"GET" "k"`)},
	{name: "empty bulk", in: "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n", want: ev(`"ECHO" ""`)},
	{name: "binary bulk", in: "*1\r\n$5\r\na\r\x00\nb\r\n", want: ev(`"a\r\x00\nb"`)},
	{name: "zero count", in: "*0\r\n", want: ev("empty")},
	{name: "negative count", in: "*-5\r\n", want: ev("empty")},
	{name: "count minus one", in: "*-1\r\n*1\r\n$4\r\nPING\r\n", want: ev("empty", `"PING"`)},
	{name: "trailer not checked", in: "*1\r\n$4\r\npingXY", want: ev(`"ping"`)},
	{name: "lf after cr not checked", in: "*1\rX$4\rYpingZZ", want: ev(`"ping"`)},
	{name: "pipeline", in: "*1\r\n$4\r\nPING\r\nECHO x\r\n*0\r\n", want: ev(`"PING"`, `"ECHO" "x"`, "empty")},
	{name: "incomplete count", in: "*1", rest: 2},
	{name: "cr last", in: "*1\r", rest: 3},
	{name: "incomplete header", in: "*1\r\n$4", rest: 6},
	{name: "incomplete data", in: "*1\r\n$4\r\nPIN", rest: 11},
	{name: "incomplete trailer", in: "*1\r\n$4\r\nPING\r", rest: 13},
	{name: "huge count waits", in: "*2147483647\r\n", rest: 13},
	{name: "max bulk ok", in: "*1\r\n$536870912\r\n", rest: 16},
	{name: "count limit", in: "*2147483648\r\n", want: ev("-ERR Protocol error: invalid multibulk length")},
	{name: "count plus", in: "*+1\r\n", want: ev("-ERR Protocol error: invalid multibulk length")},
	{name: "count leading zero", in: "*01\r\n", want: ev("-ERR Protocol error: invalid multibulk length")},
	{name: "count minus zero", in: "*-0\r\n", want: ev("-ERR Protocol error: invalid multibulk length")},
	{name: "count empty", in: "*\r\n", want: ev("-ERR Protocol error: invalid multibulk length")},
	{name: "count space", in: "* 1\r\n", want: ev("-ERR Protocol error: invalid multibulk length")},
	{name: "count lf only", in: "*1\n$4\r\nPING\r\n", want: ev("-ERR Protocol error: invalid multibulk length")},
	{name: "bulk negative", in: "*1\r\n$-1\r\n", want: ev("-ERR Protocol error: invalid bulk length")},
	{name: "bulk too long", in: "*1\r\n$536870913\r\n", want: ev("-ERR Protocol error: invalid bulk length")},
	{name: "bulk custom max", in: "*1\r\n$11\r\n", max: 10, want: ev("-ERR Protocol error: invalid bulk length")},
	{name: "bulk custom max ok", in: "*1\r\n$10\r\n0123456789\r\n", max: 10, want: ev(`"0123456789"`)},
	{name: "bulk bad int", in: "*1\r\n$1x\r\n", want: ev("-ERR Protocol error: invalid bulk length")},
	{name: "expected dollar", in: "*1\r\nx\r\n", want: ev("-ERR Protocol error: expected '$', got 'x'")},
	{name: "expected dollar cr", in: "*1\r\n\r\n", want: ev("-ERR Protocol error: expected '$', got ' '")},
	{name: "expected dollar lf", in: "*1\r\n\n\r\n", want: ev("-ERR Protocol error: expected '$', got ' '")},
	{name: "expected dollar high byte", in: "*1\r\n\xff\r\n", want: ev("-ERR Protocol error: expected '$', got '\xff'")},
	{name: "next command too early", in: "*2\r\n$4\r\nPING\r\n*1\r\n", want: ev("-ERR Protocol error: expected '$', got '*'")},
	{name: "error after good", in: "PING\r\n*1\r\nx\r\n", want: ev(`"PING"`, "-ERR Protocol error: expected '$', got 'x'")},
	// unauthenticated limits
	{name: "unauth count", in: "*11\r\n", unauth: true, want: ev("-ERR Protocol error: unauthenticated multibulk length")},
	{name: "unauth count ok", in: "*10\r\n", unauth: true, rest: 5},
	{name: "unauth count invalid first", in: "*2147483648\r\n", unauth: true, want: ev("-ERR Protocol error: invalid multibulk length")},
	{name: "unauth bulk", in: "*1\r\n$16385\r\n", unauth: true, want: ev("-ERR Protocol error: unauthenticated bulk length")},
	{name: "unauth bulk ok", in: "*1\r\n$16384\r\n", unauth: true, rest: 12},
	{name: "unauth bulk invalid first", in: "*1\r\n$536870913\r\n", unauth: true, want: ev("-ERR Protocol error: invalid bulk length")},
	{name: "unauth inline unlimited", in: "a b c d e f g h i j k l\r\n", unauth: true, want: ev(`"a" "b" "c" "d" "e" "f" "g" "h" "i" "j" "k" "l"`)},
	// NUL stops Redis's C-string line search
	{name: "nul in inline waits", in: "PI\x00NG\r\n", rest: 7},
	{name: "nul in count waits", in: "*1\x00\r\n$4\r\nping\r\n", rest: 15},
	{name: "nul in header waits", in: "*1\r\n$4\x00\r\nping\r\n", rest: 15},
	{name: "nul after inline line", in: "PING\r\n\x00", want: ev(`"PING"`), rest: 1},
	// inline
	{name: "inline crlf", in: "PING\r\n", want: ev(`"PING"`)},
	{name: "inline lf", in: "PING\n", want: ev(`"PING"`)},
	{name: "inline double cr", in: "PING\r\r\n", want: ev(`"PING"`)},
	{name: "inline blank lines", in: "\r\n\n   \r\nPING\n", want: ev("empty", "empty", "empty", `"PING"`)},
	{name: "inline incomplete", in: "PING", rest: 4},
	{name: "inline args", in: "set  k\tv \r\n", want: ev(`"set" "k" "v"`)},
	{name: "inline vt inside arg", in: "echo a\vb\r\n", want: ev(`"echo" "a\vb"`)},
	{name: "inline vt ff leading", in: "\v\fPING\r\n", want: ev(`"PING"`)},
	{name: "inline cr splits", in: "echo a\rb\r\n", want: ev(`"echo" "a" "b"`)},
	{name: "inline dq escapes", in: `echo "a\x41\n\r\t\b\a\\\"\q" x` + "\r\n", want: ev(`"echo" "aA\n\r\t\b\a\\\"q" "x"`)},
	{name: "inline dq bad hex", in: `echo "a\xZZ"` + "\r\n", want: ev(`"echo" "axZZ"`)},
	{name: "inline dq short hex", in: `echo "\x4"` + "\r\n", want: ev(`"echo" "x4"`)},
	{name: "inline sq", in: `echo 'a\'b' 'c\nd'` + "\r\n", want: ev(`"echo" "a'b" "c\\nd"`)},
	{name: "inline quote mid arg", in: `echo a"b c"` + "\r\n", want: ev(`"echo" "ab c"`)},
	{name: "inline empty quotes", in: `echo "" '' x` + "\r\n", want: ev(`"echo" "" "" "x"`)},
	{name: "inline quote then vt", in: "echo \"x\"\vy\r\n", want: ev(`"echo" "x" "y"`)},
	{name: "inline quote then tab", in: "echo \"a\"\tb\r\n", want: ev(`"echo" "a" "b"`)},
	{name: "inline closing quote glued", in: `echo "a"b` + "\r\n", want: ev("-ERR Protocol error: unbalanced quotes in request")},
	{name: "inline sq glued", in: `echo 'a'b` + "\r\n", want: ev("-ERR Protocol error: unbalanced quotes in request")},
	{name: "inline unterminated", in: `echo "abc` + "\r\n", want: ev("-ERR Protocol error: unbalanced quotes in request")},
	{name: "inline unterminated sq", in: `echo 'abc` + "\r\n", want: ev("-ERR Protocol error: unbalanced quotes in request")},
	{name: "inline trailing backslash", in: `echo "a\` + "\r\n", want: ev("-ERR Protocol error: unbalanced quotes in request")},
	{name: "inline quote mid arg glued", in: `echo a"b c"d` + "\r\n", want: ev("-ERR Protocol error: unbalanced quotes in request")},
	{name: "inline dollar", in: "$4\r\nping\r\n", want: ev(`"$4"`, `"ping"`)},
}

func TestParserCases(t *testing.T) {
	for _, c := range parseCases {
		t.Run(c.name, func(t *testing.T) {
			base := Parser{Unauthenticated: c.unauth, MaxBulkLen: c.max}
			got, rest := oneShot(t, base, []byte(c.in))
			if !reflect.DeepEqual(got, c.want) && !(len(got) == 0 && len(c.want) == 0) {
				t.Fatalf("events\n got %q\nwant %q", got, c.want)
			}
			if len(got) == 0 || !strings.HasPrefix(string(got[len(got)-1]), "-ERR") {
				if rest != c.rest {
					t.Fatalf("rest %d, want %d", rest, c.rest)
				}
			}
			splitEverywhere(t, base, []byte(c.in))
		})
	}
}

func TestParserLimits(t *testing.T) {
	cases := []struct {
		in      []byte
		want    []event
		oneShot bool // chunked reads would trip the size limit first, in Redis too
	}{
		{bytes.Repeat([]byte("A"), 65536), nil, false},
		{bytes.Repeat([]byte("A"), 65537), ev("-ERR Protocol error: too big inline request"), false},
		{append([]byte("*"), bytes.Repeat([]byte("1"), 65535)...), nil, false},
		{append([]byte("*"), bytes.Repeat([]byte("1"), 65536)...), ev("-ERR Protocol error: too big mbulk count string"), false},
		{append([]byte("*1\r\n$"), bytes.Repeat([]byte("1"), 65535)...), nil, false},
		{append([]byte("*1\r\n$"), bytes.Repeat([]byte("1"), 65536)...), ev("-ERR Protocol error: too big bulk count string"), false},
		{append([]byte("PI\x00NG\r\n"), bytes.Repeat([]byte("A"), 65530)...), ev("-ERR Protocol error: too big inline request"), false},
		{append([]byte("*1\x00\r\n"), bytes.Repeat([]byte("A"), 65532)...), ev("-ERR Protocol error: too big mbulk count string"), false},
		{append([]byte("*1\r\n$1\x00\r\n"), bytes.Repeat([]byte("A"), 65532)...), ev("-ERR Protocol error: too big bulk count string"), false},
		// A '\r' anywhere later ends the search: then the header is just invalid.
		{append(append([]byte("*1"), bytes.Repeat([]byte("1"), 70000)...), "\r\n"...), ev("-ERR Protocol error: invalid multibulk length"), true},
		// ... unless it is the very last byte: Redis waits for one more.
		{append(append([]byte("*1"), bytes.Repeat([]byte("1"), 70000)...), '\r'), nil, true},
	}
	for i, c := range cases {
		got, _ := oneShot(t, Parser{}, c.in)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("case %d: got %q want %q", i, got, c.want)
		}
		if c.oneShot {
			continue
		}
		// Fed in 4 KiB reads the limit trips at the same point.
		var chunks [][]byte
		for rest := c.in; len(rest) > 0; {
			n := min(len(rest), 4096)
			chunks = append(chunks, append([]byte(nil), rest[:n]...))
			rest = rest[n:]
		}
		var p Parser
		got2, _ := feed(t, &p, chunks)
		if !reflect.DeepEqual(got2, c.want) {
			t.Errorf("case %d chunked: got %q want %q", i, got2, c.want)
		}
	}
}

func TestParserNeed(t *testing.T) {
	var p Parser
	in := []byte("*2\r\n$3\r\nSET\r\n$100\r\nab")
	if _, n, err := p.Next(in); n != 0 || err != nil {
		t.Fatal(n, err)
	}
	if want := len("*2\r\n$3\r\nSET\r\n$100\r\n") + 102; p.Need() != want {
		t.Fatalf("Need %d, want %d", p.Need(), want)
	}
	in = append(in, bytes.Repeat([]byte("x"), 98)...)
	in = append(in, "\r\n"...)
	args, n, err := p.Next(in)
	if err != nil || n != len(in) || len(args) != 2 || len(args[1]) != 100 {
		t.Fatal(len(args), n, err)
	}
	if _, _, _ = p.Next([]byte("*1\r")); p.Need() != 4 {
		t.Fatalf("Need after lone CR %d", p.Need())
	}
}

// TestParserArgsCapped makes sure a caller appending to an argument cannot
// overwrite the next argument in the buffer.
func TestParserArgsCapped(t *testing.T) {
	var p Parser
	args, _, _ := p.Next([]byte("*2\r\n$1\r\na\r\n$1\r\nb\r\n"))
	if cap(args[0]) != 1 {
		t.Fatalf("cap %d", cap(args[0]))
	}
	args, _, _ = p.Next([]byte("x y\r\n"))
	if cap(args[0]) != 1 {
		t.Fatalf("inline cap %d", cap(args[0]))
	}
}

// TestParserLinear feeds a 50,000-argument request one byte at a time. A
// parser that rescanned from the request start would do ~10^10 steps here.
func TestParserLinear(t *testing.T) {
	const n = 50000
	in := []byte(fmt.Sprintf("*%d\r\n", n))
	for i := 0; i < n; i++ {
		in = append(in, "$1\r\na\r\n"...)
	}
	var p Parser
	start := time.Now()
	for i := 1; i < len(in); i++ {
		if _, m, err := p.Next(in[:i]); m != 0 || err != nil {
			t.Fatalf("early result at %d", i)
		}
	}
	args, m, err := p.Next(in)
	if err != nil || m != len(in) || len(args) != n {
		t.Fatal(len(args), m, err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("took %v", d)
	}
}

func TestParserReset(t *testing.T) {
	var p Parser
	p.Next([]byte("*2\r\n$3\r\nGET\r\n"))
	p.Reset()
	args, n, err := p.Next([]byte("PING\r\n"))
	if err != nil || n != 6 || string(args[0]) != "PING" {
		t.Fatal(args, n, err)
	}
}

func TestProtocolErrorText(t *testing.T) {
	_, _, err := new(Parser).Next([]byte("*x\r\n"))
	if err == nil || err.Error() != "resp: Protocol error: invalid multibulk length" {
		t.Fatal(err)
	}
}
