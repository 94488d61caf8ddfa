package command

import (
	"cairn/internal/resp"
	"cairn/internal/store"
)

func init() {
	register("append", cmdAppend)
	register("strlen", cmdStrlen)
	register("getrange", cmdGetRange)
	register("substr", cmdGetRange)
	register("setrange", cmdSetRange)
}

var (
	bAPPEND   = []byte("APPEND")
	bSETRANGE = []byte("SETRANGE")
)

// checkStringLength replies with Redis's size error when a string of
// size+extra bytes would exceed proto-max-bulk-len.
func (c *Ctx) checkStringLength(size, extra int64) bool {
	total := size + extra
	if total > c.E.Config.ProtoMaxBulkLen() || total < size || total < extra {
		c.Error(errStringTooBig)
		return false
	}
	return true
}

func cmdAppend(c *Ctx) {
	key, suffix := c.Args[1], c.Args[2]
	sh, h, e, ok := c.lockString(key)
	if !ok {
		return
	}
	defer sh.Unlock()
	if e == nil {
		// A new key holds the argument as SET would store it.
		e = sh.Insert(h, key, suffix, 0, c.Now)
	} else {
		if !c.checkStringLength(int64(len(e.Value())), int64(len(suffix))) {
			return
		}
		sh.AppendValue(e, suffix)
	}
	c.Propagate(sh.DB().Index(), bAPPEND, key, suffix)
	c.Int(int64(len(e.Value())))
}

func cmdStrlen(c *Ctx) {
	sh, _, e, ok := c.lockString(c.Args[1])
	if !ok {
		return
	}
	if e == nil {
		c.Int(0)
	} else {
		c.Int(int64(len(e.Value())))
	}
	sh.Unlock()
}

func cmdGetRange(c *Ctx) {
	start, ok1 := resp.ParseInt(c.Args[2])
	end, ok2 := resp.ParseInt(c.Args[3])
	if !ok1 || !ok2 {
		c.Error(errNotInt)
		return
	}
	key := c.Args[1]
	sh, _, e, ok := c.lockString(key)
	if !ok {
		return
	}
	defer sh.Unlock()
	if e == nil {
		c.BulkString("")
		return
	}
	v := e.Value()
	n := int64(len(v))
	if start < 0 && end < 0 && start > end {
		c.BulkString("")
		return
	}
	if start < 0 {
		start += n
	}
	if end < 0 {
		end += n
	}
	start, end = max(start, 0), max(end, 0)
	if end >= n {
		end = n - 1
	}
	if start > end || n == 0 {
		c.BulkString("")
		return
	}
	c.Bulk(v[start : end+1])
}

func cmdSetRange(c *Ctx) {
	off, ok := resp.ParseInt(c.Args[2])
	if !ok {
		c.Error(errNotInt)
		return
	}
	if off < 0 {
		c.Error(errOutOfRange)
		return
	}
	key, val := c.Args[1], c.Args[3]
	sh, h, e, ok := c.lockString(key)
	if !ok {
		return
	}
	defer sh.Unlock()
	if len(val) == 0 {
		if e == nil {
			c.Int(0)
		} else {
			c.Int(int64(len(e.Value())))
		}
		return
	}
	if !c.checkStringLength(off, int64(len(val))) {
		return
	}
	var old []byte
	if e != nil {
		old = e.Value()
	}
	need := int(off) + len(val)
	nv := make([]byte, max(len(old), need))
	copy(nv, old)
	copy(nv[off:], val)
	if e == nil {
		e = sh.Insert(h, key, nv, 0, c.Now)
		sh.SetEncoding(e, store.EncRaw)
	} else {
		sh.SetValue(e, nv, store.EncRaw)
	}
	c.Propagate(sh.DB().Index(), bSETRANGE, key, c.Args[2], val)
	c.Int(int64(len(nv)))
}
