package aof

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"cairn/internal/rdb"
)

// FileCheck is the verdict on one AOF file (cairn-check-aof).
type FileCheck struct {
	Path    string
	Size    int64
	OK      int64 // offset just past the last good record
	Line    int64 // records up to OK
	Err     error // nil when the whole file is good
	Torn    bool  // the file ends inside a record (a torn tail)
	RDBBase bool
}

// CheckFile reads a file record by record without running anything.
func CheckFile(path string) FileCheck {
	fc := FileCheck{Path: path}
	f, err := os.Open(path)
	if err != nil {
		fc.Err = err
		return fc
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil {
		fc.Size = st.Size()
	}
	r := newReader(f)
	if head, _ := r.br.Peek(5); string(head) == "REDIS" {
		fc.RDBBase = true
		keys, size, err := rdb.LoadBuffered(r.br, func([][]byte) error { return nil })
		fc.Line += keys
		if err != nil {
			fc.Err = err
			return fc
		}
		r.off, r.good = size, size
	}
	var args [][]byte
	var arena []byte
	for {
		args, arena, err = r.next(args, arena)
		if err == io.EOF {
			if r.inMulti {
				fc.Torn = true
				fc.Err = errors.New("MULTI without EXEC at the end of the file")
			}
			break
		}
		if err != nil {
			fc.Torn = errors.Is(err, errTruncated)
			fc.Err = err
			break
		}
		switch name := strings.ToLower(string(args[0])); {
		case name == "multi" && len(args) == 1:
			if r.inMulti {
				fc.Err = &formatError{"nested MULTI"}
				break
			}
			r.inMulti = true
			continue
		case name == "exec" && len(args) == 1:
			if !r.inMulti {
				fc.Err = &formatError{"EXEC without MULTI"}
				break
			}
			r.inMulti = false
		}
		if fc.Err != nil {
			break
		}
		if !r.inMulti {
			r.good = r.off
			fc.Line++
		}
	}
	fc.OK = r.good
	return fc
}

// Target is what cairn-check-aof was pointed at: a manifest (all its
// files, in load order) or a single file.
type Target struct {
	Manifest *Manifest // nil for a single file
	Files    []string
}

// OpenTarget resolves path: a manifest lists its files, anything else is
// one file.
func OpenTarget(path string) (*Target, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("aof: %w", err)
	}
	if strings.HasSuffix(path, ".manifest") {
		m, err := ParseManifest(path, data)
		if err != nil {
			return nil, err
		}
		t := &Target{Manifest: m}
		for _, f := range m.Files() {
			t.Files = append(t.Files, filepath.Join(filepath.Dir(path), f.Name))
		}
		return t, nil
	}
	return &Target{Files: []string{path}}, nil
}

// TimestampCut returns the offset of the first "#TS:" annotation later
// than ts in path, where --truncate-to-timestamp cuts the file; found is
// false when there is none.
func TimestampCut(path string, ts int64) (off int64, found bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, false, fmt.Errorf("aof: %w", err)
	}
	defer f.Close()
	r := newReader(f)
	r.onTS = func(v, at int64) bool {
		if v > ts {
			off, found = at, true
			return false
		}
		return true
	}
	var args [][]byte
	var arena []byte
	for {
		args, arena, err = r.next(args, arena)
		if err == errStop {
			return off, true, nil
		}
		if err == io.EOF {
			return 0, false, nil
		}
		if err != nil {
			return 0, false, fmt.Errorf("aof: %s at byte %d: %w", path, r.good, err)
		}
		r.good = r.off
	}
}
