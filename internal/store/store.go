package store

import (
	"hash/maphash"
	"sync"
	"sync/atomic"
)

// DefaultShards is the number of shards per database: enough that
// connections on different cores rarely meet on one mutex, few enough that
// whole-database operations stay cheap.
const DefaultShards = 256

// shardShift places the shard number above any bucket cursor in a SCAN
// cursor while keeping cursors below 2^63 for clients that parse them as
// signed integers.
const shardShift = 48

// Store is the whole keyspace: a fixed list of databases.
type Store struct {
	dbs []atomic.Pointer[DB] // by database number; SWAPDB exchanges two
	// byOrdinal lists the same DB objects in creation order and never
	// changes: loops that visit every database whatever its number (expiry,
	// eviction sampling, memory sums, cuts) use it, so a SWAPDB running
	// meanwhile cannot make them see one database twice and another not.
	byOrdinal []*DB
	seed      maphash.Seed
	nshard    int
	bits      uint // log2(nshard)
	start     int64

	// OnExpire, if set, is called with the shard locked for every key
	// that expiry (lazy or active) removes, so the caller can log a DEL.
	OnExpire func(db int, key []byte)

	expiredKeys atomic.Int64

	// Memory accounting (memory.go) and eviction (evict.go, lfu.go).
	tracking     atomic.Bool  // accounted is kept up to date
	accounted    atomic.Int64 // sum of the shards' used while tracking
	baseline     atomic.Int64 // memory outside the keyspace (SetBaseline)
	evictedKeys  atomic.Int64
	lfuOn        atomic.Bool // count accesses in the LFU counters
	lfuLogFactor atomic.Int64
	lfuDecay     atomic.Int64 // minutes per decrement; 0 = no decay
	pool         evictionPool

	// cut is the active consistent cut, if any (cut.go); cutEpoch numbers
	// cuts and changes only under every shard lock.
	cut      atomic.Pointer[Cut]
	cutEpoch uint32

	// admin serialises the operations that move or clear whole databases
	// (SWAPDB, FLUSHALL), so they see a stable database list.
	admin sync.Mutex
}

// DB is one numbered database.
type DB struct {
	store  *Store
	index  int // current number; changes only under all shard locks (SWAPDB)
	shards []Shard
	avgTTL atomic.Int64 // estimated by the active expiry cycle

	// How many shards hold keys, and keys with an expiry: changed only
	// when a shard goes from empty to not or back (under its lock), so
	// eviction can pass over an empty database in O(1) instead of
	// sweeping its shards for every key it evicts.
	filled, volFilled atomic.Int32
}

// New returns a store with n databases of DefaultShards shards each.
func New(n int) *Store { return NewSharded(n, DefaultShards) }

// NewSharded returns a store with n databases of shards shards each;
// shards must be a power of two.
func NewSharded(n, shards int) *Store {
	s := &Store{dbs: make([]atomic.Pointer[DB], n), byOrdinal: make([]*DB, n), seed: maphash.MakeSeed(), nshard: shards}
	for 1<<s.bits < shards {
		s.bits++
	}
	for i := range s.dbs {
		db := &DB{store: s, index: i, shards: make([]Shard, shards)}
		for j := range db.shards {
			db.shards[j].db = db
			db.shards[j].ordinal = i*shards + j
		}
		s.dbs[i].Store(db)
		s.byOrdinal[i] = db
	}
	s.lfuLogFactor.Store(10) // lfu-log-factor and lfu-decay-time defaults
	s.lfuDecay.Store(1)
	return s
}

// Databases returns the number of databases.
func (s *Store) Databases() int { return len(s.dbs) }

// DB returns database i, which must be in range.
func (s *Store) DB(i int) *DB { return s.dbs[i].Load() }

// ExpiredKeys returns how many keys expiry has removed.
func (s *Store) ExpiredKeys() int64 { return s.expiredKeys.Load() }

func (s *Store) hash(b []byte) uint64 { return maphash.Bytes(s.seed, b) }

// clock converts a time in ms to the coarse access clock (seconds since
// the store was created) kept per entry.
func (s *Store) clock(now int64) uint32 {
	if s.start == 0 {
		return 0
	}
	return uint32((now - s.start) / 1000)
}

// SetClockStart sets the origin of the access clock; call once at start.
// The origin lies clockHeadroom before ms, so that a key can be made to
// look idle for longer than the server has run (RESTORE ... IDLETIME).
func (s *Store) SetClockStart(ms int64) { s.start = ms - clockHeadroom }

// clockHeadroom is 2^24 seconds (194 days), the range of Redis's own LRU
// clock, in ms.
const clockHeadroom = 1 << 24 * 1000

// IdleSeconds returns how long ago, in seconds, e was last accessed.
func (s *Store) IdleSeconds(e *Entry, now int64) int64 {
	d := int64(s.clock(now)) - int64(e.atime)
	if d < 0 {
		return 0
	}
	return d
}

// SetIdle makes e look idle for idle seconds, as RESTORE ... IDLETIME does.
func (s *Store) SetIdle(e *Entry, idle int64, now int64) {
	e.atime = uint32(max(int64(s.clock(now))-idle, 0))
}

// Index returns the database's current number.
func (db *DB) Index() int { return db.index }

// Shard returns the shard that holds key and the key's hash.
func (db *DB) Shard(key []byte) (*Shard, uint64) {
	h := db.store.hash(key)
	return &db.shards[h>>(64-db.store.bits)&uint64(len(db.shards)-1)], h
}

// Shards returns the database's shards, for whole-database walks.
func (db *DB) Shards() []Shard { return db.shards }

// Len returns the number of keys (including expired ones not yet removed).
func (db *DB) Len() int {
	n := 0
	for i := range db.shards {
		n += db.shards[i].Len()
	}
	return n
}

// Volatile returns the number of keys with an expiry.
func (db *DB) Volatile() int {
	n := 0
	for i := range db.shards {
		n += db.shards[i].Volatile()
	}
	return n
}

// AvgTTL returns the active expiry cycle's estimate of the average TTL of
// volatile keys in ms.
func (db *DB) AvgTTL() int64 { return db.avgTTL.Load() }

// lockAll takes every shard of db in ordinal order.
func (db *DB) lockAll() {
	for i := range db.shards {
		db.shards[i].mu.Lock()
	}
}

func (db *DB) unlockAll() {
	for i := range db.shards {
		db.shards[i].mu.Unlock()
	}
}

// Flush removes every key of the database atomically and calls during,
// if not nil, while the database is still locked.
func (db *DB) Flush(during func()) {
	db.lockAll()
	db.flushLocked()
	if during != nil {
		during()
	}
	db.unlockAll()
}

func (db *DB) flushLocked() {
	for i := range db.shards {
		db.shards[i].clear()
	}
	db.avgTTL.Store(0)
}

// FlushAll removes every key of every database atomically and calls
// during, if not nil, while everything is still locked.
func (s *Store) FlushAll(during func()) {
	s.admin.Lock()
	defer s.admin.Unlock()
	dbs := s.lockEverything()
	for _, db := range dbs {
		db.flushLocked()
	}
	if during != nil {
		during()
	}
	for _, db := range dbs {
		db.unlockAll()
	}
}

// lockEverything locks all shards of all databases in ordinal order. The
// databases are returned in ordinal order, which may differ from their
// numbers after SWAPDB.
func (s *Store) lockEverything() []*DB {
	for _, db := range s.byOrdinal {
		db.lockAll()
	}
	return s.byOrdinal
}

// Swap exchanges databases i and j atomically with respect to every
// command, and calls during (if not nil) while both are locked.
func (s *Store) Swap(i, j int, during func()) {
	s.admin.Lock()
	defer s.admin.Unlock()
	a, b := s.DB(i), s.DB(j)
	if a == b {
		if during != nil {
			during()
		}
		return
	}
	first, second := a, b
	if b.shards[0].ordinal < a.shards[0].ordinal {
		first, second = b, a
	}
	first.lockAll()
	second.lockAll()
	a.index, b.index = j, i
	s.dbs[i].Store(b)
	s.dbs[j].Store(a)
	if during != nil {
		during()
	}
	second.unlockAll()
	first.unlockAll()
}
