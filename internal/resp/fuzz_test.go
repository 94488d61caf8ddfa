package resp

import (
	"reflect"
	"testing"
)

// FuzzParser feeds arbitrary bytes split at fuzzer-chosen points and checks
// that nothing panics, nothing is consumed beyond the buffer, and the
// events equal those of one-shot parsing.
func FuzzParser(f *testing.F) {
	for _, c := range parseCases {
		f.Add([]byte(c.in), uint16(len(c.in)/2), uint16(3), c.unauth)
	}
	f.Fuzz(func(t *testing.T, in []byte, cut, step uint16, unauth bool) {
		if len(in) > maxLineBuffered {
			return // the size limit legitimately depends on read sizes
		}
		base := Parser{Unauthenticated: unauth, MaxBulkLen: 1 << 20}
		want, wantRest := oneShot(t, base, in)
		if endsInError(want) {
			wantRest = -1
		}
		// Chunks: the first ends at cut, the rest are step bytes long.
		var chunks [][]byte
		c := int(cut) % (len(in) + 1)
		chunks = append(chunks, append([]byte(nil), in[:c]...))
		s := int(step%64) + 1
		for rest := in[c:]; len(rest) > 0; {
			n := min(s, len(rest))
			chunks = append(chunks, append([]byte(nil), rest[:n]...))
			rest = rest[n:]
		}
		p := base
		got, rest := feed(t, &p, chunks)
		if endsInError(got) {
			rest = -1
		}
		if !reflect.DeepEqual(got, want) || rest != wantRest {
			t.Fatalf("chunked %q\n got %q rest %d\nwant %q rest %d", in, got, rest, want, wantRest)
		}
	})
}
