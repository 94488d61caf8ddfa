package store

import "math/bits"

// table is a chained hash table with a power-of-two bucket count. It grows
// when the load reaches 1 and shrinks below 1/8 so that iteration and SCAN
// stay proportional to the number of keys.
type table struct {
	buckets []*Entry
	count   int
}

const minBuckets = 4

func (t *table) bucket(h uint64) int { return int(h & uint64(len(t.buckets)-1)) }

// hashTag is the part of a key's hash an entry keeps, so that a lookup
// passes over the other entries of its chain without reading their keys
// (a second cache miss each). Bits 40-55: the top bits pick the shard and
// are the same for every key in a table, the low bits pick the bucket.
func hashTag(h uint64) uint16 { return uint16(h >> 40) }

func (t *table) find(h uint64, key []byte) *Entry {
	if t.count == 0 {
		return nil
	}
	tag := hashTag(h)
	for e := t.buckets[t.bucket(h)]; e != nil; e = e.next {
		if e.tag == tag && int(e.klen) == len(key) && string(e.buf[:e.klen]) == string(key) {
			return e
		}
	}
	return nil
}

// insert adds e, whose key must not be present.
func (t *table) insert(h uint64, e *Entry, hash func([]byte) uint64) {
	if len(t.buckets) == 0 {
		t.buckets = make([]*Entry, minBuckets)
	}
	if t.count >= len(t.buckets) {
		t.resize(len(t.buckets)*2, hash)
	}
	i := t.bucket(h)
	e.tag = hashTag(h)
	e.next = t.buckets[i]
	t.buckets[i] = e
	t.count++
}

// remove unlinks e from the bucket of hash h.
func (t *table) remove(h uint64, e *Entry, hash func([]byte) uint64) {
	i := t.bucket(h)
	for p := &t.buckets[i]; *p != nil; p = &(*p).next {
		if *p == e {
			*p = e.next
			e.next = nil
			t.count--
			break
		}
	}
	if len(t.buckets) > minBuckets && t.count < len(t.buckets)/8 {
		n := minBuckets
		for n < t.count*2 {
			n *= 2
		}
		t.resize(n, hash)
	}
}

func (t *table) resize(n int, hash func([]byte) uint64) {
	nb := make([]*Entry, n)
	mask := uint64(n - 1)
	for _, e := range t.buckets {
		for e != nil {
			next := e.next
			i := hash(e.buf[:e.klen]) & mask
			e.next = nb[i]
			nb[i] = e
			e = next
		}
	}
	t.buckets = nb
}

func (t *table) clear() {
	t.buckets = nil
	t.count = 0
}

// scan visits the bucket selected by cursor c (and, because the table may
// have been smaller or larger when the cursor was issued, nothing else is
// needed: reverse-binary order covers both cases) and returns the next
// cursor; 0 means the table was covered.
func (t *table) scan(c uint64, fn func(*Entry)) uint64 {
	if len(t.buckets) == 0 {
		return 0
	}
	mask := uint64(len(t.buckets) - 1)
	for e := t.buckets[c&mask]; e != nil; e = e.next {
		fn(e)
	}
	// Increment the cursor's reversed bits within the mask.
	c |= ^mask
	c = bits.Reverse64(c)
	c++
	c = bits.Reverse64(c)
	return c
}
