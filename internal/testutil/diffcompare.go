package testutil

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
)

// sameReply reports whether a and b count as the same reply under the
// step's compare mode; when they do not, why says what differs beyond the
// raw bytes (empty when the bytes tell it all).
func sameReply(st *Step, a, b Frame) (ok bool, why string) {
	switch st.Mode {
	case CompareSorted:
		ca, cb := canonical(a), canonical(b)
		return bytes.Equal(ca, cb), ""
	case CompareShape:
		sa, sb := shape(a), shape(b)
		if sa != sb {
			return false, fmt.Sprintf("shapes differ: %s vs %s", sa, sb)
		}
		return true, ""
	case CompareMatch:
		ma, mb := st.Pattern.Match(a.Raw), st.Pattern.Match(b.Raw)
		if !ma || !mb {
			return false, fmt.Sprintf("regexp %q matches: %v / %v", st.Pattern, ma, mb)
		}
		if a.Type != b.Type {
			return false, "reply types differ"
		}
		return true, ""
	case CompareApprox:
		if a.Type == ':' && b.Type == ':' {
			x, errA := strconv.ParseInt(string(a.Head[1:]), 10, 64)
			y, errB := strconv.ParseInt(string(b.Head[1:]), 10, 64)
			if errA == nil && errB == nil {
				d := x - y
				if d < 0 {
					d = -d
				}
				if d <= st.Tolerance {
					return true, ""
				}
				return false, fmt.Sprintf("integers differ by %d (tolerance %d)", d, st.Tolerance)
			}
		}
	}
	return bytes.Equal(a.Raw, b.Raw), ""
}

// canonical re-encodes f with the elements of every aggregate sorted, so
// replies whose order is unspecified (KEYS, SCAN) compare equal when they
// hold the same elements. Map and attribute entries sort as pairs.
func canonical(f Frame) []byte {
	var out []byte
	attrLen := 0
	if f.Attr != nil {
		out = append(out, canonicalAgg(*f.Attr)...)
		attrLen = len(f.Attr.Raw)
	}
	if !f.IsAggregate() {
		return append(out, f.Raw[attrLen:]...)
	}
	return append(out, canonicalAgg(f)...)
}

func canonicalAgg(f Frame) []byte {
	step := 1
	if f.Type == '%' || f.Type == '|' {
		step = 2
	}
	var items [][]byte
	for i := 0; i+step <= len(f.Elems); i += step {
		var item []byte
		for j := 0; j < step; j++ {
			item = append(item, canonical(f.Elems[i+j])...)
		}
		items = append(items, item)
	}
	sort.Slice(items, func(i, j int) bool { return bytes.Compare(items[i], items[j]) < 0 })
	out := append(append([]byte(nil), f.Head...), '\r', '\n')
	for _, it := range items {
		out = append(out, it...)
	}
	return out
}

// shape describes a reply by its type byte, null-ness and, for
// aggregates, element count and the shapes of the elements.
func shape(f Frame) string {
	var b bytes.Buffer
	writeShape(&b, f)
	return b.String()
}

func writeShape(b *bytes.Buffer, f Frame) {
	if f.Attr != nil {
		writeShape(b, *f.Attr)
	}
	b.WriteByte(f.Type)
	if f.IsNull() {
		b.WriteString("nil")
		return
	}
	if !f.IsAggregate() {
		return
	}
	fmt.Fprintf(b, "%d[", len(f.Elems))
	for i, e := range f.Elems {
		if i > 0 {
			b.WriteByte(',')
		}
		writeShape(b, e)
	}
	b.WriteByte(']')
}
