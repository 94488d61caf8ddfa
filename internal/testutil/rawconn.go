package testutil

import (
	"bufio"
	"errors"
	"io"
	"net"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// replyTimeout bounds how long the fatal helpers wait for one reply.
const replyTimeout = 5 * time.Second

// RawConn is a plain TCP connection for byte-exact protocol tests: Send
// writes bytes verbatim, the Read methods return replies exactly as the
// server sent them.
type RawConn struct {
	tb   testing.TB
	conn net.Conn
	r    *bufio.Reader
}

// Dial connects to addr and closes the connection when the test ends.
func Dial(tb testing.TB, addr string) *RawConn {
	tb.Helper()
	c, err := DialRaw(addr)
	if err != nil {
		tb.Fatalf("testutil: dial %s: %v", addr, err)
	}
	c.tb = tb
	tb.Cleanup(func() { c.Close() })
	return c
}

// DialRaw connects without a testing.TB; its methods that would fail a
// test instead panic, so prefer the Try* methods with it.
func DialRaw(addr string) (*RawConn, error) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	return &RawConn{conn: conn, r: newReader(conn)}, nil
}

// Close closes the connection.
func (c *RawConn) Close() error { return c.conn.Close() }

// Conn exposes the underlying connection (e.g. to half-close it).
func (c *RawConn) Conn() net.Conn { return c.conn }

func (c *RawConn) fatalf(format string, args ...any) {
	if c.tb == nil {
		panic("testutil: " + format)
	}
	c.tb.Helper()
	c.tb.Fatalf(format, args...)
}

// Send writes b verbatim.
func (c *RawConn) Send(b []byte) {
	if c.tb != nil {
		c.tb.Helper()
	}
	if err := c.TrySend(b); err != nil {
		c.fatalf("testutil: send %q: %v", b, err)
	}
}

// TrySend writes b verbatim and returns the write error.
func (c *RawConn) TrySend(b []byte) error {
	c.conn.SetWriteDeadline(time.Now().Add(replyTimeout))
	_, err := c.conn.Write(b)
	return err
}

// SendCommand writes args as a RESP multibulk command.
func (c *RawConn) SendCommand(args ...string) {
	if c.tb != nil {
		c.tb.Helper()
	}
	bs := make([][]byte, len(args))
	for i, a := range args {
		bs[i] = []byte(a)
	}
	c.Send(AppendCommand(nil, bs...))
}

// Do sends a multibulk command and returns its raw reply.
func (c *RawConn) Do(args ...string) []byte {
	if c.tb != nil {
		c.tb.Helper()
	}
	c.SendCommand(args...)
	return c.ReadReply()
}

// ReadReply reads one complete RESP2/RESP3 reply and returns its raw
// bytes; it fails the test on error or after 5s.
func (c *RawConn) ReadReply() []byte {
	if c.tb != nil {
		c.tb.Helper()
	}
	f, err := c.TryReadFrame(replyTimeout)
	if err != nil {
		c.fatalf("testutil: read reply: %v", err)
	}
	return f.Raw
}

// TryReadFrame reads one complete reply, waiting at most timeout.
func (c *RawConn) TryReadFrame(timeout time.Duration) (Frame, error) {
	c.conn.SetReadDeadline(time.Now().Add(timeout))
	return ReadFrame(c.r)
}

// ReadUntilClose returns every byte the server sends until it closes the
// connection (closed=true) or timeout passes (closed=false). A reset
// counts as a close.
func (c *RawConn) ReadUntilClose(timeout time.Duration) ([]byte, bool) {
	c.conn.SetReadDeadline(time.Now().Add(timeout))
	var out []byte
	buf := make([]byte, 32<<10)
	for {
		n, err := c.r.Read(buf)
		out = append(out, buf[:n]...)
		if err == nil {
			continue
		}
		if errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) {
			return out, true
		}
		return out, false
	}
}

// AppendCommand appends args to b as a RESP multibulk command.
func AppendCommand(b []byte, args ...[]byte) []byte {
	b = append(b, '*')
	b = strconv.AppendInt(b, int64(len(args)), 10)
	b = append(b, '\r', '\n')
	for _, a := range args {
		b = append(b, '$')
		b = strconv.AppendInt(b, int64(len(a)), 10)
		b = append(b, '\r', '\n')
		b = append(b, a...)
		b = append(b, '\r', '\n')
	}
	return b
}
