package resp

import (
	"fmt"
	"io"
	"strconv"
)

// Value is one parsed reply. Type is the RESP type byte. Depending on it:
//   - '+', '-', '$', '=', '!', '(' (big number), ',' : Str holds the text
//     ('=' without its "txt:" prefix, which is in Format);
//   - ':' : Int; ',' : Float as well; '#' : Bool;
//   - '*', '~', '>' : Elems; '%' : Elems holds key, value, key, value...;
//   - '_', "$-1", "*-1" : Null is true.
//
// Attrs holds a preceding RESP3 attribute map (flattened like '%'), if any.
type Value struct {
	Type   byte
	Str    []byte
	Int    int64
	Float  float64
	Bool   bool
	Elems  []Value
	Null   bool
	Format string
	Attrs  []Value
}

// IsError reports whether v is an error reply ('-' or '!').
func (v Value) IsError() bool { return v.Type == '-' || v.Type == '!' }

// String renders v compactly for tests and diagnostics.
func (v Value) String() string {
	switch {
	case v.Null:
		return "(nil)"
	case v.Type == ':':
		return strconv.FormatInt(v.Int, 10)
	case v.Type == '#':
		return strconv.FormatBool(v.Bool)
	case v.Elems != nil || v.Type == '*' || v.Type == '%' || v.Type == '~' || v.Type == '>':
		s := string(v.Type) + "["
		for i, e := range v.Elems {
			if i > 0 {
				s += " "
			}
			s += e.String()
		}
		return s + "]"
	}
	return string(v.Str)
}

// Reader reads replies from a stream, e.g. a client connection.
type Reader struct {
	r    io.Reader
	buf  []byte
	head int // start of unread data in buf
	tail int // end of data in buf
}

// NewReader returns a Reader with a 16 KiB initial buffer.
func NewReader(r io.Reader) *Reader {
	return &Reader{r: r, buf: make([]byte, 16<<10)}
}

// ReadRaw returns the bytes of the next complete reply. The slice is valid
// only until the next call.
func (r *Reader) ReadRaw() ([]byte, error) {
	s := replyScan{pending: 1}
	for {
		done, need, err := s.advance(r.buf[r.head:r.tail])
		if err != nil {
			return nil, err
		}
		if done {
			raw := r.buf[r.head : r.head+s.pos]
			r.head += s.pos
			return raw, nil
		}
		if err := r.fill(need); err != nil {
			return nil, err
		}
	}
}

// fill reads until at least need unread bytes are buffered, compacting or
// growing the buffer as needed.
func (r *Reader) fill(need int) error {
	if r.head > 0 && r.head+need > len(r.buf) {
		r.tail = copy(r.buf, r.buf[r.head:r.tail])
		r.head = 0
	}
	if need > len(r.buf) {
		nb := make([]byte, max(need, 2*len(r.buf)))
		r.tail = copy(nb, r.buf[r.head:r.tail])
		r.head = 0
		r.buf = nb
	}
	for r.tail-r.head < need {
		n, err := r.r.Read(r.buf[r.tail:])
		r.tail += n
		if err != nil {
			if err == io.EOF && r.tail > r.head {
				return io.ErrUnexpectedEOF
			}
			return err
		}
	}
	return nil
}

// ReadValue reads and parses the next reply. The Value owns its memory.
func (r *Reader) ReadValue() (Value, error) {
	raw, err := r.ReadRaw()
	if err != nil {
		return Value{}, err
	}
	own := append([]byte(nil), raw...)
	v, _, err := ParseValue(own)
	return v, err
}

// ParseValue parses the complete reply at the start of buf; Str fields
// point into buf. n is the reply's length.
func ParseValue(buf []byte) (v Value, n int, err error) {
	l, err := ReplyLen(buf)
	if err != nil {
		return Value{}, 0, err
	}
	if l == 0 {
		return Value{}, 0, fmt.Errorf("%w: incomplete", ErrBadReply)
	}
	v, n = parseValue(buf)
	return v, n, nil
}

// parseValue parses a reply already checked by ReplyLen.
func parseValue(buf []byte) (Value, int) {
	var attrs []Value
	pos := 0
	for buf[pos] == '|' {
		end := pos + indexCRLF(buf[pos:])
		n, _ := ParseInt(buf[pos+1 : end])
		pos = end + 2
		for i := int64(0); i < 2*n; i++ {
			e, m := parseValue(buf[pos:])
			attrs = append(attrs, e)
			pos += m
		}
	}
	v := Value{Type: buf[pos], Attrs: attrs}
	end := pos + indexCRLF(buf[pos:])
	line := buf[pos+1 : end]
	pos = end + 2
	switch v.Type {
	case '+', '-', '(':
		v.Str = line
	case ':':
		v.Int, _ = ParseInt(line)
	case '_':
		v.Null = true
	case '#':
		v.Bool = len(line) == 1 && line[0] == 't'
	case ',':
		v.Str = line
		v.Float = parseReplyDouble(line)
	case '$', '!', '=':
		n, _ := ParseInt(line)
		if n < 0 {
			v.Null = true
			break
		}
		v.Str = buf[pos : pos+int(n)]
		pos += int(n) + 2
		if v.Type == '=' && len(v.Str) >= 4 && v.Str[3] == ':' {
			v.Format = string(v.Str[:3])
			v.Str = v.Str[4:]
		}
	case '*', '%', '~', '>':
		n, _ := ParseInt(line)
		if n < 0 {
			v.Null = true
			break
		}
		if v.Type == '%' {
			n *= 2
		}
		v.Elems = make([]Value, 0, n)
		for i := int64(0); i < n; i++ {
			e, m := parseValue(buf[pos:])
			v.Elems = append(v.Elems, e)
			pos += m
		}
	}
	return v, pos
}

func indexCRLF(b []byte) int {
	for i := 0; i+1 < len(b); i++ {
		if b[i] == '\r' && b[i+1] == '\n' {
			return i
		}
	}
	return len(b)
}

// parseReplyDouble reads a RESP3 double as sent by servers ("inf", "-inf",
// "nan" included).
func parseReplyDouble(b []byte) float64 {
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return 0
	}
	return f
}
