package server

import (
	"bytes"
	"io"
	"net"
	"sync/atomic"
	"testing"
	"time"
)

// countingListener wraps accepted connections to count their writes.
type countingListener struct {
	net.Listener
	writes atomic.Int64
}

type countingConn struct {
	net.Conn
	l *countingListener
}

func (c countingConn) Write(p []byte) (int, error) {
	c.l.writes.Add(1)
	return c.Conn.Write(p)
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return countingConn{c, l}, nil
}

// TestPipelineRepliesInOneWrite: the replies of every command read in one
// go leave in one write, not one write per command.
func TestPipelineRepliesInOneWrite(t *testing.T) {
	var counted []*countingListener
	p := startInProcessHook(t, func(s *Server) {
		for i, ln := range s.listeners {
			cl := &countingListener{Listener: ln}
			s.listeners[i] = cl
			counted = append(counted, cl)
		}
	})
	c, err := net.Dial("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	const n = 1000 // 14 kB of requests: fits one read of the 16 kB buffer
	req := bytes.Repeat([]byte("PING\r\n"), n)
	if _, err := c.Write(req); err != nil {
		t.Fatal(err)
	}
	want := bytes.Repeat([]byte("+PONG\r\n"), n)
	got := make([]byte, len(want))
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadFull(c, got); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("replies: %v", err)
	}
	w := counted[0].writes.Load()
	t.Logf("%d replies in %d writes", n, w)
	// TCP may split the request over a few reads; each read's batch is
	// one write.
	if w > 4 {
		t.Fatalf("%d replies took %d writes; want one per read", n, w)
	}
}
