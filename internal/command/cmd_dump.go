package command

import (
	"errors"
	"strings"

	"cairn/internal/rdb"
	"cairn/internal/resp"
)

// DUMP and RESTORE move a key between servers in Redis's serialized form
// (internal/rdb): a DUMP from Cairn restores into Redis and the other way
// round, so tools that copy keys with DUMP/RESTORE work in both
// directions. A restore is journaled as the SET (with PXAT) it amounts to.

func init() {
	register("dump", cmdDump)
	register("restore", cmdRestore)
}

func cmdDump(c *Ctx) {
	sh, _, e, ok := c.lockString(c.Args[1])
	if !ok {
		return
	}
	if e == nil {
		sh.Unlock()
		c.Miss()
		c.Null()
		return
	}
	c.Hit()
	payload := rdb.DumpString(e.Value())
	sh.Unlock()
	c.Bulk(payload)
}

// restoreOptions are RESTORE's options after the payload.
type restoreOptions struct {
	replace, absTTL bool
	idle, freq      int64 // -1: not given
}

func parseRestoreOptions(c *Ctx) (restoreOptions, bool) {
	o := restoreOptions{idle: -1, freq: -1}
	args := c.Args
	for j := 4; j < len(args); j++ {
		more := len(args) - j - 1
		switch opt := string(args[j]); {
		case strings.EqualFold(opt, "replace"):
			o.replace = true
		case strings.EqualFold(opt, "absttl"):
			o.absTTL = true
		case strings.EqualFold(opt, "idletime") && more >= 1 && o.freq == -1:
			n, ok := resp.ParseInt(args[j+1])
			if !ok {
				c.Error(errNotInt)
				return o, false
			}
			if n < 0 {
				c.Error("ERR Invalid IDLETIME value, must be >= 0")
				return o, false
			}
			o.idle = n
			j++
		case strings.EqualFold(opt, "freq") && more >= 1 && o.idle == -1:
			n, ok := resp.ParseInt(args[j+1])
			if !ok {
				c.Error(errNotInt)
				return o, false
			}
			if n < 0 || n > 255 {
				c.Error("ERR Invalid FREQ value, must be >= 0 and <= 255")
				return o, false
			}
			o.freq = n
			j++
		default: // also IDLETIME and FREQ together, as in Redis
			c.Error(errSyntax)
			return o, false
		}
	}
	return o, true
}

// cmdRestore answers RESTORE key ttl payload [REPLACE] [ABSTTL]
// [IDLETIME s] [FREQ f], checking in Redis's order: options, an existing
// key, the TTL, then the payload.
func cmdRestore(c *Ctx) {
	o, ok := parseRestoreOptions(c)
	if !ok {
		return
	}
	key := c.Args[1]
	sh, h := c.DB().Shard(key)
	sh.Lock()
	defer sh.Unlock()
	old := sh.Peek(h, key, c.Now)
	if old != nil && !o.replace {
		c.Error("BUSYKEY Target key name already exists.")
		return
	}
	ttl, ok := resp.ParseInt(c.Args[2])
	if !ok {
		c.Error(errNotInt)
		return
	}
	if ttl < 0 {
		c.Error("ERR Invalid TTL value, must be >= 0")
		return
	}
	val, err := rdb.RestoreString(c.Args[3])
	var te *rdb.ErrType
	switch {
	case errors.Is(err, rdb.ErrChecksum):
		c.Error("ERR DUMP payload version or checksum are wrong")
		return
	case errors.As(err, &te):
		c.Error("ERR Bad data format: the payload holds a " + te.Name + ", and Cairn stores only strings so far")
		return
	case err != nil:
		c.Error("ERR Bad data format")
		return
	}
	if ttl != 0 && !o.absTTL {
		ttl += c.Now
	}
	// A TTL already in the past: nothing is created, but REPLACE still
	// removed the old key. While the AOF loads (Now is 0) nothing counts
	// as expired.
	if ttl != 0 && c.Now != 0 && ttl <= c.Now {
		if old != nil {
			sh.Remove(h, old)
			lazy := c.E.Config != nil && c.E.Config.LazyFreeServerDel()
			c.Propagate(sh.DB().Index(), DeletionVerb(lazy), key)
		}
		c.OK()
		return
	}
	if old != nil {
		sh.Remove(h, old)
	}
	e := sh.Insert(h, key, val, ttl, c.Now)
	st := c.E.Store
	if p := c.E.Config; p != nil && strings.Contains(p.MaxMemoryPolicy(), "lfu") {
		if o.freq >= 0 {
			st.SetFreq(e, uint8(o.freq), c.Now)
		}
	} else if o.idle >= 0 {
		st.SetIdle(e, o.idle, c.Now)
	}
	c.propagateSet(sh, e)
	c.OK()
}
