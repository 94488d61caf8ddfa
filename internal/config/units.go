package config

import (
	"strconv"
	"strings"
)

// Memory units accepted wherever Redis accepts a memory value. A bare "k"
// is decimal (1000) and "kb" binary (1024), as in redis.conf; suffixes are
// case-insensitive.
var memoryUnits = []struct {
	suffix string
	mult   uint64
}{
	// Longer suffixes first so "1kb" is not read as "1k" followed by "b".
	{"kb", 1 << 10}, {"mb", 1 << 20}, {"gb", 1 << 30},
	{"k", 1000}, {"m", 1000 * 1000}, {"g", 1000 * 1000 * 1000},
	{"b", 1},
}

// parseMemory reads a Redis memory value: decimal digits (leading zeros and
// an empty digit run are allowed, "kb" alone is 0) with an optional unit. It
// rejects signs, spaces, fractions and values beyond int64.
func parseMemory(s string) (int64, bool) {
	lower := strings.ToLower(s)
	mult := uint64(1)
	digits := lower
	for _, u := range memoryUnits {
		if strings.HasSuffix(lower, u.suffix) {
			mult = u.mult
			digits = lower[:len(lower)-len(u.suffix)]
			break
		}
	}
	var n uint64
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if n > (1<<63-1)/10 {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	if n != 0 && mult > (1<<63-1)/n {
		return 0, false
	}
	n *= mult
	if n > 1<<63-1 {
		return 0, false
	}
	return int64(n), true
}

// formatMemoryUnit renders bytes with the largest binary unit that divides
// it exactly ("64mb", "1gb", "1000"), the form CONFIG REWRITE writes.
// CONFIG GET prints plain bytes instead.
func formatMemoryUnit(n int64) string {
	switch {
	case n == 0:
		return "0"
	case n%(1<<30) == 0:
		return strconv.FormatInt(n/(1<<30), 10) + "gb"
	case n%(1<<20) == 0:
		return strconv.FormatInt(n/(1<<20), 10) + "mb"
	case n%(1<<10) == 0:
		return strconv.FormatInt(n/(1<<10), 10) + "kb"
	}
	return strconv.FormatInt(n, 10)
}

// parseRedisInt reads an integer the way Redis's strict string-to-long-long
// conversion does: optional '-', no '+', no spaces, no leading zeros
// ("0" itself is fine, "00" and "-0" are not).
func parseRedisInt(s string) (int64, bool) {
	if s == "0" {
		return 0, true
	}
	neg := strings.HasPrefix(s, "-")
	d := s
	if neg {
		d = s[1:]
	}
	if d == "" || d[0] < '1' || d[0] > '9' {
		return 0, false
	}
	for i := 1; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, false
	}
	return n, true
}
