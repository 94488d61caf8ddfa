package store

import "sync"

// A Cut is a consistent point-in-time view of the whole keyspace that a
// background reader (the append-only file rewrite) walks while commands
// keep changing the store. It is the fork-free equivalent of a
// copy-on-write child process.
//
// # How the point in time is kept
//
// BeginCut takes every shard lock at once (a pause of a few hundred
// microseconds: no command is between applying a change and logging it),
// gives the cut a fresh epoch and calls the caller's during function, which
// switches the log to a new file. From then on every entry is in one of
// two states:
//
//   - ver != epoch: the entry still holds the value it had at the cut and
//     the walk has not written it yet;
//   - ver == epoch: the entry was written already, or it was saved before
//     its first change (preserve), or it was created after the cut. Either
//     way the walk must skip it.
//
// Every mutating Shard method calls preserve before it changes an entry:
// an entry still at ver != epoch has its old key, value and expiry copied
// into the cut's saved list and is marked. Clearing a shard (FLUSHDB,
// FLUSHALL) hands the detached table to the cut instead of copying it.
// So each key that existed at the cut is emitted exactly once, with its
// value at the cut, and nothing created or changed later is emitted: a
// non-idempotent command (INCR, APPEND) that races the rewrite is in the
// new log only, never also in the base.
//
// Database numbers are the ones at the cut: SWAPDB during the walk does not
// move keys between databases in the dump.
type Cut struct {
	store *Store
	epoch uint32
	dbAt  []int // database number at the cut, by DB ordinal

	mu      sync.Mutex
	saved   []savedEntry // preserved before their first change
	slab    []byte       // storage for saved keys and values
	orphans []orphan     // tables detached by a flush
	done    bool
}

type savedEntry struct {
	db         int
	koff, klen int
	voff, vlen int
	expire     int64
}

type orphan struct {
	db      int
	buckets []*Entry
}

// EmitFunc receives one key of the dump with its value and absolute expiry
// (0 = none) in the database it had at the cut. The slices are valid only
// during the call.
type EmitFunc = func(db int, key, val []byte, expire int64)

// BeginCut fixes a point in time. during, if not nil, runs while no shard
// can change (every shard locked): it is where the caller switches its log
// so that the log and the cut agree on which changes came first. Only one
// cut may be active at a time.
func (s *Store) BeginCut(during func()) *Cut {
	s.admin.Lock()
	defer s.admin.Unlock()
	dbs := s.lockEverything()
	s.cutEpoch++
	if s.cutEpoch == 0 { // 0 is what new entries carry outside cuts
		s.cutEpoch = 1
	}
	c := &Cut{store: s, epoch: s.cutEpoch, dbAt: make([]int, len(dbs))}
	for ord, db := range dbs {
		c.dbAt[ord] = db.index
	}
	s.cut.Store(c)
	if during != nil {
		during()
	}
	for _, db := range dbs {
		db.unlockAll()
	}
	return c
}

// Walk emits every key that existed at the cut exactly once, visiting one
// shard at a time with only that shard locked. between, if not nil, runs
// after each shard with no lock held (the caller writes out what it
// buffered, and may abort the walk by returning an error). Walk ends the
// cut whether or not it completes.
func (c *Cut) Walk(emit EmitFunc, between func() error) error {
	defer c.end()
	// By ordinal, not by number: SWAPDB may be exchanging numbers while
	// the walk runs, and dbAt keeps the numbers of the cut.
	for ord, db := range c.store.byOrdinal {
		dbNum := c.dbAt[ord]
		for i := range db.shards {
			sh := &db.shards[i]
			sh.mu.Lock()
			for _, head := range sh.tab.buckets {
				for e := head; e != nil; e = e.next {
					if e.ver != c.epoch {
						e.ver = c.epoch
						emit(dbNum, e.Key(), e.Value(), e.expire)
					}
				}
			}
			sh.mu.Unlock()
			c.drain(emit, false)
			if between != nil {
				if err := between(); err != nil {
					return err
				}
			}
		}
	}
	c.drain(emit, true)
	if between != nil {
		return between()
	}
	return nil
}

// drain emits what preserve and flushes handed over. With final it also
// closes the cut to further hand-overs; by then every shard has been
// visited, so no entry can still need preserving.
func (c *Cut) drain(emit EmitFunc, final bool) {
	c.mu.Lock()
	saved, slab, orphans := c.saved, c.slab, c.orphans
	c.saved, c.slab, c.orphans = nil, nil, nil
	if final {
		c.done = true
	}
	c.mu.Unlock()
	for _, se := range saved {
		emit(se.db, slab[se.koff:se.koff+se.klen], slab[se.voff:se.voff+se.vlen], se.expire)
	}
	// Detached tables are no longer reachable from any shard, so nobody
	// changes their entries any more: they are read without a lock.
	for _, o := range orphans {
		for _, head := range o.buckets {
			for e := head; e != nil; e = e.next {
				if e.ver != c.epoch {
					e.ver = c.epoch
					emit(o.db, e.Key(), e.Value(), e.expire)
				}
			}
		}
	}
}

func (c *Cut) end() {
	c.mu.Lock()
	c.done = true
	c.saved, c.slab, c.orphans = nil, nil, nil
	c.mu.Unlock()
	c.store.cut.CompareAndSwap(c, nil)
}

// preserve saves e's current state into the active cut, if there is one
// and e has not been dealt with yet. Call it with e's shard locked, before
// changing e in any way (value, expiry, removal).
func (sh *Shard) preserve(e *Entry) {
	c := sh.db.store.cut.Load()
	if c == nil || e.ver == c.epoch {
		return
	}
	e.ver = c.epoch
	db := c.dbAt[sh.ordinal/sh.db.store.nshard]
	c.mu.Lock()
	if !c.done {
		off := len(c.slab)
		c.slab = append(c.slab, e.buf...)
		c.saved = append(c.saved, savedEntry{db: db, koff: off, klen: int(e.klen),
			voff: off + int(e.klen), vlen: len(e.buf) - int(e.klen), expire: e.expire})
	}
	c.mu.Unlock()
}

// markNew stamps an entry created now so that an active cut skips it.
func (sh *Shard) markNew(e *Entry) {
	if c := sh.db.store.cut.Load(); c != nil {
		e.ver = c.epoch
	}
}

// detachForCut hands the shard's table to the active cut before a flush
// drops it, so the walk can still emit the keys it had not reached.
func (sh *Shard) detachForCut() {
	c := sh.db.store.cut.Load()
	if c == nil || len(sh.tab.buckets) == 0 {
		return
	}
	db := c.dbAt[sh.ordinal/sh.db.store.nshard]
	c.mu.Lock()
	if !c.done {
		c.orphans = append(c.orphans, orphan{db: db, buckets: sh.tab.buckets})
	}
	c.mu.Unlock()
}
