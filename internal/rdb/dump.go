package rdb

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
)

// Version is the RDB version redis-server 7.0 writes (and the newest
// this package reads).
const Version = 10

// maxString is the largest string Redis stores (proto-max-bulk-len's
// ceiling).
const maxString = 512 << 20

// RDB object types a DUMP payload can start with. Only strings are
// stored by Cairn so far; the others are named for ErrType.
const typeString = 0

var typeNames = map[byte]string{
	1: "list", 2: "set", 3: "sorted set", 4: "hash", 5: "sorted set", 6: "module value", 7: "module value",
	9: "hash", 10: "list", 11: "set", 12: "sorted set", 13: "hash", 14: "list", 15: "stream",
	16: "hash", 17: "sorted set", 18: "list", 19: "stream", 20: "stream", 21: "stream",
}

// ErrChecksum is a payload whose version is too new or whose CRC does not
// match.
var ErrChecksum = errors.New("rdb: payload version or checksum wrong")

// ErrFormat is a payload that does not decode.
var ErrFormat = errors.New("rdb: bad data format")

// ErrType is a well-formed payload of a type Cairn does not store.
type ErrType struct{ Name string }

func (e *ErrType) Error() string { return "rdb: payload holds a " + e.Name }

// Length encodings (the top two bits of the first byte).
const (
	len6bit  = 0
	len14bit = 1
	len32bit = 0x80
	len64bit = 0x81
	encoded  = 3 // the low six bits say how the string is encoded
	encInt8  = 0
	encInt16 = 1
	encInt32 = 2
	encLZF   = 3
)

// DumpString returns the DUMP payload of a string value.
func DumpString(val []byte) []byte {
	p := make([]byte, 0, len(val)+20)
	p = append(p, typeString)
	p = appendString(p, val)
	p = binary.LittleEndian.AppendUint16(p, Version)
	return binary.LittleEndian.AppendUint64(p, CRC64(0, p))
}

// appendString writes val as Redis does: a canonical integer that fits
// in 32 bits in its integer form, anything else as length and bytes.
func appendString(p, val []byte) []byte {
	if len(val) <= 11 {
		if n, err := strconv.ParseInt(string(val), 10, 64); err == nil && strconv.FormatInt(n, 10) == string(val) {
			switch {
			case n >= -1<<7 && n < 1<<7:
				return append(p, 0xc0|encInt8, byte(n))
			case n >= -1<<15 && n < 1<<15:
				return binary.LittleEndian.AppendUint16(append(p, 0xc0|encInt16), uint16(n))
			case n >= -1<<31 && n < 1<<31:
				return binary.LittleEndian.AppendUint32(append(p, 0xc0|encInt32), uint32(n))
			}
		}
	}
	return append(appendLength(p, uint64(len(val))), val...)
}

func appendLength(p []byte, n uint64) []byte {
	switch {
	case n < 1<<6:
		return append(p, byte(n))
	case n < 1<<14:
		return append(p, byte(n>>8)|len14bit<<6, byte(n))
	case n <= 0xffffffff:
		return binary.BigEndian.AppendUint32(append(p, len32bit), uint32(n))
	}
	return binary.BigEndian.AppendUint64(append(p, len64bit), n)
}

// RestoreString checks a DUMP payload and returns the string it holds.
// What it allocates is bounded by what the payload really encodes, so a
// forged length cannot make it reserve more.
func RestoreString(payload []byte) ([]byte, error) {
	if len(payload) < 10 {
		return nil, ErrChecksum
	}
	body, footer := payload[:len(payload)-10], payload[len(payload)-10:]
	if binary.LittleEndian.Uint16(footer) > Version {
		return nil, ErrChecksum
	}
	if binary.LittleEndian.Uint64(footer[2:]) != CRC64(0, payload[:len(payload)-8]) {
		return nil, ErrChecksum
	}
	if len(body) == 0 {
		return nil, ErrFormat
	}
	if body[0] != typeString {
		if name, ok := typeNames[body[0]]; ok {
			return nil, &ErrType{Name: name}
		}
		return nil, ErrFormat
	}
	// The payload decodes as a string of an RDB file would.
	st := &stream{r: bufio.NewReader(bytes.NewReader(body[1:]))}
	val, err := st.str()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	return val, nil
}

// StringLen is how many bytes val takes serialized as an RDB string (what
// DEBUG OBJECT calls serializedlength).
func StringLen(val []byte) int { return len(appendString(nil, val)) }
