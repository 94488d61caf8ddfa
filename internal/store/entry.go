package store

// Kind is the type of value a key holds.
type Kind uint8

const (
	// KindString is a string value (the only kind so far).
	KindString Kind = iota
)

// Encoding flags that OBJECT ENCODING reports. A value that was ever
// modified in place (APPEND, SETRANGE) is "raw" regardless of size, as in
// Redis; otherwise the encoding follows from the bytes themselves.
const (
	flagRaw   uint8 = 1 << iota // modified in place: always "raw"
	flagNoInt                   // stored as text even if it looks like an integer
)

// Encoding is a hint, given when a value is stored, about the
// representation Redis would have chosen for it.
type Encoding uint8

const (
	// EncAuto: int when the bytes are a canonical integer, else embstr or
	// raw by size (SET, MSET, INCR ...).
	EncAuto Encoding = iota
	// EncText: embstr or raw by size, never int (INCRBYFLOAT results).
	EncText
	// EncRaw: raw whatever the size (APPEND, SETRANGE).
	EncRaw
)

// Entry is one key and its value. The fields are guarded by the mutex of
// the shard that holds the entry.
//
// The struct is 64 bytes, one Go size class: the LFU fields and the hash
// tag live in what would otherwise be padding, so they cost no memory per
// key (TestEntrySize guards this).
type Entry struct {
	next   *Entry
	buf    []byte // key bytes followed by value bytes
	expire int64  // absolute Unix ms; 0 means no expiry
	klen   uint32
	vol    int32  // index in shard.vol, -1 when the key has no expiry
	atime  uint32 // access clock (seconds) for OBJECT IDLETIME and LRU
	flags  uint8
	kind   Kind
	ldt    uint16 // LFU: Unix minutes (mod 2^16) of the last decrement (lfu.go)
	ver    uint32 // epoch of the last Cut that dealt with this entry (cut.go)
	lfu    uint8  // LFU: logarithmic access counter (lfu.go)
	tag    uint16 // 16 bits of the key's hash, set by table.insert (hashTag)
}

// Key returns the key. It aliases the entry's storage.
func (e *Entry) Key() []byte { return e.buf[:e.klen:e.klen] }

// Value returns the string value. It aliases the entry's storage and is
// valid until the shard is unlocked or the value changes.
func (e *Entry) Value() []byte { return e.buf[e.klen:] }

// Expire returns the absolute expiry time in Unix ms, or 0.
func (e *Entry) Expire() int64 { return e.expire }

// Kind returns the value's type.
func (e *Entry) Kind() Kind { return e.kind }

// Encoding returns the hint the value was stored with.
func (e *Entry) Encoding() Encoding {
	switch {
	case e.flags&flagRaw != 0:
		return EncRaw
	case e.flags&flagNoInt != 0:
		return EncText
	}
	return EncAuto
}

func (e *Entry) setEncoding(enc Encoding) {
	switch enc {
	case EncRaw:
		e.flags = flagRaw
	case EncText:
		e.flags = flagNoInt
	default:
		e.flags = 0
	}
}

// ATime returns the access clock value of the last access.
func (e *Entry) ATime() uint32 { return e.atime }

func (e *Entry) expired(now int64) bool { return e.expire != 0 && e.expire <= now }

// setValue replaces the value, reusing the storage when it fits. It
// returns the change in the entry's accounted bytes.
func (e *Entry) setValue(v []byte) int64 {
	n := int(e.klen) + len(v)
	if cap(e.buf) >= n && cap(e.buf) <= 2*n+16 {
		e.buf = e.buf[:n]
		copy(e.buf[e.klen:], v)
		return 0
	}
	before := allocSize(cap(e.buf))
	nb := make([]byte, n)
	copy(nb, e.buf[:e.klen])
	copy(nb[e.klen:], v)
	e.buf = nb
	return allocSize(cap(nb)) - before
}

func newEntry(key, val []byte) *Entry {
	b := make([]byte, len(key)+len(val))
	copy(b, key)
	copy(b[len(key):], val)
	return &Entry{buf: b, klen: uint32(len(key)), vol: -1}
}

// AccessClock is the entry's access time on the store's coarse clock
// (seconds), the "lru" DEBUG OBJECT shows.
func (e *Entry) AccessClock() uint32 { return e.atime }
