package command

import (
	"sync"
	"sync/atomic"

	"cairn/internal/acl"
)

// Reply modes set by CLIENT REPLY.
const (
	ReplyOn = iota
	ReplyOff
	ReplySkipNext
	replySkipThis // the SKIP command itself still gets no reply
)

// Session is one client connection's state as commands see it. Fields
// without a comment are owned by the connection's goroutine; the ones that
// CLIENT LIST and CLIENT KILL read from other goroutines are guarded by mu
// or are atomics.
type Session struct {
	ID        int64
	DB        int
	Proto     int // 2 or 3
	Authed    bool
	ReplyMode int
	// CloseAfterReply asks the server to flush the replies and close
	// (QUIT, protocol errors, CLIENT KILL of oneself).
	CloseAfterReply bool

	Addr, LAddr string
	FD          int
	Created     int64        // Unix ms
	LastActive  atomic.Int64 // Unix ms of the last command
	lastCmd     atomic.Pointer[Command]
	QueryBuf    atomic.Int64 // bytes buffered but not yet executed
	OutBuf      atomic.Int64 // bytes of replies not yet written
	Monitor     *Monitor     // set once the session runs MONITOR
	// acct is the ACL user the session runs as. The connection's goroutine
	// stores it (AUTH, HELLO, RESET); ACL DELUSER and LOAD read it from
	// other goroutines to find the clients to close. nil means no limits
	// (internal sessions).
	acct atomic.Pointer[acl.User]

	mu       sync.Mutex
	name     string
	user     string // acct's name, for CLIENT LIST
	libName  string
	libVer   string
	noEvict  bool
	watching bool // runs MONITOR (Monitor itself is owned by the connection)
	pubDB    int  // DB as seen by CLIENT LIST
	pubProto int

	// Kill closes the connection from another goroutine (CLIENT KILL).
	Kill func()
}

// Name returns the name set by CLIENT SETNAME / HELLO SETNAME.
func (s *Session) Name() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.name
}

func (s *Session) setName(n string) {
	s.mu.Lock()
	s.name = n
	s.mu.Unlock()
}

// SelectDB switches the session's database.
func (s *Session) SelectDB(i int) {
	s.DB = i
	s.mu.Lock()
	s.pubDB = i
	s.mu.Unlock()
}

func (s *Session) setProto(p int) {
	s.Proto = p
	s.mu.Lock()
	s.pubProto = p
	s.mu.Unlock()
}

// NewSession registers a new client session and returns it.
func (e *Engine) NewSession(addr, laddr string, fd int, now int64, kill func()) *Session {
	s := &Session{
		ID:      e.nextID.Add(1),
		Proto:   2,
		Addr:    addr,
		LAddr:   laddr,
		FD:      fd,
		Created: now,
		Kill:    kill,
		user:    "default",
	}
	s.pubProto = 2
	def := e.acl.reg.Default()
	s.acct.Store(def)
	s.Authed = authFree(def)
	s.LastActive.Store(now)
	e.clientsMu.Lock()
	e.clients[s.ID] = s
	e.clientsMu.Unlock()
	e.stats.connections.Add(1)
	return s
}

// authFree reports whether connections are authenticated as u without
// AUTH: u is on and needs no password.
func authFree(u *acl.User) bool {
	r := u.Rules()
	return r.Enabled() && r.NoPass()
}

// CloseSession unregisters a session when its connection ends.
func (e *Engine) CloseSession(s *Session) {
	e.Unregister(s)
	if s.Monitor != nil {
		e.removeMonitor(s.Monitor)
		s.Monitor.close()
	}
}

// Clients returns the number of connected clients.
func (e *Engine) Clients() int {
	e.clientsMu.Lock()
	defer e.clientsMu.Unlock()
	return len(e.clients)
}

// sessions returns a snapshot of the registered sessions ordered by ID.
func (e *Engine) sessions() []*Session {
	e.clientsMu.Lock()
	out := make([]*Session, 0, len(e.clients))
	for _, s := range e.clients {
		out = append(out, s)
	}
	e.clientsMu.Unlock()
	sortSessions(out)
	return out
}
