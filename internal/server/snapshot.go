package server

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"cairn/internal/command"
	"cairn/internal/rdb"
)

// RDB snapshots: SAVE, BGSAVE, the save points of the "save" parameter,
// and the save at shutdown when save points are set (or SHUTDOWN SAVE).
// A snapshot is written from a store cut, like the AOF rewrite, so it
// needs no fork and no second copy of the data: the file holds every key
// as it was at the cut. It goes to a temporary file in dir, is fsynced,
// and is renamed over dbfilename, so a crash leaves the old snapshot or
// the new one. With appendonly no, the next start loads it.

// snapshots is the state INFO persistence and LASTSAVE report.
type snapshots struct {
	mu        sync.Mutex
	running   bool
	started   time.Time
	lastOK    bool
	lastDur   time.Duration // -1 before the first background save
	lastSave  int64         // Unix s of the last successful save; 0: none yet
	lastTry   time.Time     // the last automatic attempt (retried after bgsaveRetry on failure)
	saves     int64
	loadedKey int64
	atExit    bool // a shutdown saved: save again once commands stop
}

// bgsaveRetry is how long an automatic save waits after a failed one, as
// in Redis.
const bgsaveRetry = 5 * time.Second

var (
	errSaveRunning = command.ReplyError("ERR Background save already in progress")
	errSaveFailed  = command.ReplyError("ERR")
)

func (s *Server) initSnapshots() {
	s.snap.lastOK = true
	s.snap.lastDur = -1
	e := s.engine
	e.Save = func() error {
		if err := s.saveNow(); err != nil {
			if errors.Is(err, errSaveRunning) {
				return err
			}
			return errSaveFailed
		}
		return nil
	}
	e.BGSave = s.bgsave
	e.LastSave = func() int64 {
		s.snap.mu.Lock()
		defer s.snap.mu.Unlock()
		if s.snap.lastSave == 0 {
			return e.Started.Unix()
		}
		return s.snap.lastSave
	}
	e.RDBStatus = func() command.RDBStatus {
		sn := &s.snap
		sn.mu.Lock()
		defer sn.mu.Unlock()
		st := command.RDBStatus{InProgress: sn.running, LastOK: sn.lastOK, LastTimeSec: -1, CurrentTimeSec: -1,
			Saves: sn.saves, LastLoadKeys: sn.loadedKey}
		if sn.lastDur >= 0 {
			st.LastTimeSec = int64(sn.lastDur / time.Second)
		}
		if sn.running {
			st.CurrentTimeSec = int64(time.Since(sn.started) / time.Second)
		}
		return st
	}
}

// begin marks a snapshot as running, or reports that one is.
func (s *Server) beginSnapshot() bool {
	sn := &s.snap
	sn.mu.Lock()
	defer sn.mu.Unlock()
	if sn.running {
		return false
	}
	sn.running, sn.started = true, time.Now()
	return true
}

func (s *Server) endSnapshot(err error, background bool) {
	sn := &s.snap
	sn.mu.Lock()
	defer sn.mu.Unlock()
	sn.running = false
	if background {
		sn.lastDur = time.Since(sn.started)
		sn.lastOK = err == nil
	}
	if err == nil {
		sn.lastSave = time.Now().Unix()
		sn.saves++
	}
}

// saveNow is SAVE: the snapshot is written before the reply.
func (s *Server) saveNow() error {
	if !s.beginSnapshot() {
		return errSaveRunning
	}
	err := s.writeSnapshot()
	s.endSnapshot(err, false)
	return err
}

// bgsave is BGSAVE [SCHEDULE]. While an AOF rewrite runs, the snapshot
// would wait for its cut: without SCHEDULE that is refused, as in Redis.
func (s *Server) bgsave(schedule bool) (string, error) {
	if s.aof.Status().RewriteInProgress && !schedule {
		return "", command.ReplyError("ERR An AOF log rewriting in progress: can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.")
	}
	if !s.beginSnapshot() {
		return "", errSaveRunning
	}
	scheduled := s.aof.Status().RewriteInProgress
	go func() {
		err := s.writeSnapshot()
		s.endSnapshot(err, true)
	}()
	if scheduled {
		return "Background saving scheduled", nil
	}
	return "Background saving started", nil
}

// writeSnapshot writes every key at a cut to dbfilename in dir.
func (s *Server) writeSnapshot() error {
	t0 := time.Now()
	dir := s.cfg.Dir()
	path := filepath.Join(dir, s.cfg.DBFilename())
	tmp := filepath.Join(dir, "temp-"+strconv.Itoa(os.Getpid())+".rdb")
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		s.log.Warn("snapshot failed", "err", err)
		return fmt.Errorf("server: snapshot: %w", err)
	}
	defer os.Remove(tmp) // no-op after the rename
	dirty := s.engine.Dirty()
	cut := storeSource{s}.BeginCut(nil) // takes turns with AOF rewrites
	w := rdb.NewWriter(f, time.Now().Unix(), s.store.UsedBytes())
	var keys int64
	walkErr := cut.Walk(func(db int, key, val []byte, expire int64) {
		if w.Key(db, key, val, expire) == nil {
			keys++
		}
	}, nil)
	err = errors.Join(walkErr, w.Close())
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err == nil {
		err = syncDirectory(dir)
	}
	if err != nil {
		s.log.Warn("snapshot failed", "file", path, "err", err)
		return fmt.Errorf("server: snapshot: %w", err)
	}
	s.engine.SnapshotDone(dirty)
	s.log.Info("DB saved on disk", "file", path, "keys", keys, "seconds", time.Since(t0).Seconds())
	return nil
}

func syncDirectory(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// maybeAutoSave starts a background save when a save point is reached:
// at least changes writes and seconds since the last save. A failed save
// is retried after bgsaveRetry. The cron calls it once a second.
func (s *Server) maybeAutoSave() {
	points := s.cfg.SaveParams()
	if len(points) == 0 {
		return
	}
	dirty := s.engine.Dirty()
	sn := &s.snap
	sn.mu.Lock()
	since := time.Now().Unix() - sn.lastSave
	if sn.lastSave == 0 {
		since = time.Now().Unix() - s.engine.Started.Unix()
	}
	retryWait := !sn.lastOK && time.Since(sn.lastTry) < bgsaveRetry
	running := sn.running
	sn.mu.Unlock()
	if running || retryWait || s.aof.Status().RewriteInProgress {
		return
	}
	for _, p := range points {
		if dirty >= p[1] && since >= p[0] && p[1] > 0 {
			s.log.Info("save point reached, saving", "changes", p[1], "seconds", p[0])
			sn.mu.Lock()
			sn.lastTry = time.Now()
			sn.mu.Unlock()
			s.bgsave(false)
			return
		}
	}
}

// shutdownSave writes the snapshot a shutdown calls for: always with
// SHUTDOWN SAVE, never with NOSAVE, otherwise when save points are set.
// It waits for a background save first. It runs before the shutdown
// starts, so that a failure can still refuse it, as Redis does; commands
// keep running meanwhile, so finalSave writes once more, after the last
// connection is gone, if anything changed since.
func (s *Server) shutdownSave(save, noSave bool) error {
	if noSave || (!save && len(s.cfg.SaveParams()) == 0) {
		return nil
	}
	for {
		err := s.saveNow()
		if errors.Is(err, errSaveRunning) {
			time.Sleep(10 * time.Millisecond)
			continue
		}
		if err == nil {
			s.snap.mu.Lock()
			s.snap.atExit = true
			s.snap.mu.Unlock()
		}
		return err
	}
}

// finalSave is the last step of a shutdown that saved: the writes that
// came in after that save's cut are saved too. No command runs any more.
func (s *Server) finalSave() {
	s.snap.mu.Lock()
	atExit := s.snap.atExit
	s.snap.mu.Unlock()
	if !atExit || s.engine.Dirty() == 0 {
		return
	}
	if err := s.writeSnapshot(); err != nil {
		s.log.Error("the last writes before shutdown could not be saved", "err", err)
	}
}
