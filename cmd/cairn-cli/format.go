package main

import (
	"strconv"
	"strings"

	"cairn/internal/resp"
)

// outputMode is how replies are printed; each one reproduces redis-cli
// 7.0's bytes for the same reply.
type outputMode int

const (
	outputTTY        outputMode = iota // human formatting: (integer) 1, "quoted", 1) ...
	outputRaw                          // values as they are, one per line
	outputCSV                          // comma separated, strings quoted
	outputJSON                         // JSON, strings escaped as JSON
	outputQuotedJSON                   // JSON with strings quoted as in TTY mode
)

// formatReply renders a top-level reply in mode. verbatim prints the value
// as raw text with nothing added (redis-cli does so for INFO, CLIENT LIST
// and similar reports even on a terminal).
func formatReply(v resp.Value, mode outputMode, verbatim bool) []byte {
	var b []byte
	switch {
	case verbatim:
		b = appendRaw(b, v, "\n")
	case mode == outputTTY:
		b = appendTTY(b, v, "")
	case mode == outputRaw:
		b = appendRaw(b, v, "\n")
		b = append(b, '\n')
	case mode == outputCSV:
		b = appendCSV(b, v)
		b = append(b, '\n')
	default:
		b = appendJSON(b, v, mode == outputQuotedJSON)
		b = append(b, '\n')
	}
	return b
}

// appendTTY is the terminal format. prefix is the indentation of nested
// elements after the first (the first one follows its parent's index).
func appendTTY(b []byte, v resp.Value, prefix string) []byte {
	if v.Null {
		return append(b, "(nil)\n"...)
	}
	switch v.Type {
	case '-', '!':
		b = append(b, "(error) "...)
		b = append(b, v.Str...)
	case '+', '=':
		b = append(b, v.Str...)
	case ':':
		b = append(b, "(integer) "...)
		b = strconv.AppendInt(b, v.Int, 10)
	case ',':
		b = append(b, "(double) "...)
		b = append(b, v.Str...)
	case '(':
		// redis-cli 7.0 aborts on big numbers; 7.2 prints them like this.
		b = append(b, "(big number) "...)
		b = append(b, v.Str...)
	case '#':
		if v.Bool {
			b = append(b, "(true)"...)
		} else {
			b = append(b, "(false)"...)
		}
	case '$':
		b = appendRepr(b, v.Str)
	case '*', '%', '~', '>':
		return appendTTYAggregate(b, v, prefix)
	}
	return append(b, '\n')
}

func appendTTYAggregate(b []byte, v resp.Value, prefix string) []byte {
	n := len(v.Elems)
	if n == 0 {
		switch v.Type {
		case '%':
			return append(b, "(empty hash)\n"...)
		case '~':
			return append(b, "(empty set)\n"...)
		case '>':
			return append(b, "(empty push)\n"...)
		}
		return append(b, "(empty array)\n"...)
	}
	count := n
	sep := byte(')')
	switch v.Type {
	case '%':
		count /= 2
		sep = '#'
	case '~':
		sep = '~'
	}
	width := len(strconv.Itoa(count))
	inner := prefix + strings.Repeat(" ", width+2)
	step := 1
	if v.Type == '%' {
		step = 2
	}
	for i := 0; i < n; i += step {
		if i > 0 {
			b = append(b, prefix...)
		}
		idx := strconv.Itoa(i/step + 1)
		for pad := width - len(idx); pad > 0; pad-- {
			b = append(b, ' ')
		}
		b = append(b, idx...)
		b = append(b, sep, ' ')
		b = appendTTY(b, v.Elems[i], inner)
		if v.Type == '%' {
			// The key's newline gives way to " => "; a value spanning
			// several lines starts on a line of its own.
			b = b[:len(b)-1]
			b = append(b, " => "...)
			val := appendTTY(nil, v.Elems[i+1], inner)
			if strings.IndexByte(string(val[:len(val)-1]), '\n') >= 0 {
				b = append(b, '\n')
				b = append(b, inner...)
			}
			b = append(b, val...)
		}
	}
	return b
}

// appendRaw is the --raw format (without the final newline); delim
// separates elements and map entries (-d, default newline).
func appendRaw(b []byte, v resp.Value, delim string) []byte {
	if v.Null {
		return b
	}
	switch v.Type {
	case '-', '!':
		b = append(b, v.Str...)
		return append(b, '\n')
	case ':':
		return strconv.AppendInt(b, v.Int, 10)
	case '#':
		if v.Bool {
			return append(b, "(true)"...)
		}
		return append(b, "(false)"...)
	case '*', '~', '>':
		for i, e := range v.Elems {
			if i > 0 {
				b = append(b, delim...)
			}
			b = appendRaw(b, e, delim)
		}
		return b
	case '%':
		for i := 0; i+1 < len(v.Elems); i += 2 {
			if i > 0 {
				b = append(b, delim...)
			}
			b = appendRaw(b, v.Elems[i], delim)
			b = append(b, ' ')
			b = appendRaw(b, v.Elems[i+1], delim)
		}
		return b
	}
	return append(b, v.Str...)
}

// appendCSV is the --csv format: aggregates flattened, comma separated.
func appendCSV(b []byte, v resp.Value) []byte {
	if v.Null {
		return append(b, "NULL"...)
	}
	switch v.Type {
	case '-', '!':
		b = append(b, "ERROR,"...)
		return appendRepr(b, v.Str)
	case ':':
		return strconv.AppendInt(b, v.Int, 10)
	case ',', '(':
		return append(b, v.Str...)
	case '#':
		if v.Bool {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	case '*', '%', '~', '>':
		for i, e := range v.Elems {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendCSV(b, e)
		}
		return b
	}
	return appendRepr(b, v.Str)
}

// appendJSON is the --json format (quoted: --quoted-json).
func appendJSON(b []byte, v resp.Value, quoted bool) []byte {
	if v.Null {
		return append(b, "null"...)
	}
	switch v.Type {
	case '-', '!':
		b = append(b, "error:"...)
		return appendJSONString(b, v.Str, quoted)
	case ':':
		return strconv.AppendInt(b, v.Int, 10)
	case ',', '(':
		return append(b, v.Str...)
	case '#':
		if v.Bool {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	case '*', '~', '>':
		b = append(b, '[')
		for i, e := range v.Elems {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSON(b, e, quoted)
		}
		return append(b, ']')
	case '%':
		b = append(b, '{')
		for i := 0; i+1 < len(v.Elems); i += 2 {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONKey(b, v.Elems[i], quoted)
			b = append(b, ':')
			b = appendJSON(b, v.Elems[i+1], quoted)
		}
		return append(b, '}')
	}
	return appendJSONString(b, v.Str, quoted)
}

// appendJSONKey writes a map key: strings as JSON strings, errors as they
// render, anything else rendered and wrapped in quotes (as redis-cli does).
func appendJSONKey(b []byte, k resp.Value, quoted bool) []byte {
	if !k.Null {
		switch k.Type {
		case '$', '+', '=':
			return appendJSONString(b, k.Str, quoted)
		case '-', '!':
			return appendJSON(b, k, quoted)
		}
	}
	b = append(b, '"')
	b = appendJSON(b, k, quoted)
	return append(b, '"')
}

func appendJSONString(b []byte, s []byte, quoted bool) []byte {
	if quoted {
		// redis-cli 7.0 quotes the string as on a terminal, then doubles
		// its backslashes (and leaves the inner quotes alone).
		for _, c := range appendRepr(nil, s) {
			if c == '\\' {
				b = append(b, '\\')
			}
			b = append(b, c)
		}
		return b
	}
	b = append(b, '"')
	for _, c := range s {
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			if c < 0x20 {
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
			} else {
				b = append(b, c)
			}
		}
	}
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"

// appendRepr quotes s as redis-cli shows strings on a terminal.
func appendRepr(b []byte, s []byte) []byte { return resp.AppendQuoted(b, s) }
