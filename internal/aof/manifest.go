package aof

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// File types in a manifest line.
const (
	TypeBase    = 'b'
	TypeIncr    = 'i'
	TypeHistory = 'h'
)

// FileInfo is one line of the manifest.
type FileInfo struct {
	Name string
	Seq  int64
	Type byte
}

// Manifest lists the files that make up the AOF, in load order: at most
// one base, then the incremental files by ascending sequence. History
// files are left over from a rewrite and are deleted, never loaded.
type Manifest struct {
	Base    *FileInfo
	Incrs   []FileInfo
	History []FileInfo
}

// Files returns the files to load, base first.
func (m *Manifest) Files() []FileInfo {
	var out []FileInfo
	if m.Base != nil {
		out = append(out, *m.Base)
	}
	return append(out, m.Incrs...)
}

// LastIncr returns the incremental file that is written to, or nil.
func (m *Manifest) LastIncr() *FileInfo {
	if len(m.Incrs) == 0 {
		return nil
	}
	return &m.Incrs[len(m.Incrs)-1]
}

// NextIncrSeq and NextBaseSeq return the sequence numbers for new files.
func (m *Manifest) NextIncrSeq() int64 {
	if l := m.LastIncr(); l != nil {
		return l.Seq + 1
	}
	return 1
}

// NextBaseSeq returns the sequence number for the next base file.
func (m *Manifest) NextBaseSeq() int64 {
	if m.Base != nil {
		return m.Base.Seq + 1
	}
	return 1
}

// Clone returns a deep copy.
func (m *Manifest) Clone() *Manifest {
	n := &Manifest{Incrs: append([]FileInfo(nil), m.Incrs...), History: append([]FileInfo(nil), m.History...)}
	if m.Base != nil {
		b := *m.Base
		n.Base = &b
	}
	return n
}

// Names of the AOF's files, built from appendfilename as Redis 7 does.
func BaseName(prefix string, seq int64) string {
	return prefix + "." + strconv.FormatInt(seq, 10) + ".base.aof"
}

// IncrName is the name of incremental file seq.
func IncrName(prefix string, seq int64) string {
	return prefix + "." + strconv.FormatInt(seq, 10) + ".incr.aof"
}

// ManifestName is the manifest's file name.
func ManifestName(prefix string) string { return prefix + ".manifest" }

// Encode returns the manifest's text: one line per file, base first,
// then history, then incrementals, as redis-server writes it.
func (m *Manifest) Encode() []byte {
	var b bytes.Buffer
	line := func(f FileInfo) {
		fmt.Fprintf(&b, "file %s seq %d type %c\n", quoteName(f.Name), f.Seq, f.Type)
	}
	if m.Base != nil {
		line(*m.Base)
	}
	for _, f := range m.History {
		line(f)
	}
	for _, f := range m.Incrs {
		line(f)
	}
	return b.Bytes()
}

// quoteName quotes a file name that contains spaces or quotes, the way
// Redis's sdscatrepr would; plain names are written as they are.
func quoteName(s string) string {
	if !strings.ContainsAny(s, " \t\r\n\"'\\") {
		return s
	}
	return strconv.Quote(s)
}

// ManifestError is a manifest that cannot be used.
type ManifestError struct {
	Path string
	Line int // 0 when not about one line
	Msg  string
}

func (e *ManifestError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("aof: manifest %s line %d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("aof: manifest %s: %s", e.Path, e.Msg)
}

// ParseManifest reads a manifest's text. Lines starting with '#' and blank
// lines are skipped; each other line is "key value" pairs with keys file,
// seq and type (unknown keys are ignored, as Redis does).
func ParseManifest(path string, data []byte) (*Manifest, error) {
	m := &Manifest{}
	bad := func(line int, format string, a ...any) error {
		return &ManifestError{Path: path, Line: line, Msg: fmt.Sprintf(format, a...)}
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	n := 0
	lastIncr := int64(0)
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		fields, err := splitArgs(line)
		if err != nil || len(fields)%2 != 0 {
			return nil, bad(n, "invalid line %q", line)
		}
		var f FileInfo
		var haveSeq, haveType bool
		for i := 0; i < len(fields); i += 2 {
			k, v := fields[i], fields[i+1]
			switch k {
			case "file":
				f.Name = v
			case "seq":
				s, err := strconv.ParseInt(v, 10, 64)
				if err != nil || s <= 0 {
					return nil, bad(n, "invalid seq %q", v)
				}
				f.Seq, haveSeq = s, true
			case "type":
				if len(v) != 1 || (v[0] != TypeBase && v[0] != TypeIncr && v[0] != TypeHistory) {
					return nil, bad(n, "unknown type %q", v)
				}
				f.Type, haveType = v[0], true
			}
		}
		if f.Name == "" || !haveSeq || !haveType {
			return nil, bad(n, "missing file, seq or type in %q", line)
		}
		if f.Name != filepath.Base(f.Name) || f.Name == "." || f.Name == ".." {
			return nil, bad(n, "file name %q is not a plain name", f.Name)
		}
		switch f.Type {
		case TypeBase:
			if m.Base != nil {
				return nil, bad(n, "found a second base file %s (the first is %s)", f.Name, m.Base.Name)
			}
			b := f
			m.Base = &b
		case TypeIncr:
			if f.Seq <= lastIncr {
				return nil, bad(n, "incr file %s seq %d is not after seq %d", f.Name, f.Seq, lastIncr)
			}
			lastIncr = f.Seq
			m.Incrs = append(m.Incrs, f)
		case TypeHistory:
			m.History = append(m.History, f)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, bad(0, "%v", err)
	}
	if m.Base == nil && len(m.Incrs) == 0 {
		return nil, bad(0, "lists no base and no incr file")
	}
	return m, nil
}

// splitArgs splits a line into words, honouring double quotes with Go/C
// escapes (what quoteName writes).
func splitArgs(line string) ([]string, error) {
	var out []string
	for i := 0; i < len(line); {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i >= len(line) {
			break
		}
		if line[i] == '"' {
			j := i + 1
			for j < len(line) && line[j] != '"' {
				if line[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(line) {
				return nil, errors.New("unbalanced quotes")
			}
			s, err := strconv.Unquote(line[i : j+1])
			if err != nil {
				return nil, err
			}
			out = append(out, s)
			i = j + 1
			continue
		}
		j := i
		for j < len(line) && line[j] != ' ' && line[j] != '\t' {
			j++
		}
		out = append(out, line[i:j])
		i = j
	}
	return out, nil
}

// WriteManifest replaces the manifest atomically: it writes a temporary
// file, fsyncs it, renames it over the manifest and fsyncs the directory,
// so a crash leaves either the old or the new manifest, never a mix.
func WriteManifest(dir, prefix string, m *Manifest) error {
	if err := failpoint("manifest-before-write"); err != nil {
		return err
	}
	final := filepath.Join(dir, ManifestName(prefix))
	tmp := filepath.Join(dir, "temp-"+ManifestName(prefix))
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("aof: write manifest: %w", err)
	}
	if _, err := f.Write(m.Encode()); err != nil {
		f.Close()
		return fmt.Errorf("aof: write manifest: %w", err)
	}
	if err := fdatasync(f); err != nil {
		f.Close()
		return fmt.Errorf("aof: fsync manifest: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("aof: close manifest: %w", err)
	}
	if err := os.Rename(tmp, final); err != nil {
		return fmt.Errorf("aof: rename manifest: %w", err)
	}
	return syncDir(dir)
}

// ReadManifest loads dir's manifest; os.ErrNotExist when there is none.
func ReadManifest(dir, prefix string) (*Manifest, error) {
	path := filepath.Join(dir, ManifestName(prefix))
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseManifest(path, data)
}
