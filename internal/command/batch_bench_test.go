package command

import "testing"

// benchBatch runs args 16 times per batch, as a connection does for a
// pipeline of 16, and reports the time per command.
func benchBatch(b *testing.B, args [][]byte) {
	c := benchCtx(b)
	c.Args = args
	b.ReportAllocs()
	for b.Loop() {
		c.Out = c.Out[:0]
		c.BeginBatch()
		for range 16 {
			c.E.Exec(c)
		}
		c.EndBatch()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*16), "ns/cmd")
}

func BenchmarkBatchGet(b *testing.B) {
	benchBatch(b, [][]byte{[]byte("GET"), []byte("bench:key")})
}

func BenchmarkBatchSetExisting(b *testing.B) {
	benchBatch(b, [][]byte{[]byte("SET"), []byte("bench:key"), []byte("another value, same size")})
}
