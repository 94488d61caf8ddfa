package resp

import (
	"math"
	"strconv"
	"unsafe"
)

// ParseFloat parses b the way Redis reads a double argument (ZADD scores,
// ZINCRBY, and the like; Redis's string2d over strtod):
//   - refused: empty, a leading blank, any trailing byte (an embedded NUL
//     included), NaN in any spelling, a value too large for a double, and a
//     non-zero value that underflows to zero;
//   - accepted: "+"/"-" signs, "1.", ".5", exponents, hex floats like
//     "0x1.8p1" or "0x10", "inf"/"infinity" in any case, and subnormals.
//
// INCRBYFLOAT and HINCRBYFLOAT read long doubles instead; see
// ParseLongDouble.
func ParseFloat(b []byte) (float64, bool) {
	if len(b) == 0 || isSpace(b[0]) {
		return 0, false
	}
	s := scanNumber(b)
	switch s.kind {
	case numInf:
		if s.neg {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	case numDecimal:
		// The syntax is already checked, so strconv can only fail with a
		// range error; the string view is not kept past the call.
		v, err := strconv.ParseFloat(unsafe.String(&b[0], len(b)), 64)
		return acceptDouble(v, err, s)
	case numHex:
		if s.hasPExp {
			v, err := strconv.ParseFloat(unsafe.String(&b[0], len(b)), 64)
			return acceptDouble(v, err, s)
		}
		// Go insists on a 'p' exponent in hex floats; C does not.
		var tmp [64]byte
		t := append(append(tmp[:0], b...), 'p', '0')
		v, err := strconv.ParseFloat(unsafe.String(&t[0], len(t)), 64)
		return acceptDouble(v, err, s)
	}
	return 0, false
}

func acceptDouble(v float64, err error, s numScan) (float64, bool) {
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	if v == 0 && s.nonZero {
		return 0, false // strtod's ERANGE underflow to zero
	}
	return v, true
}

// appendG appends f as C's printf("%.17g") does, which is how Redis 7.0
// sends doubles (ZSCORE, ZINCRBY, RESP3 ',' replies).
func appendG(b []byte, f float64) []byte {
	switch {
	case math.IsInf(f, 1):
		return append(b, "inf"...)
	case math.IsInf(f, -1):
		return append(b, "-inf"...)
	case math.IsNaN(f):
		if math.Signbit(f) {
			return append(b, "-nan"...)
		}
		return append(b, "nan"...)
	}
	return strconv.AppendFloat(b, f, 'g', 17, 64)
}

// AppendDouble appends a RESP3 double (",%.17g"), e.g. ",1.5", ",10",
// ",1e+20", ",1.1000000000000001", ",inf", ",-inf".
func AppendDouble(b []byte, f float64) []byte {
	b = append(b, ',')
	b = appendG(b, f)
	return append(b, '\r', '\n')
}

// AppendBulkDouble appends f as the RESP2 bulk string Redis 7.0 uses for a
// double reply ("%.17g", with "inf" and "-inf").
func AppendBulkDouble(b []byte, f float64) []byte {
	var tmp [32]byte
	d := appendG(tmp[:0], f)
	b = appendHeader(b, '$', int64(len(d)))
	b = append(b, d...)
	return append(b, '\r', '\n')
}

// AppendBulkFloat appends f as a bulk string in the "human" form Redis uses
// for INCRBYFLOAT results: fixed notation rounded to 17 decimals, trailing
// zeros and a trailing '.' removed, "-0" shown as "0". Examples: 5200,
// 10.5, 0.30000000000000004, 1000000000000000052504760255204420248704468...
// (1e300 exactly). See LongDouble for INCRBYFLOAT's own arithmetic.
func AppendBulkFloat(b []byte, f float64) []byte {
	var tmp [352]byte // the longest float64, 1.8e308, needs 309 digits and a sign
	var d []byte
	if math.Abs(f) >= 0x1p63 && !math.IsInf(f, 0) {
		// An integer; strconv prints its exact digits without math/big.
		d = strconv.AppendFloat(tmp[:0], f, 'f', 0, 64)
	} else {
		d = LongDoubleFromFloat64(f).AppendHuman(tmp[:0])
	}
	b = appendHeader(b, '$', int64(len(d)))
	b = append(b, d...)
	return append(b, '\r', '\n')
}
