package server

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"

	"cairn/internal/command"
	"cairn/internal/config"
	"cairn/internal/resp"
)

const (
	initialReadBuf = 16 << 10
	// idleShrinkAbove: a buffer grown past this by one big request is
	// swapped for a fresh small one once it is drained.
	idleShrinkAbove = 256 << 10
)

// conn is one client connection. It runs in one of two modes: served by
// an event loop through its own non-blocking socket (fd; the default for
// TCP on Linux, eventloop_linux.go), or by a goroutine of its own through
// nc (TLS, MONITOR clients, shutdown, other platforms). A connection
// moves from the loop to a goroutine at most once and never back.
type conn struct {
	srv    *Server
	nc     net.Conn // goroutine mode; nil while a loop serves the conn
	sess   *command.Session
	ctx    command.Ctx
	parser resp.Parser

	// Event-loop mode. fd and nc change only under killMu, so CLIENT KILL
	// from another goroutine never touches a closed (and maybe reused)
	// descriptor.
	killMu   sync.Mutex
	fd       int // the connection's socket while a loop serves it; -1 otherwise
	loop     *eventLoop
	byLoop   bool  // fixed in newConn: a loop, not serve, runs the conn first
	pendOut  bool  // loop mode: ctx.Out[outSent:] waits for the socket to take it
	outSent  int   // loop mode: bytes at the front of ctx.Out already written
	closing  bool  // loop mode: close once the pending replies are written
	lastRead int64 // loop mode: Unix ms of the last bytes received (timeout)

	buf   []byte // read buffer; buf[start:] holds unparsed bytes
	start int

	wmu sync.Mutex       // serialises writes with the MONITOR feed
	fed *command.Monitor // the feed a writer goroutine was started for

	// softSince is when pending output last went above the soft
	// client-output-buffer-limit (zero while below it).
	softSince time.Time
}

func newConn(s *Server, nc net.Conn) *conn {
	c := &conn{srv: s, nc: nc, fd: -1, buf: make([]byte, 0, initialReadBuf)}
	fd := socketFD(nc)
	tc, isTCP := nc.(*net.TCPConn)
	if isTCP {
		if ka := s.cfg.TCPKeepAlive(); ka > 0 {
			tc.SetKeepAlive(true)
			tc.SetKeepAlivePeriod(ka)
		}
		tc.SetNoDelay(true)
	}
	now := time.Now().UnixMilli()
	addr, laddr := nc.RemoteAddr().String(), nc.LocalAddr().String()
	var loop *eventLoop
	if isTCP {
		loop = s.loops.pick(s)
	}
	if loop != nil {
		if own, err := takeSocket(tc, fd); err == nil {
			c.fd, fd, c.loop, c.byLoop, c.nc = own, own, loop, true, nil
			c.lastRead = now
		} else {
			s.log.Warn("serving a connection without the event loop", "err", err)
		}
	}
	c.sess = s.engine.NewSession(addr, laddr, fd, now, c.kill)
	c.ctx.E = s.engine
	c.ctx.S = c.sess
	if c.byLoop {
		loop.adopt(c)
	}
	return c
}

// socketFD returns the descriptor of the TCP socket under nc (through
// TLS), for CLIENT LIST and the event loop, or 0.
func socketFD(nc net.Conn) int {
	if tlsc, ok := nc.(*tls.Conn); ok {
		nc = tlsc.NetConn()
	}
	tc, ok := nc.(*net.TCPConn)
	if !ok {
		return 0
	}
	fd := 0
	if raw, err := tc.SyscallConn(); err == nil {
		raw.Control(func(f uintptr) { fd = int(f) })
	}
	return fd
}

// kill closes the connection from another goroutine (CLIENT KILL). In
// loop mode it shuts the socket down; the loop then reads end-of-file and
// closes it.
func (c *conn) kill() {
	c.killMu.Lock()
	defer c.killMu.Unlock()
	switch {
	case c.nc != nil:
		c.nc.Close()
	case c.fd >= 0:
		// Unregister now, as Redis frees a killed client at once: the
		// loop notices the shut-down socket only on its next round.
		c.srv.engine.Unregister(c.sess)
		shutdownSocket(c.fd)
	}
}

// interrupt wakes a blocked read so the connection notices shutdown. A
// connection in an event loop is handed to a goroutine by the loop, which
// then interrupts it.
func (c *conn) interrupt() {
	c.killMu.Lock()
	nc, loop := c.nc, c.loop
	c.killMu.Unlock()
	if nc == nil {
		if loop != nil {
			loop.wake()
		}
		return
	}
	nc.SetReadDeadline(time.Unix(1, 0))
	// A client that stops reading would block its connection's write, and
	// with it the whole shutdown; give it a bounded time to take its
	// replies.
	nc.SetWriteDeadline(time.Now().Add(shutdownWriteGrace))
}

// shutdownWriteGrace bounds how long shutdown waits for a client that
// does not read its replies.
const shutdownWriteGrace = 5 * time.Second

// serve runs the connection in goroutine mode; for a connection an event
// loop adopted in newConn it returns at once.
func (c *conn) serve() {
	if c.byLoop {
		return
	}
	c.serveGoroutine()
}

// serveGoroutine is the goroutine-mode loop: read, execute everything
// buffered, write once, until the connection ends.
func (c *conn) serveGoroutine() {
	defer func() {
		c.srv.engine.CloseSession(c.sess)
		c.lingerIfShuttingDown()
		c.nc.Close()
		c.srv.forget(c)
	}()
	// A connection an event loop handed over may owe its client replies,
	// may be closing, or may have just become a monitor.
	if !c.flush() || c.closing {
		return
	}
	c.startFeed()
	for {
		if !c.readMore() {
			return
		}
		closeNow := c.execBuffered()
		if !c.flush() || closeNow {
			return
		}
		c.startFeed()
	}
}

// startFeed starts writing the MONITOR feed once the session monitors.
func (c *conn) startFeed() {
	if m := c.sess.Monitor; m != nil && m != c.fed {
		c.fed = m
		go c.feedMonitor(m)
	}
}

// shutdownLinger bounds how long a connection closed by shutdown waits
// for its client to read the last replies.
const shutdownLinger = 250 * time.Millisecond

// lingerIfShuttingDown closes a connection gracefully when the server
// stops: closing a socket that still has unread input makes the kernel
// send a reset and throw away replies not yet delivered, so the replies
// of the commands that did run could be lost. Instead send FIN after the
// replies and discard input until the client closes or shutdownLinger
// passes.
func (c *conn) lingerIfShuttingDown() {
	tc, ok := c.nc.(*net.TCPConn)
	if !ok || !c.srv.isClosing() {
		return
	}
	if tc.CloseWrite() != nil {
		return
	}
	tc.SetReadDeadline(time.Now().Add(shutdownLinger))
	io.Copy(io.Discard, tc)
}

// readMore reads at least one byte into the buffer, growing or compacting
// it first when full. It returns false when the connection is finished.
func (c *conn) readMore() bool {
	cfg := c.srv.cfg
	if !c.makeRoom() {
		return false
	}
	if t := cfg.Timeout(); t > 0 && c.sess.Monitor == nil {
		c.nc.SetReadDeadline(time.Now().Add(t))
		// The new deadline may have replaced the one Serve set to wake
		// this loop for shutdown; done is closed before that wake-up, so
		// checking it here never misses one (a busy client would
		// otherwise hold up shutdown for the whole timeout).
		select {
		case <-c.srv.done:
			return false
		default:
		}
	}
	n, err := c.nc.Read(c.buf[len(c.buf):cap(c.buf)])
	c.buf = c.buf[:len(c.buf)+n]
	if n > 0 {
		c.srv.engine.CountNet(int64(n), 0)
		return true
	}
	if err == nil {
		return true
	}
	if errors.Is(err, os.ErrDeadlineExceeded) && !c.srv.isClosing() {
		c.srv.log.Debug("closing idle client", "id", c.sess.ID, "addr", c.sess.Addr)
	}
	return false
}

// makeRoom grows or compacts a full read buffer. It returns false when
// the unparsed input has reached client-query-buffer-limit.
func (c *conn) makeRoom() bool {
	if len(c.buf) < cap(c.buf) {
		return true
	}
	pending := len(c.buf) - c.start
	if int64(pending) >= c.srv.cfg.ClientQueryBufferLimit() {
		c.srv.log.Warn("closing client that reached max query buffer length",
			"id", c.sess.ID, "addr", c.sess.Addr, "qbuf", pending)
		return false
	}
	if c.start > 0 && c.start >= cap(c.buf)/2 {
		n := copy(c.buf, c.buf[c.start:])
		c.buf = c.buf[:n]
		c.start = 0
	} else {
		nb := make([]byte, pending, 2*cap(c.buf))
		copy(nb, c.buf[c.start:])
		c.buf, c.start = nb, 0
	}
	return true
}

func (s *Server) isClosing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closing
}

// execBuffered runs every complete request in the buffer, appending the
// replies to the output, and reports whether the connection must close
// after they are written.
func (c *conn) execBuffered() (closeAfter bool) {
	cfg := c.srv.cfg
	c.parser.MaxBulkLen = cfg.ProtoMaxBulkLen()
	c.ctx.BeginBatch()
	defer c.ctx.EndBatch()
	executed := false
	hard := c.outputHardLimit()
	for c.start < len(c.buf) {
		c.parser.Unauthenticated = c.srv.engine.NeedsAuth(c.sess)
		args, n, err := c.parser.Next(c.buf[c.start:])
		if err != nil {
			var pe *resp.ProtocolError
			if errors.As(err, &pe) {
				c.ctx.Out = resp.AppendError(c.ctx.Out, "ERR "+pe.Msg)
				c.srv.log.Debug("protocol error", "addr", c.sess.Addr, "err", pe.Msg)
			}
			return true
		}
		if n == 0 {
			break
		}
		c.start += n
		if len(args) == 0 {
			continue
		}
		c.ctx.Args = args
		c.srv.engine.Exec(&c.ctx)
		executed = true
		if c.sess.CloseAfterReply {
			return true
		}
		// One compare per command stops a pipelined flood of big
		// replies before the batch allocates past the limit.
		if pending := len(c.ctx.Out) - c.outSent; int64(pending) > hard || (pending > unauthOutputLimit && c.srv.engine.NeedsAuth(c.sess)) {
			c.dropForOutputLimit("hard")
			return true
		}
	}
	if executed {
		c.sess.LastActive.Store(c.ctx.Now)
	}
	if c.start == len(c.buf) {
		c.start = 0
		c.buf = c.buf[:0]
		if cap(c.buf) > idleShrinkAbove {
			c.buf = make([]byte, 0, initialReadBuf)
		}
	}
	c.sess.QueryBuf.Store(int64(len(c.buf) - c.start))
	return false
}

// flush writes the pending replies with one write.
func (c *conn) flush() bool {
	if c.ctx.Wrote { // a mutation was logged: AOF first, replies after
		c.commitAOF()
	}
	out := c.ctx.Out
	if len(out) == 0 {
		c.softSince = time.Time{}
		return true
	}
	soft := c.overSoftLimit(len(out))
	if soft && c.softExpired() {
		c.dropForOutputLimit("soft")
		return false
	}
	c.wmu.Lock()
	if soft {
		// A client that stops reading blocks this write; the soft
		// limit's grace period bounds how long it may hold the output.
		c.nc.SetWriteDeadline(c.softSince.Add(c.softGrace()))
	}
	_, err := c.nc.Write(out)
	if soft {
		c.nc.SetWriteDeadline(time.Time{})
	}
	c.wmu.Unlock()
	if soft && errors.Is(err, os.ErrDeadlineExceeded) {
		c.dropForOutputLimit("soft")
	}
	c.srv.engine.CountNet(0, int64(len(out)))
	c.resetOut()
	return err == nil
}

// resetOut empties the output buffer once written, dropping one that a
// big reply grew so an idle connection does not keep it.
func (c *conn) resetOut() {
	if cap(c.ctx.Out) > idleShrinkAbove {
		c.ctx.Out = nil
	} else {
		c.ctx.Out = c.ctx.Out[:0]
	}
}

// feedMonitor copies the MONITOR feed to the client until it is stopped
// or the connection ends; a monitor that falls too far behind is closed.
func (c *conn) feedMonitor(m *command.Monitor) {
	var buf []byte
	for range m.Ready {
		var stopped, overflow bool
		buf, stopped, overflow = m.Take(buf[:0])
		if len(buf) > 0 {
			c.wmu.Lock()
			_, err := c.nc.Write(buf)
			c.wmu.Unlock()
			if err != nil {
				return
			}
		}
		if overflow {
			c.srv.log.Warn("closing MONITOR client that fell too far behind", "id", c.sess.ID, "addr", c.sess.Addr)
			c.nc.Close()
		}
		if stopped {
			return
		}
	}
}

// defaultNormalHardLimit applies when client-output-buffer-limit gives
// normal clients no hard limit (Redis's default "normal 0 0 0"). Redis
// then lets one client's pending replies grow without bound; Cairn
// instead closes a client with more than 256 MiB of replies pending, far
// above any sane pipeline, so one greedy or stuck client cannot exhaust
// the server's memory.
const defaultNormalHardLimit = 256 << 20

// unauthOutputLimit caps the pending replies of a client that has not
// authenticated yet (Authed is false only while a password is required):
// as Redis 7 does, a stranger's pipeline whose replies pass 16 KiB closes
// the connection, so NOAUTH errors cannot be used to make the server
// buffer output.
const unauthOutputLimit = 16 << 10

// Pending output of a connection is the current batch's replies: the loop
// writes them with one blocking write before it reads again, so the
// limits are checked while a batch grows (hard) and around that write
// (soft). Only normal clients exist so far; pub/sub and replica classes
// will need their own class lookup here.

// outputHardLimit is the byte count above which a batch's replies close
// the connection.
func (c *conn) outputHardLimit() int64 {
	if h := c.srv.cfg.OutputBufferLimit(config.ClassNormal).Hard; h > 0 {
		return h
	}
	return defaultNormalHardLimit
}

// overSoftLimit reports whether n pending bytes exceed the soft limit,
// starting or clearing the soft-limit clock.
func (c *conn) overSoftLimit(n int) bool {
	soft := c.srv.cfg.OutputBufferLimit(config.ClassNormal).Soft
	if soft <= 0 || int64(n) <= soft {
		c.softSince = time.Time{}
		return false
	}
	if c.softSince.IsZero() {
		c.softSince = time.Now()
	}
	return true
}

// softGrace is how long output may stay above the soft limit. Redis
// counts whole seconds, so even "0" lets the excess live until the clock
// second turns; Cairn rounds that up to one second.
func (c *conn) softGrace() time.Duration {
	if s := c.srv.cfg.OutputBufferLimit(config.ClassNormal).SoftSeconds; s > 0 {
		return time.Duration(s) * time.Second
	}
	return time.Second
}

// softExpired reports whether output has been above the soft limit for
// longer than its grace period.
func (c *conn) softExpired() bool {
	return !c.softSince.IsZero() && time.Since(c.softSince) > c.softGrace()
}

// dropForOutputLimit discards the pending replies (the AOF batch is still
// committed by flush) and logs the close in Redis's words.
func (c *conn) dropForOutputLimit(which string) {
	omem := len(c.ctx.Out) - c.outSent
	c.ctx.Out, c.outSent = c.ctx.Out[:0], 0
	c.srv.log.Warn(fmt.Sprintf("Client id=%d addr=%s omem=%d scheduled to be closed ASAP for overcoming of output buffer limits.",
		c.sess.ID, c.sess.Addr, omem), "limit", which)
}
