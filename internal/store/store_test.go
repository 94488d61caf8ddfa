package store

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
)

func key(i int) []byte { return []byte("key:" + strconv.Itoa(i)) }

// set stores key=val in db with the shard locked.
func set(db *DB, k, v []byte, expire, now int64) {
	sh, h := db.Shard(k)
	sh.Lock()
	sh.Set(h, k, v, expire, now)
	sh.Unlock()
}

func get(db *DB, k []byte, now int64) (string, bool) {
	sh, h := db.Shard(k)
	sh.Lock()
	defer sh.Unlock()
	e := sh.Get(h, k, now)
	if e == nil {
		return "", false
	}
	return string(e.Value()), true
}

func del(db *DB, k []byte, now int64) bool {
	sh, h := db.Shard(k)
	sh.Lock()
	defer sh.Unlock()
	return sh.Delete(h, k, now)
}

// TestTableGrowShrink: the table doubles at load 1, halves (at least)
// below 1/8, and every key stays findable through every resize.
func TestTableGrowShrink(t *testing.T) {
	s := NewSharded(1, 1) // one shard: its table sees every key
	db := s.DB(0)
	sh := &db.shards[0]
	const n = 5000
	maxBuckets := 0
	for i := 0; i < n; i++ {
		set(db, key(i), key(i), 0, 1)
		if b := len(sh.tab.buckets); b&(b-1) != 0 || sh.tab.count > b {
			t.Fatalf("after %d inserts: %d buckets (power of two?) for %d keys", i+1, b, sh.tab.count)
		}
		maxBuckets = max(maxBuckets, len(sh.tab.buckets))
	}
	if maxBuckets < n || maxBuckets > 2*n {
		t.Fatalf("%d buckets for %d keys", maxBuckets, n)
	}
	for i := 0; i < n; i++ {
		if v, ok := get(db, key(i), 1); !ok || v != string(key(i)) {
			t.Fatalf("key %d lost after growth", i)
		}
	}
	for i := 0; i < n-10; i++ {
		if !del(db, key(i), 1) {
			t.Fatalf("delete %d", i)
		}
		if b := len(sh.tab.buckets); b > minBuckets && sh.tab.count < b/8 {
			t.Fatalf("after delete %d: %d buckets for %d keys, not shrunk", i, b, sh.tab.count)
		}
	}
	if b := len(sh.tab.buckets); b > 64 {
		t.Errorf("%d buckets left for 10 keys", b)
	}
	for i := n - 10; i < n; i++ {
		if _, ok := get(db, key(i), 1); !ok {
			t.Fatalf("key %d lost after shrinking", i)
		}
	}
	if db.Len() != 10 || sh.Len() != 10 {
		t.Errorf("Len = %d/%d, want 10", db.Len(), sh.Len())
	}
}

// TestScanCursorOverResizes: a key present for a whole SCAN is returned
// at least once even when the tables grow or shrink between the calls.
func TestScanCursorOverResizes(t *testing.T) {
	for seed := uint64(0); seed < 30; seed++ {
		rng := rand.New(rand.NewPCG(seed, 7))
		s := NewSharded(1, 4)
		db := s.DB(0)
		stable := 100 + rng.IntN(500)
		for i := 0; i < stable; i++ {
			set(db, []byte(fmt.Sprintf("stable:%d", i)), []byte("s"), 0, 1)
		}
		grow := seed%2 == 0 // odd seeds shrink instead
		churn := 0
		if !grow { // start big so that deletes shrink the tables
			for ; churn < 8000+rng.IntN(4000); churn++ {
				set(db, []byte(fmt.Sprintf("churn:%d", churn)), []byte("c"), 0, 1)
			}
		}
		limit := 10 * db.Len() // grow tenfold, then let the scan finish
		deleted := 0
		seen := map[string]int{}
		var cursor uint64
		for steps := 0; ; steps++ {
			cursor = db.Scan(cursor, 1+rng.IntN(20), 1, func(k []byte, _ *Entry) { seen[string(k)]++ })
			if cursor == 0 {
				break
			}
			if steps > 100000 {
				t.Fatalf("seed %d: scan does not end", seed)
			}
			// Between calls, grow or shrink the keyspace a lot.
			for j := rng.IntN(100); j > 0; j-- {
				if grow && db.Len() < limit {
					set(db, []byte(fmt.Sprintf("churn:%d", churn)), []byte("c"), 0, 1)
					churn++
				} else if !grow && deleted < churn {
					del(db, []byte(fmt.Sprintf("churn:%d", deleted)), 1)
					deleted++
				}
			}
		}
		for i := 0; i < stable; i++ {
			if seen[fmt.Sprintf("stable:%d", i)] == 0 {
				t.Fatalf("seed %d (grow=%v): stable:%d never returned (keyspace now %d)", seed, grow, i, db.Len())
			}
		}
	}
}

// TestScanSmallDBOneCall: a small database is covered by one SCAN call,
// as in Redis (tests and tools rely on it).
func TestScanSmallDBOneCall(t *testing.T) {
	s := New(1)
	db := s.DB(0)
	for i := 0; i < 8; i++ {
		set(db, key(i), []byte("v"), 0, 1)
	}
	n := 0
	if next := db.Scan(0, 10, 1, func([]byte, *Entry) { n++ }); next != 0 || n != 8 {
		t.Fatalf("SCAN 0 COUNT 10 over 8 keys: next=%d, %d keys", next, n)
	}
}

// TestLockSetOrderAndDedup: shards added in any order, repeatedly and
// from several databases, are held once each in ascending ordinal order,
// and the set is empty and reusable after Unlock.
func TestLockSetOrderAndDedup(t *testing.T) {
	s := NewSharded(3, 8)
	var all []*Shard
	for d := 0; d < 3; d++ {
		for i := range s.DB(d).shards {
			all = append(all, &s.DB(d).shards[i])
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	var ls LockSet
	for round := 0; round < 200; round++ {
		want := map[*Shard]bool{}
		for k := rng.IntN(40); k >= 0; k-- {
			sh := all[rng.IntN(len(all))]
			ls.Add(sh)
			ls.Add(sh) // duplicates are ignored
			want[sh] = true
		}
		if len(ls.held) != len(want) {
			t.Fatalf("round %d: holding %d shards, want %d distinct", round, len(ls.held), len(want))
		}
		for i := 1; i < len(ls.held); i++ {
			if ls.held[i-1].ordinal >= ls.held[i].ordinal {
				t.Fatalf("round %d: not in ascending ordinal order", round)
			}
		}
		ls.Lock()
		for sh := range want {
			if sh.mu.TryLock() {
				t.Fatalf("round %d: shard %d not locked", round, sh.ordinal)
			}
		}
		ls.Unlock()
		for sh := range want {
			if !sh.mu.TryLock() {
				t.Fatalf("round %d: shard %d still locked", round, sh.ordinal)
			}
			sh.mu.Unlock()
		}
		if len(ls.held) != 0 {
			t.Fatalf("round %d: %d shards left in the set", round, len(ls.held))
		}
	}
	// Ordinals stay a total order after SWAPDB: they belong to the shards.
	before := s.DB(0).shards[0].ordinal
	s.Swap(0, 2, nil)
	if s.DB(2).shards[0].ordinal != before {
		t.Fatal("SWAPDB changed shard ordinals")
	}
}

// TestLockSetNoAllocs: locking a handful of shards allocates nothing.
func TestLockSetNoAllocs(t *testing.T) {
	s := New(2)
	var ls LockSet
	keys := [][]byte{[]byte("a"), []byte("b"), []byte("c"), []byte("a")}
	allocs := testing.AllocsPerRun(100, func() {
		for _, k := range keys {
			sh, _ := s.DB(0).Shard(k)
			ls.Add(sh)
		}
		sh, _ := s.DB(1).Shard(keys[0])
		ls.Add(sh)
		ls.Lock()
		held := len(ls.held) // something to do while locked
		ls.Unlock()
		if held == 0 {
			panic("nothing locked")
		}
	})
	if allocs != 0 {
		t.Fatalf("LockSet allocates %.1f per use", allocs)
	}
}

// TestActiveExpireSampling: the active cycle removes expired keys without
// any lookup, leaves keys with a future or no expiry alone, reports every
// removal to OnExpire and counts it.
func TestActiveExpireSampling(t *testing.T) {
	s := New(2)
	var hooked []string
	s.OnExpire = func(db int, key []byte) { hooked = append(hooked, fmt.Sprintf("%d/%s", db, key)) }
	const expiring, future, persistent = 3000, 500, 500
	for i := 0; i < expiring; i++ {
		set(s.DB(i%2), []byte("exp:"+strconv.Itoa(i)), []byte("v"), 100, 1)
	}
	for i := 0; i < future; i++ {
		set(s.DB(0), []byte("future:"+strconv.Itoa(i)), []byte("v"), 1e12, 1)
	}
	for i := 0; i < persistent; i++ {
		set(s.DB(1), []byte("keep:"+strconv.Itoa(i)), []byte("v"), 0, 1)
	}
	if v := s.DB(0).Volatile() + s.DB(1).Volatile(); v != expiring+future {
		t.Fatalf("Volatile = %d, want %d", v, expiring+future)
	}
	// Before the time comes, nothing goes.
	if n := s.ActiveExpire(99, 64); n != 0 {
		t.Fatalf("ActiveExpire before expiry removed %d", n)
	}
	removed, cycles := 0, 0
	for ; removed < expiring && cycles < 100; cycles++ {
		removed += s.ActiveExpire(200, 64)
	}
	if removed != expiring {
		t.Fatalf("after %d cycles removed %d of %d expired keys", cycles, removed, expiring)
	}
	t.Logf("%d expired keys reclaimed in %d cycles", expiring, cycles)
	if got := s.DB(0).Len() + s.DB(1).Len(); got != future+persistent {
		t.Fatalf("%d keys left, want %d", got, future+persistent)
	}
	if len(hooked) != expiring || s.ExpiredKeys() != expiring {
		t.Fatalf("OnExpire saw %d, ExpiredKeys = %d, want %d", len(hooked), s.ExpiredKeys(), expiring)
	}
	if s.DB(0).Volatile() != future || s.DB(1).Volatile() != 0 {
		t.Fatalf("Volatile after the cycle: %d, %d", s.DB(0).Volatile(), s.DB(1).Volatile())
	}
	if avg := s.DB(0).AvgTTL(); avg <= 0 {
		t.Errorf("avg TTL estimate %d for keys with a future expiry", avg)
	}
}

// TestLazyExpiry: a lookup at or after the expiry time removes the key.
func TestLazyExpiry(t *testing.T) {
	s := New(1)
	hooked := 0
	s.OnExpire = func(int, []byte) { hooked++ }
	db := s.DB(0)
	set(db, []byte("k"), []byte("v"), 1000, 1)
	if _, ok := get(db, []byte("k"), 999); !ok {
		t.Fatal("key gone 1ms before its expiry")
	}
	if _, ok := get(db, []byte("k"), 1000); ok {
		t.Fatal("key answers at its expiry time")
	}
	if db.Len() != 0 || db.Volatile() != 0 || hooked != 1 || s.ExpiredKeys() != 1 {
		t.Fatalf("after lazy expiry: len %d, volatile %d, hook %d, expired %d", db.Len(), db.Volatile(), hooked, s.ExpiredKeys())
	}
	// Delete of an expired key reports no live key removed.
	set(db, []byte("k"), []byte("v"), 1000, 1)
	if del(db, []byte("k"), 2000) {
		t.Fatal("Delete of an expired key reported a removal")
	}
}

// TestSwapDBAndFlush: SWAPDB exchanges contents and numbers, FLUSHDB
// clears one database, FLUSHALL every one.
func TestSwapDBAndFlush(t *testing.T) {
	s := New(4)
	set(s.DB(0), []byte("a"), []byte("zero"), 0, 1)
	set(s.DB(1), []byte("a"), []byte("one"), 5000, 1)
	set(s.DB(1), []byte("b"), []byte("one"), 0, 1)
	called := false
	s.Swap(0, 1, func() { called = true })
	if !called {
		t.Error("Swap did not call during")
	}
	if v, _ := get(s.DB(0), []byte("a"), 1); v != "one" {
		t.Errorf("db0 a = %q after SWAPDB", v)
	}
	if v, _ := get(s.DB(1), []byte("a"), 1); v != "zero" {
		t.Errorf("db1 a = %q after SWAPDB", v)
	}
	if s.DB(0).Index() != 0 || s.DB(1).Index() != 1 || s.DB(0).Len() != 2 || s.DB(0).Volatile() != 1 {
		t.Errorf("after SWAPDB: indexes %d %d, db0 len %d volatile %d", s.DB(0).Index(), s.DB(1).Index(), s.DB(0).Len(), s.DB(0).Volatile())
	}
	s.Swap(2, 2, nil) // same database: a no-op
	set(s.DB(3), []byte("c"), []byte("v"), 0, 1)
	s.DB(0).Flush(nil)
	if s.DB(0).Len() != 0 || s.DB(1).Len() != 1 {
		t.Errorf("FLUSHDB: db0 %d keys, db1 %d keys", s.DB(0).Len(), s.DB(1).Len())
	}
	if _, ok := get(s.DB(0), []byte("a"), 1); ok {
		t.Error("flushed key still answers")
	}
	s.FlushAll(nil)
	for i := 0; i < 4; i++ {
		if s.DB(i).Len() != 0 || s.DB(i).Volatile() != 0 {
			t.Errorf("FLUSHALL left %d keys in db %d", s.DB(i).Len(), i)
		}
	}
	// The store works normally after being flushed.
	set(s.DB(1), []byte("a"), []byte("again"), 0, 1)
	if v, _ := get(s.DB(1), []byte("a"), 1); v != "again" {
		t.Errorf("after FLUSHALL: %q", v)
	}
}

// TestSwapDBConcurrent: SWAPDB and FLUSHALL racing writers neither
// deadlock nor lose writes to databases they do not clear (run with -race).
func TestSwapDBConcurrent(t *testing.T) {
	s := NewSharded(3, 16)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 300; i++ {
			s.Swap(0, 1, nil)
			if i%50 == 0 {
				s.DB(2).Flush(nil)
			}
		}
	}()
	var ls LockSet
	for i := 0; i < 3000; {
		// A two-database operation (like MOVE) locks through a LockSet.
		k := key(i)
		d0, d1 := s.DB(0), s.DB(1)
		if d0 == d1 {
			continue // a swap ran between the two reads; MOVE retries too
		}
		a, ha := d0.Shard(k)
		b, hb := d1.Shard(k)
		ls.Add(a)
		ls.Add(b)
		ls.Lock()
		a.Set(ha, k, []byte("x"), 0, 1)
		b.Set(hb, k, []byte("y"), 0, 1)
		ls.Unlock()
		i++
	}
	<-done
	if n := s.DB(0).Len() + s.DB(1).Len(); n != 6000 {
		t.Fatalf("%d keys in db 0+1, want 6000", n)
	}
}
