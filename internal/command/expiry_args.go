package command

import (
	"math"

	"cairn/internal/resp"
)

// expireArg converts a SET/GETEX/SETEX-style expiry argument to an
// absolute time in ms, replying with Redis's error when it is not usable.
// These commands reject zero and negative values, unlike EXPIRE.
func expireArg(c *Ctx, arg []byte, seconds, relative bool) (int64, bool) {
	v, ok := resp.ParseInt(arg)
	if !ok {
		c.Error(errNotInt)
		return 0, false
	}
	if v <= 0 || (seconds && v > math.MaxInt64/1000) {
		c.Error(errInvalidExpire(c.cmd.FullName))
		return 0, false
	}
	if seconds {
		v *= 1000
	}
	if relative {
		v += c.Now
	}
	if v <= 0 { // the addition overflowed
		c.Error(errInvalidExpire(c.cmd.FullName))
		return 0, false
	}
	return v, true
}

// setOptions are the parsed modifiers of SET and GETEX.
type setOptions struct {
	nx, xx, get, keepTTL, persist bool
	hasExpire                     bool
	expire                        int64 // absolute ms when hasExpire

	timeFlag int    // which of EX, PX, EXAT, PXAT was given, or 0
	timeArg  []byte // its value, before resolveExpire checks it
}

// The time options of SET and GETEX.
const (
	optEX = 1 << iota
	optPX
	optEXAT
	optPXAT
)

// parseSetOptions reads SET's (forGetex false) or GETEX's (true) options
// from args, following Redis's rules on which combinations are allowed.
// SET's expiry value is checked here; GETEX's only by resolveExpire once
// the key is found, because Redis answers a missing key with a null
// whatever the value (GETEX nokey EX 0).
func parseSetOptions(c *Ctx, args [][]byte, forGetex bool) (setOptions, bool) {
	var o setOptions
	const ex, px, exat, pxat = optEX, optPX, optEXAT, optPXAT
	timeFlag := 0
	var timeArg []byte
	for i := 0; i < len(args); i++ {
		a := args[i]
		more := i+1 < len(args)
		switch {
		case !forGetex && eqFold(a, "nx") && !o.xx:
			o.nx = true
		case !forGetex && eqFold(a, "xx") && !o.nx:
			o.xx = true
		case !forGetex && eqFold(a, "get"):
			o.get = true
		case !forGetex && eqFold(a, "keepttl") && timeFlag == 0:
			o.keepTTL = true
		case forGetex && eqFold(a, "persist") && timeFlag == 0:
			o.persist = true
		case eqFold(a, "ex") && more && !o.keepTTL && !o.persist && timeFlag&^ex == 0:
			timeFlag, timeArg = ex, args[i+1]
			i++
		case eqFold(a, "px") && more && !o.keepTTL && !o.persist && timeFlag&^px == 0:
			timeFlag, timeArg = px, args[i+1]
			i++
		case eqFold(a, "exat") && more && !o.keepTTL && !o.persist && timeFlag&^exat == 0:
			timeFlag, timeArg = exat, args[i+1]
			i++
		case eqFold(a, "pxat") && more && !o.keepTTL && !o.persist && timeFlag&^pxat == 0:
			timeFlag, timeArg = pxat, args[i+1]
			i++
		default:
			c.Error(errSyntax)
			return o, false
		}
	}
	o.timeFlag, o.timeArg = timeFlag, timeArg
	if !forGetex {
		return o, o.resolveExpire(c)
	}
	return o, true
}

// resolveExpire converts the time option, if any, to o.expire, replying
// with Redis's error when its value is not usable.
func (o *setOptions) resolveExpire(c *Ctx) bool {
	if o.timeFlag == 0 {
		return true
	}
	v, ok := expireArg(c, o.timeArg, o.timeFlag&(optEX|optEXAT) != 0, o.timeFlag&(optEX|optPX) != 0)
	if !ok {
		return false
	}
	o.hasExpire, o.expire = true, v
	return true
}

// eqFold reports whether b equals the lower-case ASCII word s, ignoring
// case.
func eqFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := 0; i < len(b); i++ {
		ch := b[i]
		if 'A' <= ch && ch <= 'Z' {
			ch += 'a' - 'A'
		}
		if ch != s[i] {
			return false
		}
	}
	return true
}
