package resp

import (
	"bytes"
	"errors"
	"fmt"
)

// ErrBadReply is wrapped by every error about a malformed reply.
var ErrBadReply = errors.New("resp: malformed reply")

// replyScan walks replies without recursion: pending counts the values
// still owed to open aggregates, so the walk can stop at any element
// boundary and resume there after more bytes arrive.
type replyScan struct {
	pos     int // start of the next value header
	pending int // values still needed to finish the reply
}

// ReplyLen returns the length of the first complete RESP2/RESP3 reply in
// buf (types + - : $ * _ , # ! = ( % ~ > and the attribute prefix |), 0 if
// it is not complete yet, or an error wrapping ErrBadReply. It does not
// allocate.
func ReplyLen(buf []byte) (int, error) {
	s := replyScan{pending: 1}
	done, _, err := s.advance(buf)
	if err != nil || !done {
		return 0, err
	}
	return s.pos, nil
}

// advance consumes as many whole values as buf holds. It returns done when
// the reply is complete (s.pos is then its length); otherwise need is the
// buffer length that would let it progress (len(buf)+1 when unknown).
func (s *replyScan) advance(buf []byte) (done bool, need int, err error) {
	for s.pending > 0 {
		if s.pos >= len(buf) {
			return false, s.pos + 1, nil
		}
		nl := bytes.IndexByte(buf[s.pos:], '\n')
		if nl < 0 {
			return false, len(buf) + 1, nil
		}
		end := s.pos + nl // index of '\n'
		if nl < 1 || buf[end-1] != '\r' {
			return false, 0, fmt.Errorf("%w: line without CRLF at offset %d", ErrBadReply, s.pos)
		}
		t := buf[s.pos]
		line := buf[s.pos+1 : end-1]
		next := end + 1
		switch t {
		case '+', '-', ':', '_', ',', '#', '(':
			s.pending--
		case '$', '!', '=':
			n, ok := ParseInt(line)
			if !ok || n < -1 || n == -1 && t != '$' {
				return false, 0, fmt.Errorf("%w: bad length %q", ErrBadReply, line)
			}
			if n >= 0 {
				if int64(len(buf)-next) < n+2 {
					return false, next + int(n) + 2, nil
				}
				if buf[next+int(n)] != '\r' || buf[next+int(n)+1] != '\n' {
					return false, 0, fmt.Errorf("%w: bulk not followed by CRLF", ErrBadReply)
				}
				next += int(n) + 2
			}
			s.pending--
		case '*', '%', '~', '>', '|':
			n, ok := ParseInt(line)
			if !ok || n < -1 || n == -1 && t != '*' || n > 1<<31 {
				return false, 0, fmt.Errorf("%w: bad length %q", ErrBadReply, line)
			}
			if t == '%' || t == '|' {
				n *= 2
			}
			if t != '|' {
				s.pending-- // an attribute precedes the value it describes
			}
			if n > 0 {
				s.pending += int(n)
			}
		default:
			return false, 0, fmt.Errorf("%w: unknown type byte %q", ErrBadReply, t)
		}
		s.pos = next
	}
	return true, 0, nil
}
