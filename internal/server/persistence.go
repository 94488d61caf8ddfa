package server

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"cairn/internal/aof"
	"cairn/internal/command"
	"cairn/internal/rdb"
	"cairn/internal/store"
)

// This file wires the append-only file (package aof) into the server:
// loading at start-up (or, with appendonly no, a Redis dump.rdb) while
// INFO reports loading:1, the journal hooks,
// the group commit before replies, rewrites, CONFIG SET and shutdown.

// storeSource adapts the store to aof.Source. A cut holds the server's
// cutMu until its walk ends, so a rewrite and a snapshot take turns (the
// store allows one cut at a time).
type storeSource struct{ s *Server }

func (src storeSource) BeginCut(during func()) aof.Cut {
	src.s.cutMu.Lock()
	return heldCut{src.s.store.BeginCut(during), &src.s.cutMu}
}

// heldCut releases its lock when the walk is over.
type heldCut struct {
	c  *store.Cut
	mu *sync.Mutex
}

func (h heldCut) Walk(emit func(db int, key, val []byte, expire int64), between func() error) error {
	defer h.mu.Unlock()
	return h.c.Walk(emit, between)
}

// initPersistence creates the AOF log and installs the engine hooks. The
// log stays off until startPersistence has loaded the data set.
func (s *Server) initPersistence() {
	cfg := s.cfg
	dir := filepath.Join(cfg.Dir(), cfg.AppendDirName())
	l := aof.New(dir, cfg.AppendFilename(), aof.ParsePolicy(cfg.AppendFsync()), s.log)
	l.SetTimestamps(cfg.AOFTimestampEnabled())
	s.aof = l
	e := s.engine
	e.Journal = l
	s.store.OnExpire = func(db int, key []byte) {
		l.Append(db, command.DeletionVerb(cfg.LazyFreeExpire()), key)
	}
	e.WriteDenied = l.WriteError
	e.AOFStatus = func() command.AOFStatus {
		st := l.Status()
		return command.AOFStatus{
			Enabled:                     st.On,
			RewriteInProgress:           st.RewriteInProgress,
			LastRewriteTimeSec:          st.LastRewriteSec,
			CurrentRewriteTimeSec:       st.CurrentRewriteSec,
			LastRewriteOK:               st.LastRewriteOK,
			Rewrites:                    st.Rewrites,
			RewritesConsecutiveFailures: st.ConsecutiveFailures,
			LastWriteOK:                 st.LastWriteOK,
			CurrentSize:                 st.CurrentSize,
			BaseSize:                    st.BaseSize,
			BufferLength:                st.BufferLength,
			PendingFsync:                st.PendingFsync,
			DelayedFsync:                st.DelayedFsync,
		}
	}
	e.RewriteAOF = func() (string, error) {
		if err := l.StartRewrite(storeSource{s}); err != nil {
			return "", err
		}
		return "Background append only file rewriting started", nil
	}
	cfg.OnChange("appendfsync", func(v string) error {
		l.SetPolicy(aof.ParsePolicy(v))
		return nil
	})
	cfg.OnChange("aof-timestamp-enabled", func(v string) error {
		l.SetTimestamps(v == "yes")
		return nil
	})
	cfg.OnChange("appendonly", func(v string) error {
		if s.Loading() {
			return errors.New("ERR cannot change appendonly while loading")
		}
		if v == "yes" {
			if err := l.Enable(storeSource{s}); err != nil {
				return fmt.Errorf("ERR Unable to turn on AOF. Check server logs.: %w", err)
			}
			return nil
		}
		return l.Close()
	})
}

// startPersistence loads the data set in the background: the AOF when
// appendonly is yes, otherwise the RDB snapshot (dbfilename in dir) if
// there is one, as Redis chooses. Until it is done, commands without the
// loading flag get -LOADING. A damaged file stops the server with the
// loader's message.
func (s *Server) startPersistence() {
	load := s.loadAOF
	if !s.cfg.AppendOnly() {
		path := filepath.Join(s.cfg.Dir(), s.cfg.DBFilename())
		if _, err := os.Stat(path); err != nil {
			go s.persistenceCron()
			return
		}
		load = func() error { return s.loadRDB(path) }
	}
	s.loading.Store(true)
	go func() {
		err := load()
		if err != nil {
			s.log.Error("cannot load the append-only file; refusing to start", "err", err)
			s.mu.Lock()
			s.exitErr = err
			s.mu.Unlock()
			s.loading.Store(false)
			s.beginShutdown()
			return
		}
		s.loading.Store(false)
		go s.persistenceCron()
	}()
}

// loadAOF replays the AOF through the engine and opens it for appending.
func (s *Server) loadAOF() error {
	t0 := time.Now()
	ctx := &command.Ctx{E: s.engine, S: &command.Session{Authed: true, Proto: 2}}
	// Now stays 0 while replaying: no key counts as expired during the
	// load (as in Redis), so a record that followed a key's SET in the
	// original run finds the key whatever time it is now.
	res, err := aof.Load(aof.LoadOptions{
		Dir:            s.aof.Dir(),
		Prefix:         s.cfg.AppendFilename(),
		AllowTruncated: s.cfg.AOFLoadTruncated(),
		Log:            s.log,
		Abort:          s.isClosing,
		Apply: func(args [][]byte) error {
			ctx.Args = args
			ctx.Out = ctx.Out[:0]
			return s.engine.Replay(ctx)
		},
	})
	if err != nil {
		return err
	}
	if err := s.aof.Start(res); err != nil {
		return err
	}
	if res.Manifest != nil {
		s.log.Info("DB loaded from append only file", "seconds", time.Since(t0).Seconds(),
			"records", res.Records, "truncated", res.Truncated)
	}
	return nil
}

// loadRDB replays an RDB snapshot (dump.rdb, Redis's or Cairn's) through
// the engine.
func (s *Server) loadRDB(path string) error {
	t0 := time.Now()
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("server: open %s: %w", path, err)
	}
	defer f.Close()
	ctx := &command.Ctx{E: s.engine, S: &command.Session{Authed: true, Proto: 2}}
	keys, err := rdb.Load(f, func(args [][]byte) error {
		ctx.Args = args
		ctx.Out = ctx.Out[:0]
		return s.engine.Replay(ctx)
	})
	if err != nil {
		return fmt.Errorf("server: %s: %w", path, err)
	}
	s.snap.mu.Lock()
	s.snap.loadedKey = keys
	s.snap.mu.Unlock()
	s.log.Info("DB loaded from the RDB snapshot", "file", path, "keys", keys, "seconds", time.Since(t0).Seconds())
	return nil
}

// persistenceCron starts automatic saves and rewrites once a second.
func (s *Server) persistenceCron() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-s.done:
			return
		case <-t.C:
			s.maybeAutoSave()
			s.aof.MaybeAutoRewrite(storeSource{s}, s.cfg.AutoAOFRewritePercentage(), s.cfg.AutoAOFRewriteMinSize())
		}
	}
}

// commitAOF runs before a connection writes its replies when its batch
// logged something: the records are written, and with appendfsync always
// the replies wait for the fdatasync that covers them.
func (c *conn) commitAOF() {
	c.ctx.Wrote = false
	c.srv.aof.Commit()
}

// closePersistence flushes and fsyncs the AOF at shutdown.
func (s *Server) closePersistence() {
	if s.aof == nil {
		return
	}
	if err := s.aof.Close(); err != nil && !strings.Contains(err.Error(), "not open") {
		s.log.Error("error closing the append-only file", "err", err)
	}
}
