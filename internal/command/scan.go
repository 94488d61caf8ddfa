package command

import (
	"strconv"

	"cairn/internal/resp"
	"cairn/internal/store"
)

func init() { register("scan", cmdScan) }

// parseCursor reads a SCAN cursor the way C's strtoul does (an optional
// sign, decimal digits, an empty string meaning 0, "-1" wrapping), which
// is what Redis accepts.
func parseCursor(b []byte) (uint64, bool) {
	if len(b) > 0 && (b[0] == ' ' || (b[0] >= '\t' && b[0] <= '\r')) {
		return 0, false
	}
	neg := false
	s := b
	if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if len(s) == 0 {
		return 0, len(b) == 0
	}
	v, err := strconv.ParseUint(string(s), 10, 64)
	if err != nil {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

func cmdScan(c *Ctx) {
	cursor, ok := parseCursor(c.Args[1])
	if !ok {
		c.Error("ERR invalid cursor")
		return
	}
	count := int64(10)
	var pattern, typ []byte
	for i := 2; i < len(c.Args); i += 2 {
		a := c.Args[i]
		more := i+1 < len(c.Args)
		switch {
		case eqFold(a, "count") && more:
			n, ok := resp.ParseInt(c.Args[i+1])
			if !ok {
				c.Error(errNotInt)
				return
			}
			if n < 1 {
				c.Error(errSyntax)
				return
			}
			count = n
		case eqFold(a, "match") && more:
			pattern = c.Args[i+1]
			if len(pattern) == 1 && pattern[0] == '*' {
				pattern = nil
			}
		case eqFold(a, "type") && more:
			typ = c.Args[i+1]
		default:
			c.Error(errSyntax)
			return
		}
	}
	var body []byte
	n := 0
	next := c.DB().Scan(cursor, int(min(count, 1<<20)), c.Now, func(key []byte, e *store.Entry) {
		if pattern != nil && !globMatch(pattern, key, false) {
			return
		}
		if typ != nil && !eqFoldBytes(typ, typeName(e.Kind())) {
			return
		}
		body = resp.AppendBulk(body, key)
		n++
	})
	c.Array(2)
	var buf [20]byte
	c.Bulk(strconv.AppendUint(buf[:0], next, 10))
	c.Array(n)
	c.Out = append(c.Out, body...)
}

// eqFoldBytes compares letters case-insensitively on both sides (eqFold
// expects its second argument in lower case already).
func eqFoldBytes(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		x, y := b[i]|0x20, s[i]|0x20
		if x != y {
			return false
		}
	}
	return true
}
