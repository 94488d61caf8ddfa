package aof

import (
	"errors"
	"fmt"
	"os"
)

// BGREWRITEAOF while appendonly is off does not refuse in Redis 7: it
// writes the data set as a new base file and a manifest listing that base
// alone, so the directory holds a complete AOF that a later start with
// appendonly yes loads. Nothing is being logged, so there is no
// incremental file to switch; earlier files (an old base, incremental
// files from when logging was on) become history and are deleted.

// rewriteOffline is Rewrite for a log that is off.
func (l *Log) rewriteOffline(src Source) error {
	l.rwMu.Lock()
	defer l.rwMu.Unlock()
	if err := os.MkdirAll(l.dir, 0o755); err != nil {
		return fmt.Errorf("aof: rewrite: create %s: %w", l.dir, err)
	}
	m, err := ReadManifest(l.dir, l.prefix)
	switch {
	case errors.Is(err, os.ErrNotExist):
		m = &Manifest{}
	case err != nil:
		return fmt.Errorf("aof: rewrite: %w", err)
	}

	base, size, err := l.writeBase(src.BeginCut(nil), m)
	if err != nil {
		return err
	}
	nm := &Manifest{Base: &base, History: m.History}
	for _, f := range m.Files() {
		f.Type = TypeHistory
		nm.History = append(nm.History, f)
	}
	if err := WriteManifest(l.dir, l.prefix, nm); err != nil {
		return err
	}
	if nm, err = l.dropHistory(nm); err != nil {
		return err
	}
	l.manifest = nm // what Enable continues from
	l.ioMu.Lock()
	l.others, l.fileSize, l.baseSize = 0, 0, size
	l.curSize.Store(size)
	l.ioMu.Unlock()
	return nil
}
