package aof

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// Cut is a consistent point-in-time view of the keyspace (store.Cut).
type Cut interface {
	// Walk emits every key that existed at the cut exactly once; between
	// runs with no lock held and may stop the walk with an error.
	Walk(emit func(db int, key, val []byte, expire int64), between func() error) error
}

// Source is the keyspace a rewrite dumps. BeginCut fixes the point in
// time and runs during while no command can change anything.
type Source interface {
	BeginCut(during func()) Cut
}

// ErrRewriteInProgress is BGREWRITEAOF's refusal while one runs.
var ErrRewriteInProgress = errors.New("ERR Background append only file rewriting already in progress")

// Back-off after failed automatic rewrites: one minute, doubling, at
// most an hour.
const (
	backoffMin = time.Minute
	backoffMax = time.Hour
)

// rewriteState is what INFO reports about rewrites, and the back-off.
type rewriteState struct {
	mu          sync.Mutex
	running     bool
	started     time.Time
	lastDur     time.Duration
	lastOK      bool
	count       int64
	failures    int64
	nextAuto    time.Time // no automatic rewrite before this
	autoPending bool      // an fsync failure asks for a rewrite
	idle        *sync.Cond
}

func (r *rewriteState) init() {
	r.lastOK = true
	r.lastDur = -1
	r.idle = sync.NewCond(&r.mu)
}

func (r *rewriteState) requestAuto() {
	r.mu.Lock()
	r.autoPending = true
	r.mu.Unlock()
}

func (r *rewriteState) waitIdle() {
	r.mu.Lock()
	for r.running {
		r.idle.Wait()
	}
	r.mu.Unlock()
}

// StartRewrite begins a background rewrite (BGREWRITEAOF), also while
// logging is off (rewrite_offline.go). It returns ErrRewriteInProgress
// when one is running.
func (l *Log) StartRewrite(src Source) error {
	r := &l.rw
	r.mu.Lock()
	if r.running {
		r.mu.Unlock()
		return ErrRewriteInProgress
	}
	r.running = true
	r.started = time.Now()
	r.mu.Unlock()
	go func() {
		var err error
		if l.On() {
			err = l.Rewrite(src)
		} else {
			err = l.rewriteOffline(src) // appendonly no: a base and a manifest
		}
		l.finishRewrite(err)
	}()
	return nil
}

func (l *Log) finishRewrite(err error) {
	r := &l.rw
	r.mu.Lock()
	r.running = false
	r.lastDur = time.Since(r.started)
	r.lastOK = err == nil
	if err == nil {
		r.count++
		r.failures = 0
		r.nextAuto = time.Time{}
	} else {
		r.failures++
		d := backoffMin << min(r.failures-1, 6)
		r.nextAuto = time.Now().Add(min(d, backoffMax))
	}
	r.idle.Broadcast()
	r.mu.Unlock()
	if err != nil {
		l.log.Warn("background AOF rewrite failed", "err", err)
	} else {
		l.log.Info("background AOF rewrite finished successfully")
	}
}

// MaybeAutoRewrite starts a rewrite when the AOF has grown by pct percent
// over its size after the last rewrite and is at least minSize bytes, or
// when an fsync failure asked for one, unless a failed rewrite is still
// backing off.
func (l *Log) MaybeAutoRewrite(src Source, pct int, minSize int64) {
	if !l.On() {
		return
	}
	r := &l.rw
	r.mu.Lock()
	if r.running || time.Now().Before(r.nextAuto) {
		r.mu.Unlock()
		return
	}
	pending := r.autoPending
	r.mu.Unlock()
	if !pending {
		if pct <= 0 {
			return
		}
		cur := l.curSize.Load()
		l.ioMu.Lock()
		base := l.baseSize
		l.ioMu.Unlock()
		if cur < minSize {
			return
		}
		if base == 0 {
			base = 1
		}
		if (cur-base)*100/base < int64(pct) {
			return
		}
		l.log.Info("starting automatic rewriting of AOF", "growth_percent", (cur-base)*100/base)
	}
	l.StartRewrite(src)
}

// Rewrite compacts the AOF; it runs in the caller's goroutine. The steps,
// each of which leaves a directory that loads to the acknowledged state:
//
//  1. create a new, empty incremental file and add it to the manifest;
//  2. cut: with every shard locked, switch appending to the new file and
//     fix the point in time the new base describes;
//  3. dump the cut into temp-rewriteaof-bg-<pid>.aof and fsync it;
//  4. rename it to the next base name and fsync the directory;
//  5. write a manifest of the new base and the new incremental file (the
//     old files as history);
//  6. delete the history files and write the manifest without them.
//
// A crash before 5 loads the old base, the old incremental files and the
// new one, in that order; from 5 on it loads the new base and the new
// incremental file. Leftover temp files are deleted at start-up.
func (l *Log) Rewrite(src Source) error { return l.rewrite(src, false) }

// rewrite is Rewrite; with enabling it also switches logging on at the
// cut (CONFIG SET appendonly yes), and the manifest is replaced only once
// the new base is complete.
func (l *Log) rewrite(src Source, enabling bool) error {
	l.rwMu.Lock()
	defer l.rwMu.Unlock()
	if l.manifest == nil && !enabling {
		return errors.New("aof: rewrite: the AOF is not open")
	}
	m := &Manifest{}
	if l.manifest != nil {
		m = l.manifest.Clone()
	}

	// 1. The new incremental file, referenced before anything goes in it.
	incr := FileInfo{Name: IncrName(l.prefix, m.NextIncrSeq()), Seq: m.NextIncrSeq(), Type: TypeIncr}
	incrPath := filepath.Join(l.dir, incr.Name)
	nf, err := os.OpenFile(incrPath, os.O_CREATE|os.O_TRUNC|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("aof: rewrite: create %s: %w", incr.Name, err)
	}
	if err := syncDir(l.dir); err != nil {
		nf.Close()
		return err
	}
	if err := failpoint("rewrite-after-create-incr"); err != nil {
		nf.Close()
		return err
	}
	m.Incrs = append(m.Incrs, incr)
	if !enabling {
		if err := WriteManifest(l.dir, l.prefix, m); err != nil {
			nf.Close()
			return err
		}
		l.manifest = m
	}
	if err := failpoint("rewrite-after-incr-manifest"); err != nil {
		nf.Close()
		return err
	}

	// 2. The cut.
	var rotErr error
	cut := src.BeginCut(func() {
		rotErr = l.rotate(nf)
		if rotErr == nil && enabling {
			l.mu.Lock()
			l.on = true
			l.enabled.Store(true)
			l.mu.Unlock()
		}
	})
	if rotErr != nil {
		cut.Walk(func(int, []byte, []byte, int64) {}, func() error { return rotErr }) // ends the cut
		nf.Close()
		return rotErr
	}
	if err := failpoint("rewrite-after-cut"); err != nil {
		cut.Walk(func(int, []byte, []byte, int64) {}, func() error { return err })
		return err
	}

	// 3 and 4. The dump, then the new base.
	base, size, err := l.writeBase(cut, m)
	if err != nil {
		return err
	}

	// 5. The manifest that switches to the new base.
	nm := &Manifest{Base: &base, Incrs: []FileInfo{incr}}
	if m.Base != nil {
		h := *m.Base
		h.Type = TypeHistory
		nm.History = append(nm.History, h)
	}
	for _, f := range m.Incrs[:len(m.Incrs)-1] {
		f.Type = TypeHistory
		nm.History = append(nm.History, f)
	}
	if err := WriteManifest(l.dir, l.prefix, nm); err != nil {
		return err
	}
	l.manifest = nm
	l.ioMu.Lock()
	l.others = size
	l.baseSize = size + l.fileSize
	l.curSize.Store(l.others + l.fileSize)
	l.ioMu.Unlock()
	if err := failpoint("rewrite-after-manifest"); err != nil {
		return err
	}

	// 6. History goes.
	if nm, err = l.dropHistory(nm); err != nil {
		return err
	}
	l.manifest = nm
	// A rewrite puts the whole data set into files fsynced just now, so an
	// earlier fsync failure no longer threatens anything.
	if l.syncErr.Load() != nil {
		l.syncErr.Store(nil)
		l.log.Warn("aof: rewrite succeeded after an fsync failure; write commands are accepted again")
	}
	l.rw.mu.Lock()
	l.rw.autoPending = false
	l.rw.mu.Unlock()
	return nil
}

// writeBase dumps the cut into a temporary file and renames it to the
// next base of m (steps 3 and 4 of a rewrite), returning the base and its
// size. The directory is synced, so the base is durable under its name.
func (l *Log) writeBase(cut Cut, m *Manifest) (FileInfo, int64, error) {
	tmpPath := filepath.Join(l.dir, "temp-rewriteaof-bg-"+strconv.Itoa(os.Getpid())+".aof")
	size, err := l.dump(cut, tmpPath)
	if err == nil {
		err = failpoint("rewrite-after-temp-synced")
	}
	if err != nil {
		os.Remove(tmpPath)
		return FileInfo{}, 0, err
	}
	base := FileInfo{Name: BaseName(l.prefix, m.NextBaseSeq()), Seq: m.NextBaseSeq(), Type: TypeBase}
	if err := os.Rename(tmpPath, filepath.Join(l.dir, base.Name)); err != nil {
		os.Remove(tmpPath)
		return FileInfo{}, 0, fmt.Errorf("aof: rewrite: rename base: %w", err)
	}
	if err := syncDir(l.dir); err != nil {
		return FileInfo{}, 0, err
	}
	return base, size, failpoint("rewrite-after-rename")
}

// dropHistory deletes nm's history files and, if any were deleted,
// writes the manifest without them; it returns the manifest now on disk.
func (l *Log) dropHistory(nm *Manifest) (*Manifest, error) {
	left := l.deleteHistory(nm.History)
	if len(left) == len(nm.History) {
		return nm, nil
	}
	nm = nm.Clone()
	nm.History = left
	if err := WriteManifest(l.dir, l.prefix, nm); err != nil {
		return nil, err
	}
	return nm, nil
}

// incrementalSyncBytes is how often the dump fsyncs while it writes
// (aof-rewrite-incremental-fsync), so the final fsync has little to do
// and the disk is not flooded at once.
const incrementalSyncBytes = 32 << 20

// dump writes the cut into path, fsynced, and returns its size.
func (l *Log) dump(cut Cut, path string) (int64, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		cut.Walk(func(int, []byte, []byte, int64) {}, func() error { return err })
		return 0, fmt.Errorf("aof: rewrite: create %s: %w", path, err)
	}
	defer f.Close()
	var (
		buf      []byte
		db       = -1
		size     int64
		unsynced int64
		chunks   int
		write    func() error
	)
	emit := func(d int, key, val []byte, expire int64) {
		if d != db {
			buf = AppendSelect(buf, d)
			db = d
		}
		buf = appendSet(buf, key, val, expire)
	}
	flush := func() error {
		if len(buf) < 256<<10 {
			return nil
		}
		return write()
	}
	write = func() error {
		if len(buf) == 0 {
			return nil
		}
		n, err := writeFile(f, buf)
		size += int64(n)
		unsynced += int64(n)
		buf = buf[:0]
		if err != nil {
			return fmt.Errorf("aof: rewrite: write %s: %w", path, err)
		}
		if unsynced >= incrementalSyncBytes {
			unsynced = 0
			if err := fdatasync(f); err != nil {
				return fmt.Errorf("aof: rewrite: fsync %s: %w", path, err)
			}
		}
		chunks++
		if chunks == 1 {
			if err := failpoint("rewrite-mid-dump"); err != nil {
				return err
			}
		}
		return nil
	}
	if err := cut.Walk(emit, flush); err != nil {
		return 0, err
	}
	if err := write(); err != nil {
		return 0, err
	}
	if err := fdatasync(f); err != nil {
		return 0, fmt.Errorf("aof: rewrite: fsync %s: %w", path, err)
	}
	return size, nil
}
