package config

import (
	"strings"

	"cairn/internal/resp"
)

var errUnbalancedQuotes = replyError("Unbalanced quotes in configuration line")

// splitArgs splits one config line into arguments with Redis's quoting
// rules (see resp.SplitArgs).
func splitArgs(line string) ([]string, error) {
	args, ok := resp.SplitArgs(line)
	if !ok {
		return nil, errUnbalancedQuotes
	}
	return args, nil
}

// quoteArg renders s as a double-quoted argument that splitArgs reads back
// unchanged: the form Redis uses for string values in CONFIG REWRITE and
// when it echoes command-line options in errors.
func quoteArg(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\', '"':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\a':
			b.WriteString(`\a`)
		case '\b':
			b.WriteString(`\b`)
		default:
			if c >= 0x20 && c < 0x7f {
				b.WriteByte(c)
			} else {
				const hex = "0123456789abcdef"
				b.WriteString(`\x`)
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&15])
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
