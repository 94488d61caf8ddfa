package store

import (
	"math"
	"math/rand/v2"
	"sync"
)

// Policy is a maxmemory-policy: which keys eviction may remove, and how it
// picks among them.
type Policy uint8

const (
	NoEviction Policy = iota
	AllKeysLRU
	AllKeysLFU
	AllKeysRandom
	VolatileLRU
	VolatileLFU
	VolatileRandom
	VolatileTTL
)

var policyNames = [...]string{
	NoEviction:     "noeviction",
	AllKeysLRU:     "allkeys-lru",
	AllKeysLFU:     "allkeys-lfu",
	AllKeysRandom:  "allkeys-random",
	VolatileLRU:    "volatile-lru",
	VolatileLFU:    "volatile-lfu",
	VolatileRandom: "volatile-random",
	VolatileTTL:    "volatile-ttl",
}

// ParsePolicy returns the policy named name (as the config spells it).
func ParsePolicy(name string) (Policy, bool) {
	for p, n := range policyNames {
		if n == name {
			return Policy(p), true
		}
	}
	return NoEviction, false
}

func (p Policy) String() string { return policyNames[p] }

// Volatile reports whether the policy only evicts keys with a TTL.
func (p Policy) Volatile() bool { return p >= VolatileLRU }

// LFU reports whether the policy ranks keys by access frequency.
func (p Policy) LFU() bool { return p == AllKeysLFU || p == VolatileLFU }

func (p Policy) random() bool { return p == AllKeysRandom || p == VolatileRandom }

// poolSize is how many of the best candidates seen so far the pool keeps
// across evictions, so one eviction benefits from earlier samples.
const poolSize = 16

// candidate is one key in the eviction pool. key is a copy (its storage is
// reused when the slot is), db the database object (so SWAPDB between
// sampling and eviction does not confuse it).
type candidate struct {
	db    *DB
	ent   *Entry // identifies the key cheaply; the key decides at eviction
	key   []byte
	score uint64 // higher evicts first
}

// evictionPool keeps candidates sorted by ascending score; the best is
// last. It is guarded by mu, which is taken before any shard lock.
type evictionPool struct {
	mu     sync.Mutex
	cands  [poolSize]candidate
	n      int
	nextDB int    // round robin for the random policies
	policy Policy // scores in the pool are this policy's
	sample []*Entry
}

// EvictFunc is told about a key that eviction is about to remove, with
// its shard locked, in the database it is in now; the key is valid only
// during the call.
type EvictFunc = func(db int, key []byte)

// Evict removes one key chosen by policy p, sampling samples keys per
// database (maxmemory-samples), and calls onEvict (if not nil) just before
// the key goes. It returns the bytes the removal freed and false when
// nothing could be evicted (noeviction, or no key the policy may take).
// Evictions are serialised; commands keep running beside them.
func (s *Store) Evict(p Policy, samples int, now int64, onEvict EvictFunc) (freed int64, ok bool) {
	if p == NoEviction {
		return 0, false
	}
	pool := &s.pool
	pool.mu.Lock()
	defer pool.mu.Unlock()
	if p.random() {
		return s.evictRandom(p, now, onEvict)
	}
	samples = max(samples, 1)
	if pool.policy != p {
		for pool.n > 0 {
			pool.take()
		}
		pool.policy = p
	}
	// A candidate whose score dropped since it was sampled (it was read)
	// goes back into the pool with its new score, so each round either
	// evicts or shrinks the pool's error; the bound covers the rare case
	// of a pool that keeps being refreshed.
	for round := 0; round < 4*poolSize; round++ {
		if pool.n == 0 || round == 0 {
			s.fillPool(p, samples, now)
			if pool.n == 0 {
				return 0, false
			}
		}
		c := pool.take()
		if f, done := s.evictCandidate(p, c, now, onEvict); done {
			return f, true
		}
	}
	return 0, false
}

// EvictedKeys returns how many keys eviction has removed.
func (s *Store) EvictedKeys() int64 { return s.evictedKeys.Load() }

// fillPool samples every database that has keys the policy may take:
// samples keys per database, taken from random shards until there are
// enough (or samples shards were tried). Keys reach shards and buckets by
// hash, so neighbouring buckets of one shard are as random a sample as
// Redis's run of buckets in its one table: a well-filled database gives
// the whole sample from one shard, for one lock and a few cache misses
// per eviction, and a sparse one still gives a full sample.
func (s *Store) fillPool(p Policy, samples int, now int64) {
	for _, db := range s.byOrdinal {
		got := 0
		for probe := 0; probe < samples && got < samples; probe++ {
			sh := db.randomShard(p.Volatile())
			if sh == nil {
				break
			}
			sh.mu.Lock()
			picked := sh.sampleLocked(p.Volatile(), samples-got, s.pool.sample[:0])
			for _, e := range picked {
				s.pool.offer(db, e, s.score(p, e, now))
			}
			got += len(picked)
			clear(picked)
			s.pool.sample = picked[:0]
			sh.mu.Unlock()
		}
	}
}

// score ranks e for eviction under p: idle seconds for LRU, 255 minus the
// decayed counter for LFU, nearness of the expiry for TTL.
func (s *Store) score(p Policy, e *Entry, now int64) uint64 {
	switch p {
	case AllKeysLFU, VolatileLFU:
		return uint64(lfuMax - s.lfuDecayed(e, now))
	case VolatileTTL:
		return math.MaxUint64 - uint64(e.expire)
	}
	return uint64(s.IdleSeconds(e, now))
}

// evictCandidate removes c if it still exists and its score has not
// dropped; done reports whether a key went.
func (s *Store) evictCandidate(p Policy, c candidate, now int64, onEvict EvictFunc) (freed int64, done bool) {
	sh, h := c.db.Shard(c.key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	e := sh.tab.find(h, c.key)
	if e == nil || (p.Volatile() && e.expire == 0) {
		return 0, false
	}
	if now := s.score(p, e, now); now < c.score {
		s.pool.offer(c.db, e, now)
		return 0, false
	}
	return sh.evictLocked(h, e, onEvict), true
}

// evictLocked removes e and counts the eviction.
func (sh *Shard) evictLocked(h uint64, e *Entry, onEvict EvictFunc) int64 {
	if onEvict != nil {
		onEvict(sh.db.index, e.Key())
	}
	before := sh.used.Load()
	sh.unlink(h, e)
	sh.db.store.evictedKeys.Add(1)
	return before - sh.used.Load()
}

// evictRandom removes a random key (with a TTL for volatile-random) from
// the next database, in turn, that has one.
func (s *Store) evictRandom(p Policy, now int64, onEvict EvictFunc) (int64, bool) {
	pool := &s.pool
	for range s.byOrdinal {
		db := s.byOrdinal[pool.nextDB%len(s.byOrdinal)]
		pool.nextDB = (pool.nextDB + 1) % len(s.byOrdinal)
		sh := db.randomShard(p.Volatile())
		if sh == nil {
			continue
		}
		sh.mu.Lock()
		picked := sh.sampleLocked(p.Volatile(), 1, pool.sample[:0])
		if len(picked) == 0 {
			sh.mu.Unlock()
			continue
		}
		e := picked[0]
		clear(picked)
		pool.sample = picked[:0]
		freed := sh.evictLocked(sh.hash(e.Key()), e, onEvict)
		sh.mu.Unlock()
		return freed, true
	}
	return 0, false
}

// randomShard returns a random shard of db with keys (with volatile, keys
// with a TTL), or nil when there is none. The counts are read without
// locks, so the shard may have emptied by the time it is locked.
func (db *DB) randomShard(volatile bool) *Shard {
	if volatile && db.volFilled.Load() == 0 || !volatile && db.filled.Load() == 0 {
		return nil
	}
	n := len(db.shards)
	has := func(sh *Shard) bool {
		if volatile {
			return sh.expires.Load() > 0
		}
		return sh.keys.Load() > 0
	}
	// A few random probes find a shard at once when keys are spread; a
	// sweep from a random start settles sparse databases.
	for range 8 {
		if sh := &db.shards[rand.IntN(n)]; has(sh) {
			return sh
		}
	}
	start := rand.IntN(n)
	for i := range n {
		if sh := &db.shards[(start+i)%n]; has(sh) {
			return sh
		}
	}
	return nil
}

// sampleLocked appends up to n entries of the shard to out: a random run
// from the volatile list (whose order is already scrambled by removals),
// or the entries of consecutive buckets from a random start, as Redis
// samples its tables.
func (sh *Shard) sampleLocked(volatile bool, n int, out []*Entry) []*Entry {
	if volatile {
		// A run from a random start: no key twice, all of a short list.
		if nv := len(sh.vol); nv > 0 {
			start := rand.IntN(nv)
			for i := range min(n, nv) {
				out = append(out, sh.vol[(start+i)%nv])
			}
		}
		return out
	}
	nb := len(sh.tab.buckets)
	if nb == 0 || sh.tab.count == 0 {
		return out
	}
	start := rand.IntN(nb)
	for i := 0; i < nb && len(out) < n; i++ {
		head := sh.tab.buckets[(start+i)&(nb-1)]
		if head == nil {
			continue
		}
		// Insertion puts new keys at the head of a chain; when only part
		// of a chain is wanted, start at a random place in it (wrapping)
		// so that older keys are as likely to be seen as new ones.
		l := 0
		for e := head; e != nil; e = e.next {
			l++
		}
		want := n - len(out)
		if l <= want {
			for e := head; e != nil; e = e.next {
				out = append(out, e)
			}
			continue
		}
		e := head
		for range rand.IntN(l) {
			e = e.next
		}
		for range want {
			out = append(out, e)
			if e = e.next; e == nil {
				e = head
			}
		}
	}
	return out
}

// offer puts a candidate into the pool if it beats the worst one there
// (or there is room), replacing the one for the same entry. (An entry
// deleted and created again under the same key is a new entry; the older
// candidate then finds the new one at eviction, which only costs a
// re-check.)
func (pl *evictionPool) offer(db *DB, e *Entry, score uint64) {
	for i := 0; i < pl.n; i++ {
		if pl.cands[i].ent == e {
			pl.removeAt(i)
			break
		}
	}
	if pl.n == poolSize {
		if score <= pl.cands[0].score {
			return
		}
		pl.removeAt(0)
	}
	i := pl.n
	for i > 0 && pl.cands[i-1].score > score {
		i--
	}
	// Shift up, keeping the key buffer of the slot that falls off the end
	// for reuse.
	spare := pl.cands[pl.n].key
	copy(pl.cands[i+1:pl.n+1], pl.cands[i:pl.n])
	pl.cands[i] = candidate{db: db, ent: e, key: append(spare[:0], e.Key()...), score: score}
	pl.n++
}

// removeAt drops candidate i, keeping its key buffer for reuse.
func (pl *evictionPool) removeAt(i int) {
	spare := pl.cands[i].key
	copy(pl.cands[i:pl.n-1], pl.cands[i+1:pl.n])
	pl.n--
	pl.cands[pl.n] = candidate{key: spare[:0]}
}

// take removes and returns the best candidate. Its key stays valid until
// the next offer.
func (pl *evictionPool) take() candidate {
	pl.n--
	c := pl.cands[pl.n]
	pl.cands[pl.n].db, pl.cands[pl.n].ent = nil, nil
	return c
}
