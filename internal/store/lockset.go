package store

// LockSet locks the shards of several keys (possibly in several databases)
// in ascending ordinal order, each shard once. A LockSet is reused across
// commands so that locking allocates nothing for up to inlineLocks
// distinct shards.
type LockSet struct {
	inline [inlineLocks]*Shard
	held   []*Shard
}

const inlineLocks = 16

// Add records a shard to lock. Call Lock after adding all of them.
func (ls *LockSet) Add(sh *Shard) {
	if ls.held == nil {
		ls.held = ls.inline[:0]
	}
	// Insertion keeps the list sorted and free of duplicates; key lists
	// are short, and long ones (MSET of thousands) are rare enough that
	// the quadratic worst case is cheaper than sorting machinery.
	i := len(ls.held)
	for i > 0 && ls.held[i-1].ordinal >= sh.ordinal {
		if ls.held[i-1] == sh {
			return
		}
		i--
	}
	ls.held = append(ls.held, nil)
	copy(ls.held[i+1:], ls.held[i:])
	ls.held[i] = sh
}

// Lock takes every added shard in order.
func (ls *LockSet) Lock() {
	for _, sh := range ls.held {
		sh.mu.Lock()
	}
}

// Unlock releases every shard and empties the set for reuse.
func (ls *LockSet) Unlock() {
	for i := len(ls.held) - 1; i >= 0; i-- {
		ls.held[i].mu.Unlock()
		ls.held[i] = nil
	}
	if cap(ls.held) > 4*inlineLocks {
		ls.held = nil // don't pin a huge list after one giant MSET
	} else {
		ls.held = ls.held[:0]
	}
}
