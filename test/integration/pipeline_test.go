package integration

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"cairn/internal/testutil"
)

// TestPipelineOneWrite: 1000 commands sent in one write get 1000 replies,
// in order.
func TestPipelineOneWrite(t *testing.T) {
	t.Parallel()
	p := testutil.StartCairn(t)
	c := testutil.Dial(t, p.Addr())
	var req, want []byte
	for i := 0; i < 1000; i++ {
		switch i % 4 {
		case 0:
			req = testutil.AppendCommand(req, []byte("SET"), []byte("k"+strconv.Itoa(i)), []byte("v"+strconv.Itoa(i)))
			want = append(want, "+OK\r\n"...)
		case 1:
			req = testutil.AppendCommand(req, []byte("GET"), []byte("k"+strconv.Itoa(i-1)))
			v := "v" + strconv.Itoa(i-1)
			want = fmt.Appendf(want, "$%d\r\n%s\r\n", len(v), v)
		case 2:
			req = testutil.AppendCommand(req, []byte("INCR"), []byte("counter"))
			want = fmt.Appendf(want, ":%d\r\n", i/4+1)
		case 3:
			// Inline commands mix with multibulk ones in a pipeline.
			req = fmt.Appendf(req, "ECHO e%d\r\n", i)
			want = fmt.Appendf(want, "$%d\r\ne%d\r\n", len(strconv.Itoa(i))+1, i)
		}
	}
	c.Send(req)
	var got []byte
	for i := 0; i < 1000; i++ {
		got = append(got, c.ReadReply()...)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("pipeline replies differ at byte %d", firstDiff(got, want))
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestPipelineSplitWrites: the same pipeline cut at random byte boundaries
// and sent over many writes (with pauses so that reads see partial
// commands) gets exactly the replies of the whole.
func TestPipelineSplitWrites(t *testing.T) {
	t.Parallel()
	p := testutil.StartCairn(t)
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 20; round++ {
		c := testutil.Dial(t, p.Addr())
		var req, want []byte
		n := 200 + rng.IntN(300)
		for i := 0; i < n; i++ {
			key := fmt.Sprintf("r%d-k%d", round, i)
			val := bytes.Repeat([]byte{'a' + byte(i%26)}, rng.IntN(3000))
			req = testutil.AppendCommand(req, []byte("SET"), []byte(key), val)
			want = append(want, "+OK\r\n"...)
			req = testutil.AppendCommand(req, []byte("STRLEN"), []byte(key))
			want = fmt.Appendf(want, ":%d\r\n", len(val))
		}
		sent := make(chan struct{})
		cuts := rand.New(rand.NewPCG(uint64(round), 3)) // the sender's own
		go func() {
			defer close(sent)
			for len(req) > 0 {
				k := min(len(req), 1+cuts.IntN(4096))
				if err := c.TrySend(req[:k]); err != nil {
					return
				}
				req = req[k:]
				if cuts.IntN(8) == 0 {
					time.Sleep(time.Millisecond)
				}
			}
		}()
		var got []byte
		for i := 0; i < 2*n; i++ {
			got = append(got, c.ReadReply()...)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("round %d: replies differ at byte %d", round, firstDiff(got, want))
		}
		<-sent
		c.Close()
	}
}

// TestProtocolErrorClosesAfterEarlierReplies: a protocol error is answered
// after the replies of the commands before it, then the connection is
// closed and nothing after the error runs; other clients are unaffected.
func TestProtocolErrorClosesAfterEarlierReplies(t *testing.T) {
	t.Parallel()
	p := testutil.StartCairn(t)
	other := testutil.Dial(t, p.Addr())
	if got := string(other.Do("SET", "sentinel", "intact")); got != "+OK\r\n" {
		t.Fatalf("SET sentinel: %q", got)
	}
	cases := []struct {
		name, send, want string
		// alone: nothing may follow the bad bytes (Redis judges a count
		// line without CRLF by its length so far).
		alone bool
	}{
		{"multibulk length", "*abc\r\n", "-ERR Protocol error: invalid multibulk length\r\n", false},
		{"bulk length", "*1\r\n$x\r\n", "-ERR Protocol error: invalid bulk length\r\n", false},
		{"expected dollar", "*1\r\nxPING\r\n", "-ERR Protocol error: expected '$', got 'x'\r\n", false},
		{"unbalanced quotes", "SET \"a b\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n", false},
		{"big count string", "*" + string(bytes.Repeat([]byte("1"), 70000)), "-ERR Protocol error: too big mbulk count string\r\n", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := testutil.Dial(t, p.Addr())
			// Two good commands, the bad bytes, then a command that must
			// never run because the connection is gone by then.
			msg := "*3\r\n$3\r\nSET\r\n$3\r\npre\r\n$1\r\n1\r\nPING\r\n" + tc.send
			if !tc.alone {
				msg += "SET sentinel broken\r\n"
			}
			c.Send([]byte(msg))
			got, closed := c.ReadUntilClose(5 * time.Second)
			want := "+OK\r\n+PONG\r\n" + tc.want
			if string(got) != want || !closed {
				t.Fatalf("got %q (closed=%v), want %q then close", got, closed, want)
			}
			if got := string(other.Do("GET", "sentinel")); got != "$6\r\nintact\r\n" {
				t.Fatalf("sentinel after protocol error: %q", got)
			}
			if got := string(other.Do("PING")); got != "+PONG\r\n" {
				t.Fatalf("other client: %q", got)
			}
		})
	}
}
