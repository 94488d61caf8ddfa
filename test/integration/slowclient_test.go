package integration

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"cairn/internal/testutil"
)

// TestSlowAndNonReadingClients: a byte-by-byte sender and a client that
// pipelines big GETs without reading must not slow a normal client down,
// and the non-reader is closed by client-output-buffer-limit.
func TestSlowAndNonReadingClients(t *testing.T) {
	p := testutil.StartCairn(t, "--client-output-buffer-limit", "normal 1mb 0 0")
	ctx := testCtx(t, 60*time.Second)
	c := newClient(t, p, 2)
	must(t, c.Set(ctx, "big", strings.Repeat("v", 1<<20), 0).Err())

	// Slowloris: one SET, a byte every 5 ms.
	slowDone := make(chan error, 1)
	go func() {
		rc, err := testutil.DialRaw(p.Addr())
		if err != nil {
			slowDone <- err
			return
		}
		defer rc.Close()
		for _, b := range testutil.AppendCommand(nil, []byte("SET"), []byte("slow"), []byte("done")) {
			if err := rc.TrySend([]byte{b}); err != nil {
				slowDone <- err
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
		f, err := rc.TryReadFrame(5 * time.Second)
		if err == nil && string(f.Raw) != "+OK\r\n" {
			err = fmt.Errorf("slow SET replied %q", f.Raw)
		}
		slowDone <- err
	}()

	// Never-reader: pipelines GETs of the 1 MB value until the server
	// hangs up on it.
	readerGone := make(chan time.Duration, 1)
	go func() {
		start := time.Now()
		rc, err := testutil.DialRaw(p.Addr())
		if err != nil {
			readerGone <- -1
			return
		}
		defer rc.Close()
		rc.Conn().SetWriteDeadline(time.Now().Add(20 * time.Second))
		req := testutil.AppendCommand(nil, []byte("GET"), []byte("big"))
		for time.Since(start) < 20*time.Second {
			if err := rc.TrySend(req); err != nil {
				var ne net.Error
				if errors.As(err, &ne) && ne.Timeout() {
					break // stuck, not closed
				}
				readerGone <- time.Since(start)
				return
			}
		}
		readerGone <- -1
	}()

	// Meanwhile a normal client keeps its pace.
	rc := testutil.Dial(t, p.Addr())
	start := time.Now()
	for i := 0; i < 2000; i++ {
		var want string
		switch i % 3 {
		case 0:
			rc.SendCommand("PING")
			want = "+PONG\r\n"
		case 1:
			rc.SendCommand("SET", "k", "v")
			want = "+OK\r\n"
		case 2:
			rc.SendCommand("GET", "k")
			want = "$1\r\nv\r\n"
		}
		if got := string(rc.ReadReply()); got != want {
			t.Fatalf("round trip %d: got %q, want %q", i, got, want)
		}
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("2000 round trips took %v beside the slow clients", d)
	}

	if err := <-slowDone; err != nil {
		t.Fatalf("slowloris client: %v", err)
	}
	if d := <-readerGone; d < 0 {
		t.Fatal("never-reading client was not disconnected (its writes stalled for 5s, or 20s passed)")
	}
	if !waitFor(5*time.Second, func() bool {
		return strings.Contains(p.Output(), "scheduled to be closed ASAP for overcoming of output buffer limits.")
	}) {
		t.Fatalf("output-limit close not logged:\n%s", p.Output())
	}
	if v, err := c.Get(context.Background(), "slow").Result(); err != nil || v != "done" {
		t.Fatalf("GET slow = %q, %v", v, err)
	}
}
