package aof

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// maxArgs and maxBulk bound what a record may declare, so that a damaged
// length cannot make the loader reserve absurd amounts of memory.
const (
	maxArgs = 1 << 24
	maxBulk = 512 << 20
)

// errTruncated reports a record cut short by the end of the file.
var errTruncated = errors.New("unexpected end of file")

// formatError is a record that is not valid RESP.
type formatError struct{ msg string }

func (e *formatError) Error() string { return e.msg }

// reader reads records from one AOF file and keeps track of byte offsets:
// good is the offset just past the last complete record or annotation.
type reader struct {
	br   *bufio.Reader
	off  int64 // bytes consumed
	good int64
	line []byte

	// lastTS is the value of the last #TS: annotation seen (0 if none);
	// tsOff is the offset where that annotation starts.
	lastTS int64
	tsOff  int64
	onTS   func(ts, off int64) bool // return false to stop before the annotation

	inMulti bool // set by the caller between MULTI and EXEC: good stays put
}

func newReader(r io.Reader) *reader {
	return &reader{br: bufio.NewReaderSize(r, 256<<10)}
}

// readLine reads through the next "\n" and returns the line without its
// line ending.
func (r *reader) readLine() ([]byte, error) {
	r.line = r.line[:0]
	for {
		chunk, err := r.br.ReadSlice('\n')
		r.line = append(r.line, chunk...)
		r.off += int64(len(chunk))
		if err == nil {
			break
		}
		if err == bufio.ErrBufferFull {
			if len(r.line) > 1<<20 {
				return nil, &formatError{"line too long"}
			}
			continue
		}
		if err == io.EOF {
			return nil, errTruncated
		}
		return nil, err
	}
	l := r.line[:len(r.line)-1]
	if n := len(l); n > 0 && l[n-1] == '\r' {
		l = l[:n-1]
	}
	return l, nil
}

// errStop is returned by next when onTS asked to stop.
var errStop = errors.New("stopped at timestamp")

// next returns the next record; io.EOF at a clean end of file,
// errTruncated when the file ends inside a record, a *formatError for
// anything else that is not a record. The returned slices are valid until
// the next call.
func (r *reader) next(args [][]byte, arena []byte) ([][]byte, []byte, error) {
	for {
		start := r.off
		first, err := r.br.Peek(1)
		if err == io.EOF && len(first) == 0 {
			return nil, arena, io.EOF
		}
		if err != nil && len(first) == 0 {
			return nil, arena, err
		}
		line, err := r.readLine()
		if err != nil {
			return nil, arena, err
		}
		if len(line) > 0 && line[0] == '#' {
			if ts, ok := bytes.CutPrefix(line, []byte("#TS:")); ok {
				if v, err := strconv.ParseInt(string(ts), 10, 64); err == nil {
					if r.onTS != nil && !r.onTS(v, start) {
						return nil, arena, errStop
					}
					r.lastTS, r.tsOff = v, start
				}
			}
			if !r.inMulti {
				r.good = r.off
			}
			continue
		}
		if len(line) < 2 || line[0] != '*' {
			return nil, arena, &formatError{fmt.Sprintf("expected '*', got %q", clip(line))}
		}
		n, err := strconv.Atoi(string(line[1:]))
		if err != nil || n < 1 || n > maxArgs {
			return nil, arena, &formatError{fmt.Sprintf("invalid multibulk length %q", clip(line))}
		}
		args = args[:0]
		arena = arena[:0]
		lens := make([]int, 0, 8)
		for i := 0; i < n; i++ {
			line, err := r.readLine()
			if err != nil {
				return nil, arena, err
			}
			if len(line) < 2 || line[0] != '$' {
				return nil, arena, &formatError{fmt.Sprintf("expected '$', got %q", clip(line))}
			}
			l, err := strconv.Atoi(string(line[1:]))
			if err != nil || l < 0 || l > maxBulk {
				return nil, arena, &formatError{fmt.Sprintf("invalid bulk length %q", clip(line))}
			}
			at := len(arena)
			arena = append(arena, make([]byte, l+2)...)
			m, err := io.ReadFull(r.br, arena[at:])
			r.off += int64(m)
			if err != nil {
				if err == io.ErrUnexpectedEOF || err == io.EOF {
					return nil, arena, errTruncated
				}
				return nil, arena, err
			}
			if arena[at+l] != '\r' || arena[at+l+1] != '\n' {
				return nil, arena, &formatError{"bulk string not followed by CRLF"}
			}
			arena = arena[:at+l]
			lens = append(lens, l)
		}
		// Slice after the arena stopped moving.
		at := 0
		for _, l := range lens {
			args = append(args, arena[at:at+l:at+l])
			at += l
		}
		return args, arena, nil
	}
}

func clip(b []byte) []byte {
	if len(b) > 40 {
		return b[:40]
	}
	return b
}
