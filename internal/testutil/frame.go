package testutil

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// maxFrameBulk caps a bulk length the scanner accepts, so a corrupt header
// cannot make a test allocate gigabytes.
const maxFrameBulk = 1 << 30

// errFrame marks a reply that is not valid RESP2/RESP3.
var errFrame = errors.New("testutil: malformed reply")

// Frame is one complete RESP2/RESP3 reply as read off the wire.
//
// Raw holds every byte of the reply, including nested elements and any
// attribute (|) that preceded it. Head is the first line without its CRLF
// (type byte included). Elems holds the children of aggregates in wire
// order: for maps and attributes keys and values alternate. For an
// attributed reply, Attr is the attribute frame and the rest of the Frame
// describes the reply it decorates.
type Frame struct {
	Type  byte
	Head  []byte
	Raw   []byte
	Body  []byte // payload of bulk/verbatim/blob-error replies
	Elems []Frame
	Attr  *Frame

	span span
}

// span records byte offsets into the buffer a frame was read into.
type span struct {
	start, end         int
	headStart, headLen int
	bodyStart, bodyLen int
}

// reslice turns the offsets recorded while reading into slices of raw.
func reslice(f *Frame, raw []byte) {
	s := f.span
	f.Raw = raw[s.start:s.end:s.end]
	f.Head = raw[s.headStart : s.headStart+s.headLen : s.headStart+s.headLen]
	if s.bodyLen >= 0 {
		f.Body = raw[s.bodyStart : s.bodyStart+s.bodyLen : s.bodyStart+s.bodyLen]
	}
	for i := range f.Elems {
		reslice(&f.Elems[i], raw)
	}
	if f.Attr != nil {
		reslice(f.Attr, raw)
	}
}

// IsAggregate reports whether the frame has child elements.
func (f *Frame) IsAggregate() bool {
	switch f.Type {
	case '*', '~', '>', '%', '|':
		return true
	}
	return false
}

// IsNull reports RESP3 null or the RESP2 null bulk/array.
func (f *Frame) IsNull() bool {
	return f.Type == '_' || ((f.Type == '$' || f.Type == '*') && string(f.Head[1:]) == "-1")
}

func newReader(r io.Reader) *bufio.Reader { return bufio.NewReaderSize(r, 64<<10) }

// ReadFrame reads exactly one complete reply.
func ReadFrame(r *bufio.Reader) (Frame, error) {
	var raw []byte
	f, err := readFrame(r, &raw)
	if err != nil {
		return Frame{}, err
	}
	reslice(&f, raw)
	return f, nil
}

// ParseFrame parses one reply from the start of b and returns it and the
// number of bytes it used.
func ParseFrame(b []byte) (Frame, int, error) {
	r := bufio.NewReader(&byteSource{b: b})
	var raw []byte
	f, err := readFrame(r, &raw)
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = fmt.Errorf("%w: truncated", errFrame)
		}
		return Frame{}, 0, err
	}
	reslice(&f, raw)
	return f, len(raw), nil
}

type byteSource struct{ b []byte }

func (s *byteSource) Read(p []byte) (int, error) {
	if len(s.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, s.b)
	s.b = s.b[n:]
	return n, nil
}

// readFrame appends the frame's bytes to *raw and records in the returned
// Frame offsets (via span) that reslice later turns into slices of the
// final buffer; slicing earlier would point into storage that append may
// still move.
func readFrame(r *bufio.Reader, raw *[]byte) (Frame, error) {
	start := len(*raw)
	line, err := readLine(r)
	if err != nil {
		return Frame{}, err
	}
	*raw = append(*raw, line...)
	*raw = append(*raw, '\r', '\n')
	if len(line) == 0 {
		return Frame{}, fmt.Errorf("%w: empty line", errFrame)
	}
	f := Frame{Type: line[0], span: span{start: start, headStart: start, headLen: len(line), bodyLen: -1}}
	switch f.Type {
	case '+', '-', ':', '_', ',', '#', '(':
	case '$', '!', '=':
		n, err := strconv.Atoi(string(line[1:]))
		if err != nil || n < -1 || n > maxFrameBulk {
			return Frame{}, fmt.Errorf("%w: bad length %q", errFrame, line)
		}
		if n >= 0 {
			body := make([]byte, n+2)
			if _, err := io.ReadFull(r, body); err != nil {
				return Frame{}, err
			}
			if body[n] != '\r' || body[n+1] != '\n' {
				return Frame{}, fmt.Errorf("%w: bulk not terminated by CRLF", errFrame)
			}
			f.span.bodyStart = len(*raw)
			f.span.bodyLen = n
			*raw = append(*raw, body...)
		}
	case '*', '~', '>', '%', '|':
		n, err := strconv.Atoi(string(line[1:]))
		if err != nil || n < -1 || n > maxFrameBulk {
			return Frame{}, fmt.Errorf("%w: bad count %q", errFrame, line)
		}
		if f.Type == '%' || f.Type == '|' {
			n *= 2
		}
		for i := 0; i < n; i++ {
			e, err := readFrame(r, raw)
			if err != nil {
				return Frame{}, err
			}
			f.Elems = append(f.Elems, e)
		}
		if f.Type == '|' {
			// An attribute decorates the reply that follows it.
			inner, err := readFrame(r, raw)
			if err != nil {
				return Frame{}, err
			}
			attr := f
			attr.span.end = inner.span.start
			inner.Attr = &attr
			inner.span.start = start
			return inner, nil
		}
	default:
		return Frame{}, fmt.Errorf("%w: unknown type byte %q in %q", errFrame, f.Type, line)
	}
	f.span.end = len(*raw)
	return f, nil
}

func readLine(r *bufio.Reader) ([]byte, error) {
	line, err := r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		return nil, fmt.Errorf("%w: header line too long", errFrame)
	}
	if err != nil {
		if err == io.EOF && len(line) > 0 {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	if len(line) < 2 || line[len(line)-2] != '\r' {
		return nil, fmt.Errorf("%w: line %q not terminated by CRLF", errFrame, line)
	}
	return append([]byte(nil), line[:len(line)-2]...), nil
}
