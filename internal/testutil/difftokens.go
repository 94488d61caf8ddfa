package testutil

import (
	"fmt"
	"strconv"
)

// token is one word of a script line. Quoted tells whether the word was
// written in quotes: a quoted "!sort" is an argument, not a directive.
type token struct {
	text   []byte
	quoted bool
}

// splitLine splits a script line the way redis-cli splits its input:
// words are separated by blanks; a word that starts with a double quote
// understands \n \r \t \b \a \\ \" and \xHH (any other escaped byte stands
// for itself); a word in single quotes understands only \'. A closing
// quote must be followed by a blank or the end of the line. Quotes are
// recognised only at the start of a word.
func splitLine(line string) ([]token, error) {
	var toks []token
	i := 0
	for {
		for i < len(line) && isBlank(line[i]) {
			i++
		}
		if i >= len(line) {
			return toks, nil
		}
		var tok token
		switch line[i] {
		case '"':
			tok.quoted = true
			i++
			for {
				if i >= len(line) {
					return nil, fmt.Errorf("unbalanced double quote")
				}
				c := line[i]
				if c == '"' {
					i++
					break
				}
				if c == '\\' && i+1 < len(line) {
					i++
					switch e := line[i]; e {
					case 'n':
						c = '\n'
					case 'r':
						c = '\r'
					case 't':
						c = '\t'
					case 'b':
						c = '\b'
					case 'a':
						c = '\a'
					case 'x':
						if i+2 < len(line) && isHex(line[i+1]) && isHex(line[i+2]) {
							v, _ := strconv.ParseUint(line[i+1:i+3], 16, 8)
							c = byte(v)
							i += 2
						} else {
							c = 'x'
						}
					default:
						c = e
					}
				}
				tok.text = append(tok.text, c)
				i++
			}
		case '\'':
			tok.quoted = true
			i++
			for {
				if i >= len(line) {
					return nil, fmt.Errorf("unbalanced single quote")
				}
				c := line[i]
				if c == '\'' {
					i++
					break
				}
				if c == '\\' && i+1 < len(line) && line[i+1] == '\'' {
					i++
					c = '\''
				}
				tok.text = append(tok.text, c)
				i++
			}
		default:
			for i < len(line) && !isBlank(line[i]) {
				tok.text = append(tok.text, line[i])
				i++
			}
			toks = append(toks, tok)
			continue
		}
		if i < len(line) && !isBlank(line[i]) {
			return nil, fmt.Errorf("closing quote must be followed by a blank")
		}
		if tok.text == nil {
			tok.text = []byte{}
		}
		toks = append(toks, tok)
	}
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}
