package aof

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Policy is the appendfsync setting.
type Policy int32

const (
	EverySec Policy = iota
	Always
	No
)

// ParsePolicy maps appendfsync's value to a Policy.
func ParsePolicy(s string) Policy {
	switch strings.ToLower(s) {
	case "always":
		return Always
	case "no":
		return No
	}
	return EverySec
}

// stallLimit is how long an everysec fsync may run before writers stop
// adding unsynced data and wait for it (Redis's 2 s rule).
const stallLimit = 2 * time.Second

// Log is the append-only file as the server writes it: the journal that
// commands append their effects to, the writer that moves them into the
// current incremental file, the fsync policy and the rewrite.
//
// Lock order: (store shard locks) -> ioMu -> mu. mu is held only to
// append to or swap the buffer; ioMu serialises write(2) and file
// switches. Only the syncer goroutine fsyncs and closes retired files.
type Log struct {
	dir    string // the AOF directory
	prefix string // appendfilename
	log    *slog.Logger
	policy atomic.Int32
	stamps atomic.Bool // aof-timestamp-enabled

	// Busy, when set, reports whether other committers are in the middle
	// of work that will append records and commit them: an always round
	// then waits briefly for them, so one fdatasync covers everybody's
	// records instead of each taking its turn with a part of the batch.
	Busy func() bool

	// Fatal ends the process after an unrecoverable error (fsync failure
	// under always). Tests replace it.
	Fatal func(msg string, err error)

	mu sync.Mutex
	on bool
	// enabled mirrors on for Append's lock-free fast path when logging is
	// off. It turns true only while no command can log: inside a store cut
	// (every shard locked; Append runs under a shard lock) or after loading
	// and before commands are accepted. on, checked again under mu, still
	// decides.
	enabled atomic.Bool
	buf     []byte // records not yet handed to write(2)
	spare   []byte
	curDB   int // database of the last record in the current file; -1: none
	lastTS  int64
	seq     atomic.Uint64 // records appended (written under mu)

	ioMu     sync.Mutex
	file     *os.File // the incremental file being appended to
	fileSize int64    // its size
	others   int64    // sizes of the base and the earlier incremental files
	baseSize int64
	retired  []*os.File // switched away from; the syncer fsyncs and closes them
	written  atomic.Uint64
	writeErr atomic.Pointer[errBox] // last write error, nil when writes work
	syncErr  atomic.Pointer[errBox] // an everysec fsync failed: writes refused
	curSize  atomic.Int64           // others + fileSize, for INFO without ioMu

	durable   atomic.Uint64
	syncStart atomic.Int64 // UnixNano when the running fsync began; 0 none
	delayed   atomic.Int64 // aof_delayed_fsync
	// syncMu serialises fsync rounds: the syncer's and those connections
	// run themselves under appendfsync always (syncFor). Retired files
	// are closed only inside a round, so a round never fsyncs a closed
	// descriptor.
	syncMu  sync.Mutex
	kick    chan struct{}
	stop    chan struct{}
	stopped chan struct{}

	// Manifest and rewrite state, guarded by rwMu (one rewrite at a time).
	rwMu     sync.Mutex
	manifest *Manifest
	rw       rewriteState
}

type errBox struct{ err error }

// New returns a Log for the AOF directory dir whose files are named after
// prefix (appendfilename). It is off until Open or Enable.
func New(dir, prefix string, policy Policy, log *slog.Logger) *Log {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	l := &Log{dir: dir, prefix: prefix, log: log, curDB: -1, kick: make(chan struct{}, 1)}
	l.policy.Store(int32(policy))
	l.Fatal = func(msg string, err error) {
		log.Error(msg, "err", err)
		os.Exit(1)
	}
	l.rw.init()
	return l
}

// SetPolicy changes appendfsync at run time.
func (l *Log) SetPolicy(p Policy) {
	l.policy.Store(int32(p))
	l.kickSyncer()
}

// PolicyNow returns the current policy.
func (l *Log) PolicyNow() Policy { return Policy(l.policy.Load()) }

// SetTimestamps turns #TS annotations on or off.
func (l *Log) SetTimestamps(on bool) { l.stamps.Store(on) }

// On reports whether records are being logged.
func (l *Log) On() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.on
}

// Dir is the AOF directory.
func (l *Log) Dir() string { return l.dir }

// Append records one command against database db. It copies args at
// once: they may alias a client's buffer or an entry's storage. It
// implements command.Journal.
func (l *Log) Append(db int, args ...[]byte) {
	if !l.enabled.Load() {
		return
	}
	l.mu.Lock()
	if !l.on {
		l.mu.Unlock()
		return
	}
	if l.stamps.Load() {
		if now := time.Now().Unix(); now != l.lastTS {
			l.lastTS = now
			l.buf = appendTimestamp(l.buf, now)
		}
	}
	if db != l.curDB {
		l.buf = AppendSelect(l.buf, db)
		l.curDB = db
	}
	l.buf = AppendRecord(l.buf, args...)
	l.seq.Add(1)
	l.mu.Unlock()
}

// Commit is called by a connection after a batch of commands that logged
// something, before their replies are written: everything appended so far
// is handed to write(2), and with appendfsync always the call returns only
// once an fdatasync covers it. One fdatasync serves every connection
// waiting at that moment (group commit).
func (l *Log) Commit() {
	target := l.seq.Load()
	if l.written.Load() < target {
		l.writeUpTo(target)
	}
	if Policy(l.policy.Load()) == Always && l.durable.Load() < target && l.writeErr.Load() == nil {
		l.syncFor(target)
	}
}

// writeUpTo writes the buffered records unless another goroutine already
// wrote past target while this one waited for ioMu.
func (l *Log) writeUpTo(target uint64) {
	l.ioMu.Lock()
	defer l.ioMu.Unlock()
	if l.written.Load() >= target && l.writeErr.Load() == nil {
		return
	}
	l.writeLocked()
}

// writeLocked moves the buffer into the current file. ioMu must be held.
func (l *Log) writeLocked() {
	if l.file == nil {
		return
	}
	if Policy(l.policy.Load()) == EverySec {
		if st := l.syncStart.Load(); st != 0 && time.Since(time.Unix(0, st)) > stallLimit {
			// The disk is not keeping up: wait for the fsync instead of
			// piling more unsynced data on top of it.
			l.delayed.Add(1)
			for l.syncStart.Load() != 0 {
				time.Sleep(time.Millisecond)
			}
		}
	}
	l.mu.Lock()
	out := l.buf
	seq := l.seq.Load()
	l.buf = l.spare[:0]
	l.spare = nil
	l.mu.Unlock()
	if len(out) == 0 {
		l.written.Store(seq)
		l.mu.Lock()
		l.spare = out
		l.mu.Unlock()
		return
	}
	n, err := writeFile(l.file, out)
	if err != nil {
		l.writeFailed(out, n, err)
		return
	}
	l.fileSize += int64(n)
	l.curSize.Store(l.others + l.fileSize)
	l.written.Store(seq)
	if l.writeErr.Load() != nil {
		l.log.Warn("AOF write error looks solved: writes to the AOF work again")
		l.writeErr.Store(nil)
	}
	l.mu.Lock()
	if cap(out) <= 4<<20 {
		l.spare = out[:0]
	}
	l.mu.Unlock()
}

// writeFailed handles a failed or short write: the partial record is cut
// off the file so it stays loadable, the data goes back to the front of
// the buffer to be retried, and write commands are refused meanwhile.
func (l *Log) writeFailed(out []byte, n int, err error) {
	if err == nil {
		err = errors.New("short write")
	}
	if Policy(l.policy.Load()) == Always {
		// The reply cannot wait for a retry that may never succeed, and it
		// must not go out unlogged.
		l.Fatal("aof: cannot write to the AOF file with appendfsync always; exiting", err)
		return
	}
	if n > 0 {
		if terr := l.file.Truncate(l.fileSize); terr != nil {
			// Could not cut it off: keep the bytes that made it and send
			// only the rest next time, so the record completes.
			l.log.Warn("aof: could not truncate a partial write", "err", terr)
			l.fileSize += int64(n)
			out = out[n:]
		}
	}
	if l.writeErr.Load() == nil {
		l.log.Warn("aof: error writing to the AOF file; write commands are refused until it works", "err", err)
	}
	l.writeErr.Store(&errBox{err})
	l.mu.Lock()
	l.buf = append(append([]byte(nil), out...), l.buf...)
	l.mu.Unlock()
}

// WriteError returns the text write commands are refused with (-MISCONF
// ...), or "" when writes are fine.
func (l *Log) WriteError() string {
	b := l.writeErr.Load()
	if b == nil {
		b = l.syncErr.Load()
		if b == nil {
			return ""
		}
	}
	return "MISCONF Errors writing to the AOF file: " + strerror(b.err)
}

// strerror renders an error the way C's strerror does for errno values
// (Redis puts that text in the MISCONF reply).
func strerror(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		s := errno.Error()
		switch errno {
		case syscall.EIO:
			return "Input/output error"
		}
		if s != "" {
			return strings.ToUpper(s[:1]) + s[1:]
		}
	}
	return err.Error()
}

// syncFor returns once an fdatasync covers record seq (appendfsync
// always). The first caller runs the fdatasync itself rather than waking
// the syncer goroutine and sleeping until it is done, which costs two
// thread hand-offs per commit; callers that queue behind it meanwhile
// find their records covered by its round and return at once (group
// commit).
func (l *Log) syncFor(seq uint64) {
	l.syncMu.Lock()
	if l.durable.Load() < seq {
		l.gather()
		if t := l.seq.Load(); l.written.Load() < t {
			l.writeUpTo(t) // what the others appended meanwhile joins the round
		}
		l.syncRound(false)
	}
	l.syncMu.Unlock()
}

func (l *Log) kickSyncer() {
	select {
	case l.kick <- struct{}{}:
	default:
	}
}

// syncer fsyncs: on demand for always (group commit), each second for
// everysec, never for no. Each second it also writes what nobody wrote
// yet (DELs of expired keys) and retries a failed write.
func (l *Log) syncer() {
	defer close(l.stopped)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		timed := false
		select {
		case <-l.stop:
			return
		case <-l.kick:
		case <-tick.C:
			timed = true
		}
		if timed || l.writeErr.Load() != nil {
			if t := l.seq.Load(); l.written.Load() < t || l.writeErr.Load() != nil {
				l.writeUpTo(t)
			}
		}
		l.syncMu.Lock()
		l.syncRound(timed)
		l.syncMu.Unlock()
	}
}

// gatherWait bounds how long an always round waits for busy producers.
const gatherWait = 200 * time.Microsecond

// gather delays an always round while other committers are busy (see
// Busy). It sleeps rather than spins: on a small machine the committers
// it waits for need the CPU.
func (l *Log) gather() {
	if l.Busy == nil {
		return
	}
	for deadline := time.Now().Add(gatherWait); l.Busy() && time.Now().Before(deadline); {
		time.Sleep(10 * time.Microsecond)
	}
}

// syncRound runs one fsync round if the policy calls for it. syncMu must
// be held.
func (l *Log) syncRound(timed bool) {
	p := Policy(l.policy.Load())
	l.ioMu.Lock()
	f, retired, w := l.file, l.retired, l.written.Load()
	l.retired = nil
	l.ioMu.Unlock()
	if p == No || (p == EverySec && !timed && len(retired) == 0) {
		for _, r := range retired {
			r.Close()
		}
		if p == No {
			l.markDurable(w)
		}
		return
	}
	if w <= l.durable.Load() && len(retired) == 0 {
		l.markDurable(w)
		return
	}
	l.syncStart.Store(time.Now().UnixNano())
	var err error
	for _, r := range retired {
		if e := fdatasync(r); e != nil && err == nil {
			err = e
		}
		r.Close()
	}
	if err == nil && f != nil {
		err = fdatasync(f)
	}
	if err == nil {
		err = failpoint("fsync")
	}
	l.syncStart.Store(0)
	if err != nil {
		if p == Always {
			l.Fatal("aof: fsync of the AOF failed with appendfsync always; exiting rather than acknowledging writes that may be lost", err)
			return
		}
		// Never retry a failed fsync: the kernel may have dropped the
		// dirty pages, so a later success proves nothing. Refuse writes
		// until a rewrite has put the whole data set into new files.
		l.log.Error("aof: fsync failed; write commands are refused until an AOF rewrite succeeds", "err", err)
		l.syncErr.Store(&errBox{err})
		l.rw.requestAuto()
		return
	}
	l.markDurable(w)
}

func (l *Log) markDurable(w uint64) {
	if w > l.durable.Load() {
		l.durable.Store(w)
	}
}

// openIncr opens (creating if needed) an incremental file for appending.
func (l *Log) openIncr(name string) (*os.File, int64, error) {
	path := filepath.Join(l.dir, name)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, 0, fmt.Errorf("aof: open %s: %w", path, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("aof: stat %s: %w", path, err)
	}
	return f, st.Size(), nil
}

// Start switches logging on after loading: it appends to the manifest's
// last incremental file (creating the AOF when the directory has none)
// and starts the syncer.
func (l *Log) Start(res *LoadResult) error {
	if err := os.MkdirAll(l.dir, 0o755); err != nil {
		return fmt.Errorf("aof: create %s: %w", l.dir, err)
	}
	removeTemps(l.dir)
	m := res.Manifest
	if m == nil {
		// A fresh AOF, as redis-server lays it out: an empty base and an
		// empty first incremental file.
		m = &Manifest{Base: &FileInfo{Name: BaseName(l.prefix, 1), Seq: 1, Type: TypeBase}}
		bf, err := os.OpenFile(filepath.Join(l.dir, m.Base.Name), os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
		if err != nil {
			return fmt.Errorf("aof: create base: %w", err)
		}
		err = fdatasync(bf)
		bf.Close()
		if err != nil {
			return fmt.Errorf("aof: fsync base: %w", err)
		}
	}
	if m.LastIncr() == nil {
		m = m.Clone()
		m.Incrs = append(m.Incrs, FileInfo{Name: IncrName(l.prefix, m.NextIncrSeq()), Seq: m.NextIncrSeq(), Type: TypeIncr})
	}
	f, size, err := l.openIncr(m.LastIncr().Name)
	if err != nil {
		return err
	}
	if err := syncDir(l.dir); err != nil {
		f.Close()
		return err
	}
	if res.Manifest == nil || res.Manifest.LastIncr() == nil || len(res.Manifest.History) > 0 {
		m.History = l.deleteHistory(m.History)
		if err := WriteManifest(l.dir, l.prefix, m); err != nil {
			f.Close()
			return err
		}
	}
	l.rwMu.Lock()
	l.manifest = m
	l.rwMu.Unlock()
	l.ioMu.Lock()
	l.file, l.fileSize = f, size
	l.others = res.TotalSize - size
	if l.others < 0 {
		l.others = 0
	}
	l.baseSize = max(res.BaseSize, res.TotalSize) // the size to grow from
	l.curSize.Store(l.others + l.fileSize)
	l.ioMu.Unlock()
	// The syncer's channels exist before on turns true under mu: Close,
	// which sees on under mu, then closes stop.
	l.stop, l.stopped = make(chan struct{}), make(chan struct{})
	l.mu.Lock()
	l.on, l.curDB = true, -1
	l.enabled.Store(true) // commands are still refused while loading
	l.mu.Unlock()
	go l.syncer()
	return nil
}

// deleteHistory removes files a finished rewrite left as history and
// returns what could not be removed.
func (l *Log) deleteHistory(h []FileInfo) []FileInfo {
	var left []FileInfo
	for _, f := range h {
		if err := os.Remove(filepath.Join(l.dir, f.Name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			left = append(left, f)
			continue
		}
		l.log.Info("removed AOF history file", "file", f.Name)
	}
	if len(h) > 0 {
		syncDir(l.dir)
	}
	return left
}

// removeTemps deletes leftovers of rewrites that crashed.
func removeTemps(dir string) {
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), "temp-") {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// Close writes and fsyncs everything and closes the files (graceful
// shutdown, or appendonly switched off). Logging stops.
func (l *Log) Close() error {
	l.mu.Lock()
	wasOn := l.on
	l.on = false
	l.enabled.Store(false)
	l.mu.Unlock()
	if !wasOn {
		return nil
	}
	close(l.stop)
	<-l.stopped
	l.rw.waitIdle()
	l.ioMu.Lock()
	defer l.ioMu.Unlock()
	l.writeLocked()
	var err error
	for _, r := range l.retired {
		if e := fdatasync(r); e != nil && err == nil {
			err = e
		}
		r.Close()
	}
	l.retired = nil
	if l.file != nil {
		if e := fdatasync(l.file); e != nil && err == nil {
			err = e
		}
		l.file.Close()
		l.file = nil
	}
	l.markDurable(l.written.Load())
	if err != nil {
		return fmt.Errorf("aof: final fsync: %w", err)
	}
	if b := l.writeErr.Load(); b != nil {
		return fmt.Errorf("aof: unwritten records at shutdown: %w", b.err)
	}
	return nil
}

// rotate switches appending to f (a new, empty incremental file). It runs
// inside Store.BeginCut with every shard locked, so no record can fall
// between the two files out of order: what was appended before belongs
// to the old file and is written there now.
func (l *Log) rotate(f *os.File) error {
	l.ioMu.Lock()
	defer l.ioMu.Unlock()
	if l.file != nil {
		l.writeLocked()
		if b := l.writeErr.Load(); b != nil {
			return fmt.Errorf("aof: write before switching files: %w", b.err)
		}
		l.retired = append(l.retired, l.file)
	}
	l.others += l.fileSize
	l.file, l.fileSize = f, 0
	l.curSize.Store(l.others)
	l.mu.Lock()
	l.curDB = -1
	l.mu.Unlock()
	return nil
}

// Enable switches logging on at run time (CONFIG SET appendonly yes): a
// rewrite writes the current data set as a new base, and every change
// after its cut goes to a new incremental file. The manifest changes only
// when the base is complete, so a crash before that leaves the previous
// AOF (if any) as it was.
func (l *Log) Enable(src Source) error {
	if l.On() {
		return nil
	}
	if err := os.MkdirAll(l.dir, 0o755); err != nil {
		return fmt.Errorf("aof: create %s: %w", l.dir, err)
	}
	removeTemps(l.dir)
	l.rwMu.Lock()
	if l.manifest == nil {
		if m, err := ReadManifest(l.dir, l.prefix); err == nil {
			l.manifest = m
		}
	}
	l.rwMu.Unlock()
	l.ioMu.Lock()
	l.others, l.fileSize, l.baseSize = 0, 0, 0
	l.ioMu.Unlock()
	l.stop, l.stopped = make(chan struct{}), make(chan struct{})
	go l.syncer()
	r := &l.rw
	r.mu.Lock()
	if r.running {
		r.mu.Unlock()
		return ErrRewriteInProgress
	}
	r.running, r.started = true, time.Now()
	r.mu.Unlock()
	err := l.rewrite(src, true)
	l.finishRewrite(err)
	if err != nil {
		l.mu.Lock()
		wasOn := l.on
		l.mu.Unlock()
		if wasOn {
			l.Close()
		} else {
			close(l.stop)
			<-l.stopped
		}
	}
	return err
}
