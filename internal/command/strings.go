package command

import (
	"strconv"

	"cairn/internal/store"
)

func init() {
	register("get", cmdGet)
	register("set", cmdSet)
	register("setnx", cmdSetNX)
	register("setex", func(c *Ctx) { setWithTTL(c, true) })
	register("psetex", func(c *Ctx) { setWithTTL(c, false) })
	register("getset", cmdGetSet)
	register("getdel", cmdGetDel)
	register("getex", cmdGetEx)
	register("mget", cmdMGet)
	register("mset", cmdMSet)
	register("msetnx", cmdMSetNX)
}

var (
	bSET     = []byte("SET")
	bDEL     = []byte("DEL")
	bUNLINK  = []byte("UNLINK")
	bPXAT    = []byte("PXAT")
	bMSET    = []byte("MSET")
	bPERSIST = []byte("PERSIST")
	bPEXAT   = []byte("PEXPIREAT")
)

// DeletionVerb is the command a removal the server makes on its own
// (expiry, eviction, a RESTORE REPLACE with a past TTL) is journaled as:
// UNLINK when the matching lazyfree-lazy-* option is on, as Redis writes
// it, else DEL.
func DeletionVerb(lazy bool) []byte {
	if lazy {
		return bUNLINK
	}
	return bDEL
}

// propagateSet records the state a SET-like command left: the value and
// its absolute expiry, which replays to the same key whatever the
// original options were.
func (c *Ctx) propagateSet(sh *store.Shard, e *store.Entry) {
	if exp := e.Expire(); exp != 0 {
		var buf [20]byte
		c.Propagate(sh.DB().Index(), bSET, e.Key(), e.Value(), bPXAT, strconv.AppendInt(buf[:0], exp, 10))
		return
	}
	c.Propagate(sh.DB().Index(), bSET, e.Key(), e.Value())
}

// lockString locks key's shard and looks key up for a string command.
// When ok is false the WRONGTYPE reply is written and the shard is
// already unlocked; otherwise the caller unlocks sh.
func (c *Ctx) lockString(key []byte) (sh *store.Shard, h uint64, e *store.Entry, ok bool) {
	sh, h = c.DB().Shard(key)
	sh.Lock()
	if e, ok = c.getString(sh, h, key); !ok {
		sh.Unlock()
	}
	return sh, h, e, ok
}

// getString looks key up for reading and replies WRONGTYPE for other
// kinds; ok is false when the reply has been written.
func (c *Ctx) getString(sh *store.Shard, h uint64, key []byte) (e *store.Entry, ok bool) {
	e = sh.Get(h, key, c.Now)
	if e != nil && e.Kind() != store.KindString {
		c.Error(errWrongType)
		return nil, false
	}
	return e, true
}

func cmdGet(c *Ctx) {
	sh, _, e, ok := c.lockString(c.Args[1])
	if !ok {
		return
	}
	if e == nil {
		c.Miss()
		c.Null()
	} else {
		c.Hit()
		c.Bulk(e.Value())
	}
	sh.Unlock()
}

func cmdSet(c *Ctx) {
	o, ok := parseSetOptions(c, c.Args[3:], false)
	if !ok {
		return
	}
	setGeneric(c, c.Args[1], c.Args[2], o)
}

// setGeneric is SET with parsed options; it replies OK, the old value
// (GET), or null when NX/XX prevented the write.
func setGeneric(c *Ctx, key, val []byte, o setOptions) {
	sh, h := c.DB().Shard(key)
	sh.Lock()
	defer sh.Unlock()
	e := sh.Get(h, key, c.Now) // SET overwrites a key of any type
	if o.get {
		switch {
		case e == nil:
			c.Null()
		case e.Kind() != store.KindString:
			c.Error(errWrongType)
			return
		default:
			c.Bulk(e.Value())
		}
	}
	if (o.nx && e != nil) || (o.xx && e == nil) {
		if !o.get {
			c.Null()
		}
		return
	}
	var exp int64
	if o.hasExpire {
		exp = o.expire
	} else if o.keepTTL && e != nil {
		exp = e.Expire()
	}
	e = sh.Set(h, key, val, exp, c.Now)
	c.propagateSet(sh, e)
	if !o.get {
		c.OK()
	}
}

func cmdSetNX(c *Ctx) {
	key := c.Args[1]
	sh, h := c.DB().Shard(key)
	sh.Lock()
	if sh.Get(h, key, c.Now) != nil {
		c.Int(0)
	} else {
		e := sh.Insert(h, key, c.Args[2], 0, c.Now)
		c.propagateSet(sh, e)
		c.Int(1)
	}
	sh.Unlock()
}

func setWithTTL(c *Ctx, seconds bool) {
	exp, ok := expireArg(c, c.Args[2], seconds, true)
	if !ok {
		return
	}
	setGeneric(c, c.Args[1], c.Args[3], setOptions{hasExpire: true, expire: exp})
}

func cmdGetSet(c *Ctx) {
	setGeneric(c, c.Args[1], c.Args[2], setOptions{get: true})
}

func cmdGetDel(c *Ctx) {
	key := c.Args[1]
	sh, h, e, ok := c.lockString(key)
	if !ok {
		return
	}
	switch {
	case e == nil:
		c.Null()
	default:
		c.Bulk(e.Value())
		sh.Remove(h, e)
		c.Propagate(sh.DB().Index(), bDEL, key)
	}
	sh.Unlock()
}

func cmdGetEx(c *Ctx) {
	o, ok := parseSetOptions(c, c.Args[2:], true)
	if !ok {
		return
	}
	key := c.Args[1]
	sh, h, e, ok := c.lockString(key)
	if !ok {
		return
	}
	defer sh.Unlock()
	if e == nil {
		c.Null()
		return
	}
	if !o.resolveExpire(c) {
		return
	}
	c.Bulk(e.Value())
	db := sh.DB().Index()
	switch {
	case o.hasExpire && o.expire <= c.Now:
		sh.Remove(h, e)
		c.Propagate(db, bDEL, key)
	case o.hasExpire:
		sh.SetExpire(e, o.expire)
		var buf [20]byte
		c.Propagate(db, bPEXAT, key, strconv.AppendInt(buf[:0], o.expire, 10))
	case o.persist && e.Expire() != 0:
		sh.SetExpire(e, 0)
		c.Propagate(db, bPERSIST, key)
	}
}

// lockArgs locks the shards of the keys at args[first], args[first+step]...
func (c *Ctx) lockArgs(db *store.DB, first, step int) {
	for i := first; i < len(c.Args); i += step {
		sh, _ := db.Shard(c.Args[i])
		c.locks.Add(sh)
	}
	c.locks.Lock()
}

func cmdMGet(c *Ctx) {
	db := c.DB()
	c.lockArgs(db, 1, 1)
	c.Array(len(c.Args) - 1)
	for _, key := range c.Args[1:] {
		sh, h := db.Shard(key)
		e := sh.Get(h, key, c.Now)
		if e == nil || e.Kind() != store.KindString {
			c.Miss()
			c.Null()
			continue
		}
		c.Hit()
		c.Bulk(e.Value())
	}
	c.locks.Unlock()
}

func cmdMSet(c *Ctx) {
	if len(c.Args)%2 == 0 {
		c.Error("ERR wrong number of arguments for '" + c.cmd.FullName + "' command")
		return
	}
	msetGeneric(c, false)
}

func cmdMSetNX(c *Ctx) {
	if len(c.Args)%2 == 0 {
		c.Error("ERR wrong number of arguments for '" + c.cmd.FullName + "' command")
		return
	}
	msetGeneric(c, true)
}

func msetGeneric(c *Ctx, nx bool) {
	db := c.DB()
	c.lockArgs(db, 1, 2)
	defer c.locks.Unlock()
	if nx {
		for i := 1; i < len(c.Args); i += 2 {
			sh, h := db.Shard(c.Args[i])
			if sh.Get(h, c.Args[i], c.Now) != nil {
				c.Int(0)
				return
			}
		}
	}
	for i := 1; i < len(c.Args); i += 2 {
		sh, h := db.Shard(c.Args[i])
		sh.Set(h, c.Args[i], c.Args[i+1], 0, c.Now)
	}
	// One record for the whole command keeps it atomic on replay.
	args := append(c.scratchArgs(len(c.Args)), bMSET)
	args = append(args, c.Args[1:]...)
	c.Propagate(db.Index(), args...)
	if nx {
		c.Int(1)
	} else {
		c.OK()
	}
}

// scratchArgs returns an empty reusable argument slice with room for n.
func (c *Ctx) scratchArgs(n int) [][]byte {
	if cap(c.scratch) < n {
		c.scratch = make([][]byte, 0, n)
	}
	return c.scratch[:0]
}
