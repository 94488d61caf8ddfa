package command

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"cairn/internal/config"
	"cairn/internal/store"
)

// Engine is what every connection's commands share: the keyspace, the
// configuration, the command table, the client registry and the server
// figures INFO reports.
type Engine struct {
	Store   *store.Store
	Config  *config.Config
	Journal Journal // nil when persistence is off
	Host    Host

	Started time.Time
	RunID   string
	// monoBase is the origin of monoNow; it carries a monotonic reading,
	// so time.Since(monoBase) costs one monotonic clock read where
	// time.Now reads two clocks.
	monoBase time.Time

	table     map[string]*Command
	renamed   *renames // rename-command's leftovers; nil without any (rename.go)
	renameErr error
	stats     stats

	clientsMu   sync.Mutex
	clients     map[int64]*Session
	nextID      atomic.Int64
	monitors    atomic.Int32 // len(monitorList), read without a lock
	monitorList []*Monitor

	slowlog slowlog

	// Hooks the persistence code installs before serving; nil while it
	// has none (cmd_info.go, cmd_server.go).
	AOFStatus  func() AOFStatus       // INFO persistence's aof_* fields
	RewriteAOF func() (string, error) // BGREWRITEAOF: status text or error text
	LastSave   func() int64           // LASTSAVE, rdb_last_save_time (Unix s)
	Save       func() error           // SAVE: write the snapshot now
	BGSave     func(schedule bool) (string, error)
	RDBStatus  func() RDBStatus // INFO persistence's rdb_* fields
	// WriteDenied returns the error write commands (and PING) are refused
	// with while the AOF cannot be written ("MISCONF ..."), or "".
	WriteDenied func() string

	// infoCmd and resetStatCmd read or reset the figures, so a
	// connection's pending counts are added before they run (stats.go).
	infoCmd, resetStatCmd *Command

	figures serverFigures  // sampled INFO figures (cron.go)
	memory  memoryState    // maxmemory and eviction (maxmemory.go)
	latency latencyMonitor // LATENCY events (latency.go)
	acl     *aclState      // users and permissions (acl_check.go)
}

// Host is what the server provides to commands that reach beyond the
// keyspace: shutting down, and the figures only the server knows.
type Host interface {
	// Shutdown stops the server. It returns an error text for SHUTDOWN to
	// reply with when it refuses.
	Shutdown(opts ShutdownOptions) error
	// Port returns the TCP port actually listened on.
	Port() int
	// Loading reports whether the server is still loading its data.
	Loading() bool
}

// ShutdownOptions are SHUTDOWN's modifiers.
type ShutdownOptions struct {
	NoSave, Save, Now, Force, Abort bool
}

// NewEngine builds an engine over st and cfg.
func NewEngine(st *store.Store, cfg *config.Config) *Engine {
	e := &Engine{
		Store:   st,
		Config:  cfg,
		Started: time.Now(),
		clients: make(map[int64]*Session),
		table:   buildTable(),
	}
	e.monoBase = e.Started
	e.infoCmd = e.table["info"]
	if cfg := e.table["config"]; cfg != nil {
		e.resetStatCmd = cfg.Subs["resetstat"]
	}
	e.renamed, e.renameErr = applyRenames(e.table, cfg.RenameCommands())
	e.RunID = newRunID()
	e.acl = newACLState(e)
	e.mem() // maxmemory, policy and LFU settings, now and on CONFIG SET
	e.slowlog.init()
	return e
}

// monoNow returns monotonic nanoseconds since the engine was built.
func (e *Engine) monoNow() int64 { return int64(time.Since(e.monoBase)) }

func (e *Engine) clockMicros() int64 { return time.Now().UnixMicro() }

// Lookup returns the command named name (any case), or nil.
func (e *Engine) Lookup(name string) *Command {
	var buf [maxNameLen]byte
	if len(name) > maxNameLen {
		return nil
	}
	return e.table[string(lowerInto(buf[:], name))]
}

// lowerInto lower-cases s into buf (which must be long enough).
func lowerInto[T []byte | string](buf []byte, s T) []byte {
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if 'A' <= ch && ch <= 'Z' {
			ch += 'a' - 'A'
		}
		buf[i] = ch
	}
	return buf[:len(s)]
}

// Replay runs one command read back from the append-only file: lookup and
// arity check, then the handler, with no statistics, MONITOR feed,
// slowlog or ACL involved. It returns an error for a command that cannot
// run; errors the handler itself replies with are ignored, as Redis does
// when it loads.
func (e *Engine) Replay(c *Ctx) error {
	c.failed = false
	name := c.Args[0]
	var cmd *Command
	if len(name) <= maxNameLen {
		cmd = e.replayLookup(lowerInto(c.lower[:], name))
	}
	if cmd != nil && cmd.Subs != nil && len(c.Args) > 1 && len(c.Args[1]) <= maxNameLen {
		cmd = cmd.Subs[string(lowerInto(c.lower[:], c.Args[1]))]
	}
	if cmd == nil || cmd.Handler == nil {
		return fmt.Errorf("unknown command '%s'", truncate(cstring(name), 128))
	}
	if (cmd.Arity > 0 && len(c.Args) != cmd.Arity) || len(c.Args) < -cmd.Arity {
		return fmt.Errorf("wrong number of arguments for '%s'", cmd.FullName)
	}
	c.cmd = cmd
	cmd.Handler(c)
	c.flushStats() // keyspace hits and misses while loading
	c.Out = c.Out[:0]
	return nil
}
