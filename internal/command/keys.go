package command

import (
	"strconv"

	"cairn/internal/resp"
	"cairn/internal/store"
)

func init() {
	register("del", cmdDel)
	register("unlink", cmdDel)
	register("exists", cmdExists)
	register("touch", cmdTouch)
	register("type", cmdType)
	register("keys", cmdKeys)
	register("randomkey", cmdRandomKey)
	register("dbsize", func(c *Ctx) { c.Int(int64(c.DB().Len())) })
	register("rename", func(c *Ctx) { renameGeneric(c, false) })
	register("renamenx", func(c *Ctx) { renameGeneric(c, true) })
	register("copy", cmdCopy)
	register("move", cmdMove)
}

func cmdDel(c *Ctx) {
	db := c.DB()
	c.lockArgs(db, 1, 1)
	rec := append(c.scratchArgs(len(c.Args)), bDEL)
	for _, key := range c.Args[1:] {
		sh, h := db.Shard(key)
		if sh.Delete(h, key, c.Now) {
			rec = append(rec, key)
		}
	}
	if len(rec) > 1 {
		c.Propagate(db.Index(), rec...)
	}
	c.locks.Unlock()
	c.Int(int64(len(rec) - 1))
}

// countKeys counts the arguments from 1 on that name live keys, repeats
// included; touch records an access like TOUCH does.
func countKeys(c *Ctx, touch bool) {
	db := c.DB()
	c.lockArgs(db, 1, 1)
	n := 0
	for _, key := range c.Args[1:] {
		sh, h := db.Shard(key)
		var e *store.Entry
		if touch {
			e = sh.Get(h, key, c.Now)
		} else {
			e = sh.Peek(h, key, c.Now)
		}
		if e != nil {
			n++
		}
	}
	c.locks.Unlock()
	c.Int(int64(n))
}

func cmdExists(c *Ctx) { countKeys(c, false) }
func cmdTouch(c *Ctx)  { countKeys(c, true) }

// typeName is TYPE's word for a kind.
func typeName(k store.Kind) string {
	switch k {
	case store.KindString:
		return "string"
	}
	return "unknown"
}

func cmdType(c *Ctx) {
	key := c.Args[1]
	sh, h := c.DB().Shard(key)
	sh.Lock()
	e := sh.Peek(h, key, c.Now)
	name := "none"
	if e != nil {
		name = typeName(e.Kind())
	}
	sh.Unlock()
	c.Simple(name)
}

func cmdKeys(c *Ctx) {
	pat := c.Args[1]
	all := len(pat) == 1 && pat[0] == '*'
	// Replies are built aside and counted, since the count is known only
	// at the end.
	var body []byte
	n := 0
	c.DB().Each(c.Now, func(key []byte, _ *store.Entry) {
		if all || globMatch(pat, key, false) {
			body = resp.AppendBulk(body, key)
			n++
		}
	})
	c.Array(n)
	c.Out = append(c.Out, body...)
}

func cmdRandomKey(c *Ctx) {
	if k := c.DB().RandomKey(c.Now); k != nil {
		c.Bulk(k)
	} else {
		c.Null()
	}
}

var bRENAME = []byte("RENAME")

// moveEntry re-creates src's value and expiry under dstKey in dst and
// returns the new entry; the caller deletes the source if it is a move.
func moveEntry(dst *store.Shard, dh uint64, dstKey []byte, e *store.Entry, now int64) *store.Entry {
	ne := dst.Insert(dh, dstKey, e.Value(), e.Expire(), now)
	dst.SetEncoding(ne, e.Encoding())
	return ne
}

func renameGeneric(c *Ctx, nx bool) {
	src, dstKey := c.Args[1], c.Args[2]
	db := c.DB()
	c.lockArgs(db, 1, 1)
	defer c.locks.Unlock()
	ssh, sh := db.Shard(src)
	e := ssh.Get(sh, src, c.Now)
	if e == nil {
		c.Error(errNoSuchKey)
		return
	}
	if string(src) == string(dstKey) {
		if nx {
			c.Int(0)
		} else {
			c.OK()
		}
		return
	}
	dsh, dh := db.Shard(dstKey)
	if old := dsh.Get(dh, dstKey, c.Now); old != nil {
		if nx {
			c.Int(0)
			return
		}
		dsh.Remove(dh, old)
	}
	moveEntry(dsh, dh, dstKey, e, c.Now)
	ssh.Remove(sh, e)
	c.Propagate(db.Index(), bRENAME, src, dstKey)
	if nx {
		c.Int(1)
	} else {
		c.OK()
	}
}

var bCOPY, bDB, bREPLACE, bMOVE = []byte("COPY"), []byte("DB"), []byte("REPLACE"), []byte("MOVE")

// int32Arg parses a C int argument with Redis's two error texts.
func (c *Ctx) int32Arg(arg []byte) (int64, bool) {
	v, ok := resp.ParseInt(arg)
	if !ok {
		c.Error(errNotInt)
		return 0, false
	}
	if v < -1<<31 || v > 1<<31-1 {
		c.Error("ERR value is out of range, value must between -2147483648 and 2147483647")
		return 0, false
	}
	return v, true
}

// dbArg parses a database number argument, replying on error.
func (c *Ctx) dbArg(arg []byte) (int, bool) {
	v, ok := c.int32Arg(arg)
	if !ok {
		return 0, false
	}
	if v < 0 || int(v) >= c.E.Store.Databases() {
		c.Error(errDBRange)
		return 0, false
	}
	return int(v), true
}

func cmdCopy(c *Ctx) {
	dstIndex := c.S.DB
	replace := false
	for i := 3; i < len(c.Args); i++ {
		switch a := c.Args[i]; {
		case eqFold(a, "replace"):
			replace = true
		case eqFold(a, "db") && i+1 < len(c.Args):
			n, ok := c.dbArg(c.Args[i+1])
			if !ok {
				return
			}
			dstIndex = n
			i++
		default:
			c.Error(errSyntax)
			return
		}
	}
	src, dstKey := c.Args[1], c.Args[2]
	if dstIndex == c.S.DB && string(src) == string(dstKey) {
		c.Error("ERR source and destination objects are the same")
		return
	}
	srcDB, dstDB, ssh, sh, dsh, dh := c.lockTwoDBs(c.S.DB, src, dstIndex, dstKey)
	defer c.locks.Unlock()
	e := ssh.Get(sh, src, c.Now)
	if e == nil {
		c.Int(0)
		return
	}
	if old := dsh.Get(dh, dstKey, c.Now); old != nil {
		if !replace {
			c.Int(0)
			return
		}
		dsh.Remove(dh, old)
	}
	moveEntry(dsh, dh, dstKey, e, c.Now)
	var buf [20]byte
	rec := append(c.scratchArgs(6), bCOPY, src, dstKey, bDB, strconv.AppendInt(buf[:0], int64(dstDB.Index()), 10))
	if replace {
		rec = append(rec, bREPLACE)
	}
	c.Propagate(srcDB.Index(), rec...)
	c.Int(1)
}

// lockTwoDBs locks the shards of srcKey in database si and dstKey in
// database di. SWAPDB may exchange databases between looking them up and
// locking, so their numbers are checked again under the locks (SWAPDB
// renumbers only while holding every shard of both) and the lookup is
// retried if they moved.
func (c *Ctx) lockTwoDBs(si int, srcKey []byte, di int, dstKey []byte) (src, dst *store.DB, ssh *store.Shard, sh uint64, dsh *store.Shard, dh uint64) {
	for {
		src, dst = c.E.Store.DB(si), c.E.Store.DB(di)
		if si != di && src == dst {
			continue // read across a swap
		}
		ssh, sh = src.Shard(srcKey)
		dsh, dh = dst.Shard(dstKey)
		c.locks.Add(ssh)
		c.locks.Add(dsh)
		c.locks.Lock()
		if src.Index() == si && dst.Index() == di {
			return src, dst, ssh, sh, dsh, dh
		}
		c.locks.Unlock()
	}
}

func cmdMove(c *Ctx) {
	n, ok := c.dbArg(c.Args[2])
	if !ok {
		return
	}
	if n == c.S.DB {
		c.Error("ERR source and destination objects are the same")
		return
	}
	key := c.Args[1]
	srcDB, _, ssh, sh, dsh, dh := c.lockTwoDBs(c.S.DB, key, n, key)
	defer c.locks.Unlock()
	e := ssh.Get(sh, key, c.Now)
	if e == nil || dsh.Get(dh, key, c.Now) != nil {
		c.Int(0)
		return
	}
	moveEntry(dsh, dh, key, e, c.Now)
	ssh.Remove(sh, e)
	c.Propagate(srcDB.Index(), bMOVE, key, c.Args[2])
	c.Int(1)
}
