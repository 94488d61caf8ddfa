//go:build linux

package server

import (
	"errors"
	"fmt"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// An eventLoop serves many plain-TCP connections from one goroutine, the
// way Redis's main thread does: wait for readiness of all of them at once
// (level-triggered epoll), read each ready socket once, execute every
// complete request it holds, commit the AOF once for the whole round, then
// write each connection's replies. Compared with a goroutine per
// connection this drops the extra read that ends in EAGAIN before every
// park, the park and wake-up themselves and the scheduler's hand-offs
// between threads, which at one request per round trip cost more CPU than
// executing the command. There are up to GOMAXPROCS loops (defaultLoops);
// connections are dealt to them in turn and stay on theirs.
//
// Anything that would block a loop leaves it: a MONITOR client and every
// connection at shutdown are handed to a goroutine of their own
// (conn.serveGoroutine), which then owns them to the end.
type eventLoop struct {
	srv    *Server
	epfd   int
	wakefd int // eventfd: adopt, shutdown and interrupt wake the loop

	mu      sync.Mutex
	inbox   []*conn // adopted, not registered yet
	stopped bool    // the loop has exited: adopt must not hand it more

	// Owned by the loop goroutine.
	conns    map[int]*conn // by fd
	ready    []*conn       // executed this round, replies to write
	busy     bool          // counted in srv.loops.busy this round
	events   []unix.EpollEvent
	lastTick time.Time
}

// loopSet is the server's event loops, started with the first connection.
type loopSet struct {
	busy  atomic.Int32 // loops between a wake-up with events and their replies
	once  sync.Once
	loops []*eventLoop
	next  uint64
	mu    sync.Mutex
}

// loopCountEnv overrides the number of event loops: 0 serves every
// connection from its own goroutine (for comparison and debugging).
const loopCountEnv = "CAIRN_NETLOOPS"

// defaultLoops is how many loops serve connections with procs usable
// cores. A loop that has to share its core waits a scheduler time slice
// (milliseconds) whenever the kernel runs something else there, and all
// its clients wait with it; the Go runtime's own work (the collector,
// the AOF syncer, cron) and the kernel's network processing need CPU too.
// So, as Redis advises for its I/O threads, below four cores one loop
// serves everything and the other core is left to the rest; from four
// cores on, a loop per core minus a quarter of them. Measured on two
// cores with the load generator beside the server, one loop beat two in
// throughput and in p99 at pipeline 1 and 16.
func defaultLoops(procs int) int {
	if procs < 4 {
		return 1
	}
	return procs - procs/4
}

// pick returns the loop for a new connection, or nil when connections get
// goroutines.
func (ls *loopSet) pick(s *Server) *eventLoop {
	ls.once.Do(func() { ls.start(s) })
	if len(ls.loops) == 0 {
		return nil
	}
	ls.mu.Lock()
	l := ls.loops[ls.next%uint64(len(ls.loops))]
	ls.next++
	ls.mu.Unlock()
	return l
}

func (ls *loopSet) start(s *Server) {
	n := defaultLoops(runtime.GOMAXPROCS(0))
	if s.cfg.AppendOnly() && strings.EqualFold(s.cfg.AppendFsync(), "always") {
		// Throughput under always is fdatasyncs per second times the
		// records each covers. One loop, like Redis's one thread, puts
		// every client's request into each fdatasync; with several loops
		// their rounds alternate and each fdatasync covers a share.
		n = 1
	}
	if v, ok := os.LookupEnv(loopCountEnv); ok {
		if k, err := strconv.Atoi(v); err == nil && k >= 0 {
			n = k
		}
	}
	for range n {
		l, err := newEventLoop(s)
		if err != nil {
			s.log.Warn("event loop unavailable", "err", err, "loops", len(ls.loops))
			return // with no loop at all, connections get goroutines
		}
		ls.loops = append(ls.loops, l)
		go l.run()
	}
	if len(ls.loops) > 1 {
		s.aof.Busy = func() bool { return ls.busy.Load() > 0 }
	}
}

func newEventLoop(s *Server) (*eventLoop, error) {
	ep, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("server: epoll_create: %w", err)
	}
	wfd, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	if err != nil {
		unix.Close(ep)
		return nil, fmt.Errorf("server: eventfd: %w", err)
	}
	if err := unix.EpollCtl(ep, unix.EPOLL_CTL_ADD, wfd, &unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(wfd)}); err != nil {
		unix.Close(ep)
		unix.Close(wfd)
		return nil, fmt.Errorf("server: epoll_ctl eventfd: %w", err)
	}
	l := &eventLoop{
		srv:    s,
		epfd:   ep,
		wakefd: wfd,
		conns:  make(map[int]*conn),
		events: make([]unix.EpollEvent, 256),
	}
	return l, nil
}

// takeSocket gives the loop a socket of its own for a TCP connection:
// a duplicate of the descriptor (non-blocking like the original), after
// which the net.Conn is closed, taking the socket out of Go's poller.
func takeSocket(tc *net.TCPConn, fd int) (int, error) {
	own, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return -1, fmt.Errorf("server: dup socket: %w", err)
	}
	if err := unix.SetNonblock(own, true); err != nil {
		unix.Close(own)
		return -1, fmt.Errorf("server: socket non-blocking: %w", err)
	}
	tc.Close()
	return own, nil
}

// shutdownSocket makes a loop's socket report end-of-file, so the loop
// closes it (CLIENT KILL from another goroutine).
func shutdownSocket(fd int) { unix.Shutdown(fd, unix.SHUT_RDWR) }

// adopt hands a new connection to the loop (any goroutine).
func (l *eventLoop) adopt(c *conn) {
	l.mu.Lock()
	if l.stopped {
		l.mu.Unlock()
		go c.leaveLoop()
		return
	}
	l.inbox = append(l.inbox, c)
	l.signalLocked()
	l.mu.Unlock()
}

// wake interrupts the loop's wait (any goroutine).
func (l *eventLoop) wake() {
	l.mu.Lock()
	if !l.stopped {
		l.signalLocked()
	}
	l.mu.Unlock()
}

// signalLocked makes the eventfd readable. mu must be held and the loop
// not stopped: exit closes the descriptor under mu.
func (l *eventLoop) signalLocked() {
	one := [8]byte{1}
	unix.Write(l.wakefd, one[:])
}

// tickEvery is how often the loop checks idle timeouts and soft output
// limits when no event wakes it sooner.
const tickEvery = 100 * time.Millisecond

func (l *eventLoop) run() {
	defer l.exit()
	l.lastTick = time.Now()
	for {
		// Poll without blocking first: under load there is nearly always
		// something ready, and the blocking wait costs the scheduler's
		// hand-off of this thread's P and the wake-up to get it back.
		n, err := pollNow(l.epfd, l.events)
		if n == 0 && err == nil {
			n, err = unix.EpollWait(l.epfd, l.events, int(tickEvery/time.Millisecond))
		}
		if err != nil && !errors.Is(err, unix.EINTR) {
			l.srv.log.Error("event loop: epoll_wait failed; handing connections to goroutines", "err", err)
			l.dropAll()
			return
		}
		if n > 0 {
			l.busy = true
			l.srv.loops.busy.Add(1)
		}
		for i := 0; i < n; i++ {
			ev := &l.events[i]
			fd := int(ev.Fd)
			if fd == l.wakefd {
				l.drainWake()
				continue
			}
			c := l.conns[fd]
			if c == nil {
				continue
			}
			switch {
			case ev.Events&(unix.EPOLLIN|unix.EPOLLHUP|unix.EPOLLERR) != 0 && !c.closing:
				l.readable(c) // replies go out in flushReady
			case c.pendOut:
				l.writeReplies(c)
			default:
				l.watchFor(c) // closing: stop reporting input
			}
		}
		l.flushReady()
		select {
		case <-l.srv.done:
			// Only between rounds: a handed-off connection must not
			// still be in ready.
			l.dropAll()
			return
		default:
		}
		if now := time.Now(); n == 0 || now.Sub(l.lastTick) >= tickEvery {
			l.lastTick = now
			l.tick(now)
		}
	}
}

// drainWake empties the eventfd and registers adopted connections.
func (l *eventLoop) drainWake() {
	var b [8]byte
	unix.Read(l.wakefd, b[:])
	l.mu.Lock()
	in := l.inbox
	l.inbox = nil
	l.mu.Unlock()
	for _, c := range in {
		if err := unix.EpollCtl(l.epfd, unix.EPOLL_CTL_ADD, c.fd, &unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(c.fd)}); err != nil {
			l.srv.log.Warn("event loop: cannot watch a connection; serving it from a goroutine", "err", err)
			l.handOff(c)
			continue
		}
		l.conns[c.fd] = c
	}
}

// readable reads what the socket holds (one read, as Redis does per
// event; level-triggered epoll reports the rest next round) and executes
// every complete request.
func (l *eventLoop) readable(c *conn) {
	if !c.makeRoom() {
		l.closeConn(c)
		return
	}
	n, err := rawRead(c.fd, c.buf[len(c.buf):cap(c.buf)])
	if n <= 0 {
		if n < 0 && (errors.Is(err, unix.EAGAIN) || errors.Is(err, unix.EINTR)) {
			return
		}
		l.closeConn(c) // end of file, reset, or shut down by CLIENT KILL
		return
	}
	c.buf = c.buf[:len(c.buf)+n]
	c.srv.engine.CountNet(int64(n), 0)
	if c.execBuffered() {
		c.closing = true
	}
	c.lastRead = c.ctx.Now // the batch's clock, read once by execBuffered
	if c.closing && c.pendOut {
		l.watchFor(c) // no more input: only the pending replies matter
	}
	l.ready = append(l.ready, c)
}

// flushReady commits the round's AOF records once for every connection
// (group commit), then writes the replies. With appendfsync always the
// fdatasync runs here, before any of the round's replies leave, as in
// Redis's event loop; the loop first stops counting as busy, so another
// loop's fdatasync may wait for this round's records and cover them too
// (aof.Log.Busy).
func (l *eventLoop) flushReady() {
	if len(l.ready) == 0 {
		l.endBusy()
		return
	}
	wrote := false
	for _, c := range l.ready {
		if c.ctx.Wrote {
			c.ctx.Wrote = false
			wrote = true
		}
	}
	l.endBusy()
	if wrote {
		l.srv.aof.Commit()
	}
	for i, c := range l.ready {
		l.ready[i] = nil
		l.writeReplies(c)
	}
	l.ready = l.ready[:0]
}

func (l *eventLoop) endBusy() {
	if l.busy {
		l.busy = false
		l.srv.loops.busy.Add(-1)
	}
}

// writeReplies sends what the connection owes its client. What the
// socket does not take now waits for EPOLLOUT; meanwhile the connection
// keeps reading and executing, as in Redis, so a client that writes a
// whole pipeline before reading any reply cannot deadlock with the
// server. The output limits bound what piles up (execBuffered checks the
// hard limit as replies are added, tick and this function the soft one).
func (l *eventLoop) writeReplies(c *conn) {
	out := c.ctx.Out[c.outSent:]
	if len(out) > 0 {
		if l.closedForSoftLimit(c) {
			return
		}
		n, err := sendAll(c.fd, out)
		if n > 0 {
			c.srv.engine.CountNet(0, int64(n))
		}
		if err != nil {
			l.closeConn(c)
			return
		}
		c.outSent += n
		if n < len(out) {
			if c.outSent > len(c.ctx.Out)/2 { // keep the sent prefix small
				rest := copy(c.ctx.Out, c.ctx.Out[c.outSent:])
				c.ctx.Out, c.outSent = c.ctx.Out[:rest], 0
			}
			c.sess.OutBuf.Store(int64(len(c.ctx.Out) - c.outSent))
			if !c.pendOut {
				c.pendOut = true
				l.watchFor(c)
			}
			return
		}
	}
	c.outSent = 0
	c.resetOut()
	c.softSince = time.Time{}
	if c.pendOut {
		c.pendOut = false
		c.sess.OutBuf.Store(0)
		l.watchFor(c)
	}
	switch {
	case c.closing:
		l.closeConn(c)
	case c.sess.Monitor != nil:
		l.handOff(c) // the feed is written from another goroutine
	}
}

// watchFor sets the events the loop waits for on c: input unless it is
// closing, and the socket's room while replies are pending.
func (l *eventLoop) watchFor(c *conn) {
	var ev uint32
	if !c.closing {
		ev |= unix.EPOLLIN
	}
	if c.pendOut {
		ev |= unix.EPOLLOUT
	}
	if err := unix.EpollCtl(l.epfd, unix.EPOLL_CTL_MOD, c.fd, &unix.EpollEvent{Events: ev, Fd: int32(c.fd)}); err != nil {
		l.srv.log.Warn("event loop: epoll_ctl failed; closing the connection", "err", err, "id", c.sess.ID)
		l.closeConn(c)
	}
}

// sendAll writes as much of b as the socket takes now. It returns the
// bytes written and an error only when the connection is broken. Plain
// write(2), cheaper than sendmsg: the Go runtime ignores the SIGPIPE of a
// write to a socket whose peer went away, and the write fails with EPIPE.
func sendAll(fd int, b []byte) (int, error) {
	done := 0
	for done < len(b) {
		n, err := rawWrite(fd, b[done:])
		if err != nil {
			if errors.Is(err, unix.EINTR) {
				continue
			}
			if errors.Is(err, unix.EAGAIN) {
				return done, nil
			}
			return done, err
		}
		done += n
	}
	return done, nil
}

// tick runs the periodic checks: soft output limits of connections whose
// replies wait for the socket, and idle timeouts.
func (l *eventLoop) tick(now time.Time) {
	timeout := l.srv.cfg.Timeout()
	nowMS := now.UnixMilli()
	for _, c := range l.conns {
		if c.pendOut && l.closedForSoftLimit(c) {
			continue
		}
		if timeout > 0 && nowMS-c.lastRead > timeout.Milliseconds() {
			c.srv.log.Debug("closing idle client", "id", c.sess.ID, "addr", c.sess.Addr)
			l.closeConn(c)
		}
	}
}

// closedForSoftLimit closes c, and reports so, when its unsent replies
// have stayed above the soft output limit past the grace period.
func (l *eventLoop) closedForSoftLimit(c *conn) bool {
	if !c.overSoftLimit(len(c.ctx.Out)-c.outSent) || !c.softExpired() {
		return false
	}
	c.dropForOutputLimit("soft")
	l.closeConn(c)
	return true
}

// closeConn ends a connection the loop serves.
func (l *eventLoop) closeConn(c *conn) {
	fd := l.forgetFD(c)
	if fd < 0 {
		return
	}
	unix.Close(fd)
	c.srv.engine.CloseSession(c.sess)
	c.srv.forget(c)
}

// forgetFD takes c out of the loop and returns its descriptor (now owned
// by the caller), or -1 if c had already left.
func (l *eventLoop) forgetFD(c *conn) int {
	c.killMu.Lock()
	fd := c.fd
	c.fd = -1
	c.killMu.Unlock()
	if fd < 0 {
		return -1
	}
	unix.EpollCtl(l.epfd, unix.EPOLL_CTL_DEL, fd, nil)
	delete(l.conns, fd)
	return fd
}

// dropAll hands every connection to a goroutine (shutdown): each then
// writes what it still owes its client, lingers and closes as a
// goroutine-mode connection does.
func (l *eventLoop) dropAll() {
	for _, c := range l.conns {
		l.handOff(c)
	}
}

// handOff moves c to goroutine mode: its socket becomes a net.Conn in
// Go's poller again and a goroutine of its own takes over, first writing
// any replies still pending.
func (l *eventLoop) handOff(c *conn) {
	// c.fd stays set (CLIENT KILL may still shut it down) until leaveLoop
	// swaps it for the net.Conn; only the loop and leaveLoop write it.
	unix.EpollCtl(l.epfd, unix.EPOLL_CTL_DEL, c.fd, nil)
	delete(l.conns, c.fd)
	go c.leaveLoop()
}

// exit releases the loop's descriptors. wake checks stopped under mu, so
// it never writes to a closed (and maybe reused) descriptor.
func (l *eventLoop) exit() {
	l.mu.Lock()
	l.stopped = true
	in := l.inbox
	l.inbox = nil
	unix.Close(l.epfd)
	unix.Close(l.wakefd)
	l.mu.Unlock()
	for _, c := range in {
		go c.leaveLoop()
	}
}

// leaveLoop turns the connection's socket into a net.Conn and serves the
// connection from this goroutine to its end.
func (c *conn) leaveLoop() {
	c.killMu.Lock()
	fd := c.fd
	c.killMu.Unlock()
	f := os.NewFile(uintptr(fd), "client")
	nc, err := net.FileConn(f) // a duplicate of fd, in Go's poller
	// Swap descriptor for net.Conn in one step, so CLIENT KILL meanwhile
	// either shuts the (shared) socket down or closes nc; only then close
	// the loop's descriptor.
	c.killMu.Lock()
	c.fd, c.nc, c.loop = -1, nc, nil
	c.killMu.Unlock()
	f.Close()
	if err != nil {
		c.srv.log.Warn("cannot hand a connection to a goroutine; closing it", "err", err, "id", c.sess.ID)
		c.srv.engine.CloseSession(c.sess)
		c.srv.forget(c)
		return
	}
	if c.srv.isClosing() {
		c.interrupt()
	}
	// The goroutine writes ctx.Out whole: drop what the loop already sent.
	rest := copy(c.ctx.Out, c.ctx.Out[c.outSent:])
	c.ctx.Out, c.outSent, c.pendOut = c.ctx.Out[:rest], 0, false
	c.sess.OutBuf.Store(0)
	c.serveGoroutine()
}
