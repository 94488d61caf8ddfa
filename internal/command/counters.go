package command

import (
	"math"
	"strconv"

	"cairn/internal/resp"
	"cairn/internal/store"
)

func init() {
	register("incr", func(c *Ctx) { incrBy(c, 1) })
	register("decr", func(c *Ctx) { incrBy(c, -1) })
	register("incrby", func(c *Ctx) { incrArg(c, false) })
	register("decrby", func(c *Ctx) { incrArg(c, true) })
	register("incrbyfloat", cmdIncrByFloat)
}

var bKEEPTTL = []byte("KEEPTTL")

func incrArg(c *Ctx, negate bool) {
	n, ok := resp.ParseInt(c.Args[2])
	if !ok {
		c.Error(errNotInt)
		return
	}
	if negate {
		if n == math.MinInt64 {
			c.Error("ERR decrement would overflow")
			return
		}
		n = -n
	}
	incrBy(c, n)
}

func incrBy(c *Ctx, delta int64) {
	key := c.Args[1]
	sh, h, e, ok := c.lockString(key)
	if !ok {
		return
	}
	defer sh.Unlock()
	var cur int64
	if e != nil {
		if cur, ok = resp.ParseInt(e.Value()); !ok {
			c.Error(errNotInt)
			return
		}
	}
	if (delta < 0 && cur < 0 && delta < math.MinInt64-cur) ||
		(delta > 0 && cur > 0 && delta > math.MaxInt64-cur) {
		c.Error(errOverflow)
		return
	}
	cur += delta
	var buf [20]byte
	v := strconv.AppendInt(buf[:0], cur, 10)
	if e == nil {
		e = sh.Insert(h, key, v, 0, c.Now)
	} else {
		sh.SetValue(e, v, store.EncAuto)
	}
	c.propagateKeepTTL(sh, e)
	c.Int(cur)
}

// propagateKeepTTL records a value change that leaves the expiry alone,
// as SET ... KEEPTTL: replaying it twice gives the same state, unlike the
// INCR it stands for.
func (c *Ctx) propagateKeepTTL(sh *store.Shard, e *store.Entry) {
	c.Propagate(sh.DB().Index(), bSET, e.Key(), e.Value(), bKEEPTTL)
}

func cmdIncrByFloat(c *Ctx) {
	key := c.Args[1]
	sh, h, e, ok := c.lockString(key)
	if !ok {
		return
	}
	defer sh.Unlock()
	var cur resp.LongDouble
	if e != nil {
		if cur, ok = resp.ParseLongDouble(e.Value()); !ok {
			c.Error(errNotFloat)
			return
		}
	}
	incr, ok := resp.ParseLongDouble(c.Args[2])
	if !ok {
		c.Error(errNotFloat)
		return
	}
	// Redis computes in x87 long double, whose digits clients see.
	sum := cur.Add(incr)
	if sum.IsInf() || sum.IsNaN() {
		c.Error("ERR increment would produce NaN or Infinity")
		return
	}
	v := sum.AppendHuman(nil)
	if e == nil {
		e = sh.Insert(h, key, v, 0, c.Now)
		sh.SetEncoding(e, store.EncText)
	} else {
		sh.SetValue(e, v, store.EncText)
	}
	c.propagateKeepTTL(sh, e)
	c.Bulk(v)
}
