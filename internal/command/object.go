package command

import (
	"strings"

	"cairn/internal/resp"
	"cairn/internal/store"
)

func init() {
	register("object|encoding", func(c *Ctx) { objectInspect(c, objEncoding) })
	register("object|refcount", func(c *Ctx) { objectInspect(c, objRefcount) })
	register("object|idletime", func(c *Ctx) { objectInspect(c, objIdle) })
	register("object|freq", func(c *Ctx) { objectInspect(c, objFreq) })
	register("object|help", func(c *Ctx) {
		replyHelpLines(c, "OBJECT",
			"ENCODING <key>",
			"    Name the internal representation Redis would pick for the value",
			"    stored at <key>.",
			"FREQ <key>",
			"    Report the access frequency counter of <key>; it grows roughly with",
			"    the logarithm of recent accesses. Needs an LFU maxmemory policy.",
			"IDLETIME <key>",
			"    Report roughly how many seconds have passed since <key> was last",
			"    read or written.",
			"REFCOUNT <key>",
			"    Report how many references point at the value stored at",
			"    <key>.",
		)
	})
}

const (
	objEncoding = iota
	objRefcount
	objIdle
	objFreq
)

// sharedIntegers is the range of integer values Redis keeps as shared
// objects, whose reference count it reports as INT_MAX.
const sharedIntegers = 10000

func objectInspect(c *Ctx, what int) {
	c.E.mem() // LFU counting follows the policy from here on
	policy := c.E.Config.MaxMemoryPolicy()
	lfu := strings.Contains(policy, "lfu")
	key := c.Args[2]
	sh, h := c.DB().Shard(key)
	sh.Lock()
	e := sh.Peek(h, key, c.Now)
	if e == nil {
		sh.Unlock()
		c.Null()
		return
	}
	switch what {
	case objEncoding:
		c.BulkString(encodingName(e))
	case objRefcount:
		if n, isInt := intEncoded(e); isInt && n >= 0 && n < sharedIntegers && !strings.Contains(policy, "lru") && !lfu {
			c.Int(1<<31 - 1)
		} else {
			c.Int(1)
		}
	case objIdle:
		if lfu {
			c.Error("ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.")
		} else {
			c.Int(c.E.Store.IdleSeconds(e, c.Now))
		}
	case objFreq:
		if !lfu {
			c.Error("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.")
		} else {
			c.Int(int64(c.E.Store.Freq(e, c.Now)))
		}
	}
	sh.Unlock()
}

// embstrLimit is the longest string Redis stores in its compact form.
const embstrLimit = 44

// intEncoded reports whether Redis would hold e's value as an integer.
func intEncoded(e *store.Entry) (int64, bool) {
	if e.Encoding() != store.EncAuto {
		return 0, false
	}
	v := e.Value()
	if len(v) > 20 {
		return 0, false
	}
	return resp.ParseInt(v)
}

func encodingName(e *store.Entry) string {
	if _, ok := intEncoded(e); ok {
		return "int"
	}
	if e.Encoding() != store.EncRaw && len(e.Value()) <= embstrLimit {
		return "embstr"
	}
	return "raw"
}
