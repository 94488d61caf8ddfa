package aof

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
)

// Redis 6 and earlier kept the whole AOF in one file, dir/appendfilename.
// Redis 7 adopts such a file on start instead of ignoring it: it becomes
// the base of a new multi-part AOF, keeping its name, and the server goes
// on from there. Cairn does the same, so a Redis 6 data directory keeps
// its data.
//
// The steps are ordered for crashes: the AOF directory is created, then a
// manifest naming the old file as the base is written (atomically), then
// the file is moved into the directory and both directories are synced. A
// crash after the manifest and before the move leaves a manifest whose
// base is missing from the directory but still beside it; the next start
// sees exactly that and finishes the move, as Redis 7 does.

// upgradeOldStyle adopts an old-style AOF file beside opts.Dir, if there
// is one to adopt. It reports whether it moved a file.
func upgradeOldStyle(opts LoadOptions, log *slog.Logger) (bool, error) {
	old := filepath.Join(filepath.Dir(opts.Dir), opts.Prefix)
	st, err := os.Stat(old)
	if err != nil || !st.Mode().IsRegular() {
		return false, nil
	}
	inDir := filepath.Join(opts.Dir, opts.Prefix)
	m, err := ReadManifest(opts.Dir, opts.Prefix)
	switch {
	case err == nil:
		if m.Base == nil || m.Base.Name != opts.Prefix || len(m.Incrs) > 0 || exists(inDir) {
			// The directory has an AOF of its own: the old file is a
			// leftover, and Redis ignores it too.
			log.Warn("an old-style AOF file is beside the AOF directory, which has its own manifest; ignoring the old file",
				"file", old, "dir", opts.Dir)
			return false, nil
		}
		// An upgrade stopped between the manifest and the move.
	case errors.Is(err, os.ErrNotExist):
		if len(aofFilesIn(opts.Dir)) > 0 {
			return false, nil // Load refuses a directory of files without a manifest
		}
		if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
			return false, fmt.Errorf("aof: create AOF directory: %w", err)
		}
		m = &Manifest{Base: &FileInfo{Name: opts.Prefix, Seq: 1, Type: TypeBase}}
		if err := WriteManifest(opts.Dir, opts.Prefix, m); err != nil {
			return false, err
		}
	default:
		return false, nil // Load reports the unreadable manifest
	}
	if err := os.Rename(old, inDir); err != nil {
		return false, fmt.Errorf("aof: move old-style AOF file into %s: %w", opts.Dir, err)
	}
	if err := syncDir(opts.Dir); err != nil {
		return false, err
	}
	if err := syncDir(filepath.Dir(opts.Dir)); err != nil {
		return false, err
	}
	log.Info("Successfully migrated an old-style AOF file into the AOF directory", "file", opts.Prefix, "dir", opts.Dir)
	return true, nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
