package command

import (
	"strconv"

	"cairn/internal/resp"
)

func init() {
	register("flushdb", func(c *Ctx) { flushGeneric(c, false) })
	register("flushall", func(c *Ctx) { flushGeneric(c, true) })
	register("swapdb", cmdSwapDB)
}

var bFLUSHDB, bFLUSHALL, bSWAPDB = []byte("FLUSHDB"), []byte("FLUSHALL"), []byte("SWAPDB")

func flushGeneric(c *Ctx, all bool) {
	if len(c.Args) > 2 || (len(c.Args) == 2 && !eqFold(c.Args[1], "sync") && !eqFold(c.Args[1], "async")) {
		c.Error(errSyntax)
		return
	}
	// Both modes flush at once: dropping the tables is O(shards) and the
	// memory goes back to the collector in the background either way.
	if all {
		c.E.Store.FlushAll(func() { c.Propagate(c.S.DB, bFLUSHALL) })
	} else {
		db := c.DB()
		db.Flush(func() { c.Propagate(db.Index(), bFLUSHDB) })
	}
	c.OK()
}

func cmdSwapDB(c *Ctx) {
	a, okA := resp.ParseInt(c.Args[1])
	if !okA || a < -1<<31 || a > 1<<31-1 {
		c.Error("ERR invalid first DB index")
		return
	}
	b, okB := resp.ParseInt(c.Args[2])
	if !okB || b < -1<<31 || b > 1<<31-1 {
		c.Error("ERR invalid second DB index")
		return
	}
	n := int64(c.E.Store.Databases())
	if a < 0 || a >= n || b < 0 || b >= n {
		c.Error(errDBRange)
		return
	}
	c.E.Store.Swap(int(a), int(b), func() {
		var x, y [20]byte
		c.Propagate(0, bSWAPDB, strconv.AppendInt(x[:0], a, 10), strconv.AppendInt(y[:0], b, 10))
	})
	c.OK()
}
