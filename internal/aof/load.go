package aof

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"cairn/internal/rdb"
)

// LoadError is damage that stops the server from starting: it names the
// file and the byte offset where the first bad record starts.
type LoadError struct {
	Path   string
	Offset int64
	Msg    string
}

func (e *LoadError) Error() string {
	return fmt.Sprintf("aof: %s at byte %d: %s; inspect it with: cairn-check-aof %s", e.Path, e.Offset, e.Msg, e.Path)
}

// ApplyFunc runs one record read back from the AOF. It returns an error
// for a record the server cannot run (unknown command, wrong arity).
type ApplyFunc func(args [][]byte) error

// LoadOptions configures Load.
type LoadOptions struct {
	Dir            string // the AOF directory (dir/appenddirname)
	Prefix         string // appendfilename
	AllowTruncated bool   // aof-load-truncated: cut a torn last record off
	Apply          ApplyFunc
	Log            *slog.Logger
	// Abort, if not nil, is polled during long loads; true stops loading.
	Abort func() bool
}

// LoadResult describes what Load found.
type LoadResult struct {
	Manifest  *Manifest // nil when the directory holds no AOF yet
	BaseSize  int64
	TotalSize int64
	Records   int64
	Truncated bool // a torn tail was cut off the last file
}

// Load replays the AOF in opts.Dir through opts.Apply. A directory without
// a manifest and without AOF files is a fresh start (Manifest nil); one
// with AOF files but no manifest is refused. An old-style single AOF file
// beside the directory is adopted first (upgradeOldStyle).
func Load(opts LoadOptions) (*LoadResult, error) {
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if _, err := upgradeOldStyle(opts, log); err != nil {
		return nil, err
	}
	m, err := ReadManifest(opts.Dir, opts.Prefix)
	if errors.Is(err, os.ErrNotExist) {
		if names := aofFilesIn(opts.Dir); len(names) > 0 {
			return nil, fmt.Errorf("aof: %s holds AOF files (%s) but no manifest %s; restore the manifest or inspect the files with cairn-check-aof",
				opts.Dir, strings.Join(names, ", "), ManifestName(opts.Prefix))
		}
		return &LoadResult{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%w; inspect the directory with cairn-check-aof", err)
	}
	res := &LoadResult{Manifest: m}
	files := m.Files()
	for i, fi := range files {
		last := i == len(files)-1
		path := filepath.Join(opts.Dir, fi.Name)
		st, err := os.Stat(path)
		if err != nil {
			return nil, fmt.Errorf("aof: manifest %s lists %s, which cannot be opened: %w", ManifestName(opts.Prefix), fi.Name, err)
		}
		if st.Size() == 0 {
			continue
		}
		t0 := time.Now()
		log.Info("loading AOF file", "file", fi.Name, "size", st.Size())
		n, good, err := loadFile(path, st.Size(), opts, log)
		res.Records += n
		if errors.Is(err, errTruncated) {
			if !last {
				return nil, &LoadError{path, good, "truncated file that is not the last one"}
			}
			if !opts.AllowTruncated {
				return nil, &LoadError{path, good, "the last record is truncated (aof-load-truncated is no)"}
			}
			log.Warn("!!! Warning: short read while loading the AOF file !!! the last record is torn; truncating",
				"file", fi.Name, "from", st.Size(), "to", good)
			if err := os.Truncate(path, good); err != nil {
				return nil, fmt.Errorf("aof: truncate torn tail of %s: %w", path, err)
			}
			res.Truncated = true
			st, _ = os.Stat(path)
		} else if err != nil {
			return nil, err
		}
		log.Info("AOF file loaded", "file", fi.Name, "records", n, "seconds", time.Since(t0).Seconds())
		res.TotalSize += st.Size()
		if fi.Type == TypeBase {
			res.BaseSize = st.Size()
		}
	}
	return res, nil
}

// aofFilesIn lists files in dir that look like parts of an AOF.
func aofFilesIn(dir string) []string {
	ents, _ := os.ReadDir(dir)
	var out []string
	for _, e := range ents {
		n := e.Name()
		if !e.IsDir() && (strings.HasSuffix(n, ".aof") || strings.HasSuffix(n, ".rdb")) && !strings.HasPrefix(n, "temp-") {
			out = append(out, n)
		}
	}
	return out
}

// loadFile replays one file. It returns the number of records, the
// offset after the last good record, and errTruncated (wrapped in nothing)
// for a torn tail.
func loadFile(path string, size int64, opts LoadOptions, log *slog.Logger) (int64, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, fmt.Errorf("aof: open %s: %w", path, err)
	}
	defer f.Close()
	r := newReader(f)
	var (
		args    [][]byte
		arena   []byte
		n       int64
		multi   [][][]byte // queued between MULTI and EXEC
		nextLog = time.Now().Add(time.Second)
	)
	if head, _ := r.br.Peek(5); string(head) == "REDIS" {
		// An RDB preamble: a whole base written with
		// aof-use-rdb-preamble yes, or the front of a Redis 6 single
		// AOF file, which goes on with records after it.
		keys, size, err := rdb.LoadBuffered(r.br, opts.Apply)
		var le *rdb.LoadError
		if errors.As(err, &le) {
			return keys, le.Offset, &LoadError{path, le.Offset, "RDB preamble: " + le.Msg}
		}
		if err != nil {
			return keys, 0, fmt.Errorf("aof: read %s: %w", path, err)
		}
		n, r.off, r.good = keys, size, size
		log.Info("loaded the RDB preamble", "file", filepath.Base(path), "keys", keys)
	}
	for {
		recStart := r.off
		args, arena, err = r.next(args, arena)
		if err == io.EOF {
			if r.inMulti {
				// A transaction without its EXEC at the end: torn.
				return n, r.good, errTruncated
			}
			return n, r.good, nil
		}
		if errors.Is(err, errTruncated) {
			return n, r.good, errTruncated
		}
		var fe *formatError
		if errors.As(err, &fe) {
			return n, recStart, &LoadError{path, recStart, "bad file format: " + fe.msg}
		}
		if err != nil {
			return n, recStart, fmt.Errorf("aof: read %s: %w", path, err)
		}
		name := strings.ToLower(string(args[0]))
		switch {
		case name == "multi" && len(args) == 1:
			if r.inMulti {
				return n, recStart, &LoadError{path, recStart, "nested MULTI"}
			}
			r.inMulti = true
			multi = multi[:0]
			continue
		case name == "exec" && len(args) == 1:
			if !r.inMulti {
				return n, recStart, &LoadError{path, recStart, "EXEC without MULTI"}
			}
			r.inMulti = false
			for _, q := range multi {
				if err := opts.Apply(q); err != nil {
					return n, recStart, &LoadError{path, recStart, err.Error()}
				}
				n++
			}
			multi = multi[:0]
			r.good = r.off
			continue
		}
		if r.inMulti {
			cp := make([][]byte, len(args))
			for i, a := range args {
				cp[i] = append([]byte(nil), a...)
			}
			multi = append(multi, cp)
			continue
		}
		if err := opts.Apply(args); err != nil {
			return n, recStart, &LoadError{path, recStart, err.Error()}
		}
		n++
		r.good = r.off
		if n&4095 == 0 && time.Now().After(nextLog) {
			nextLog = time.Now().Add(time.Second)
			log.Info("loading AOF", "file", filepath.Base(path), "progress_bytes", r.off, "size", size,
				"percent", fmt.Sprintf("%.1f", float64(r.off)*100/float64(max(size, 1))))
			if opts.Abort != nil && opts.Abort() {
				return n, r.good, errors.New("aof: loading aborted")
			}
		}
	}
}
