package integration

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"cairn/internal/testutil"
)

// TestGracefulShutdownOnSignal: SIGTERM and SIGINT stop the server with
// exit code 0 while a client is in the middle of a large pipeline: every
// command the server had taken in is answered, the connection closes on a
// reply boundary, and idle clients are closed.
func TestGracefulShutdownOnSignal(t *testing.T) {
	t.Parallel()
	for _, sig := range []os.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			s := startServer(t, testutil.BuildBinary(t, "cairn-server"))
			idle := testutil.Dial(t, s.addr)
			if got := string(idle.Do("PING")); got != "+PONG\r\n" {
				t.Fatalf("PING: %q", got)
			}
			c := testutil.Dial(t, s.addr)
			const n = 100000
			var req []byte
			for i := 0; i < n; i++ {
				req = testutil.AppendCommand(req, []byte("INCR"), []byte("c"))
			}
			go c.TrySend(req) // may fail once the server has gone
			// Signal once the first replies are back: the server is then
			// part-way through the pipeline.
			first, err := c.TryReadFrame(5 * time.Second)
			if err != nil || string(first.Raw) != ":1\r\n" {
				t.Fatalf("first reply %q, %v", first.Raw, err)
			}
			must(t, s.cmd.Process.Signal(sig))
			rest, closed := c.ReadUntilClose(10 * time.Second)
			if !closed {
				t.Fatal("connection not closed within 10s of the signal")
			}
			// The replies must be :2 :3 ... :k, complete, in order.
			k := 1
			for len(rest) > 0 {
				want := ":" + strconv.Itoa(k+1) + "\r\n"
				if !bytes.HasPrefix(rest, []byte(want)) {
					t.Fatalf("after %d replies got %q, want %q (a torn or missing reply)", k, rest[:min(len(rest), 20)], want)
				}
				rest = rest[len(want):]
				k++
			}
			t.Logf("%d of %d pipelined commands answered before the close", k, n)
			if code := s.wait(t, 10*time.Second); code != 0 {
				t.Fatalf("exit code %d after %v, want 0", code, sig)
			}
			if _, closed := idle.ReadUntilClose(time.Second); !closed {
				t.Error("idle client not closed")
			}
		})
	}
}

// TestShutdownCommand: SHUTDOWN answers the commands pipelined before it,
// closes the connection, ends the process with exit code 0 and stops
// accepting; SHUTDOWN ABORT without a shutdown in progress is an error.
func TestShutdownCommand(t *testing.T) {
	t.Parallel()
	s := startServer(t, testutil.BuildBinary(t, "cairn-server"))
	c := testutil.Dial(t, s.addr)
	if got := string(c.Do("SHUTDOWN", "ABORT")); got != "-ERR No shutdown in progress.\r\n" {
		t.Errorf("SHUTDOWN ABORT = %q", got)
	}
	other := testutil.Dial(t, s.addr)
	if got := string(other.Do("SET", "k", "v")); got != "+OK\r\n" {
		t.Fatalf("SET: %q", got)
	}
	c.Send([]byte("INCR n\r\nINCR n\r\nSHUTDOWN NOSAVE\r\n"))
	got, closed := c.ReadUntilClose(10 * time.Second)
	if string(got) != ":1\r\n:2\r\n" || !closed {
		t.Fatalf("got %q closed=%v, want the two INCR replies then a close", got, closed)
	}
	if code := s.wait(t, 10*time.Second); code != 0 {
		t.Fatalf("exit code %d after SHUTDOWN, want 0", code)
	}
	if _, closed := other.ReadUntilClose(time.Second); !closed {
		t.Error("other client not closed")
	}
	if c, err := testutil.DialRaw(s.addr); err == nil {
		c.Close()
		t.Error("still accepting connections after SHUTDOWN")
	}
	if out := s.out.String(); !bytes.Contains([]byte(out), []byte("shutdown")) {
		t.Errorf("no shutdown log line in:\n%s", out)
	}
}
