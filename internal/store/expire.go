package store

import "math/rand/v2"

// Active expiry tuning, in the spirit of Redis's sampling cycle: look at a
// few keys with a TTL per shard and keep going on that shard while a large
// share of the sample had expired.
const (
	expireSample       = 20
	expireRepeatPerMil = 250 // repeat while > 25% of the sample expired
)

// ActiveExpire runs one active expiry cycle over every database and removes
// expired keys it samples. It stops early once budget shards have been
// worked on past the first pass, so a cycle has bounded cost; it returns
// the number of keys removed.
func (s *Store) ActiveExpire(now int64, budget int) int {
	removed := 0
	for _, db := range s.byOrdinal {
		var ttlSum, ttlN int64
		for j := range db.shards {
			sh := &db.shards[j]
			if sh.expires.Load() == 0 {
				continue
			}
			sh.mu.Lock()
			for rounds := 0; rounds < 16 && len(sh.vol) > 0; rounds++ {
				n := min(expireSample, len(sh.vol))
				gone := 0
				for k := 0; k < n && len(sh.vol) > 0; k++ {
					e := sh.vol[rand.IntN(len(sh.vol))]
					if e.expired(now) {
						sh.expire(sh.hash(e.Key()), e)
						gone++
					} else {
						ttlSum += e.expire - now
						ttlN++
					}
				}
				removed += gone
				if gone*1000 <= n*expireRepeatPerMil {
					break
				}
				budget--
				if budget <= 0 {
					break
				}
			}
			sh.mu.Unlock()
		}
		if ttlN > 0 {
			// Blend with the previous estimate, as Redis does, so the
			// figure moves smoothly between cycles.
			avg := ttlSum / ttlN
			if old := db.avgTTL.Load(); old != 0 {
				avg = (old/50)*49 + avg/50
			}
			db.avgTTL.Store(avg)
		} else if db.Volatile() == 0 {
			db.avgTTL.Store(0)
		}
	}
	return removed
}
