package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// memoryResult is RSS per key for one server.
type memoryResult struct {
	Server      string  `json:"server"`
	Keys        int64   `json:"keys"`
	BaseKB      int64   `json:"rss_idle_kb"`
	LoadedKB    int64   `json:"rss_loaded_kb"`
	BytesPerKey float64 `json:"bytes_per_key"`
}

// aofLoadResult is the start-up time on a directory holding an AOF of N
// keys.
type aofLoadResult struct {
	Server      string  `json:"server"`
	KeysWritten int64   `json:"keys_written"`
	KeysLoaded  int64   `json:"keys_loaded"`
	AOFBytes    int64   `json:"aof_bytes"`
	Seconds     float64 `json:"seconds_to_pong"`
}

// fillArgs writes keys distinct keys ("key:" + 12 digits, 16 bytes) with
// 16-byte values, each key exactly once.
func fillArgs(s *server, keys int) []string {
	return []string{"-h", "127.0.0.1", "-p", strconv.Itoa(s.Port), "-c", "50", "-P", "100", "-n", strconv.Itoa(keys),
		"-r", strconv.Itoa(keys), "--dist", "sequential", "-d", "16", "-t", "set", "--json"}
}

func (b *bench) fill(s *server, keys int) error {
	_, err := runCmd(b.tools.timeout, b.tools.cairnBench, fillArgs(s, keys)...)
	return err
}

func (b *bench) runMemory() error {
	for _, kind := range []string{"cairn", "redis"} {
		bin := b.cairnServer
		if kind == "redis" {
			bin = b.redisServer
		}
		s, _, err := start(serverSpec{kind: kind, bin: bin, dir: filepath.Join(b.work, "memory", kind), mode: modeNone}, 30*time.Second)
		if err != nil {
			return err
		}
		time.Sleep(200 * time.Millisecond)
		base, err1 := s.rssKB()
		err2 := b.fill(s, b.sc.memoryKeys)
		time.Sleep(500 * time.Millisecond)
		after, err3 := s.rssKB()
		n, err4 := s.dbsize()
		s.stop()
		for _, e := range []error{err1, err2, err3, err4} {
			if e != nil {
				return fmt.Errorf("benchrun: memory %s: %w", kind, e)
			}
		}
		r := memoryResult{Server: kind, Keys: n, BaseKB: base, LoadedKB: after}
		if n > 0 {
			r.BytesPerKey = float64(after-base) * 1024 / float64(n)
		}
		logf("[memory] %s: %d keys, RSS %d -> %d kB, %.1f B/key", kind, n, base, after, r.BytesPerKey)
		b.memory = append(b.memory, r)
	}
	return nil
}

func (b *bench) runAOFLoad() error {
	for _, kind := range []string{"cairn", "redis"} {
		bin := b.cairnServer
		if kind == "redis" {
			bin = b.redisServer
		}
		spec := serverSpec{kind: kind, bin: bin, dir: filepath.Join(b.work, "aofload", kind), mode: modeEverysec}
		s, _, err := start(spec, 30*time.Second)
		if err != nil {
			return err
		}
		err = b.fill(s, b.sc.aofKeys)
		written, _ := s.dbsize()
		s.stop()
		if err != nil {
			return fmt.Errorf("benchrun: aof fill %s: %w", kind, err)
		}
		size := dirSize(spec.dir)
		s, took, err := start(spec, 5*time.Minute)
		if err != nil {
			return err
		}
		loaded, err := s.dbsize()
		s.stop()
		if err != nil {
			return err
		}
		r := aofLoadResult{Server: kind, KeysWritten: written, KeysLoaded: loaded, AOFBytes: size, Seconds: took.Seconds()}
		logf("[aof load] %s: %d keys written, %d loaded, %d AOF bytes, %.2fs to PONG", kind, written, loaded, size, r.Seconds)
		b.aofLoad = append(b.aofLoad, r)
	}
	return nil
}

// dirSize sums the sizes of the append-only files (logs excluded).
func dirSize(dir string) int64 {
	var n int64
	filepath.Walk(dir, func(path string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() && filepath.Ext(path) != ".log" {
			n += fi.Size()
		}
		return nil
	})
	return n
}
