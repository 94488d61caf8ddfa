package server

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"cairn/internal/config"
)

// syncBuffer is a log sink safe for the connection goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func rawCommand(args ...string) []byte {
	var b []byte
	b = append(b, '*')
	b = append(b, []byte(itoa(len(args)))...)
	b = append(b, "\r\n"...)
	for _, a := range args {
		b = append(b, '$')
		b = append(b, []byte(itoa(len(a)))...)
		b = append(b, "\r\n"...)
		b = append(b, a...)
		b = append(b, "\r\n"...)
	}
	return b
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var d []byte
	for ; n > 0; n /= 10 {
		d = append([]byte{byte('0' + n%10)}, d...)
	}
	return string(d)
}

func TestDefaultNormalHardLimitWhenConfigHasNone(t *testing.T) {
	cfg, err := config.Load([]string{"--port", "0"})
	if err != nil {
		t.Fatal(err)
	}
	if l := cfg.OutputBufferLimit(config.ClassNormal); l.Hard != 0 {
		t.Fatalf("default normal limit = %+v, want Redis's 0 0 0", l)
	}
	c := &conn{srv: &Server{cfg: cfg}}
	if got := c.outputHardLimit(); got != defaultNormalHardLimit {
		t.Fatalf("hard limit = %d, want built-in %d", got, defaultNormalHardLimit)
	}
	cfg2, err := config.Load([]string{"--port", "0", "--client-output-buffer-limit", "normal 1mb 0 0"})
	if err != nil {
		t.Fatal(err)
	}
	c2 := &conn{srv: &Server{cfg: cfg2}}
	if got := c2.outputHardLimit(); got != 1<<20 {
		t.Fatalf("configured hard limit = %d, want %d", got, 1<<20)
	}
}

// A pipeline whose replies pass the hard limit closes the connection
// without sending them, logs it, and leaves other clients alone.
func TestOutputHardLimitClosesPipelinedFlood(t *testing.T) {
	logs := &syncBuffer{}
	p := startInProcessHook(t, func(s *Server) {
		s.log = slog.New(slog.NewTextHandler(logs, nil))
	}, "--client-output-buffer-limit", "normal 1mb 0 0")

	ok, err := net.Dial("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer ok.Close()
	ok.Write(rawCommand("SET", "big", strings.Repeat("x", 256<<10)))
	buf := make([]byte, 64)
	ok.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := ok.Read(buf); err != nil || string(buf[:n]) != "+OK\r\n" {
		t.Fatalf("SET: %q %v", buf[:n], err)
	}

	greedy, err := net.Dial("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer greedy.Close()
	var pipe []byte
	for i := 0; i < 40; i++ { // 10 MiB of replies
		pipe = append(pipe, rawCommand("GET", "big")...)
	}
	greedy.Write(pipe)
	greedy.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, err := io.Copy(io.Discard, greedy)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("greedy client not closed within 5s (got %d bytes)", n)
	}
	if n > 2<<20 {
		t.Fatalf("greedy client received %d bytes, want at most about the 1 MiB limit", n)
	}
	if !strings.Contains(logs.String(), "scheduled to be closed ASAP for overcoming of output buffer limits.") {
		t.Fatalf("close not logged; log:\n%s", logs.String())
	}

	ok.Write(rawCommand("PING"))
	ok.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := ok.Read(buf); err != nil || string(buf[:n]) != "+PONG\r\n" {
		t.Fatalf("other client after close: %q %v", buf[:n], err)
	}
}

// A client that never reads while its output stays above the soft limit
// is closed once the grace period passes.
func TestOutputSoftLimitClosesNonReader(t *testing.T) {
	p := startInProcess(t, "--client-output-buffer-limit", "normal 0 256kb 1")
	c, err := net.Dial("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// 64 KiB replies: a read of buffered GETs then adds tens of MB, not
	// the hundreds that make a loaded, race-enabled run slow.
	c.Write(rawCommand("SET", "big", strings.Repeat("y", 64<<10)))
	start := time.Now()
	// Keep asking and never read: the kernel buffers fill, the server's
	// write blocks above the soft limit, and the grace period runs out.
	closed := false
	req := rawCommand("GET", "big")
	c.SetWriteDeadline(time.Now().Add(10 * time.Second))
	for time.Since(start) < 10*time.Second {
		if _, err := c.Write(req); err != nil {
			closed = true
			break
		}
		time.Sleep(time.Millisecond)
	}
	if !closed {
		t.Fatal("non-reading client above the soft limit was not closed within 10s")
	}
	if d := time.Since(start); d < 900*time.Millisecond {
		t.Fatalf("closed after %v, before the 1s grace period", d)
	}
}

// Before AUTH a client's pending replies may not pass 16 KiB (Redis 7
// closes such a client without sending them); after AUTH the normal
// limits apply.
func TestUnauthenticatedOutputLimit(t *testing.T) {
	p := startInProcess(t, "--requirepass", "pw")
	run := func(pre string, n int) (int64, bool) {
		c, err := net.Dial("tcp", p.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.Write([]byte(pre + strings.Repeat("GET k\r\n", n)))
		c.SetReadDeadline(time.Now().Add(time.Second))
		got, err := io.Copy(io.Discard, c)
		var ne net.Error
		return got, !(errors.As(err, &ne) && ne.Timeout())
	}
	// each reply is "-NOAUTH Authentication required.\r\n", 34 bytes
	if got, closed := run("", 481); closed || got != 481*34 {
		t.Fatalf("481 replies (16354 bytes): got %d bytes, closed=%v", got, closed)
	}
	if got, closed := run("", 482); !closed || got != 0 {
		t.Fatalf("482 replies (16388 bytes): got %d bytes, closed=%v; want a silent close", got, closed)
	}
	if _, closed := run("AUTH pw\r\n", 600); closed {
		t.Fatal("authenticated client closed by the unauthenticated limit")
	}
}
