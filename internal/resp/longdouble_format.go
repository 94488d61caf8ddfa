package resp

import (
	"math/big"
	"math/bits"
)

// AppendHuman appends x as Redis prints an INCRBYFLOAT result: C's
// "%.17Lf" (the exact value rounded half-to-even to 17 decimals), then
// trailing zeros and a bare '.' removed, and "-0" turned into "0".
// Infinities print as "inf"/"-inf" and NaN as "nan"/"-nan", as printf does.
func (x LongDouble) AppendHuman(b []byte) []byte {
	switch x.kind {
	case ldInf:
		if x.neg {
			return append(b, "-inf"...)
		}
		return append(b, "inf"...)
	case ldNaN:
		if x.neg {
			return append(b, "-nan"...)
		}
		return append(b, "nan"...)
	}
	if x.mant == 0 {
		return append(b, '0') // "-0" too
	}
	if x.exp >= 0 {
		// An integer: %.17Lf prints only zeros after the point.
		if x.neg {
			b = append(b, '-')
		}
		if int(x.exp) <= bits.LeadingZeros64(x.mant) {
			return AppendUint(b, x.mant<<uint(x.exp))
		}
		n := new(big.Int).SetUint64(x.mant)
		return n.Lsh(n, uint(x.exp)).Append(b, 10)
	}
	k := uint(-x.exp)
	var ip, fp uint64 // integer part, fraction scaled by 10^17 and rounded
	switch {
	case k < 64:
		ip = x.mant >> k
		frac := x.mant & (1<<k - 1)
		hi, lo := bits.Mul64(frac, pow10Dec)
		fp = shiftRoundEven(hi, lo, k)
	case k < 128:
		hi, lo := bits.Mul64(x.mant, pow10Dec)
		fp = shiftRoundEven(hi, lo, k)
	default:
		// mant*10^17 < 2^121 <= 2^(k-1): less than half a unit in the
		// 17th decimal, so it rounds to zero.
	}
	if fp == pow10Dec {
		ip++
		fp = 0
	}
	if x.neg && (ip != 0 || fp != 0) {
		b = append(b, '-')
	}
	b = AppendUint(b, ip)
	if fp == 0 {
		return b
	}
	b = append(b, '.')
	var digits [humanDec]byte
	for i := humanDec - 1; i >= 0; i-- {
		digits[i] = byte('0' + fp%10)
		fp /= 10
	}
	end := humanDec
	for digits[end-1] == '0' {
		end--
	}
	return append(b, digits[:end]...)
}

// shiftRoundEven returns (hi:lo) / 2^k rounded half to even, for 0 < k < 128
// and a quotient that fits in 64 bits.
func shiftRoundEven(hi, lo uint64, k uint) uint64 {
	var q, remHi, remLo, halfHi, halfLo uint64
	if k < 64 {
		q = hi<<(64-k) | lo>>k
		remLo = lo & (1<<k - 1)
		halfLo = 1 << (k - 1)
	} else {
		q = hi >> (k - 64)
		remLo = lo
		if k > 64 {
			remHi = hi & (1<<(k-64) - 1)
			halfHi = 1 << (k - 65)
		} else {
			halfLo = 1 << 63
		}
	}
	if remHi > halfHi || remHi == halfHi && (remLo > halfLo || remLo == halfLo && q&1 == 1) {
		q++
	}
	return q
}

// AppendBulkLongDouble appends x's human form (see AppendHuman) as a bulk
// string.
func AppendBulkLongDouble(b []byte, x LongDouble) []byte {
	var tmp [64]byte
	d := x.AppendHuman(tmp[:0])
	b = appendHeader(b, '$', int64(len(d)))
	b = append(b, d...)
	return append(b, '\r', '\n')
}
