package resp

// numKind says what scanNumber found.
type numKind uint8

const (
	numBad numKind = iota
	numDecimal
	numHex
	numInf
)

// numScan describes a number accepted by C's strtod/strtold.
type numScan struct {
	kind     numKind
	neg      bool
	nonZero  bool // some mantissa digit is not 0
	hasPExp  bool // hex form with an explicit binary exponent
	mantFrom int  // first mantissa byte (after sign and "0x")
}

func lower(c byte) byte { return c | 0x20 }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// scanNumber reports whether all of b is one number as C's strtod reads it
// (after Redis has rejected an empty string and a leading blank): optional
// sign, then decimal digits with an optional '.' and e-exponent, or "0x" hex
// digits with an optional '.' and p-exponent, or "inf"/"infinity" in any
// case. NaN in every spelling is refused, as Redis refuses it after parsing.
// strtod stops early on an incomplete exponent ("1e+") and Redis then
// rejects the trailing bytes, which is the same as refusing the whole.
func scanNumber(b []byte) numScan {
	var s numScan
	i := 0
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		s.neg = b[i] == '-'
		i++
	}
	rest := b[i:]
	if len(rest) >= 3 && lower(rest[0]) == 'i' && lower(rest[1]) == 'n' && lower(rest[2]) == 'f' {
		if len(rest) == 3 || len(rest) == 8 && lower(rest[3]) == 'i' && lower(rest[4]) == 'n' &&
			lower(rest[5]) == 'i' && lower(rest[6]) == 't' && lower(rest[7]) == 'y' {
			s.kind = numInf
			s.nonZero = true
		}
		return s
	}
	hex := len(rest) >= 3 && rest[0] == '0' && lower(rest[1]) == 'x' &&
		(isHex(rest[2]) || rest[2] == '.' && len(rest) >= 4 && isHex(rest[3]))
	if hex {
		i += 2
	}
	s.mantFrom = i
	digits := 0
	dot := false
	for ; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '.' && !dot:
			dot = true
			continue
		case hex && isHex(c), !hex && isDigit(c):
			digits++
			if c != '0' {
				s.nonZero = true
			}
			continue
		}
		break
	}
	if digits == 0 {
		return s
	}
	if i < len(b) {
		e := lower(b[i])
		if hex && e != 'p' || !hex && e != 'e' {
			return s
		}
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i == len(b) {
			return s
		}
		for ; i < len(b); i++ {
			if !isDigit(b[i]) {
				return s
			}
		}
		s.hasPExp = hex
	}
	if hex {
		s.kind = numHex
	} else {
		s.kind = numDecimal
	}
	return s
}
