package command

import (
	"testing"

	"cairn/internal/config"
	"cairn/internal/store"
)

// benchCtx builds an engine and one session as a connection would, with
// "bench:key" already set.
func benchCtx(tb testing.TB) *Ctx {
	tb.Helper()
	e := NewEngine(store.New(16), config.Default())
	s := e.NewSession("127.0.0.1:5555", "127.0.0.1:6379", 7, 1, func() {})
	c := &Ctx{E: e, S: s, Now: 1}
	c.Args = [][]byte{[]byte("SET"), []byte("bench:key"), []byte("a value of some length")}
	e.Exec(c)
	if string(c.Out) != "+OK\r\n" {
		tb.Fatalf("SET: %q", c.Out)
	}
	c.Out = c.Out[:0]
	return c
}

func benchExec(b *testing.B, args [][]byte, want string) {
	c := benchCtx(b)
	c.Args = args
	b.ReportAllocs()
	for b.Loop() {
		c.Out = c.Out[:0]
		c.E.Exec(c)
	}
	if string(c.Out) != want {
		b.Fatalf("reply %q, want %q", c.Out, want)
	}
}

func BenchmarkExecGet(b *testing.B) {
	benchExec(b, [][]byte{[]byte("GET"), []byte("bench:key")}, "$22\r\na value of some length\r\n")
}

func BenchmarkExecGetLowerCase(b *testing.B) {
	benchExec(b, [][]byte{[]byte("get"), []byte("bench:key")}, "$22\r\na value of some length\r\n")
}

func BenchmarkExecSetExisting(b *testing.B) {
	benchExec(b, [][]byte{[]byte("SET"), []byte("bench:key"), []byte("another value, same size")}, "+OK\r\n")
}

func BenchmarkExecIncr(b *testing.B) {
	c := benchCtx(b)
	c.Args = [][]byte{[]byte("INCR"), []byte("bench:counter")}
	b.ReportAllocs()
	for b.Loop() {
		c.Out = c.Out[:0]
		c.E.Exec(c)
	}
	if len(c.Out) == 0 || c.Out[0] != ':' {
		b.Fatalf("reply %q", c.Out)
	}
}

// TestExecHotPathNoAllocs enforces what the benchmarks report: GET, SET
// on an existing key and INCR go through Exec without allocating.
func TestExecHotPathNoAllocs(t *testing.T) {
	c := benchCtx(t)
	cases := [][][]byte{
		{[]byte("GET"), []byte("bench:key")},
		{[]byte("get"), []byte("bench:key")},
		{[]byte("SET"), []byte("bench:key"), []byte("another value, same size")},
		{[]byte("INCR"), []byte("bench:counter")},
		{[]byte("PING")},
	}
	for _, args := range cases {
		c.Args = args
		c.E.Exec(c) // warm up (INCR creates its key)
		a := testing.AllocsPerRun(1000, func() {
			c.Out = c.Out[:0]
			c.E.Exec(c)
		})
		if a != 0 {
			t.Errorf("%s allocates %.1f per call; reply %q", args[0], a, c.Out)
		}
	}
}
