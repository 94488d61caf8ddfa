package command

// globMatch reports whether s matches the glob pattern the way Redis 7.0
// matches KEYS, SCAN MATCH, CONFIG GET and COMMAND LIST patterns. A star
// matches any run of bytes (including none), '?' any one byte, "[abc]" one
// byte of the set, "[^abc]" one byte outside it, "[a-z]" a range (its ends
// in either order), and a backslash makes the next byte literal, inside
// brackets too.
//
// The corner cases follow Redis rather than a textbook glob, because
// clients see the difference:
//   - An unterminated bracket ends at the end of the pattern: "[ab" is
//     the set {a, b}.
//   - In "[a-]" the dash still forms a range, with ']' as its other end.
//   - Range ends compare as signed bytes (C char), so a range reaching
//     past 0x7f wraps around below the ASCII ones.
//   - nocase folds ASCII letters only, and not a byte escaped inside
//     brackets.
//   - The empty string matches only the empty pattern ("*" does not match
//     it; callers that treat a lone "*" as "everything" do so themselves).
//   - A pattern with more than 1000 stars that are followed by more
//     pattern matches nothing (Redis's guard against runaway recursion).
//
// It does not allocate and runs in O(len(pattern)*len(s)) at worst: on a
// mismatch only the latest star is retried, which suffices because every
// other token consumes exactly one byte.
func globMatch(pattern, s []byte, nocase bool) bool {
	if len(s) == 0 {
		return len(pattern) == 0
	}
	p, i := 0, 0
	starP, starI := -1, -1 // pattern after the latest star; where its run ends
	stars := 0
	for {
		if i < len(s) && p < len(pattern) {
			if pattern[p] == '*' {
				for p+1 < len(pattern) && pattern[p+1] == '*' {
					p++
				}
				if p == len(pattern)-1 {
					return true
				}
				if stars++; stars > maxGlobStars {
					return false
				}
				p++
				starP, starI = p, i
				continue
			}
			if next, ok := globOne(pattern, p, s[i], nocase); ok {
				p, i = next, i+1
				continue
			}
		} else if i == len(s) {
			for p < len(pattern) && pattern[p] == '*' {
				p++
			}
			if p == len(pattern) {
				return true
			}
		}
		// Mismatch: let the latest star swallow one more byte.
		if starP < 0 {
			return false
		}
		starI++
		if starI >= len(s) {
			return false
		}
		p, i = starP, starI
	}
}

// maxGlobStars is how many non-final stars a pattern may hold before it
// matches nothing, as in Redis.
const maxGlobStars = 1000

// globOne matches the single-byte token at pattern[p] against c and
// returns the index of the token after it.
func globOne(pattern []byte, p int, c byte, nocase bool) (int, bool) {
	switch pattern[p] {
	case '?':
		return p + 1, true
	case '[':
		return globClass(pattern, p+1, c, nocase)
	case '\\':
		if p+1 < len(pattern) {
			p++
		}
	}
	return p + 1, sameByte(pattern[p], c, nocase)
}

// globClass matches c against the bracket expression whose body starts
// at pattern[i] and returns the index after its closing ']' (or the end
// of the pattern when there is none).
func globClass(pattern []byte, i int, c byte, nocase bool) (int, bool) {
	negate := i < len(pattern) && pattern[i] == '^'
	if negate {
		i++
	}
	match := false
	for ; ; i++ {
		rest := len(pattern) - i
		if rest == 0 {
			break
		}
		switch {
		case pattern[i] == '\\' && rest >= 2:
			i++
			if pattern[i] == c {
				match = true
			}
		case pattern[i] == ']':
			return i + 1, match != negate
		case rest >= 3 && pattern[i+1] == '-':
			lo, hi, x := int8(pattern[i]), int8(pattern[i+2]), int8(c)
			if lo > hi {
				lo, hi = hi, lo
			}
			if nocase {
				lo, hi, x = lowerSigned(lo), lowerSigned(hi), lowerSigned(x)
			}
			if lo <= x && x <= hi {
				match = true
			}
			i += 2
		default:
			if sameByte(pattern[i], c, nocase) {
				match = true
			}
		}
	}
	return len(pattern), match != negate
}

func sameByte(a, b byte, nocase bool) bool {
	if a == b {
		return true
	}
	return nocase && lowerASCII(a) == lowerASCII(b)
}

func lowerASCII(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

func lowerSigned(b int8) int8 {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}
