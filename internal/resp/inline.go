package resp

// isSpace is C's isspace in the "C" locale, which Redis uses to skip blanks
// between inline arguments and to check what follows a closing quote.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func hexVal(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// splitInline splits an inline request line (without its line end) into
// arguments the way Redis's sdssplitargs does, appending them to args.
// Unescaping happens in place: every argument is written at or before the
// bytes it came from, so line is overwritten but never read after it was
// written. ok is false for an unterminated quote or a closing quote that is
// followed by something other than a blank.
//
// Quirks kept on purpose: an unquoted argument ends only at ' ', '\t', '\r'
// or '\n' (so "a\vb" is one argument) while blanks between arguments are
// any isspace byte; a quote may open in the middle of an argument
// (a"b c" is "ab c"); unknown escapes in double quotes stand for the
// escaped byte; single quotes only know \'.
func splitInline(line []byte, args [][]byte) ([][]byte, bool) {
	n := len(line)
	i := 0
	for {
		for i < n && isSpace(line[i]) {
			i++
		}
		if i >= n {
			return args, true
		}
		start, w := i, i
		inDouble, inSingle := false, false
	token:
		for {
			switch {
			case inDouble:
				if i >= n {
					return args, false
				}
				c := line[i]
				switch {
				case c == '\\' && i+3 < n && line[i+1] == 'x' && isHex(line[i+2]) && isHex(line[i+3]):
					line[w] = hexVal(line[i+2])<<4 | hexVal(line[i+3])
					w++
					i += 4
				case c == '\\' && i+1 < n:
					e := line[i+1]
					switch e {
					case 'n':
						e = '\n'
					case 'r':
						e = '\r'
					case 't':
						e = '\t'
					case 'b':
						e = '\b'
					case 'a':
						e = '\a'
					}
					line[w] = e
					w++
					i += 2
				case c == '"':
					if i+1 < n && !isSpace(line[i+1]) {
						return args, false
					}
					i++
					break token
				default:
					line[w] = c
					w++
					i++
				}
			case inSingle:
				if i >= n {
					return args, false
				}
				c := line[i]
				switch {
				case c == '\\' && i+1 < n && line[i+1] == '\'':
					line[w] = '\''
					w++
					i += 2
				case c == '\'':
					if i+1 < n && !isSpace(line[i+1]) {
						return args, false
					}
					i++
					break token
				default:
					line[w] = c
					w++
					i++
				}
			default:
				if i >= n {
					break token
				}
				c := line[i]
				switch c {
				case ' ', '\n', '\r', '\t':
					i++
					break token
				case '"':
					inDouble = true
				case '\'':
					inSingle = true
				default:
					line[w] = c
					w++
				}
				i++
			}
		}
		args = append(args, line[start:w:w])
	}
}

// SplitArgs splits line with the quoting rules Redis shares between inline
// requests, redis.conf lines and redis-cli input, and returns copies of
// the arguments; ok is false when the quotes do not balance. A blank line
// gives no arguments.
func SplitArgs(line string) (args []string, ok bool) {
	parts, ok := splitInline([]byte(line), nil)
	if !ok {
		return nil, false
	}
	for _, p := range parts {
		args = append(args, string(p))
	}
	return args, true
}
