package store

import (
	"sync"
	"sync/atomic"
)

// Shard is one lock's worth of a database's keys. All methods except Len
// and Volatile require the caller to hold the shard's lock.
type Shard struct {
	mu      sync.Mutex
	db      *DB
	ordinal int // unique across the store; the lock order
	tab     table
	vol     []*Entry // entries with an expiry, for sampling
	keys    atomic.Int64
	expires atomic.Int64
	used    atomic.Int64 // accounted bytes (memory.go)
}

// Lock takes the shard's mutex.
func (sh *Shard) Lock() { sh.mu.Lock() }

// Unlock releases the shard's mutex.
func (sh *Shard) Unlock() { sh.mu.Unlock() }

// DB returns the database the shard belongs to.
func (sh *Shard) DB() *DB { return sh.db }

// Len returns the number of keys, including expired keys not yet removed.
// It needs no lock.
func (sh *Shard) Len() int { return int(sh.keys.Load()) }

// Volatile returns the number of keys with an expiry. It needs no lock.
func (sh *Shard) Volatile() int { return int(sh.expires.Load()) }

func (sh *Shard) hash(b []byte) uint64 { return sh.db.store.hash(b) }

// Get returns the live entry for key, removing it first if it has expired.
// It records the access for OBJECT IDLETIME.
func (sh *Shard) Get(h uint64, key []byte, now int64) *Entry {
	e := sh.tab.find(h, key)
	if e == nil {
		return nil
	}
	if e.expired(now) {
		sh.expire(h, e)
		return nil
	}
	// Record the access: the LRU clock always, the LFU counter when an
	// LFU policy asked for it (lfu.go). Written out rather than a helper,
	// which would be too big to inline on the hottest path.
	st := sh.db.store
	e.atime = st.clock(now)
	if st.lfuOn.Load() {
		st.lfuTouch(e, now)
	}
	return e
}

// Peek is Get without recording an access (OBJECT, TYPE-like inspection
// that Redis does not count as a touch).
func (sh *Shard) Peek(h uint64, key []byte, now int64) *Entry {
	e := sh.tab.find(h, key)
	if e != nil && e.expired(now) {
		sh.expire(h, e)
		return nil
	}
	return e
}

// Set stores val under key with the given absolute expiry (0 = none) and
// returns the entry. An existing entry keeps its identity and storage.
func (sh *Shard) Set(h uint64, key, val []byte, expire int64, now int64) *Entry {
	e := sh.tab.find(h, key)
	if e == nil {
		return sh.Insert(h, key, val, expire, now)
	}
	sh.preserve(e)
	sh.account(e.setValue(val))
	e.flags = 0
	e.kind = KindString
	st := sh.db.store
	e.atime = st.clock(now)
	if st.lfuOn.Load() {
		st.lfuTouch(e, now)
	}
	sh.SetExpire(e, expire)
	return e
}

// Insert adds a key that the caller knows is absent.
func (sh *Shard) Insert(h uint64, key, val []byte, expire int64, now int64) *Entry {
	e := newEntry(key, val)
	sh.markNew(e)
	nb := len(sh.tab.buckets)
	sh.tab.insert(h, e, sh.hash)
	if sh.keys.Add(1) == 1 {
		sh.db.filled.Add(1)
	}
	sh.account(entryCost(e) + sh.regrown(nb, cap(sh.vol)))
	st := sh.db.store
	e.atime = st.clock(now)
	lfuStart(e, now)
	sh.SetExpire(e, expire)
	return e
}

// SetValue replaces an entry's value, keeping its expiry.
func (sh *Shard) SetValue(e *Entry, val []byte, enc Encoding) {
	sh.preserve(e)
	sh.account(e.setValue(val))
	e.setEncoding(enc)
}

// SetEncoding changes the encoding hint alone (COPY keeps the source's).
func (sh *Shard) SetEncoding(e *Entry, enc Encoding) { e.setEncoding(enc) }

// AppendValue appends to an entry's value in place, growing its storage
// geometrically so that repeated APPENDs stay amortised O(1).
func (sh *Shard) AppendValue(e *Entry, suffix []byte) {
	sh.preserve(e)
	before := cap(e.buf)
	e.buf = append(e.buf, suffix...)
	if cap(e.buf) != before {
		sh.account(allocSize(cap(e.buf)) - allocSize(before))
	}
	e.flags |= flagRaw
}

// SetExpire sets (or with 0 clears) an entry's absolute expiry.
func (sh *Shard) SetExpire(e *Entry, expire int64) {
	if expire != e.expire {
		sh.preserve(e)
	}
	if expire != 0 && e.vol < 0 {
		e.vol = int32(len(sh.vol))
		vc := cap(sh.vol)
		sh.vol = append(sh.vol, e)
		if sh.expires.Add(1) == 1 {
			sh.db.volFilled.Add(1)
		}
		sh.account(sh.regrown(len(sh.tab.buckets), vc))
	} else if expire == 0 && e.vol >= 0 {
		sh.dropVolatile(e)
	}
	e.expire = expire
}

func (sh *Shard) dropVolatile(e *Entry) {
	last := len(sh.vol) - 1
	moved := sh.vol[last]
	sh.vol[e.vol] = moved
	moved.vol = e.vol
	sh.vol[last] = nil
	sh.vol = sh.vol[:last]
	e.vol = -1
	if sh.expires.Add(-1) == 0 {
		sh.db.volFilled.Add(-1)
	}
	if vc := cap(sh.vol); vc > 64 && len(sh.vol) < vc/4 {
		sh.vol = append([]*Entry(nil), sh.vol...)
		sh.account(sh.regrown(len(sh.tab.buckets), vc))
	}
}

// Delete removes key if present (expired or not) and reports whether a
// live key was removed.
func (sh *Shard) Delete(h uint64, key []byte, now int64) bool {
	e := sh.tab.find(h, key)
	if e == nil {
		return false
	}
	if e.expired(now) {
		sh.expire(h, e)
		return false
	}
	sh.unlink(h, e)
	return true
}

// Remove unlinks an entry found by Get.
func (sh *Shard) Remove(h uint64, e *Entry) { sh.unlink(h, e) }

func (sh *Shard) unlink(h uint64, e *Entry) {
	sh.preserve(e)
	if e.vol >= 0 {
		sh.dropVolatile(e)
	}
	nb := len(sh.tab.buckets)
	sh.tab.remove(h, e, sh.hash)
	if sh.keys.Add(-1) == 0 {
		sh.db.filled.Add(-1)
	}
	sh.account(sh.regrown(nb, cap(sh.vol)) - entryCost(e))
}

// expire removes an expired entry and reports it to the store's hook.
func (sh *Shard) expire(h uint64, e *Entry) {
	st := sh.db.store
	if st.OnExpire != nil {
		st.OnExpire(sh.db.index, e.Key())
	}
	sh.unlink(h, e)
	st.expiredKeys.Add(1)
}

// clear drops every key.
func (sh *Shard) clear() {
	sh.detachForCut()
	sh.tab.clear()
	sh.vol = nil
	if sh.keys.Swap(0) > 0 {
		sh.db.filled.Add(-1)
	}
	if sh.expires.Swap(0) > 0 {
		sh.db.volFilled.Add(-1)
	}
	sh.account(-sh.used.Load())
}
