package resp

import (
	"bytes"
	"math"
)

// Limits Redis 7.0 applies to requests; see doc.go for why each exists.
const (
	// DefaultMaxBulkLen is proto-max-bulk-len's default (512 MiB).
	DefaultMaxBulkLen = 512 << 20
	// maxLineBuffered is how many bytes may sit in the buffer while the
	// parser still waits for the end of an inline request or of a
	// multibulk/bulk header line; one more byte is a protocol error.
	maxLineBuffered = 64 << 10
	// maxMultibulkLen is the largest accepted argument count (C's INT_MAX).
	maxMultibulkLen = math.MaxInt32
	// Limits for clients that still have to AUTH.
	maxUnauthMultibulkLen = 10
	maxUnauthBulkLen      = 16384
)

// span locates one finished bulk argument of the request being parsed,
// relative to the request start. Offsets rather than slices are kept
// because the caller may move the request to a bigger buffer between calls.
type span struct{ off, len int }

// Parser is an incremental request parser for one connection. Not safe for
// concurrent use.
//
// Between calls that return "incomplete" the parser keeps how far it got:
// the argument count, the finished arguments, the header or data it is in,
// and where to resume the search for a line end. Every byte of a request is
// therefore examined a bounded number of times however it is split.
type Parser struct {
	// MaxBulkLen is proto-max-bulk-len; 0 means DefaultMaxBulkLen.
	MaxBulkLen int64
	// Unauthenticated applies Redis 7's tighter limits for clients that
	// have not yet authenticated (argument count <= 10, bulk <= 16384).
	Unauthenticated bool

	args  [][]byte // returned to the caller, reused by the next call
	spans []span

	inMulti bool  // the "*<count>" line is done; reading bulks
	left    int   // bulks still to read
	pos     int   // start of the next bulk header or bulk data
	bulkLen int64 // length of the bulk at pos; -1 while its header is unread
	scan    int   // where the search for the current line end resumes
	stuck   bool  // a NUL byte came before the line end (see doc.go)
	need    int
}

// Reset forgets any partly parsed request.
func (p *Parser) Reset() {
	p.inMulti = false
	p.left = 0
	p.pos = 0
	p.bulkLen = -1
	p.scan = 0
	p.stuck = false
	p.need = 0
	p.spans = p.spans[:0]
}

// Need returns how many bytes the buffer must hold, counted from the
// request start, before the next call to Next can make progress. While a
// bulk's data is being awaited this is the end of that bulk plus its CRLF,
// so a reader can grow its buffer once instead of in steps.
func (p *Parser) Need() int { return p.need }

// Next parses the next request at the start of buf.
//
//   - complete request: args point into buf (the [][]byte is reused by the
//     next call), n is the number of bytes consumed, err is nil.
//   - empty request (blank inline line, "*0\r\n", "*-1\r\n"): n > 0 and
//     len(args) == 0; the caller skips it.
//   - incomplete: n == 0 and err == nil; call again with the same request
//     start once more bytes have been appended.
//   - protocol error: err is a *ProtocolError; the caller replies
//     "-ERR "+Msg and closes the connection after earlier replies.
//
// An inline request is unescaped in place, so its bytes in buf are
// overwritten.
func (p *Parser) Next(buf []byte) (args [][]byte, n int, err error) {
	if len(buf) == 0 {
		p.need = 1
		return nil, 0, nil
	}
	if !p.inMulti {
		if buf[0] != '*' {
			return p.inline(buf)
		}
		end, ok := p.lineEnd(buf)
		if !ok {
			if !p.stuck && end < len(buf) {
				// '\r' is the last byte: Redis wants one more.
				p.need = end + 2
				return nil, 0, nil
			}
			if len(buf) > maxLineBuffered {
				p.Reset()
				return nil, 0, errTooBigMbulkCount
			}
			p.need = len(buf) + 1
			return nil, 0, nil
		}
		count, ok := ParseInt(buf[1:end])
		if !ok || count > maxMultibulkLen {
			p.Reset()
			return nil, 0, errInvalidMbulkLen
		}
		if count > maxUnauthMultibulkLen && p.Unauthenticated {
			p.Reset()
			return nil, 0, errUnauthMbulkLen
		}
		if count <= 0 {
			p.Reset()
			return p.args[:0], end + 2, nil
		}
		p.inMulti = true
		p.left = int(count)
		p.pos = end + 2
		p.scan = p.pos
		p.bulkLen = -1
		p.spans = p.spans[:0]
	}
	for p.left > 0 {
		if p.bulkLen < 0 {
			end, ok := p.lineEnd(buf)
			if !ok {
				if !p.stuck && end < len(buf) {
					p.need = end + 2
					return nil, 0, nil
				}
				if len(buf)-p.pos > maxLineBuffered {
					p.Reset()
					return nil, 0, errTooBigBulkCount
				}
				p.need = len(buf) + 1
				return nil, 0, nil
			}
			if buf[p.pos] != '$' {
				c := buf[p.pos]
				p.Reset()
				return nil, 0, expectedDollar(c)
			}
			l, ok := ParseInt(buf[p.pos+1 : end])
			max := p.MaxBulkLen
			if max == 0 {
				max = DefaultMaxBulkLen
			}
			if !ok || l < 0 || l > max {
				p.Reset()
				return nil, 0, errInvalidBulkLen
			}
			if l > maxUnauthBulkLen && p.Unauthenticated {
				p.Reset()
				return nil, 0, errUnauthBulkLen
			}
			p.bulkLen = l
			p.pos = end + 2
		}
		// Redis skips the two bytes after the data without checking that
		// they are "\r\n"; so do we.
		if int64(len(buf)-p.pos) < p.bulkLen+2 {
			p.need = p.pos + int(p.bulkLen) + 2
			return nil, 0, nil
		}
		p.spans = append(p.spans, span{p.pos, int(p.bulkLen)})
		p.pos += int(p.bulkLen) + 2
		p.scan = p.pos
		p.bulkLen = -1
		p.left--
	}
	args = p.args[:0]
	for _, s := range p.spans {
		args = append(args, buf[s.off:s.off+s.len:s.off+s.len])
	}
	p.args = args
	n = p.pos
	p.Reset()
	return args, n, nil
}

// lineEnd looks for the '\r' that ends the header line starting at p.pos
// (or at 0 for the count line, where p.pos is 0 too). Like Redis, which
// searches the NUL-terminated buffer with strchr, it never finds a '\r' that
// follows a NUL byte; such a request waits until the size limit trips.
// ok means the '\r' and the byte after it (taken as '\n', unchecked) are
// present; otherwise end is the '\r' (if found) or len(buf).
func (p *Parser) lineEnd(buf []byte) (end int, ok bool) {
	if p.stuck {
		return len(buf), false
	}
	i := p.scan
	for ; i < len(buf); i++ {
		c := buf[i]
		if c == '\r' {
			p.scan = i
			if i+1 < len(buf) {
				return i, true
			}
			return i, false
		}
		if c == 0 {
			p.stuck = true
			return len(buf), false
		}
	}
	p.scan = i
	return len(buf), false
}

// inline handles a request whose first byte is not '*': one line, split
// into arguments with Redis's quoting rules.
func (p *Parser) inline(buf []byte) ([][]byte, int, error) {
	nl := -1
	if !p.stuck {
		rest := buf[p.scan:]
		j := bytes.IndexByte(rest, '\n')
		if j >= 0 {
			rest = rest[:j]
		}
		if z := bytes.IndexByte(rest, 0); z >= 0 {
			p.stuck = true
		} else if j >= 0 {
			nl = p.scan + j
		} else {
			p.scan = len(buf)
		}
	}
	if nl < 0 {
		if len(buf) > maxLineBuffered {
			p.Reset()
			return nil, 0, errTooBigInline
		}
		p.need = len(buf) + 1
		return nil, 0, nil
	}
	line := buf[:nl]
	if nl > 0 && line[nl-1] == '\r' {
		line = line[:nl-1]
	}
	p.Reset()
	args, ok := splitInline(line, p.args[:0])
	p.args = args
	if !ok {
		return nil, 0, errUnbalancedQuotes
	}
	return args, nl + 1, nil
}
