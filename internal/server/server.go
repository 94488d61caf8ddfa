package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"cairn/internal/aof"
	"cairn/internal/command"
	"cairn/internal/config"
	"cairn/internal/store"
)

// Version is Cairn's own version, reported beside the Redis version.
const Version = "0.1.0"

// Server is a running cairn-server.
type Server struct {
	cfg    *config.Config
	log    *slog.Logger
	store  *store.Store
	engine *command.Engine

	listeners []net.Listener // plain TCP, and *tlsListener for tls-port
	port      atomic.Int64

	tlsConf    atomic.Pointer[tls.Config] // nil unless tls-port is set (tls.go)
	handshakes atomic.Int64               // TLS handshakes in flight

	mu       sync.Mutex
	conns    map[*conn]struct{}
	closing  bool
	done     chan struct{} // closed when shutdown starts
	finished chan struct{} // closed when Run has returned everything
	connWG   sync.WaitGroup
	loading  atomic.Bool
	exitErr  error
	aof      *aof.Log   // the append-only file (persistence.go)
	snap     snapshots  // RDB snapshots (snapshot.go)
	cutMu    sync.Mutex // one store cut at a time: a rewrite or a snapshot
	loops    loopSet    // event loops serving plain TCP connections (eventloop_linux.go)
}

// New prepares a server from cfg: it creates the data directory and the
// keyspace but does not listen yet.
func New(cfg *config.Config, log *slog.Logger) (*Server, error) {
	if err := os.MkdirAll(cfg.Dir(), 0o755); err != nil {
		return nil, fmt.Errorf("server: create dir %q: %w", cfg.Dir(), err)
	}
	st := store.New(cfg.Databases())
	st.SetClockStart(time.Now().UnixMilli())
	s := &Server{
		cfg:      cfg,
		log:      log,
		store:    st,
		conns:    make(map[*conn]struct{}),
		done:     make(chan struct{}),
		finished: make(chan struct{}),
	}
	s.engine = command.NewEngine(st, cfg)
	if err := s.engine.RenameError(); err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	if err := s.engine.ACLError(); err != nil {
		// Redis refuses to start rather than run with users it could not
		// load.
		return nil, fmt.Errorf("server: users: %w", err)
	}
	s.engine.Host = s
	s.initPersistence()
	s.initSnapshots()
	return s, nil
}

// Engine returns the command engine (for persistence wiring and tests).
func (s *Server) Engine() *command.Engine { return s.engine }

// Listen binds every configured address on the configured port, and on
// tls-port when it is set (after loading the TLS configuration). With
// port 0 and a tls-port the server speaks TLS only, as Redis; with port 0
// and no tls-port, the first bind picks a free port and the others reuse
// it (Cairn's choice for tests: Redis would refuse to start).
func (s *Server) Listen() error {
	port, tlsPort := s.cfg.Port(), s.cfg.TLSPort()
	if tlsPort != 0 {
		if err := s.configureTLS(); err != nil {
			return err
		}
	}
	plain := port != 0 || tlsPort == 0
	for _, addr := range s.cfg.Bind() {
		a := addr
		optional := len(a) > 0 && a[0] == '-' // "-::1": optional address in Redis
		if optional {
			a = a[1:]
		}
		if plain {
			ln, err := net.Listen("tcp", net.JoinHostPort(a, strconv.Itoa(port)))
			if err != nil {
				if optional {
					continue
				}
				s.closeListeners()
				return fmt.Errorf("server: listen on %s port %d: %w", a, port, err)
			}
			if port == 0 {
				port = ln.Addr().(*net.TCPAddr).Port
			}
			s.listeners = append(s.listeners, ln)
		}
		if tlsPort != 0 {
			ln, err := net.Listen("tcp", net.JoinHostPort(a, strconv.Itoa(tlsPort)))
			if err != nil {
				if optional {
					continue
				}
				s.closeListeners()
				return fmt.Errorf("server: listen on %s tls-port %d: %w", a, tlsPort, err)
			}
			s.listeners = append(s.listeners, &tlsListener{ln})
		}
	}
	if len(s.listeners) == 0 {
		return errors.New("server: no address to listen on")
	}
	if !plain {
		port = tlsPort // INFO's tcp_port on a TLS-only server, as Redis
	}
	s.port.Store(int64(port))
	s.startPersistence() // loads in the background (loading:1)
	return nil
}

func (s *Server) closeListeners() {
	for _, ln := range s.listeners {
		ln.Close()
	}
}

// Port returns the plain TCP port the server listens on, or its tls-port
// when it speaks TLS only (what Redis reports as INFO's tcp_port).
func (s *Server) Port() int { return int(s.port.Load()) }

// Loading reports whether the data set is still being loaded.
func (s *Server) Loading() bool { return s.loading.Load() }

// Serve accepts connections until Shutdown and then waits for every
// connection to finish. It returns the error that stopped the server, if
// any.
func (s *Server) Serve() error {
	for _, ln := range s.listeners {
		go s.acceptLoop(ln)
	}
	go s.cron()
	<-s.done
	s.closeListeners()
	s.mu.Lock()
	for c := range s.conns {
		c.interrupt()
	}
	s.mu.Unlock()
	s.connWG.Wait()
	s.finalSave()
	s.closePersistence()
	close(s.finished)
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.exitErr
}

// Shutdown starts a graceful stop; Serve returns once it is complete.
// It implements command.Host for SHUTDOWN.
func (s *Server) Shutdown(opts command.ShutdownOptions) error {
	if opts.Abort {
		return command.ReplyError("ERR No shutdown in progress.")
	}
	s.log.Warn("user requested shutdown")
	if err := s.shutdownSave(opts.Save, opts.NoSave); err != nil {
		if !opts.Force {
			s.log.Warn("error trying to save the DB, can't exit", "err", err)
			return command.ReplyError("ERR Errors trying to SHUTDOWN. Check logs.")
		}
		s.log.Warn("error trying to save the DB; exiting anyway (FORCE)", "err", err)
	}
	s.beginShutdown()
	return nil
}

func (s *Server) beginShutdown() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closing {
		s.closing = true
		close(s.done)
	}
}

// Stop is Shutdown for signals.
func (s *Server) Stop(reason string) {
	s.log.Warn("received signal, shutting down", "signal", reason)
	if !s.Loading() {
		if err := s.shutdownSave(false, false); err != nil {
			// As Redis: better to keep running than to lose the changes.
			s.log.Error("error trying to save the DB, can't exit", "err", err)
			return
		}
	}
	s.beginShutdown()
}

func (s *Server) acceptLoop(ln net.Listener) {
	_, isTLS := ln.(*tlsListener)
	// Closing the listener at shutdown returns from here, and cancelling
	// ctx then aborts the handshakes still in flight.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for {
		nc, err := ln.Accept()
		if err != nil {
			select {
			case <-s.done:
				return
			default:
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(5 * time.Millisecond)
				continue
			}
			if errors.Is(err, net.ErrClosed) {
				return
			}
			s.log.Warn("accept failed", "err", err)
			time.Sleep(5 * time.Millisecond)
			continue
		}
		if isTLS {
			s.handshakeTLS(ctx, nc)
			continue
		}
		s.admit(nc)
	}
}

// admit registers a new connection or turns it away, with Redis's error
// text and in Redis's order: first when maxclients is reached, then when
// protected mode refuses the client (protected.go). A TLS connection comes
// here after its handshake.
func (s *Server) admit(nc net.Conn) {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		nc.Close()
		return
	}
	if len(s.conns) >= s.cfg.MaxClients() {
		s.mu.Unlock()
		s.engine.ConnectionRejected()
		nc.Write([]byte("-ERR max number of clients reached\r\n"))
		nc.Close()
		return
	}
	if protectedModeDenies(s.cfg.ProtectedMode(), s.defaultUserHasPassword(), nc.RemoteAddr()) {
		s.mu.Unlock()
		s.engine.ConnectionRejected()
		// A fresh socket takes this one reply without blocking; the
		// deadline only guards a TLS peer that stops reading.
		nc.SetWriteDeadline(time.Now().Add(time.Second))
		nc.Write([]byte(deniedReply))
		nc.Close()
		return
	}
	c := newConn(s, nc)
	s.conns[c] = struct{}{}
	s.connWG.Add(1)
	s.mu.Unlock()
	go c.serve()
}

func (s *Server) forget(c *conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	s.connWG.Done()
}

// cron runs the periodic jobs at the configured hz: active expiry and the
// engine's statistics sampling.
func (s *Server) cron() {
	hz := max(s.cfg.Hz(), 1)
	t := time.NewTicker(time.Second / time.Duration(hz))
	defer t.Stop()
	for {
		select {
		case <-s.done:
			return
		case now := <-t.C:
			if !s.loading.Load() { // replay must see keys as they were
				s.store.ActiveExpire(now.UnixMilli(), 64)
			}
			s.engine.Cron(now)
			if h := max(s.cfg.Hz(), 1); h != hz {
				hz = h
				t.Reset(time.Second / time.Duration(hz))
			}
		}
	}
}
