package acl

// bitset holds one bit per catalog command.
type bitset [8]uint64

func (b *bitset) get(id int) bool { return b[id>>6]&(1<<(id&63)) != 0 }

func (b *bitset) put(id int, v bool) {
	if v {
		b[id>>6] |= 1 << (id & 63)
	} else {
		b[id>>6] &^= 1 << (id & 63)
	}
}

func (b *bitset) fill(v bool) {
	var w uint64
	if v {
		w = ^uint64(0)
	}
	for i := range b {
		b[i] = w
	}
}
