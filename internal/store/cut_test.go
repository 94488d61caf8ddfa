package store

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"
)

// snapshotLocked copies every key of every database (all shards must be
// locked): the state a cut must reproduce.
func snapshotLocked(s *Store) map[string]string {
	out := map[string]string{}
	for i := range s.dbs {
		db := s.dbs[i].Load()
		for j := range db.shards {
			for _, head := range db.shards[j].tab.buckets {
				for e := head; e != nil; e = e.next {
					out[fmt.Sprintf("%d/%s", db.index, e.Key())] = fmt.Sprintf("%s@%d", e.Value(), e.expire)
				}
			}
		}
	}
	return out
}

// TestCutIsPointInTime races writers that change, delete, create and
// flush keys against a walk, and checks that the walk emits exactly the
// state at the cut, each key once.
func TestCutIsPointInTime(t *testing.T) {
	for round := 0; round < 5; round++ {
		s := NewSharded(4, 16)
		for i := 0; i < 4000; i++ {
			db := s.DB(i % 4)
			k := []byte("k" + strconv.Itoa(i))
			sh, h := db.Shard(k)
			sh.Lock()
			sh.Set(h, k, []byte("0"), int64(i%3)*1000, 1)
			sh.Unlock()
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				r := rand.New(rand.NewPCG(uint64(w), uint64(round)))
				for {
					select {
					case <-stop:
						return
					default:
					}
					db := s.DB(r.IntN(4))
					k := []byte("k" + strconv.Itoa(r.IntN(5000)))
					sh, h := db.Shard(k)
					sh.Lock()
					switch op := r.IntN(100); {
					case op < 40:
						if e := sh.Get(h, k, 1); e != nil {
							n, _ := strconv.Atoi(string(e.Value()))
							sh.SetValue(e, []byte(strconv.Itoa(n+1)), EncAuto)
						} else {
							sh.Insert(h, k, []byte("1"), 0, 1)
						}
					case op < 60:
						if e := sh.Get(h, k, 1); e != nil {
							sh.AppendValue(e, []byte("x"))
						}
					case op < 75:
						sh.Delete(h, k, 1)
					case op < 90:
						if e := sh.Get(h, k, 1); e != nil {
							sh.SetExpire(e, 99)
						}
					case op < 99:
						sh.Set(h, k, []byte("s"), 0, 1)
					default:
						sh.Unlock()
						if r.IntN(2) == 0 {
							db.Flush(nil)
						} else {
							s.Swap(r.IntN(4), r.IntN(4), nil)
						}
						continue
					}
					sh.Unlock()
				}
			}(w)
		}
		var want map[string]string
		cut := s.BeginCut(func() { want = snapshotLocked(s) })
		got := map[string]string{}
		err := cut.Walk(func(db int, key, val []byte, expire int64) {
			k := fmt.Sprintf("%d/%s", db, key)
			if _, dup := got[k]; dup {
				t.Errorf("key %s emitted twice", k)
			}
			got[k] = fmt.Sprintf("%s@%d", val, expire)
		}, nil)
		close(stop)
		wg.Wait()
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Errorf("round %d: walk emitted %d keys, the cut had %d", round, len(got), len(want))
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("round %d: key %s: walk %q, at the cut %q", round, k, got[k], v)
				break
			}
		}
		if s.cut.Load() != nil {
			t.Fatal("cut still active after Walk")
		}
	}
}

// TestCutWalkDuringSwapDB walks cuts while another goroutine keeps
// swapping databases: every database of the cut must be found and every
// key emitted under its number at the cut, although the number-to-database
// table changes under the walk.
func TestCutWalkDuringSwapDB(t *testing.T) {
	const dbs = 16
	s := NewSharded(dbs, 1)
	for i := 0; i < dbs; i++ {
		k := []byte("k" + strconv.Itoa(i))
		sh, h := s.DB(i).Shard(k)
		sh.Lock()
		sh.Set(h, k, []byte(strconv.Itoa(i)), 0, 1)
		sh.Unlock()
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		r := rand.New(rand.NewPCG(1, 2))
		for {
			select {
			case <-stop:
				return
			default:
			}
			s.Swap(r.IntN(dbs), r.IntN(dbs), nil)
		}
	}()
	defer func() { close(stop); <-done }()
	for round := 0; round < 3000; round++ {
		var want map[string]string
		cut := s.BeginCut(func() { want = snapshotLocked(s) })
		got := map[string]string{}
		if err := cut.Walk(func(db int, key, val []byte, expire int64) {
			got[fmt.Sprintf("%d/%s", db, key)] = fmt.Sprintf("%s@%d", val, expire)
		}, nil); err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("round %d: walk emitted %d keys, the cut had %d", round, len(got), len(want))
		}
		for k, v := range want {
			if got[k] != v {
				t.Fatalf("round %d: key %s: walk %q, at the cut %q", round, k, got[k], v)
			}
		}
	}
}
