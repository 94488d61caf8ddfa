package resp

import (
	"math"
	"math/big"
	"math/bits"
)

// LongDouble is a number in the x87 80-bit extended format that Redis on
// amd64 uses for INCRBYFLOAT and HINCRBYFLOAT ("long double"): a 64-bit
// mantissa, binary exponents down to subnormals at 2^-16445, overflow at
// 2^16384. Redis parses both operands with strtold, adds them in that
// format and prints the sum with "%.17Lf"; float64 arithmetic would give
// visibly different strings (1000.1 -> "1000.09999999999999998" in Redis),
// so the commands must use this type to be byte-identical.
//
// The zero value is +0. Parsing and Add are exact-then-rounded (round to
// nearest, ties to even), as the FPU does. They use math/big for the rare
// operands that do not fit the 128-bit fast paths; formatting values below
// 2^63 never allocates.
type LongDouble struct {
	mant uint64 // value = mant * 2^exp; top bit set unless subnormal or zero
	exp  int32
	neg  bool
	kind ldKind
}

type ldKind uint8

const (
	ldFinite ldKind = iota
	ldInf
	ldNaN
)

const (
	ldMinExp = -16445     // exponent of the smallest subnormal, 2^-16445
	ldMaxExp = 16384 - 64 // mant*2^exp must stay below 2^16384
	ldMaxLen = 5*1024 - 1 // Redis refuses longer strings (MAX_LONG_DOUBLE_CHARS)
	humanDec = 17         // decimals printed by "%.17Lf"
	pow10Dec = 100000000000000000
)

// IsInf reports whether x is an infinity.
func (x LongDouble) IsInf() bool { return x.kind == ldInf }

// IsNaN reports whether x is not a number (the sum of opposite infinities).
func (x LongDouble) IsNaN() bool { return x.kind == ldNaN }

// Float64 returns x rounded to the nearest float64.
func (x LongDouble) Float64() float64 {
	var f float64
	switch x.kind {
	case ldInf:
		f = math.Inf(1)
	case ldNaN:
		return math.NaN()
	default:
		bf := new(big.Float).SetUint64(x.mant)
		bf.SetMantExp(bf, int(x.exp))
		f, _ = bf.Float64()
	}
	if x.neg {
		f = -f
	}
	return f
}

// LongDoubleFromFloat64 converts f exactly (every float64 is a long double).
func LongDoubleFromFloat64(f float64) LongDouble {
	switch {
	case math.IsNaN(f):
		return LongDouble{kind: ldNaN, neg: math.Signbit(f)}
	case math.IsInf(f, 0):
		return LongDouble{kind: ldInf, neg: f < 0}
	}
	x := LongDouble{neg: math.Signbit(f)}
	fr, e := math.Frexp(math.Abs(f)) // f = fr * 2^e, fr in [0.5, 1)
	if fr == 0 {
		return x
	}
	x.mant = uint64(math.Ldexp(fr, 64)) // exact: fr has at most 53 bits
	x.exp = int32(e - 64)
	return x
}

// LongDoubleFromInt converts n exactly.
func LongDoubleFromInt(n int64) LongDouble {
	x := LongDouble{neg: n < 0}
	u := uint64(n)
	if n < 0 {
		u = -u
	}
	if u == 0 {
		return x
	}
	lz := bits.LeadingZeros64(u)
	x.mant = u << lz
	x.exp = int32(-lz)
	return x
}

// ParseLongDouble parses b as Redis's string2ld does for INCRBYFLOAT and
// HINCRBYFLOAT:
//   - refused: empty, longer than 5119 bytes, a leading blank, trailing
//     bytes or an embedded NUL, any NaN, a value beyond the long double
//     range ("1e5000"), and a non-zero value that underflows to zero
//     ("1e-4960");
//   - accepted: the same spellings as ParseFloat, "inf" and "infinity"
//     included (INCRBYFLOAT then fails with "increment would produce NaN or
//     Infinity"), and long double subnormals such as "1e-4940".
func ParseLongDouble(b []byte) (LongDouble, bool) {
	if len(b) == 0 || len(b) > ldMaxLen || isSpace(b[0]) {
		return LongDouble{}, false
	}
	s := scanNumber(b)
	var num, den *big.Int
	exp2 := 0
	switch s.kind {
	case numInf:
		return LongDouble{kind: ldInf, neg: s.neg}, true
	case numDecimal:
		if !s.nonZero {
			return LongDouble{neg: s.neg}, true
		}
		if x, ok := smallDecimal(b[s.mantFrom:], s.neg); ok {
			return x, true
		}
		m, e := decimalParts(b[s.mantFrom:])
		// Every non-zero mantissa is >= 1 and < 10^5119, so these bounds
		// decide overflow and underflow without building huge powers.
		if e > 4933 {
			return LongDouble{}, false
		}
		if e < -4952-len(b) {
			return LongDouble{}, false
		}
		num = new(big.Int)
		num.SetString(m, 10)
		if e >= 0 {
			num.Mul(num, pow10(e))
			den = big.NewInt(1)
		} else {
			den = pow10(-e)
		}
	case numHex:
		if !s.nonZero {
			return LongDouble{neg: s.neg}, true
		}
		m, e := hexParts(b[s.mantFrom:])
		if e > 16384 {
			return LongDouble{}, false
		}
		if e < ldMinExp-2-4*len(b) {
			return LongDouble{}, false
		}
		num = new(big.Int)
		num.SetString(m, 16)
		den = big.NewInt(1)
		exp2 = e
	default:
		return LongDouble{}, false
	}
	x := roundLongDouble(s.neg, num, den, exp2)
	if x.kind == ldInf || x.mant == 0 {
		return LongDouble{}, false // ERANGE: overflow, or underflow to zero
	}
	return x, true
}

func pow10(n int) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

// clampExp keeps exponent arithmetic from overflowing on absurd inputs such
// as "1e999999999999999999"; anything past the clamp is out of range anyway.
const clampExp = 1 << 30

// decimalParts splits a checked decimal number (no sign) into its digit
// string without the '.' and the power of ten that scales it.
func decimalParts(b []byte) (digits string, exp10 int) {
	d := make([]byte, 0, len(b))
	frac := 0
	dot := false
	i := 0
	for ; i < len(b) && lower(b[i]) != 'e'; i++ {
		if b[i] == '.' {
			dot = true
			continue
		}
		d = append(d, b[i])
		if dot {
			frac++
		}
	}
	return string(d), parseExp(b[i:]) - frac
}

// hexParts is decimalParts for hex numbers: hex digits and a power of two.
func hexParts(b []byte) (digits string, exp2 int) {
	d := make([]byte, 0, len(b))
	frac := 0
	dot := false
	i := 0
	for ; i < len(b) && lower(b[i]) != 'p'; i++ {
		if b[i] == '.' {
			dot = true
			continue
		}
		d = append(d, b[i])
		if dot {
			frac += 4
		}
	}
	return string(d), parseExp(b[i:]) - frac
}

// parseExp reads an "e-12" style suffix (empty means 0), clamped.
func parseExp(b []byte) int {
	if len(b) == 0 {
		return 0
	}
	b = b[1:]
	neg := false
	if b[0] == '+' || b[0] == '-' {
		neg = b[0] == '-'
		b = b[1:]
	}
	e := 0
	for _, c := range b {
		if e < clampExp {
			e = e*10 + int(c-'0')
		}
	}
	if neg {
		return -e
	}
	return e
}

// smallDecimal converts a checked decimal number (no sign) without math/big
// when its significant digits fit in 19 decimal places and the power of ten
// fits in a uint64: then the exact value is a 128-bit product or a quotient
// with a remainder, and the rounding below is exact.
func smallDecimal(b []byte, neg bool) (LongDouble, bool) {
	var m uint64
	nd, frac := 0, 0
	dot := false
	i := 0
	for ; i < len(b) && lower(b[i]) != 'e'; i++ {
		c := b[i]
		if c == '.' {
			dot = true
			continue
		}
		if dot {
			frac++
		}
		if nd == 0 && c == '0' {
			continue // leading zeros are not significant
		}
		nd++
		if nd > 19 {
			return LongDouble{}, false
		}
		m = m*10 + uint64(c-'0')
	}
	exp10 := parseExp(b[i:]) - frac
	if m == 0 || exp10 > 19 || exp10 < -19 {
		return LongDouble{}, false
	}
	p := uint64(1)
	for i := 0; i < abs(exp10); i++ {
		p *= 10
	}
	if exp10 >= 0 {
		hi, lo := bits.Mul64(m, p)
		return roundU128(neg, hi, lo, 0), true
	}
	// m / p: normalize so the 64-bit quotient has its top bit set, then
	// round with the remainder.
	lzp := bits.LeadingZeros64(p)
	d := p << lzp
	lzm := bits.LeadingZeros64(m)
	n := m << lzm
	exp := -lzm + lzp - 64
	hi, lo := n, uint64(0)
	if n >= d {
		hi, lo = n>>1, n<<63
		exp++
	}
	q, r := bits.Div64(hi, lo, d)
	// Compare 2r with d without overflow: r < d <= 2^64-1.
	up := r > d-r || r == d-r && q&1 == 1
	if up {
		q++
		if q == 0 {
			q = 1 << 63
			exp++
		}
	}
	return LongDouble{mant: q, exp: int32(exp), neg: neg}, true
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// roundU128 rounds (hi:lo) * 2^exp to a 64-bit mantissa. The result is far
// from the subnormal and overflow ranges in its only caller.
func roundU128(neg bool, hi, lo uint64, exp int) LongDouble {
	if hi == 0 {
		lz := bits.LeadingZeros64(lo)
		return LongDouble{mant: lo << lz, exp: int32(exp - lz), neg: neg}
	}
	lz := bits.LeadingZeros64(hi)
	sh := uint(64 - lz) // bits to drop from the 128-bit value
	m := hi<<lz | lo>>sh
	dropped := lo << (64 - sh) // the dropped bits, left-aligned
	exp += int(sh)
	if dropped > 1<<63 || dropped == 1<<63 && m&1 == 1 {
		m++
		if m == 0 {
			m = 1 << 63
			exp++
		}
	}
	return LongDouble{mant: m, exp: int32(exp), neg: neg}
}

// roundLongDouble rounds num/den * 2^exp2 (num > 0) to the nearest long
// double, honouring the subnormal range and overflowing to infinity.
func roundLongDouble(neg bool, num, den *big.Int, exp2 int) LongDouble {
	e := num.BitLen() - den.BitLen() + exp2 // floor(log2 value) is e or e-1
	s := e - 64
	if s < ldMinExp {
		s = ldMinExp
	}
	n := new(big.Int).Set(num)
	d := new(big.Int).Set(den)
	if sh := s - exp2; sh < 0 {
		n.Lsh(n, uint(-sh))
	} else {
		d.Lsh(d, uint(sh))
	}
	q, r := new(big.Int).QuoRem(n, d, new(big.Int))
	var up bool
	if q.BitLen() > 64 {
		low := q.Bit(0)
		q.Rsh(q, 1)
		s++
		up = low == 1 && (r.Sign() != 0 || q.Bit(0) == 1)
	} else {
		c := r.Lsh(r, 1).Cmp(d)
		up = c > 0 || c == 0 && q.Bit(0) == 1
	}
	m := q.Uint64()
	if up {
		m++
		if m == 0 {
			m = 1 << 63
			s++
		}
	}
	if m == 0 {
		return LongDouble{neg: neg}
	}
	// A normal result has a 64-bit mantissa; with fewer bits it must be
	// subnormal (s == ldMinExp), which the clamp above guarantees.
	if s > ldMaxExp {
		return LongDouble{kind: ldInf, neg: neg}
	}
	return LongDouble{mant: m, exp: int32(s), neg: neg}
}

// Add returns x+y rounded to the nearest long double, with IEEE rules for
// zeros, infinities and NaN.
func (x LongDouble) Add(y LongDouble) LongDouble {
	switch {
	case x.kind == ldNaN || y.kind == ldNaN:
		return LongDouble{kind: ldNaN}
	case x.kind == ldInf && y.kind == ldInf:
		if x.neg != y.neg {
			return LongDouble{kind: ldNaN, neg: true}
		}
		return x
	case x.kind == ldInf:
		return x
	case y.kind == ldInf:
		return y
	case x.mant == 0 && y.mant == 0:
		return LongDouble{neg: x.neg && y.neg}
	case x.mant == 0:
		return y
	case y.mant == 0:
		return x
	}
	if r, ok := addFast(x, y); ok {
		return r
	}
	lo := min(x.exp, y.exp)
	a := new(big.Int).SetUint64(x.mant)
	a.Lsh(a, uint(x.exp-lo))
	if x.neg {
		a.Neg(a)
	}
	b := new(big.Int).SetUint64(y.mant)
	b.Lsh(b, uint(y.exp-lo))
	if y.neg {
		b.Neg(b)
	}
	a.Add(a, b)
	if a.Sign() == 0 {
		return LongDouble{}
	}
	neg := a.Sign() < 0
	a.Abs(a)
	return roundLongDouble(neg, a, big.NewInt(1), int(lo))
}

// addFast handles operands whose exponents differ by less than 64 and whose
// exact sum lands in the normal range: the aligned values fit in 128 bits.
func addFast(x, y LongDouble) (LongDouble, bool) {
	if x.exp < y.exp {
		x, y = y, x
	}
	d := uint(x.exp - y.exp)
	if d >= 64 || y.exp < ldMinExp+64 || x.exp > ldMaxExp-2 {
		return LongDouble{}, false
	}
	// Align on y's exponent: x.mant << d as 128 bits.
	xhi, xlo := uint64(0), x.mant
	if d > 0 {
		xhi, xlo = x.mant>>(64-d), x.mant<<d
	}
	yhi, ylo := uint64(0), y.mant
	neg := x.neg
	var hi, lo uint64
	if x.neg == y.neg {
		var c uint64
		lo, c = bits.Add64(xlo, ylo, 0)
		hi, _ = bits.Add64(xhi, yhi, c)
	} else {
		// Subtract the smaller magnitude from the larger.
		if xhi < yhi || xhi == yhi && xlo < ylo {
			xhi, xlo, yhi, ylo = yhi, ylo, xhi, xlo
			neg = y.neg
		}
		var bw uint64
		lo, bw = bits.Sub64(xlo, ylo, 0)
		hi, _ = bits.Sub64(xhi, yhi, bw)
		if hi == 0 && lo == 0 {
			return LongDouble{}, true
		}
	}
	// The 128-bit sum may have up to 129 bits only if d == 63 and both
	// mantissas are near 2^64; Add64 with hi < 2^63 rules that out.
	r := roundU128(neg, hi, lo, int(y.exp))
	if r.exp < ldMinExp || r.exp > ldMaxExp {
		return LongDouble{}, false
	}
	return r, true
}
