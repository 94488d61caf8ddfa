package command

import (
	"math"
	"strconv"

	"cairn/internal/resp"
)

func init() {
	register("expire", func(c *Ctx) { expireGeneric(c, c.Now, true) })
	register("pexpire", func(c *Ctx) { expireGeneric(c, c.Now, false) })
	register("expireat", func(c *Ctx) { expireGeneric(c, 0, true) })
	register("pexpireat", func(c *Ctx) { expireGeneric(c, 0, false) })
	register("ttl", func(c *Ctx) { ttlGeneric(c, false, false) })
	register("pttl", func(c *Ctx) { ttlGeneric(c, true, false) })
	register("expiretime", func(c *Ctx) { ttlGeneric(c, false, true) })
	register("pexpiretime", func(c *Ctx) { ttlGeneric(c, true, true) })
	register("persist", cmdPersist)
}

// expireGeneric implements the EXPIRE family: base is added to the given
// time (now for relative forms, 0 for absolute ones).
func expireGeneric(c *Ctx, base int64, seconds bool) {
	var nx, xx, gt, lt bool
	for _, a := range c.Args[3:] {
		switch {
		case eqFold(a, "nx"):
			nx = true
		case eqFold(a, "xx"):
			xx = true
		case eqFold(a, "gt"):
			gt = true
		case eqFold(a, "lt"):
			lt = true
		default:
			c.Error("ERR Unsupported option " + cstring(a))
			return
		}
	}
	if nx && (xx || gt || lt) {
		c.Error("ERR NX and XX, GT or LT options at the same time are not compatible")
		return
	}
	if gt && lt {
		c.Error("ERR GT and LT options at the same time are not compatible")
		return
	}
	when, ok := resp.ParseInt(c.Args[2])
	if !ok {
		c.Error(errNotInt)
		return
	}
	if seconds {
		if when > math.MaxInt64/1000 || when < math.MinInt64/1000 {
			c.Error(errInvalidExpire(c.cmd.FullName))
			return
		}
		when *= 1000
	}
	if when > math.MaxInt64-base {
		c.Error(errInvalidExpire(c.cmd.FullName))
		return
	}
	when += base

	key := c.Args[1]
	sh, h := c.DB().Shard(key)
	sh.Lock()
	defer sh.Unlock()
	e := sh.Get(h, key, c.Now)
	if e == nil {
		c.Int(0)
		return
	}
	cur := e.Expire() // 0: none, which GT treats as infinite
	switch {
	case nx && cur != 0,
		xx && cur == 0,
		gt && (cur == 0 || when <= cur),
		lt && cur != 0 && when >= cur:
		c.Int(0)
		return
	}
	db := sh.DB().Index()
	if when <= c.Now {
		sh.Remove(h, e)
		c.Propagate(db, bDEL, key)
	} else {
		sh.SetExpire(e, when)
		var buf [20]byte
		c.Propagate(db, bPEXAT, key, strconv.AppendInt(buf[:0], when, 10))
	}
	c.Int(1)
}

func ttlGeneric(c *Ctx, ms, absolute bool) {
	key := c.Args[1]
	sh, h := c.DB().Shard(key)
	sh.Lock()
	e := sh.Peek(h, key, c.Now)
	var exp int64
	if e != nil {
		exp = e.Expire()
	}
	sh.Unlock()
	switch {
	case e == nil:
		c.Int(-2)
	case exp == 0:
		c.Int(-1)
	default:
		t := exp
		if !absolute {
			t = max(exp-c.Now, 0)
		}
		if !ms {
			t = (t + 500) / 1000
		}
		c.Int(t)
	}
}

func cmdPersist(c *Ctx) {
	key := c.Args[1]
	sh, h := c.DB().Shard(key)
	sh.Lock()
	e := sh.Get(h, key, c.Now)
	if e == nil || e.Expire() == 0 {
		sh.Unlock()
		c.Int(0)
		return
	}
	sh.SetExpire(e, 0)
	c.Propagate(sh.DB().Index(), bPERSIST, key)
	sh.Unlock()
	c.Int(1)
}
