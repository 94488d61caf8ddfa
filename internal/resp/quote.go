package resp

const hexDigits = "0123456789abcdef"

// AppendQuoted appends s in the quoted form Redis uses to show binary-safe
// strings (MONITOR lines, redis-cli on a terminal): printable ASCII as is,
// backslash and double quote escaped, \n \r \t \a \b, other bytes as \xHH.
func AppendQuoted(b, s []byte) []byte {
	b = append(b, '"')
	for _, c := range s {
		switch c {
		case '\\', '"':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		case '\a':
			b = append(b, '\\', 'a')
		case '\b':
			b = append(b, '\\', 'b')
		default:
			if c >= 0x20 && c <= 0x7e {
				b = append(b, c)
			} else {
				b = append(b, '\\', 'x', hexDigits[c>>4], hexDigits[c&15])
			}
		}
	}
	return append(b, '"')
}
