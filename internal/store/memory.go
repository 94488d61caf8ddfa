package store

import "unsafe"

// Memory accounting.
//
// Every shard keeps the bytes its keyspace has allocated: each entry's
// struct and its key/value buffer (rounded up to the Go allocator's size
// class, which is what the allocation really occupies), the bucket array
// of its table and its volatile list. The figure changes under the
// shard's lock, with an atomic add only when a size really changes (an
// overwrite in place costs nothing).
//
// Reading the sum of thousands of shard counters for every command would
// cost microseconds, so once someone needs the figure per command
// (maxmemory is set) TrackMemory switches on a store-wide counter that
// every change also adds to. It is switched on under every shard lock, so
// no change is either lost or counted twice.

// entrySize is the allocation of one Entry: 64 bytes is a size class.
const entrySize = int64(unsafe.Sizeof(Entry{}))

// pointerSize is the size of a bucket or volatile-list slot.
const pointerSize = int64(unsafe.Sizeof(uintptr(0)))

// sizeClasses are the Go allocator's small object sizes (runtime
// sizeclasses.go); larger objects take whole 8 KiB pages.
var sizeClasses = [...]int32{
	8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224,
	240, 256, 288, 320, 352, 384, 416, 448, 480, 512, 576, 640, 704, 768,
	896, 1024, 1152, 1280, 1408, 1536, 1792, 2048, 2304, 2688, 3072, 3200,
	3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728,
	10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760,
	24576, 27264, 28672, 32768,
}

const pageSize = 8192

// smallClass maps (n+7)/8 to the size class of n for n <= 1024, so the
// common sizes need no search.
var smallClass = func() (t [1024/8 + 1]int32) {
	c := 0
	for i := range t {
		for int(sizeClasses[c]) < i*8 {
			c++
		}
		t[i] = sizeClasses[c]
	}
	return t
}()

// allocSize is the memory an allocation of n bytes occupies.
func allocSize(n int) int64 {
	if n <= 0 {
		return 0
	}
	if n <= 1024 {
		return int64(smallClass[(n+7)/8])
	}
	if n > int(sizeClasses[len(sizeClasses)-1]) {
		return int64((n + pageSize - 1) / pageSize * pageSize)
	}
	lo, hi := 0, len(sizeClasses)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if int(sizeClasses[mid]) < n {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return int64(sizeClasses[lo])
}

// entryCost is what an entry accounts for.
func entryCost(e *Entry) int64 { return entrySize + allocSize(cap(e.buf)) }

// account records a change of d bytes in the shard's keyspace. Call it
// with the shard locked.
func (sh *Shard) account(d int64) {
	if d == 0 {
		return
	}
	sh.used.Add(d)
	if st := sh.db.store; st.tracking.Load() {
		st.accounted.Add(d)
	}
}

// tableBytes is what a bucket array of nb slots and a volatile list of
// capacity vc occupy.
func tableBytes(nb, vc int) int64 {
	return allocSize(nb*int(pointerSize)) + allocSize(vc*int(pointerSize))
}

// regrown returns the change in the shard's table and volatile list
// bytes since they had nb buckets and capacity vc.
func (sh *Shard) regrown(nb, vc int) int64 {
	nb2, vc2 := len(sh.tab.buckets), cap(sh.vol)
	if nb2 == nb && vc2 == vc {
		return 0
	}
	return tableBytes(nb2, vc2) - tableBytes(nb, vc)
}

// UsedBytes returns the bytes the shard's keyspace occupies. It needs no
// lock.
func (sh *Shard) UsedBytes() int64 { return sh.used.Load() }

// TrackMemory switches the store-wide byte counter that KeyspaceBytes
// reads in O(1) on or off. Switching it on locks every shard once (a
// pause proportional to the number of shards); it is meant to follow the
// maxmemory setting, not to be toggled per command.
func (s *Store) TrackMemory(on bool) {
	if s.tracking.Load() == on {
		return
	}
	s.admin.Lock()
	defer s.admin.Unlock()
	dbs := s.lockEverything()
	var sum int64
	for _, db := range dbs {
		for i := range db.shards {
			sum += db.shards[i].used.Load()
		}
	}
	s.accounted.Store(sum)
	s.tracking.Store(on)
	for _, db := range dbs {
		db.unlockAll()
	}
}

// Tracking reports whether the store-wide counter is on.
func (s *Store) Tracking() bool { return s.tracking.Load() }

// KeyspaceBytes returns the bytes the keyspace occupies: one atomic load
// while tracking is on, otherwise a sum over every shard.
func (s *Store) KeyspaceBytes() int64 {
	if s.tracking.Load() {
		return s.accounted.Load()
	}
	var sum int64
	for _, db := range s.byOrdinal {
		for j := range db.shards {
			sum += db.shards[j].used.Load()
		}
	}
	return sum
}

// SetBaseline records the memory the process uses outside the keyspace
// (connections, buffers, the runtime), as the caller measured it.
func (s *Store) SetBaseline(n int64) { s.baseline.Store(max(n, 0)) }

// Baseline returns the figure SetBaseline recorded.
func (s *Store) Baseline() int64 { return s.baseline.Load() }

// UsedBytes is Baseline plus KeyspaceBytes: the figure maxmemory is
// compared with.
func (s *Store) UsedBytes() int64 { return s.baseline.Load() + s.KeyspaceBytes() }

// Usage is what MEMORY USAGE reports for e: its allocation and its
// value's, the bucket slot that points at it and, with an expiry, its
// slot in the volatile list. Call it with e's shard locked.
func Usage(e *Entry) int64 {
	n := entryCost(e) + pointerSize
	if e.vol >= 0 {
		n += pointerSize
	}
	return n
}

// Overhead returns what the database's tables take besides the entries:
// the bucket arrays (main) and the lists of keys with an expiry
// (expires). It locks each shard in turn.
func (db *DB) Overhead() (main, expires int64) {
	for i := range db.shards {
		sh := &db.shards[i]
		sh.mu.Lock()
		main += allocSize(len(sh.tab.buckets) * int(pointerSize))
		expires += allocSize(cap(sh.vol) * int(pointerSize))
		sh.mu.Unlock()
	}
	return main, expires
}
