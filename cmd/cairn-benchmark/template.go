package main

import (
	"bytes"
	"strconv"
)

// randMarker is the argument text that is replaced by a 12-digit key
// number, as in redis-benchmark.
const randMarker = "__rand_int__"

// keyDigits is the width of a substituted key number.
const keyDigits = len(randMarker)

// valueArg marks an argument that is the payload (-d): its size may vary
// per request when a size range is given.
const valueArg = "\x00value\x00"

type segKind uint8

const (
	segLiteral segKind = iota // bytes copied as they are
	segRand                   // 12 digits chosen by the key distribution
	segValue                  // a whole bulk string ("$n\r\n" + n bytes + "\r\n")
)

type segment struct {
	kind segKind
	lit  []byte
}

// template is one request compiled into segments, so that building it
// costs a few appends per request.
type template struct {
	segs []segment
}

// compile turns a command's arguments into a template. An argument equal
// to valueArg becomes a value slot; every "__rand_int__" inside another
// argument becomes a key slot (only when substitute is set, as
// redis-benchmark substitutes only with -r).
func compile(args []string, substitute bool) template {
	var t template
	lit := []byte{'*'}
	lit = strconv.AppendInt(lit, int64(len(args)), 10)
	lit = append(lit, '\r', '\n')
	flush := func() {
		if len(lit) > 0 {
			t.segs = append(t.segs, segment{kind: segLiteral, lit: lit})
			lit = nil
		}
	}
	for _, a := range args {
		if a == valueArg {
			flush()
			t.segs = append(t.segs, segment{kind: segValue})
			continue
		}
		lit = append(lit, '$')
		lit = strconv.AppendInt(lit, int64(len(a)), 10)
		lit = append(lit, '\r', '\n')
		rest := []byte(a)
		for substitute {
			i := bytes.Index(rest, []byte(randMarker))
			if i < 0 {
				break
			}
			lit = append(lit, rest[:i]...)
			flush()
			t.segs = append(t.segs, segment{kind: segRand})
			rest = rest[i+keyDigits:]
		}
		lit = append(lit, rest...)
		lit = append(lit, '\r', '\n')
	}
	flush()
	return t
}

// keySource yields the number for each key slot.
type keySource interface {
	next() uint64
}

// valueSource yields the payload size for each value slot.
type valueSource interface {
	size() int
}

// payload is shared read-only filler for values, like redis-benchmark's
// 'x' bytes.
var payload = bytes.Repeat([]byte{'x'}, 1<<20)

// appendTo appends one request built from t to b.
func (t *template) appendTo(b []byte, keys keySource, vals valueSource) []byte {
	for i := range t.segs {
		s := &t.segs[i]
		switch s.kind {
		case segLiteral:
			b = append(b, s.lit...)
		case segRand:
			b = appendDigits12(b, keys.next())
		case segValue:
			n := vals.size()
			b = append(b, '$')
			b = strconv.AppendInt(b, int64(n), 10)
			b = append(b, '\r', '\n')
			b = append(b, payload[:n]...)
			b = append(b, '\r', '\n')
		}
	}
	return b
}

// appendDigits12 appends n as exactly 12 decimal digits with leading
// zeros (redis-benchmark's "%012llu"); larger n keep their low 12 digits.
func appendDigits12(b []byte, n uint64) []byte {
	var d [keyDigits]byte
	for i := keyDigits - 1; i >= 0; i-- {
		d[i] = byte('0' + n%10)
		n /= 10
	}
	return append(b, d[:]...)
}
