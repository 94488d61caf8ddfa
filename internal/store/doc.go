// Package store holds Cairn's keyspace: the databases, their shards, the
// values and their expiry times. It does no I/O and starts no goroutines;
// every operation is driven by a caller that passes the current time, which
// keeps the package deterministic and easy to test.
//
// # Shape
//
// A Store has a fixed number of databases (the `databases` parameter). Each
// DB is split into a fixed power-of-two number of shards; a key belongs to
// the shard chosen by the top bits of its hash. A shard is a chained hash
// table guarded by one mutex. There is no lock above the shard: a command
// that touches one key takes one uncontended mutex.
//
// # Locking
//
// Callers lock shards themselves (Shard.Lock) so that a command can read,
// change and record the effect of a change (for the append-only file)
// while the shard is still held: log order then equals apply order.
// Commands that touch several keys lock all their shards through a LockSet,
// which takes them in ascending ordinal order. Every shard has an ordinal
// that is unique across all databases and never changes, even when SWAPDB
// exchanges two databases, so the order is total and deadlock-free.
// Store-wide operations (FLUSHALL, SWAPDB) take every shard they need in
// the same order.
//
// # Entries
//
// An entry keeps its key and string value in one byte slice (key first),
// so a string key costs two allocations: the entry and its bytes. An
// overwrite that fits the existing capacity reuses the bytes in place.
// Slices returned by Entry.Key and Entry.Value point into that storage and
// are valid only while the shard is locked.
//
// # Expiry
//
// Expiry times are absolute Unix milliseconds (0 = none). A key whose time
// has come is removed the moment any lookup sees it (lazy expiry), and the
// active cycle (ActiveExpire) samples keys with a TTL from each shard's
// volatile list and removes expired ones without any access. Both report
// every removal to the OnExpire hook so the caller can log it as a DEL.
//
// # Memory and eviction
//
// Each shard accounts the bytes its keyspace really occupies: per entry
// the 64-byte struct plus its key/value buffer rounded up to the Go size
// class, plus the shard's bucket array and volatile list (memory.go).
// TrackMemory adds a store-wide counter kept exact under the shard locks,
// so maxmemory can be checked per command with one atomic load.
// UsedBytes is that figure plus a Baseline the caller measures for
// everything outside the keyspace.
//
// Evict (evict.go) removes one key by a maxmemory-policy. LRU, LFU and
// TTL policies sample keys per database from random shards into a pool of
// the best 16 candidates kept across calls, as Redis does; a candidate
// whose score dropped since it was sampled is rescored rather than
// evicted. The removal goes through the normal unlink path with the shard
// locked (so an active Cut preserves it) and is reported to the caller's
// EvictFunc before the key goes, for the DEL in the append-only file.
// Entries keep an LFU counter and its decay time in their padding
// (lfu.go); accesses update it only while SetLFU has it on.
//
// # SCAN
//
// A cursor is the shard number in the high bits and a bucket cursor in the
// low bits. Within a shard the bucket cursor advances in reverse-binary
// order over the power-of-two table, which visits every bucket of the
// table's current size exactly once and keeps that promise across growth
// and shrinking: a key present for the whole scan is returned at least
// once.
package store
