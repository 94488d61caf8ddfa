package config

// globMatch reports whether name matches pattern under Redis's glob rules,
// case-insensitively as CONFIG GET uses them: '*' any run, '?' one byte,
// [abc] [^abc] [a-z] classes (a reversed range matches too), and '\' to
// take the next byte literally, also inside a class.
func globMatch(pattern, name string) bool {
	for len(pattern) > 0 {
		switch pattern[0] {
		case '*':
			for len(pattern) > 1 && pattern[1] == '*' {
				pattern = pattern[1:]
			}
			if len(pattern) == 1 {
				return true
			}
			for i := 0; i <= len(name); i++ {
				if globMatch(pattern[1:], name[i:]) {
					return true
				}
			}
			return false
		case '?':
			if len(name) == 0 {
				return false
			}
			name = name[1:]
			pattern = pattern[1:]
		case '[':
			if len(name) == 0 {
				return false
			}
			var ok bool
			ok, pattern = matchClass(pattern[1:], lower(name[0]))
			if !ok {
				return false
			}
			name = name[1:]
		case '\\':
			if len(pattern) >= 2 {
				pattern = pattern[1:]
			}
			fallthrough
		default:
			if len(name) == 0 || lower(pattern[0]) != lower(name[0]) {
				return false
			}
			name = name[1:]
			pattern = pattern[1:]
		}
	}
	return len(name) == 0
}

// matchClass matches c against the class body p (just after '[') and
// returns the pattern after the closing ']'. An unterminated class runs to
// the end of the pattern.
func matchClass(p string, c byte) (bool, string) {
	not := false
	if len(p) > 0 && p[0] == '^' {
		not = true
		p = p[1:]
	}
	match := false
	for len(p) > 0 && p[0] != ']' {
		switch {
		case p[0] == '\\' && len(p) >= 2:
			if lower(p[1]) == c {
				match = true
			}
			p = p[2:]
		case len(p) >= 3 && p[1] == '-':
			lo, hi := lower(p[0]), lower(p[2])
			if lo > hi {
				lo, hi = hi, lo
			}
			if c >= lo && c <= hi {
				match = true
			}
			p = p[3:]
		default:
			if lower(p[0]) == c {
				match = true
			}
			p = p[1:]
		}
	}
	if len(p) > 0 {
		p = p[1:] // the closing ']'
	}
	return match != not, p
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// hasGlob reports whether pattern uses any glob syntax; CONFIG GET treats a
// plain name as an exact lookup that answers with the name as given.
func hasGlob(pattern string) bool {
	for i := 0; i < len(pattern); i++ {
		switch pattern[i] {
		case '*', '?', '[', '\\':
			return true
		}
	}
	return false
}
