package store

import "math/rand/v2"

// Scan continues a SCAN at cursor and calls fn with every live key it
// visits (fn must not keep the slice). It visits buckets until at least
// count keys were seen or about ten times count buckets were looked at,
// and returns the next cursor (0 when the database has been covered).
// Shards are locked one at a time.
func (db *DB) Scan(cursor uint64, count int, now int64, fn func(key []byte, e *Entry)) uint64 {
	nshard := uint64(len(db.shards))
	si := cursor >> shardShift
	bc := cursor & (1<<shardShift - 1)
	if si >= nshard {
		return 0
	}
	seen, visits := 0, 0
	maxVisits := count * 10
	for si < nshard && seen < count && visits < maxVisits {
		sh := &db.shards[si]
		// Empty shards cost an atomic load, not a visit, so that a small
		// database is covered in one call as it is in Redis.
		if sh.Len() == 0 {
			si, bc = si+1, 0
			continue
		}
		sh.mu.Lock()
		for {
			bc = sh.tab.scan(bc, func(e *Entry) {
				if !e.expired(now) {
					fn(e.Key(), e)
					seen++
				}
			})
			visits++
			if bc == 0 || seen >= count || visits >= maxVisits {
				break
			}
		}
		sh.mu.Unlock()
		if bc == 0 {
			si++
		}
	}
	for bc == 0 && si < nshard && db.shards[si].Len() == 0 {
		si++
	}
	if si >= nshard {
		return 0
	}
	return si<<shardShift | bc
}

// Each calls fn for every live key of the database, one shard at a time
// with that shard locked. fn must not keep the key slice.
func (db *DB) Each(now int64, fn func(key []byte, e *Entry)) {
	for i := range db.shards {
		sh := &db.shards[i]
		if sh.Len() == 0 {
			continue
		}
		sh.mu.Lock()
		for _, head := range sh.tab.buckets {
			for e := head; e != nil; e = e.next {
				if !e.expired(now) {
					fn(e.Key(), e)
				}
			}
		}
		sh.mu.Unlock()
	}
}

// RandomKey returns a copy of a random live key, or nil if there is none.
// Expired keys it meets are removed on the way, as Redis does.
func (db *DB) RandomKey(now int64) []byte {
	for tries := 0; tries < 100; tries++ {
		total := db.Len()
		if total == 0 {
			return nil
		}
		// Pick a shard weighted by its size, then a random non-empty bucket.
		pick := rand.IntN(total)
		var sh *Shard
		for i := range db.shards {
			n := db.shards[i].Len()
			if pick < n {
				sh = &db.shards[i]
				break
			}
			pick -= n
		}
		if sh == nil {
			continue
		}
		sh.mu.Lock()
		if key := sh.randomLocked(now); key != nil {
			sh.mu.Unlock()
			return key
		}
		sh.mu.Unlock()
	}
	return nil
}

func (sh *Shard) randomLocked(now int64) []byte {
	if sh.tab.count == 0 {
		return nil
	}
	n := len(sh.tab.buckets)
	for {
		head := sh.tab.buckets[rand.IntN(n)]
		if head == nil {
			continue
		}
		chain := 0
		for e := head; e != nil; e = e.next {
			chain++
		}
		e := head
		for k := rand.IntN(chain); k > 0; k-- {
			e = e.next
		}
		if e.expired(now) {
			sh.expire(sh.hash(e.Key()), e)
			return nil
		}
		return append([]byte(nil), e.Key()...)
	}
}
