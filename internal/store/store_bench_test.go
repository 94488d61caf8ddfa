package store

import (
	"fmt"
	"strconv"
	"testing"
)

// The hot path of GET and SET on an existing key must not allocate: these
// benchmarks report allocs/op, and TestHotPathNoAllocs enforces 0.

func benchStore(b testing.TB) (*DB, []byte) {
	s := New(16)
	db := s.DB(0)
	k := []byte("bench:key")
	set(db, k, []byte("some value of moderate size"), 0, 1)
	return db, k
}

func BenchmarkShardGetExisting(b *testing.B) {
	db, k := benchStore(b)
	b.ReportAllocs()
	for b.Loop() {
		sh, h := db.Shard(k)
		sh.Lock()
		if sh.Get(h, k, 2) == nil {
			b.Fatal("missing")
		}
		sh.Unlock()
	}
}

func BenchmarkShardSetOverwrite(b *testing.B) {
	db, k := benchStore(b)
	vals := [][]byte{[]byte("another value of the same size"), []byte("some value of moderate size")}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		sh, h := db.Shard(k)
		sh.Lock()
		sh.Set(h, k, vals[i&1], 0, 2)
		sh.Unlock()
		i++
	}
}

func BenchmarkShardGetParallel(b *testing.B) {
	s := New(1)
	db := s.DB(0)
	keys := make([][]byte, 1024)
	for i := range keys {
		keys[i] = key(i)
		set(db, keys[i], []byte("v"), 0, 1)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			k := keys[i&1023]
			sh, h := db.Shard(k)
			sh.Lock()
			sh.Get(h, k, 2)
			sh.Unlock()
			i++
		}
	})
}

// TestHotPathNoAllocs: GET and overwriting SET of an existing key
// allocate nothing.
func TestHotPathNoAllocs(t *testing.T) {
	db, k := benchStore(t)
	v := []byte("another value of the same size")
	if a := testing.AllocsPerRun(1000, func() {
		sh, h := db.Shard(k)
		sh.Lock()
		sh.Get(h, k, 2)
		sh.Unlock()
	}); a != 0 {
		t.Errorf("Get allocates %.1f per call", a)
	}
	if a := testing.AllocsPerRun(1000, func() {
		sh, h := db.Shard(k)
		sh.Lock()
		sh.Set(h, k, v, 0, 2)
		sh.Unlock()
	}); a != 0 {
		t.Errorf("Set overwrite allocates %.1f per call", a)
	}
}

// BenchmarkEvictLRU is one allkeys-lru eviction plus the insert that
// replaces it, in 16 databases of which one holds 100,000 keys (the usual
// layout): the cost every write pays once maxmemory is reached. Empty
// databases must cost nothing, and an eviction a few cache misses. The
// allocations are the new key's (its name and entry); eviction has none.
func BenchmarkEvictLRU(b *testing.B) {
	s := New(16)
	db := s.DB(0)
	key := func(i int) []byte { return []byte("key:" + strconv.Itoa(i)) }
	for i := range 100_000 {
		set(db, key(i), []byte("value"), 0, 1)
	}
	b.ReportAllocs()
	i := 100_000
	for b.Loop() {
		if _, ok := s.Evict(AllKeysLRU, 5, 2, nil); !ok {
			b.Fatal("nothing evicted")
		}
		set(db, key(i), []byte("value"), 0, 2)
		i++
	}
}

// BenchmarkLookupMiss looks up absent keys in a database of 1M keys: the
// cost of every insert's find and of GET on a missing key, where chain
// entries are passed over by their hash tag without reading their keys.
func BenchmarkLookupMiss(b *testing.B) {
	s := New(16)
	db := s.DB(0)
	for i := range 1_000_000 {
		set(db, fmt.Appendf(nil, "key:%07d", i), []byte("v"), 0, 1)
	}
	// Same length as the stored keys, so only their bytes tell them apart,
	// and too many for the touched buckets to stay in cache.
	miss := make([][]byte, 1<<16)
	for i := range miss {
		miss[i] = fmt.Appendf(nil, "kez:%07d", i*15)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		k := miss[i&(1<<16-1)]
		sh, h := db.Shard(k)
		sh.Lock()
		if sh.Get(h, k, 2) != nil {
			b.Fatal("found an absent key")
		}
		sh.Unlock()
		i++
	}
}
