package main

import (
	"fmt"
	"path/filepath"
	"strconv"
	"time"
)

// gcResult is Cairn's garbage-collector pauses while serving a load over
// a large keyspace (issue 6: p99 under 1 ms with 10M keys), read from
// INFO cairn, which RESETSTAT starts counting from.
type gcResult struct {
	Keys      int64   `json:"keys"`
	LoadSecs  float64 `json:"load_seconds"`
	Cycles    int64   `json:"gc_cycles"`
	Pauses    int64   `json:"gc_pauses"`
	P50us     float64 `json:"pause_p50_us"`
	P99us     float64 `json:"pause_p99_us"`
	P999us    float64 `json:"pause_p999_us"`
	MaxUs     float64 `json:"pause_max_us"`
	HeapBytes int64   `json:"heap_live_bytes"`
	RSSKB     int64   `json:"rss_kb"`
}

// runGCPause fills Cairn with sc.gcKeys keys, then runs SET and GET over
// them, and reads the collector's pauses over the whole time.
func (b *bench) runGCPause() error {
	s, _, err := start(serverSpec{kind: "cairn", bin: b.cairnServer, dir: filepath.Join(b.work, "gcpause"), mode: modeNone}, 30*time.Second)
	if err != nil {
		return err
	}
	defer s.stop()
	keys := b.sc.gcKeys
	secs := b.sc.gcSeconds
	t0 := time.Now()
	// Pauses count from the start of the fill: the heap grows from nothing
	// to every key while SETs stream in, so the collector marks a heap of
	// up to all the keys under load. The mixed load after it stores values
	// of another size, so each SET replaces an allocation and leaves
	// garbage behind.
	if _, err := s.do("CONFIG", "RESETSTAT"); err != nil {
		return err
	}
	if _, err := runCmd(10*time.Minute, b.tools.cairnBench, fillArgs(s, keys)...); err != nil {
		return fmt.Errorf("benchrun: gc fill: %w", err)
	}
	if _, err := runCmd(b.tools.timeout, b.tools.cairnBench, "-h", "127.0.0.1", "-p", strconv.Itoa(s.Port),
		"-c", "50", "-P", "16", "-r", strconv.Itoa(keys), "-d", "40", "-t", "set,get",
		"--duration", fmt.Sprintf("%ds", secs), "--json"); err != nil {
		return fmt.Errorf("benchrun: gc load: %w", err)
	}
	loadSecs := time.Since(t0).Seconds()
	info, err := s.info("cairn")
	if err != nil {
		return err
	}
	n, _ := s.dbsize()
	rss, _ := s.rssKB()
	r := gcResult{Keys: n, LoadSecs: loadSecs, RSSKB: rss,
		Cycles: infoInt(info, "gc_cycles"), Pauses: infoInt(info, "gc_pauses"),
		P50us: infoFloat(info, "gc_pause_p50_us"), P99us: infoFloat(info, "gc_pause_p99_us"),
		P999us: infoFloat(info, "gc_pause_p999_us"), MaxUs: infoFloat(info, "gc_pause_max_us"),
		HeapBytes: infoInt(info, "heap_live_bytes")}
	logf("[gc] %d keys, %d GC cycles in %.0fs of load: pause p50 %.0f us, p99 %.0f us, max %.0f us; heap %d MB, RSS %d MB",
		r.Keys, r.Cycles, r.LoadSecs, r.P50us, r.P99us, r.MaxUs, r.HeapBytes>>20, r.RSSKB>>10)
	b.gc = &r
	return nil
}

func infoInt(info map[string]string, name string) int64 {
	v, _ := strconv.ParseInt(info[name], 10, 64)
	return v
}

func infoFloat(info map[string]string, name string) float64 {
	v, _ := strconv.ParseFloat(info[name], 64)
	return v
}
