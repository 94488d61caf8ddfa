package store

import (
	"fmt"
	"testing"
	"unsafe"
)

// The LFU fields must fit in the padding: per-key memory is a benchmarked
// target.
func TestEntrySize(t *testing.T) {
	if got := unsafe.Sizeof(Entry{}); got != 64 {
		t.Fatalf("Entry is %d bytes, want 64", got)
	}
}

// allocSize must agree with the runtime, whose append growth rounds a
// capacity up to the same size class.
func TestAllocSizeMatchesRuntime(t *testing.T) {
	for n := 1; n <= 70000; n++ {
		if n > 2048 && n%7 != 0 {
			continue
		}
		want := cap(append([]byte(nil), make([]byte, n)...))
		if got := allocSize(n); got != int64(want) {
			t.Fatalf("allocSize(%d) = %d, runtime rounds to %d", n, got, want)
		}
	}
}

// recount is the keyspace's size computed from scratch.
func recount(s *Store) int64 {
	var sum int64
	for i := range s.dbs {
		db := s.DB(i)
		for j := range db.shards {
			sh := &db.shards[j]
			sh.Lock()
			sum += tableBytes(len(sh.tab.buckets), cap(sh.vol))
			for _, head := range sh.tab.buckets {
				for e := head; e != nil; e = e.next {
					sum += entryCost(e)
				}
			}
			sh.Unlock()
		}
	}
	return sum
}

func TestAccountingFollowsEveryChange(t *testing.T) {
	for _, tracking := range []bool{false, true} {
		t.Run(fmt.Sprint("tracking=", tracking), func(t *testing.T) {
			s := NewSharded(2, 4)
			s.TrackMemory(tracking)
			check := func(step string) {
				t.Helper()
				if got, want := s.KeyspaceBytes(), recount(s); got != want {
					t.Fatalf("%s: KeyspaceBytes %d, recount %d", step, got, want)
				}
			}
			check("empty")
			for db := 0; db < 2; db++ {
				for i := range 500 {
					key := []byte(fmt.Sprintf("key:%d", i))
					sh, h := s.DB(db).Shard(key)
					sh.Lock()
					var exp int64
					if i%3 == 0 {
						exp = 1e15
					}
					sh.Set(h, key, make([]byte, i%70), exp, 1000)
					sh.Unlock()
				}
			}
			check("after sets")
			if s.KeyspaceBytes() < 1000*(entrySize+8) {
				t.Fatalf("1000 keys account for only %d bytes", s.KeyspaceBytes())
			}
			for i := range 500 {
				key := []byte(fmt.Sprintf("key:%d", i))
				sh, h := s.DB(0).Shard(key)
				sh.Lock()
				e := sh.Get(h, key, 1000)
				switch i % 4 {
				case 0:
					sh.SetValue(e, make([]byte, 300), EncAuto)
				case 1:
					sh.AppendValue(e, make([]byte, 100))
				case 2:
					sh.SetExpire(e, 0)
				case 3:
					sh.SetExpire(e, 2e15)
				}
				sh.Unlock()
			}
			check("after changes")
			s.TrackMemory(!tracking)
			check("after switching tracking")
			for i := range 450 {
				key := []byte(fmt.Sprintf("key:%d", i))
				sh, h := s.DB(0).Shard(key)
				sh.Lock()
				sh.Delete(h, key, 1000)
				sh.Unlock()
			}
			check("after deletes")
			s.DB(1).Flush(nil)
			check("after flush")
			s.FlushAll(nil)
			if got := s.KeyspaceBytes(); got != 0 {
				t.Fatalf("empty store accounts %d bytes", got)
			}
		})
	}
}

func TestUsedBytesAddsBaseline(t *testing.T) {
	s := NewSharded(1, 4)
	s.SetBaseline(1000)
	sh, h := s.DB(0).Shard([]byte("k"))
	sh.Lock()
	sh.Set(h, []byte("k"), []byte("v"), 0, 0)
	sh.Unlock()
	if got, want := s.UsedBytes(), 1000+s.KeyspaceBytes(); got != want || s.KeyspaceBytes() == 0 {
		t.Fatalf("UsedBytes %d, want %d (keyspace %d)", got, want, s.KeyspaceBytes())
	}
	s.SetBaseline(-5)
	if s.Baseline() != 0 {
		t.Fatalf("negative baseline kept: %d", s.Baseline())
	}
}
