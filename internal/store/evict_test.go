package store

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

const t0 = int64(1_700_000_000_000) // a Unix time in ms

func put(s *Store, db int, key string, expire, now int64) {
	sh, h := s.DB(db).Shard([]byte(key))
	sh.Lock()
	sh.Set(h, []byte(key), []byte("value"), expire, now)
	sh.Unlock()
}

func read(s *Store, db int, key string, now int64) bool {
	sh, h := s.DB(db).Shard([]byte(key))
	sh.Lock()
	defer sh.Unlock()
	return sh.Get(h, []byte(key), now) != nil
}

func newEvictStore() *Store {
	s := NewSharded(2, 8)
	s.SetClockStart(t0)
	return s
}

type evictLog struct {
	s    *Store
	keys []string
	dbs  []int
}

func (l *evictLog) record(t *testing.T) EvictFunc {
	return func(db int, key []byte) {
		// The key's shard must be locked while the caller logs the DEL.
		sh, _ := l.s.DB(db).Shard(key)
		if sh.mu.TryLock() {
			sh.mu.Unlock()
			t.Errorf("onEvict for %q called without its shard locked", key)
		}
		l.keys = append(l.keys, string(key))
		l.dbs = append(l.dbs, db)
	}
}

func TestParsePolicy(t *testing.T) {
	for p := NoEviction; p <= VolatileTTL; p++ {
		got, ok := ParsePolicy(p.String())
		if !ok || got != p {
			t.Errorf("ParsePolicy(%q) = %v, %v", p.String(), got, ok)
		}
	}
	if _, ok := ParsePolicy("allkeys-mru"); ok {
		t.Error("unknown policy parsed")
	}
}

func TestNoEvictionEvictsNothing(t *testing.T) {
	s := newEvictStore()
	put(s, 0, "a", 0, t0)
	if _, ok := s.Evict(NoEviction, 5, t0, nil); ok {
		t.Fatal("noeviction evicted")
	}
}

func TestVolatilePoliciesSpareKeysWithoutTTL(t *testing.T) {
	for _, p := range []Policy{VolatileLRU, VolatileLFU, VolatileRandom, VolatileTTL} {
		t.Run(p.String(), func(t *testing.T) {
			s := newEvictStore()
			for i := range 50 {
				put(s, i%2, fmt.Sprint("plain", i), 0, t0)
			}
			for i := range 10 {
				put(s, i%2, fmt.Sprint("ttl", i), t0+int64(i+1)*60_000, t0)
			}
			l := &evictLog{s: s}
			for range 10 {
				if _, ok := s.Evict(p, 5, t0+1000, l.record(t)); !ok {
					t.Fatalf("could not evict after %v", l.keys)
				}
			}
			if _, ok := s.Evict(p, 5, t0+1000, l.record(t)); ok {
				t.Fatalf("evicted an 11th key: %v", l.keys)
			}
			for i, k := range l.keys {
				if k[:3] != "ttl" {
					t.Fatalf("evicted %q without a TTL", k)
				}
				var want int
				fmt.Sscanf(k, "ttl%d", &want)
				if l.dbs[i] != want%2 {
					t.Fatalf("%q reported in db %d", k, l.dbs[i])
				}
			}
			if s.DB(0).Len()+s.DB(1).Len() != 50 || s.EvictedKeys() != 10 {
				t.Fatalf("%d keys left, %d evicted", s.DB(0).Len()+s.DB(1).Len(), s.EvictedKeys())
			}
		})
	}
}

func TestVolatileTTLEvictsSoonestFirst(t *testing.T) {
	s := NewSharded(1, 1)
	s.SetClockStart(t0)
	// Few keys in one shard, so every sample sees all of them and the
	// order is exact.
	for i := range 6 {
		put(s, 0, fmt.Sprint("k", i), t0+int64(6-i)*1000, t0)
	}
	l := &evictLog{s: s}
	for range 6 {
		s.Evict(VolatileTTL, 10, t0, l.record(t))
	}
	want := []string{"k5", "k4", "k3", "k2", "k1", "k0"}
	if fmt.Sprint(l.keys) != fmt.Sprint(want) {
		t.Fatalf("evicted %v, want %v", l.keys, want)
	}
}

func TestAllKeysLRUKeepsRecentlyRead(t *testing.T) {
	s := newEvictStore()
	for i := range 200 {
		put(s, 0, fmt.Sprint("k", i), 0, t0)
	}
	now := t0 + 10_000
	for i := range 20 {
		read(s, 0, fmt.Sprint("k", i), now) // the hot set
	}
	// Sampling is approximate (as in Redis): leave the cold keys the
	// majority, as a cache under pressure would.
	for range 120 {
		if _, ok := s.Evict(AllKeysLRU, 5, now, nil); !ok {
			t.Fatal("nothing evicted")
		}
	}
	for i := range 20 {
		if !read(s, 0, fmt.Sprint("k", i), now) {
			t.Errorf("hot key k%d evicted", i)
		}
	}
}

func TestAllKeysLFUKeepsFrequentlyRead(t *testing.T) {
	s := newEvictStore()
	s.SetLFU(true, 10, 1)
	for i := range 200 {
		put(s, 0, fmt.Sprint("k", i), 0, t0)
	}
	for range 100 {
		for i := range 20 {
			read(s, 0, fmt.Sprint("k", i), t0)
		}
	}
	for range 120 {
		s.Evict(AllKeysLFU, 5, t0, nil)
	}
	for i := range 20 {
		if !read(s, 0, fmt.Sprint("k", i), t0) {
			t.Errorf("frequent key k%d evicted", i)
		}
	}
}

func TestAllKeysRandomEmptiesEveryDatabase(t *testing.T) {
	s := newEvictStore()
	for i := range 40 {
		put(s, i%2, fmt.Sprint("k", i), 0, t0)
	}
	n := 0
	for {
		if _, ok := s.Evict(AllKeysRandom, 5, t0, nil); !ok {
			break
		}
		n++
	}
	if n != 40 || s.DB(0).Len()+s.DB(1).Len() != 0 || s.KeyspaceBytes() != recount(s) {
		t.Fatalf("evicted %d of 40, %d left, %d bytes accounted", n, s.DB(0).Len()+s.DB(1).Len(), s.KeyspaceBytes())
	}
}

func TestEvictReportsFreedBytes(t *testing.T) {
	s := newEvictStore()
	s.TrackMemory(true)
	put(s, 0, "only", 0, t0)
	before := s.KeyspaceBytes()
	freed, ok := s.Evict(AllKeysLRU, 5, t0, nil)
	if !ok || freed <= 0 || s.KeyspaceBytes() != before-freed {
		t.Fatalf("freed %d (ok %v): %d -> %d", freed, ok, before, s.KeyspaceBytes())
	}
}

func TestLFUCounter(t *testing.T) {
	s := newEvictStore()
	s.SetLFU(true, 10, 1)
	put(s, 0, "k", 0, t0)
	sh, h := s.DB(0).Shard([]byte("k"))
	sh.Lock()
	e := sh.Peek(h, []byte("k"), t0)
	if f := s.Freq(e, t0); f != lfuInit {
		t.Fatalf("new key freq %d, want %d", f, lfuInit)
	}
	for range 1000 {
		sh.Get(h, []byte("k"), t0)
	}
	f := s.Freq(e, t0)
	// With factor 10, a thousand reads take the counter to about 10-20.
	if f < 8 || f > 30 {
		t.Fatalf("freq after 1000 reads %d", f)
	}
	if d := s.Freq(e, t0+3*60_000); d != f-3 {
		t.Fatalf("after 3 minutes freq %d, want %d", d, f-3)
	}
	if d := s.Freq(e, t0+300*60_000); d != 0 {
		t.Fatalf("after 300 minutes freq %d, want 0", d)
	}
	sh.Unlock()
	s.SetLFU(false, 10, 1)
	for range 1000 {
		read(s, 0, "k", t0)
	}
	if s.Freq(e, t0) != f {
		t.Fatal("counter moved with LFU off")
	}
}

// Eviction runs beside commands that keep writing; the accounting must
// still add up afterwards (run with -race).
func TestEvictBesideWriters(t *testing.T) {
	s := newEvictStore()
	s.TrackMemory(true)
	done := make(chan struct{})
	for w := range 2 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range 3000 {
				var exp int64
				if i%2 == 0 {
					exp = t0 + 1e6
				}
				put(s, w, fmt.Sprint("w", w, ":", i%700), exp, t0)
			}
		}()
	}
	go func() {
		defer func() { done <- struct{}{} }()
		for i := range 2000 {
			s.Evict(Policy(1+i%7), 5, t0, nil)
		}
	}()
	for range 3 {
		<-done
	}
	if got, want := s.KeyspaceBytes(), recount(s); got != want {
		t.Fatalf("KeyspaceBytes %d, recount %d", got, want)
	}
}

// Eviction during a cut is a removal like any other: the walk still emits
// the evicted keys with their values at the cut.
func TestEvictDuringCutKeepsPointInTime(t *testing.T) {
	s := newEvictStore()
	for i := range 300 {
		put(s, i%2, fmt.Sprint("k", i), 0, t0)
	}
	s.admin.Lock()
	dbs := s.lockEverything()
	want := snapshotLocked(s)
	for _, db := range dbs {
		db.unlockAll()
	}
	s.admin.Unlock()
	c := s.BeginCut(nil)
	for range 200 {
		if _, ok := s.Evict(AllKeysRandom, 5, t0, nil); !ok {
			t.Fatal("nothing to evict")
		}
	}
	got := map[string]string{}
	err := c.Walk(func(db int, key, val []byte, expire int64) {
		k := fmt.Sprintf("%d/%s", db, key)
		if _, dup := got[k]; dup {
			t.Errorf("%s emitted twice", k)
		}
		got[k] = fmt.Sprintf("%s@%d", val, expire)
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("walk emitted %d keys, cut had %d", len(got), len(want))
	}
}

// TestFilledShardCounts: the per-database counts of shards holding keys
// and keys with an expiry (what lets eviction skip empty databases in
// O(1)) stay equal to a count of the shards through inserts, deletes,
// expiry changes, expirations, flushes and swaps.
func TestFilledShardCounts(t *testing.T) {
	s := NewSharded(3, 8)
	check := func(step int) {
		t.Helper()
		for _, db := range s.byOrdinal {
			var filled, vol int32
			for i := range db.shards {
				if db.shards[i].keys.Load() > 0 {
					filled++
				}
				if db.shards[i].expires.Load() > 0 {
					vol++
				}
			}
			if db.filled.Load() != filled || db.volFilled.Load() != vol {
				t.Fatalf("step %d, db %d: counted %d/%d filled/volatile shards, shards say %d/%d",
					step, db.index, db.filled.Load(), db.volFilled.Load(), filled, vol)
			}
		}
	}
	r := rand.New(rand.NewPCG(7, 7))
	for step := 0; step < 20000; step++ {
		db := r.IntN(3)
		key := fmt.Sprint("k", r.IntN(40))
		sh, h := s.DB(db).Shard([]byte(key))
		switch op := r.IntN(100); {
		case op < 40:
			var exp int64
			if r.IntN(2) == 0 {
				exp = t0 + int64(r.IntN(10))
			}
			put(s, db, key, exp, t0)
		case op < 70:
			sh.Lock()
			sh.Delete(h, []byte(key), t0)
			sh.Unlock()
		case op < 85:
			sh.Lock()
			if e := sh.Get(h, []byte(key), t0); e != nil {
				sh.SetExpire(e, int64(r.IntN(2))*(t0+5))
			}
			sh.Unlock()
		case op < 95:
			sh.Lock()
			sh.Get(h, []byte(key), t0+8) // may find it expired and remove it
			sh.Unlock()
		case op < 98:
			s.Swap(r.IntN(3), r.IntN(3), nil)
		default:
			s.DB(db).Flush(nil)
		}
		check(step)
	}
	if s.DB(0).randomShard(false) == nil && s.DB(0).Len() > 0 {
		t.Fatal("randomShard found no shard in a database with keys")
	}
}
