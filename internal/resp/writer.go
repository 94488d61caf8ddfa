package resp

import "strconv"

// The Append* functions encode one reply (or an aggregate's header) at the
// end of b and return the extended slice, like strconv.Append*. They never
// allocate unless b has to grow.

// AppendSimple appends a simple string (+s). s must not contain CR or LF.
func AppendSimple(b []byte, s string) []byte {
	b = append(b, '+')
	b = append(b, s...)
	return append(b, '\r', '\n')
}

// AppendError appends an error reply (-s). s carries its own code, e.g.
// "ERR unknown command". Like Redis, any CR or LF in s becomes a space so a
// message can never break the framing.
func AppendError(b []byte, s string) []byte {
	b = append(b, '-')
	start := len(b)
	b = append(b, s...)
	for i := start; i < len(b); i++ {
		if b[i] == '\r' || b[i] == '\n' {
			b[i] = ' '
		}
	}
	return append(b, '\r', '\n')
}

// AppendInt appends an integer reply (:n).
func AppendInt(b []byte, n int64) []byte {
	b = append(b, ':')
	b = strconv.AppendInt(b, n, 10)
	return append(b, '\r', '\n')
}

// AppendUint appends the decimal digits of n (no type byte, no CRLF).
func AppendUint(b []byte, n uint64) []byte {
	if n < 10 {
		return append(b, byte('0'+n))
	}
	return strconv.AppendUint(b, n, 10)
}

func appendHeader(b []byte, t byte, n int64) []byte {
	b = append(b, t)
	if n >= 0 && n < 10 {
		b = append(b, byte('0'+n))
	} else {
		b = strconv.AppendInt(b, n, 10)
	}
	return append(b, '\r', '\n')
}

// AppendBulk appends a bulk string ($len CRLF data CRLF).
func AppendBulk(b []byte, s []byte) []byte {
	b = appendHeader(b, '$', int64(len(s)))
	b = append(b, s...)
	return append(b, '\r', '\n')
}

// AppendBulkString appends a bulk string.
func AppendBulkString(b []byte, s string) []byte {
	b = appendHeader(b, '$', int64(len(s)))
	b = append(b, s...)
	return append(b, '\r', '\n')
}

// AppendBulkInt appends n formatted in decimal as a bulk string.
func AppendBulkInt(b []byte, n int64) []byte {
	var tmp [20]byte
	d := strconv.AppendInt(tmp[:0], n, 10)
	b = appendHeader(b, '$', int64(len(d)))
	b = append(b, d...)
	return append(b, '\r', '\n')
}

// AppendNullBulk appends the RESP2 null bulk string ($-1).
func AppendNullBulk(b []byte) []byte { return append(b, "$-1\r\n"...) }

// AppendNullArray appends the RESP2 null array (*-1).
func AppendNullArray(b []byte) []byte { return append(b, "*-1\r\n"...) }

// AppendNull appends the RESP3 null (_).
func AppendNull(b []byte) []byte { return append(b, "_\r\n"...) }

// AppendArrayLen appends an array header (*n); n elements follow.
func AppendArrayLen(b []byte, n int) []byte { return appendHeader(b, '*', int64(n)) }

// AppendMapLen appends a RESP3 map header (%n); 2n elements follow.
func AppendMapLen(b []byte, n int) []byte { return appendHeader(b, '%', int64(n)) }

// AppendSetLen appends a RESP3 set header (~n).
func AppendSetLen(b []byte, n int) []byte { return appendHeader(b, '~', int64(n)) }

// AppendPushLen appends a RESP3 push header (>n).
func AppendPushLen(b []byte, n int) []byte { return appendHeader(b, '>', int64(n)) }

// AppendBool appends a RESP3 boolean (#t or #f).
func AppendBool(b []byte, v bool) []byte {
	if v {
		return append(b, "#t\r\n"...)
	}
	return append(b, "#f\r\n"...)
}

// AppendVerbatim appends a RESP3 verbatim string (=len CRLF fmt:s CRLF).
// format must be exactly three bytes, e.g. "txt".
func AppendVerbatim(b []byte, format, s string) []byte {
	b = appendHeader(b, '=', int64(len(format)+1+len(s)))
	b = append(b, format...)
	b = append(b, ':')
	b = append(b, s...)
	return append(b, '\r', '\n')
}
