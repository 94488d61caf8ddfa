package command

import (
	"cairn/internal/resp"
	"cairn/internal/store"
)

func init() { register("lcs", cmdLCS) }

func cmdLCS(c *Ctx) {
	var getLen, getIdx, withMatchLen bool
	var minLen int64
	for i := 3; i < len(c.Args); i++ {
		a := c.Args[i]
		switch {
		case eqFold(a, "idx"):
			getIdx = true
		case eqFold(a, "len"):
			getLen = true
		case eqFold(a, "withmatchlen"):
			withMatchLen = true
		case eqFold(a, "minmatchlen") && i+1 < len(c.Args):
			v, ok := resp.ParseInt(c.Args[i+1])
			if !ok {
				c.Error(errNotInt)
				return
			}
			minLen = max(v, 0)
			i++
		default:
			c.Error(errSyntax)
			return
		}
	}
	// Copy both strings out so the table is built without locks held.
	a, b, ok := c.lcsInputs()
	if !ok {
		return
	}
	if getIdx && getLen {
		c.Error("ERR If you want both the length and indexes, please just use IDX.")
		return
	}
	if uint64(len(a)+1)*uint64(len(b)+1)*4 > uint64(c.E.Config.ProtoMaxBulkLen()) {
		c.Error("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len")
		return
	}
	lcsReply(c, a, b, getLen, getIdx, withMatchLen, minLen)
}

func (c *Ctx) lcsInputs() (a, b []byte, ok bool) {
	db := c.DB()
	c.lockArgs(db, 1, 1)
	defer c.locks.Unlock()
	for i, dst := range []*[]byte{&a, &b} {
		key := c.Args[1+i]
		sh, h := db.Shard(key)
		e := sh.Get(h, key, c.Now)
		if e == nil {
			continue
		}
		if e.Kind() != store.KindString {
			c.Error("ERR The specified keys must contain string values")
			return nil, nil, false
		}
		*dst = append([]byte(nil), e.Value()...)
	}
	return a, b, true
}

// lcsReply computes the longest common subsequence with the classic
// dynamic-programming table and walks it back from the end, reporting
// matched ranges in the order (and with the same grouping) Redis does.
func lcsReply(c *Ctx, a, b []byte, getLen, getIdx, withMatchLen bool, minLen int64) {
	w := len(b) + 1
	tab := make([]uint32, (len(a)+1)*w)
	at := func(i, j int) uint32 { return tab[i*w+j] }
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			if a[i-1] == b[j-1] {
				tab[i*w+j] = at(i-1, j-1) + 1
			} else {
				tab[i*w+j] = max(at(i-1, j), at(i, j-1))
			}
		}
	}
	total := at(len(a), len(b))
	if getLen && !getIdx {
		c.Int(int64(total))
		return
	}
	out := make([]byte, total)
	idx := int(total)
	var matches []byte // encoded match entries, counted in nmatch
	nmatch := 0
	unset := len(a)
	aStart, aEnd, bStart, bEnd := unset, 0, 0, 0
	i, j := len(a), len(b)
	for i > 0 && j > 0 {
		emit := false
		if a[i-1] == b[j-1] {
			out[idx-1] = a[i-1]
			if aStart == unset {
				aStart, aEnd, bStart, bEnd = i-1, i-1, j-1, j-1
			} else if aStart == i && bStart == j {
				aStart--
				bStart--
			} else {
				emit = true
			}
			if aStart == 0 || bStart == 0 {
				emit = true
			}
			idx, i, j = idx-1, i-1, j-1
		} else {
			if at(i-1, j) > at(i, j-1) {
				i--
			} else {
				j--
			}
			if aStart != unset {
				emit = true
			}
		}
		if emit {
			mlen := int64(aEnd - aStart + 1)
			if getIdx && (minLen == 0 || mlen >= minLen) {
				n := 2
				if withMatchLen {
					n = 3
				}
				matches = resp.AppendArrayLen(matches, n)
				matches = resp.AppendArrayLen(matches, 2)
				matches = resp.AppendInt(matches, int64(aStart))
				matches = resp.AppendInt(matches, int64(aEnd))
				matches = resp.AppendArrayLen(matches, 2)
				matches = resp.AppendInt(matches, int64(bStart))
				matches = resp.AppendInt(matches, int64(bEnd))
				if withMatchLen {
					matches = resp.AppendInt(matches, mlen)
				}
				nmatch++
			}
			aStart = unset
		}
	}
	if !getIdx {
		c.Bulk(out)
		return
	}
	c.Map(2)
	c.BulkString("matches")
	c.Array(nmatch)
	c.Out = append(c.Out, matches...)
	c.BulkString("len")
	c.Int(int64(total))
}
