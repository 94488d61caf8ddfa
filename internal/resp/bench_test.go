package resp

import (
	"fmt"
	"testing"
)

func pipelineSET(n int) []byte {
	var b []byte
	for i := 0; i < n; i++ {
		b = AppendCommandStrings(b, "SET", fmt.Sprintf("key:%012d", i), "0123456789abcdef")
	}
	return b
}

// BenchmarkParsePipelineSET parses 100 pipelined SETs per op, as a server
// does after one read.
func BenchmarkParsePipelineSET(b *testing.B) {
	in := pipelineSET(100)
	var p Parser
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		buf := in
		for len(buf) > 0 {
			args, n, err := p.Next(buf)
			if err != nil || n == 0 || len(args) != 3 {
				b.Fatal(err)
			}
			buf = buf[n:]
		}
	}
}

func BenchmarkParseGET(b *testing.B) {
	in := AppendCommandStrings(nil, "GET", "key:000000000001")
	var p Parser
	b.ReportAllocs()
	for b.Loop() {
		if args, _, _ := p.Next(in); len(args) != 2 {
			b.Fatal("bad parse")
		}
	}
}

func BenchmarkParseInline(b *testing.B) {
	in := []byte("SET key:000000000001 \"0123456789abcdef\"\r\n")
	buf := make([]byte, len(in))
	var p Parser
	b.ReportAllocs()
	for b.Loop() {
		copy(buf, in) // inline parsing unescapes in place
		if args, _, _ := p.Next(buf); len(args) != 3 {
			b.Fatal("bad parse")
		}
	}
}

// BenchmarkParseSplitBulk parses a 1 MiB bulk that arrives in 16 KiB reads.
func BenchmarkParseSplitBulk(b *testing.B) {
	val := make([]byte, 1<<20)
	in := AppendCommand(nil, []byte("SET"), []byte("k"), val)
	var p Parser
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		for end := 16 << 10; ; end += 16 << 10 {
			end = min(end, len(in))
			_, n, err := p.Next(in[:end])
			if err != nil {
				b.Fatal(err)
			}
			if n > 0 {
				break
			}
		}
	}
}

func BenchmarkWriters(b *testing.B) {
	buf := make([]byte, 0, 1024)
	val := []byte("0123456789abcdef")
	b.ReportAllocs()
	for b.Loop() {
		o := buf[:0]
		o = AppendSimple(o, "OK")
		o = AppendBulk(o, val)
		o = AppendInt(o, 1234567)
		o = AppendArrayLen(o, 3)
		o = AppendNullBulk(o)
		o = AppendError(o, "ERR wrong number of arguments for 'get' command")
		buf = o
	}
}

func BenchmarkAppendDouble(b *testing.B) {
	buf := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendDouble(buf[:0], 1.1)
	}
}

func BenchmarkAppendBulkFloat(b *testing.B) {
	buf := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendBulkFloat(buf[:0], 1000.1)
	}
}

func BenchmarkIncrByFloat(b *testing.B) {
	cur, incr := []byte("10.5"), []byte("0.1")
	buf := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		x, _ := ParseLongDouble(cur)
		y, _ := ParseLongDouble(incr)
		buf = x.Add(y).AppendHuman(buf[:0])
	}
}

func BenchmarkReplyLen(b *testing.B) {
	in := AppendArrayLen(nil, 100)
	for i := 0; i < 100; i++ {
		in = AppendBulkString(in, "0123456789abcdef")
	}
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if n, _ := ReplyLen(in); n != len(in) {
			b.Fatal(n)
		}
	}
}
