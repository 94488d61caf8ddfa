package main

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"cairn/internal/resp"
)

// infoFields parses an INFO reply into name -> value.
func infoFields(v resp.Value) map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(string(v.Str), "\r\n") {
		if k, val, ok := strings.Cut(line, ":"); ok && !strings.HasPrefix(line, "#") {
			m[k] = val
		}
	}
	return m
}

// keyCount sums keys=N over the dbN lines of INFO keyspace.
func keyCount(info map[string]string) int64 {
	var n int64
	for k, v := range info {
		if !strings.HasPrefix(k, "db") {
			continue
		}
		for _, part := range strings.Split(v, ",") {
			if s, ok := strings.CutPrefix(part, "keys="); ok {
				x, _ := strconv.ParseInt(s, 10, 64)
				n += x
			}
		}
	}
	return n
}

// runStat prints a line of server figures per interval (default 1s), with
// a header every 20 lines. -r limits the number of lines.
func (c *cli) runStat() int {
	if !c.connect() {
		return 1
	}
	interval := c.cfg.interval
	if interval <= 0 {
		interval = time.Second
	}
	var lastReqs int64 = -1
	for n := int64(0); c.cfg.repeat <= 1 || n < c.cfg.repeat; n++ {
		v, _, err := c.conn.Do("INFO")
		if err != nil {
			c.printConnError(err)
			return 1
		}
		if v.IsError() {
			fmt.Fprintf(c.errOut, "ERROR: %s\n", v.Str)
			return 1
		}
		info := infoFields(v)
		if n%20 == 0 {
			fmt.Fprintln(c.out, "------- data ------ --------------------- load -------------------- - child -")
			fmt.Fprintln(c.out, "keys       mem      clients blocked requests            connections          ")
		}
		reqs, _ := strconv.ParseInt(info["total_commands_processed"], 10, 64)
		delta := int64(0)
		if lastReqs >= 0 {
			delta = reqs - lastReqs
		}
		lastReqs = reqs
		child := ""
		if info["aof_rewrite_in_progress"] == "1" {
			child = "AOF"
		} else if info["rdb_bgsave_in_progress"] == "1" {
			child = "SAVE"
		}
		fmt.Fprintf(c.out, "%-11d%-9s%-8s%-8s%-20s%-21s%s\n",
			keyCount(info), info["used_memory_human"], info["connected_clients"],
			info["blocked_clients"], fmt.Sprintf("%d (+%d)", reqs, delta),
			info["total_connections_received"], child)
		time.Sleep(interval)
	}
	return 0
}

// latencyWindow accumulates PING round trips in milliseconds.
type latencyWindow struct {
	min, max, sum int64
	count         int64
}

func (w *latencyWindow) add(ms int64) {
	if w.count == 0 || ms < w.min {
		w.min = ms
	}
	if ms > w.max {
		w.max = ms
	}
	w.sum += ms
	w.count++
}

func (w *latencyWindow) avg() float64 {
	if w.count == 0 {
		return 0
	}
	return float64(w.sum) / float64(w.count)
}

// runLatency samples PING every 10ms. On a terminal it rewrites one line
// forever (--latency) or prints a line per window (--latency-history);
// otherwise it samples one window (-i, default 1s) and prints
// "min max avg samples" in the output format.
func (c *cli) runLatency() int {
	if !c.connect() {
		return 1
	}
	tty := c.mode == outputTTY && isTerminal(c.out)
	window := c.cfg.interval
	if window <= 0 {
		window = time.Second
	}
	var w latencyWindow
	start := time.Now()
	for {
		t0 := time.Now()
		v, _, err := c.conn.Do("PING")
		if err != nil {
			c.printConnError(err)
			return 1
		}
		if v.IsError() {
			fmt.Fprintf(c.errOut, "%s\n", v.Str)
			return 1
		}
		w.add(time.Since(t0).Milliseconds())
		elapsed := time.Since(start)
		switch {
		case !tty && !c.cfg.latencyHistory && elapsed >= window:
			sep := " "
			if c.mode == outputCSV {
				sep = ","
			}
			fmt.Fprintf(c.out, "%d%s%d%s%.2f%s%d\n", w.min, sep, w.max, sep, w.avg(), sep, w.count)
			return 0
		case c.cfg.latencyHistory && elapsed >= window:
			fmt.Fprintf(c.out, "\x1b[0G\x1b[2Kmin: %d, max: %d, avg: %.2f (%d samples) -- %.2f seconds range\n",
				w.min, w.max, w.avg(), w.count, elapsed.Seconds())
			if !tty {
				return 0
			}
			w, start = latencyWindow{}, time.Now()
		case tty && !c.cfg.latencyHistory:
			fmt.Fprintf(c.out, "\x1b[0G\x1b[2Kmin: %d, max: %d, avg: %.2f (%d samples)", w.min, w.max, w.avg(), w.count)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// scanKeys walks SCAN with the --pattern, calling fn per key.
func (c *cli) scanKeys(fn func(key []byte) error) error {
	cursor := "0"
	for cycle := 0; ; cycle++ {
		args := []string{"SCAN", cursor}
		if c.cfg.pattern != "*" {
			args = append(args, "MATCH", c.cfg.pattern)
		}
		v, _, err := c.conn.Do(args...)
		if err != nil {
			return err
		}
		if v.IsError() {
			return fmt.Errorf("%s", v.Str)
		}
		if len(v.Elems) != 2 {
			return fmt.Errorf("cairn-cli: unexpected SCAN reply")
		}
		for _, k := range v.Elems[1].Elems {
			if err := fn(k.Str); err != nil {
				return err
			}
		}
		cursor = string(v.Elems[0].Str)
		if cursor == "0" {
			return nil
		}
		if c.cfg.interval > 0 {
			time.Sleep(c.cfg.interval)
		}
	}
}

// runScan prints every key matching --pattern, one per line.
func (c *cli) runScan() int {
	if !c.connect() {
		return 1
	}
	err := c.scanKeys(func(k []byte) error {
		_, err := c.out.Write(append(append([]byte(nil), k...), '\n'))
		return err
	})
	if err != nil {
		fmt.Fprintf(c.errOut, "I/O error: %v\n", err)
		return 1
	}
	return 0
}

// sizeCommands measure a key of each type and name the unit.
var sizeCommands = map[string][2]string{
	"string": {"STRLEN", "bytes"},
	"list":   {"LLEN", "items"},
	"set":    {"SCARD", "members"},
	"zset":   {"ZCARD", "members"},
	"hash":   {"HLEN", "fields"},
	"stream": {"XLEN", "entries"},
}

var typeOrder = []string{"string", "list", "set", "zset", "hash", "stream"}

type typeStats struct {
	keys, total int64
	biggest     string
	biggestSize int64
}

// runBigKeys scans the keyspace and reports the biggest key of each type
// plus totals, in the layout of redis-cli --bigkeys.
func (c *cli) runBigKeys() int {
	if !c.connect() {
		return 1
	}
	dbsize, _, err := c.conn.Do("DBSIZE")
	if err != nil {
		c.printConnError(err)
		return 1
	}
	fmt.Fprint(c.out, "\n# Scanning the entire keyspace to find biggest keys as well as\n"+
		"# average sizes per key type.  You can use -i 0.1 to sleep 0.1 sec\n"+
		"# per 100 SCAN commands (not usually needed).\n\n")
	stats := map[string]*typeStats{}
	var sampled, keyBytes int64
	err = c.scanKeys(func(k []byte) error {
		key := string(k)
		tv, _, err := c.conn.Do("TYPE", key)
		if err != nil {
			return err
		}
		typ := string(tv.Str)
		if typ == "none" {
			return nil
		}
		st := stats[typ]
		if st == nil {
			st = &typeStats{}
			stats[typ] = st
		}
		var size int64
		if sc, ok := sizeCommands[typ]; ok {
			sv, _, err := c.conn.Do(sc[0], key)
			if err != nil {
				return err
			}
			size = sv.Int
		}
		sampled++
		keyBytes += int64(len(k))
		st.keys++
		st.total += size
		if st.keys == 1 || size > st.biggestSize {
			st.biggest, st.biggestSize = key, size
			pct := 0.0
			if dbsize.Int > 0 {
				pct = 100 * float64(sampled) / float64(dbsize.Int)
			}
			fmt.Fprintf(c.out, "[%05.2f%%] Biggest %-6s found so far %s with %d %s\n",
				math.Min(pct, 100), typ, appendRepr(nil, k), size, unitOf(typ))
		}
		return nil
	})
	if err != nil {
		fmt.Fprintf(c.errOut, "I/O error: %v\n", err)
		return 1
	}
	avgLen := 0.0
	if sampled > 0 {
		avgLen = float64(keyBytes) / float64(sampled)
	}
	fmt.Fprintf(c.out, "\n-------- summary -------\n\nSampled %d keys in the keyspace!\n", sampled)
	fmt.Fprintf(c.out, "Total key length in bytes is %d (avg len %.2f)\n\n", keyBytes, avgLen)
	types := append([]string(nil), typeOrder...)
	for t := range stats {
		if _, ok := sizeCommands[t]; !ok {
			types = append(types, t)
		}
	}
	sort.Strings(types[len(typeOrder):])
	for _, t := range types {
		if st := stats[t]; st != nil {
			fmt.Fprintf(c.out, "Biggest %6s found %s has %d %s\n", t, appendRepr(nil, []byte(st.biggest)), st.biggestSize, unitOf(t))
		}
	}
	fmt.Fprintln(c.out)
	for _, t := range types {
		st := stats[t]
		if st == nil {
			st = &typeStats{}
		}
		pct, avg := 0.0, 0.0
		if sampled > 0 {
			pct = 100 * float64(st.keys) / float64(sampled)
		}
		if st.keys > 0 {
			avg = float64(st.total) / float64(st.keys)
		}
		fmt.Fprintf(c.out, "%d %ss with %d %s (%05.2f%% of keys, avg size %.2f)\n", st.keys, t, st.total, unitOf(t), pct, avg)
	}
	return 0
}

func unitOf(typ string) string {
	if sc, ok := sizeCommands[typ]; ok {
		return sc[1]
	}
	return "?"
}
