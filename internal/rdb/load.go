package rdb

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// An RDB file, as Redis writes dump.rdb and the base of an AOF with
// aof-use-rdb-preamble yes: "REDIS" and a four-digit version, then
// opcodes — auxiliary fields, database selectors with size hints, expiry
// times, eviction hints — and key/value pairs, then an end marker and the
// CRC-64 of everything before it.

// RDB opcodes.
const (
	opFunction2  = 0xf5
	opFunction   = 0xf6
	opModuleAux  = 0xf7
	opIdle       = 0xf8
	opFreq       = 0xf9
	opAux        = 0xfa
	opResizeDB   = 0xfb
	opExpireMS   = 0xfc
	opExpireSecs = 0xfd
	opSelectDB   = 0xfe
	opEOF        = 0xff
)

// LoadError is a file that cannot be loaded, with the byte offset where
// the problem starts.
type LoadError struct {
	Offset int64
	Msg    string
}

func (e *LoadError) Error() string { return fmt.Sprintf("rdb: at byte %d: %s", e.Offset, e.Msg) }

// stream reads an RDB file, keeping its checksum and offset.
type stream struct {
	r   *bufio.Reader
	off int64
	crc uint64
	buf []byte
}

func (s *stream) fail(format string, args ...any) error {
	return &LoadError{Offset: s.off, Msg: fmt.Sprintf(format, args...)}
}

// readChunk bounds how much read reserves ahead of the bytes it has
// really read, so a forged length costs no more memory than the input.
const readChunk = 1 << 20

func (s *stream) read(n int) ([]byte, error) {
	b := s.buf[:0]
	for len(b) < n {
		want := min(n-len(b), readChunk)
		if cap(b)-len(b) < want {
			b = append(b, make([]byte, want)...)[:len(b)]
		}
		k, err := io.ReadFull(s.r, b[len(b):len(b)+want])
		b = b[:len(b)+k]
		if err != nil {
			s.buf = b[:0]
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, s.fail("the file ends early (truncated)")
			}
			return nil, err
		}
	}
	s.buf = b[:0]
	s.crc = CRC64(s.crc, b)
	s.off += int64(n)
	return b, nil
}

func (s *stream) byte() (byte, error) {
	b, err := s.read(1)
	if err != nil {
		return 0, err
	}
	return b[0], nil
}

func (s *stream) length() (uint64, error) {
	first, err := s.byte()
	if err != nil {
		return 0, err
	}
	switch {
	case first>>6 == len6bit:
		return uint64(first & 0x3f), nil
	case first>>6 == len14bit:
		next, err := s.byte()
		return uint64(first&0x3f)<<8 | uint64(next), err
	case first == len32bit:
		b, err := s.read(4)
		if err != nil {
			return 0, err
		}
		return uint64(binary.BigEndian.Uint32(b)), nil
	case first == len64bit:
		b, err := s.read(8)
		if err != nil {
			return 0, err
		}
		return binary.BigEndian.Uint64(b), nil
	}
	return 0, s.fail("bad length encoding 0x%02x", first)
}

// str reads one RDB string into a fresh slice.
func (s *stream) str() ([]byte, error) {
	first, err := s.byte()
	if err != nil {
		return nil, err
	}
	if first>>6 == encoded {
		switch first & 0x3f {
		case encInt8:
			b, err := s.read(1)
			if err != nil {
				return nil, err
			}
			return strconv.AppendInt(nil, int64(int8(b[0])), 10), nil
		case encInt16:
			b, err := s.read(2)
			if err != nil {
				return nil, err
			}
			return strconv.AppendInt(nil, int64(int16(binary.LittleEndian.Uint16(b))), 10), nil
		case encInt32:
			b, err := s.read(4)
			if err != nil {
				return nil, err
			}
			return strconv.AppendInt(nil, int64(int32(binary.LittleEndian.Uint32(b))), 10), nil
		case encLZF:
			clen, err := s.length()
			if err != nil {
				return nil, err
			}
			ulen, err := s.length()
			if err != nil {
				return nil, err
			}
			if clen > maxString || ulen > maxString || ulen > clen*132+32 {
				return nil, s.fail("implausible compressed string (%d bytes claiming %d)", clen, ulen)
			}
			c, err := s.read(int(clen))
			if err != nil {
				return nil, err
			}
			out, err := lzfDecompress(c, int(ulen))
			if err != nil {
				return nil, s.fail("%v", err)
			}
			return out, nil
		}
		return nil, s.fail("bad string encoding 0x%02x", first)
	}
	// A plain length: the first byte is part of it.
	var n uint64
	switch {
	case first>>6 == len6bit:
		n = uint64(first & 0x3f)
	case first>>6 == len14bit:
		next, err := s.byte()
		if err != nil {
			return nil, err
		}
		n = uint64(first&0x3f)<<8 | uint64(next)
	case first == len32bit:
		b, err := s.read(4)
		if err != nil {
			return nil, err
		}
		n = uint64(binary.BigEndian.Uint32(b))
	case first == len64bit:
		b, err := s.read(8)
		if err != nil {
			return nil, err
		}
		n = binary.BigEndian.Uint64(b)
	default:
		return nil, s.fail("bad length encoding 0x%02x", first)
	}
	if n > maxString {
		return nil, s.fail("string of %d bytes exceeds 512 MB", n)
	}
	b, err := s.read(int(n))
	if err != nil {
		return nil, err
	}
	return append([]byte(nil), b...), nil
}

var (
	bSelect = []byte("SELECT")
	bSet    = []byte("SET")
	bPXAT   = []byte("PXAT")
)

// Load reads an RDB file from r and hands every key to apply as the
// commands that recreate it: SELECT when the database changes, then SET
// key value [PXAT ms]. It returns the number of keys. A value of a type
// Cairn does not store yet, module data or functions stop the load with
// an error naming the key or the opcode; so do a bad checksum and a
// truncated file.
func Load(r io.Reader, apply func(args [][]byte) error) (int64, error) {
	keys, _, err := LoadBuffered(bufio.NewReaderSize(r, 1<<16), apply)
	return keys, err
}

// LoadBuffered is Load reading from br, and also returns how many bytes
// the RDB part took: br is left just after the checksum, where an AOF
// with an RDB preamble goes on with its records.
func LoadBuffered(br *bufio.Reader, apply func(args [][]byte) error) (keys, size int64, err error) {
	s := &stream{r: br}
	keys, err = s.load(apply)
	return keys, s.off, err
}

func (s *stream) load(apply func(args [][]byte) error) (int64, error) {
	head, err := s.read(9)
	if err != nil {
		return 0, err
	}
	if string(head[:5]) != "REDIS" {
		return 0, s.fail("not an RDB file (no REDIS signature)")
	}
	ver, err := strconv.Atoi(string(head[5:9]))
	if err != nil || ver < 1 || ver > Version {
		return 0, s.fail("RDB version %q is not supported (1 to %d are)", head[5:9], Version)
	}
	var (
		keys   int64
		db     = 0
		sentDB = -1
		expire int64
		dbBuf  []byte
	)
	for {
		at := s.off
		op, err := s.byte()
		if err != nil {
			return keys, err
		}
		switch op {
		case opEOF:
			if ver >= 5 {
				want := s.crc
				b, err := s.read(8)
				if err != nil {
					return keys, err
				}
				if got := binary.LittleEndian.Uint64(b); got != 0 && got != want {
					return keys, &LoadError{Offset: at, Msg: fmt.Sprintf("checksum mismatch (file says %016x, data gives %016x)", got, want)}
				}
			}
			return keys, nil
		case opAux:
			if _, err := s.str(); err != nil {
				return keys, err
			}
			if _, err := s.str(); err != nil {
				return keys, err
			}
		case opResizeDB:
			if _, err := s.length(); err != nil {
				return keys, err
			}
			if _, err := s.length(); err != nil {
				return keys, err
			}
		case opSelectDB:
			n, err := s.length()
			if err != nil {
				return keys, err
			}
			db = int(n)
		case opExpireMS:
			b, err := s.read(8)
			if err != nil {
				return keys, err
			}
			expire = int64(binary.LittleEndian.Uint64(b))
		case opExpireSecs:
			b, err := s.read(4)
			if err != nil {
				return keys, err
			}
			expire = int64(binary.LittleEndian.Uint32(b)) * 1000
		case opIdle:
			if _, err := s.length(); err != nil {
				return keys, err
			}
		case opFreq:
			if _, err := s.byte(); err != nil {
				return keys, err
			}
		case opModuleAux:
			return keys, &LoadError{Offset: at, Msg: "the file holds module data, which Cairn cannot load"}
		case opFunction, opFunction2:
			return keys, &LoadError{Offset: at, Msg: "the file holds a function library, which Cairn cannot load (Cairn runs no scripts)"}
		case typeString:
			key, err := s.str()
			if err != nil {
				return keys, err
			}
			val, err := s.str()
			if err != nil {
				return keys, err
			}
			if db != sentDB {
				dbBuf = strconv.AppendInt(dbBuf[:0], int64(db), 10)
				if err := apply([][]byte{bSelect, dbBuf}); err != nil {
					return keys, &LoadError{Offset: at, Msg: err.Error()}
				}
				sentDB = db
			}
			args := [][]byte{bSet, key, val}
			if expire != 0 {
				args = append(args, bPXAT, strconv.AppendInt(nil, expire, 10))
			}
			if err := apply(args); err != nil {
				return keys, &LoadError{Offset: at, Msg: err.Error()}
			}
			keys++
			expire = 0
		default:
			if name, ok := typeNames[op]; ok {
				key, _ := s.str()
				return keys, &LoadError{Offset: at, Msg: fmt.Sprintf("key %q holds a %s, which Cairn cannot store yet", key, name)}
			}
			return keys, &LoadError{Offset: at, Msg: fmt.Sprintf("unknown opcode or type 0x%02x", op)}
		}
	}
}
