package aof

import "time"

// Status is what INFO persistence reports about the AOF.
type Status struct {
	On                    bool
	RewriteInProgress     bool
	LastRewriteSec        int64 // -1 never
	CurrentRewriteSec     int64 // -1 when none runs
	LastRewriteOK         bool
	Rewrites              int64
	ConsecutiveFailures   int64
	LastWriteOK           bool
	CurrentSize, BaseSize int64
	BufferLength          int64
	PendingFsync          int64
	DelayedFsync          int64
}

// Status returns the figures INFO persistence shows.
func (l *Log) Status() Status {
	s := Status{On: l.On(), LastWriteOK: l.WriteError() == ""}
	r := &l.rw
	r.mu.Lock()
	s.RewriteInProgress = r.running
	s.LastRewriteSec = -1
	if r.lastDur >= 0 {
		s.LastRewriteSec = int64(r.lastDur / time.Second)
	}
	s.CurrentRewriteSec = -1
	if r.running {
		s.CurrentRewriteSec = int64(time.Since(r.started) / time.Second)
	}
	s.LastRewriteOK = r.lastOK
	s.Rewrites = r.count
	s.ConsecutiveFailures = r.failures
	r.mu.Unlock()
	s.CurrentSize = l.curSize.Load()
	l.ioMu.Lock()
	s.BaseSize = l.baseSize
	l.ioMu.Unlock()
	l.mu.Lock()
	s.BufferLength = int64(len(l.buf))
	l.mu.Unlock()
	if l.syncStart.Load() != 0 {
		s.PendingFsync = 1
	}
	s.DelayedFsync = l.delayed.Load()
	return s
}
