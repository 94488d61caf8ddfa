package acl

// globMatch matches s against a Redis glob pattern (* ? [abc] [^a] [a-z]
// and \x escapes), case-sensitively, as key and channel patterns are
// matched.
func globMatch(pattern string, s []byte) bool {
	p, i := 0, 0
	// Backtracking point of the last '*': where it stood in the pattern
	// and how much of s it has swallowed so far.
	starP, starI := -1, 0
	for i < len(s) || p < len(pattern) {
		if p < len(pattern) {
			switch pattern[p] {
			case '*':
				for p < len(pattern) && pattern[p] == '*' {
					p++
				}
				if p == len(pattern) {
					return true
				}
				starP, starI = p, i
				continue
			case '?':
				if i < len(s) {
					p++
					i++
					continue
				}
			case '[':
				if i < len(s) {
					if next, ok := matchClass(pattern, p, s[i]); ok {
						p, i = next, i+1
						continue
					}
				}
			default:
				c := pattern[p]
				next := p + 1
				if c == '\\' && p+1 < len(pattern) {
					c, next = pattern[p+1], p+2
				}
				if i < len(s) && s[i] == c {
					p, i = next, i+1
					continue
				}
			}
		}
		if starP < 0 || starI >= len(s) {
			return false
		}
		starI++
		p, i = starP, starI
	}
	return true
}

// matchClass matches c against the class starting at pattern[p] == '['
// and returns the index after the class.
func matchClass(pattern string, p int, c byte) (int, bool) {
	p++
	not := p < len(pattern) && pattern[p] == '^'
	if not {
		p++
	}
	match := false
	for p < len(pattern) && pattern[p] != ']' {
		switch {
		case pattern[p] == '\\' && p+1 < len(pattern):
			p++
			if pattern[p] == c {
				match = true
			}
		case p+2 < len(pattern) && pattern[p+1] == '-' && pattern[p+2] != ']':
			lo, hi := pattern[p], pattern[p+2]
			if lo > hi {
				lo, hi = hi, lo
			}
			if c >= lo && c <= hi {
				match = true
			}
			p += 2
		default:
			if pattern[p] == c {
				match = true
			}
		}
		p++
	}
	// An unterminated class ends the pattern, as in Redis.
	if p < len(pattern) {
		p++
	}
	return p, match != not
}
