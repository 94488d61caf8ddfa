package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"cairn/internal/resp"
)

// rewriteResult is one server's BGREWRITEAOF of N keys: how long it took
// and how much memory the server (plus, for Redis, its forked child) held
// meanwhile.
type rewriteResult struct {
	Server      string  `json:"server"`
	Keys        int64   `json:"keys"`
	Seconds     float64 `json:"seconds"`
	BeforeKB    int64   `json:"rss_before_kb"`
	PeakKB      int64   `json:"rss_peak_kb"` // parent + children, summed per sample
	IncreaseKB  int64   `json:"rss_increase_kb"`
	Samples     int     `json:"samples"`
	MaxChildren int     `json:"max_children"` // processes seen besides the server (Redis's fork)
	AOFBytes    int64   `json:"aof_bytes_after"`
}

// rewriteSampleEvery is the RSS sampling period during a rewrite.
const rewriteSampleEvery = 10 * time.Millisecond

// runRewrite fills each server with rewriteKeys distinct keys under
// appendonly yes, sends BGREWRITEAOF and samples RSS until INFO
// persistence says the rewrite finished well.
func (b *bench) runRewrite() error {
	for _, kind := range []string{"cairn", "redis"} {
		bin := b.cairnServer
		if kind == "redis" {
			bin = b.redisServer
		}
		spec := serverSpec{kind: kind, bin: bin, dir: filepath.Join(b.work, "rewrite", kind), mode: modeEverysec}
		s, _, err := start(spec, 30*time.Second)
		if err != nil {
			return err
		}
		r, err := b.rewriteOne(s)
		s.stop()
		if err != nil {
			return fmt.Errorf("benchrun: rewrite %s: %w", kind, err)
		}
		r.AOFBytes = dirSize(spec.dir)
		logf("[rewrite] %s: %d keys, %.2fs, RSS %d kB before, peak %d kB (+%d kB), %d samples, children seen %d",
			kind, r.Keys, r.Seconds, r.BeforeKB, r.PeakKB, r.IncreaseKB, r.Samples, r.MaxChildren)
		b.rewrite = append(b.rewrite, r)
	}
	return nil
}

func (b *bench) rewriteOne(s *server) (rewriteResult, error) {
	r := rewriteResult{Server: s.Kind}
	if err := b.fill(s, b.sc.rewriteKeys); err != nil {
		return r, err
	}
	var err error
	if r.Keys, err = s.dbsize(); err != nil {
		return r, err
	}
	// Let the fill's own AOF writes settle before the baseline.
	time.Sleep(500 * time.Millisecond)
	info, err := s.info("persistence")
	if err != nil {
		return r, err
	}
	if info["aof_rewrite_in_progress"] != "0" || info["aof_rewrite_scheduled"] == "1" {
		return r, errors.New("a rewrite is already running before BGREWRITEAOF")
	}
	rewritesBefore, _ := strconv.Atoi(info["aof_rewrites"])
	pid := s.cmd.Process.Pid
	if r.BeforeKB, _, err = treeRSSKB(pid); err != nil {
		return r, err
	}
	r.PeakKB = r.BeforeKB

	began := time.Now()
	reply, err := s.do("BGREWRITEAOF")
	if err != nil {
		return r, err
	}
	if strings.HasPrefix(reply, "-") {
		return r, fmt.Errorf("BGREWRITEAOF replied %q", reply)
	}
	deadline := began.Add(10 * time.Minute)
	for {
		if kb, kids, err := treeRSSKB(pid); err == nil {
			r.PeakKB = max(r.PeakKB, kb)
			r.MaxChildren = max(r.MaxChildren, kids)
			r.Samples++
		}
		info, err := s.info("persistence")
		if err != nil {
			return r, err
		}
		if rewriteDone(info, rewritesBefore) {
			r.Seconds = time.Since(began).Seconds()
			break
		}
		if info["aof_last_bgrewrite_status"] == "err" && info["aof_rewrite_in_progress"] == "0" {
			return r, errors.New("aof_last_bgrewrite_status:err")
		}
		if time.Now().After(deadline) {
			return r, errors.New("rewrite did not finish in 10 minutes")
		}
		time.Sleep(rewriteSampleEvery)
	}
	r.IncreaseKB = r.PeakKB - r.BeforeKB
	return r, nil
}

// rewriteDone says whether INFO persistence shows the rewrite started
// after rewritesBefore as finished with status ok. A server without the
// aof_rewrites counter is judged by the flags alone.
func rewriteDone(info map[string]string, rewritesBefore int) bool {
	if info["aof_rewrite_in_progress"] != "0" || info["aof_rewrite_scheduled"] == "1" || info["aof_last_bgrewrite_status"] != "ok" {
		return false
	}
	if n, err := strconv.Atoi(info["aof_rewrites"]); err == nil {
		return n > rewritesBefore
	}
	return true
}

// info sends INFO section and parses the "field:value" lines.
func (s *server) info(section string) (map[string]string, error) {
	c, err := net.DialTimeout("tcp", s.addr(), time.Second)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := c.Write(resp.AppendCommandStrings(nil, "INFO", section)); err != nil {
		return nil, err
	}
	br := bufio.NewReader(c)
	head, err := br.ReadString('\n')
	if err != nil {
		return nil, err
	}
	head = strings.TrimRight(head, "\r\n")
	if !strings.HasPrefix(head, "$") {
		return nil, fmt.Errorf("benchrun: INFO replied %q", head)
	}
	n, err := strconv.Atoi(head[1:])
	if err != nil {
		return nil, fmt.Errorf("benchrun: INFO length %q: %w", head, err)
	}
	body := make([]byte, n+2)
	if _, err := io.ReadFull(br, body); err != nil {
		return nil, err
	}
	return parseInfo(string(body[:n])), nil
}

func parseInfo(body string) map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(body, "\n") {
		line = strings.TrimRight(line, "\r")
		if k, v, ok := strings.Cut(line, ":"); ok && !strings.HasPrefix(line, "#") {
			m[k] = v
		}
	}
	return m
}

// treeRSSKB sums VmRSS of pid and its direct children (Redis forks one
// child per rewrite) and says how many children it found. Pages the fork
// still shares with the parent are counted in both, as VmRSS does.
func treeRSSKB(pid int) (int64, int, error) {
	total, err := vmRSSKB(pid)
	if err != nil {
		return 0, 0, err
	}
	kids := childrenOf(pid)
	for _, k := range kids {
		if kb, err := vmRSSKB(k); err == nil { // a child may exit between listing and reading
			total += kb
		}
	}
	return total, len(kids), nil
}

func vmRSSKB(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	return parseVmRSS(string(b))
}

func parseVmRSS(status string) (int64, error) {
	for _, line := range strings.Split(status, "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		}
	}
	return 0, errors.New("benchrun: no VmRSS")
}

// childrenOf lists pid's children from /proc/<pid>/task/*/children, or,
// on kernels without that file, by scanning /proc/*/stat for the parent.
func childrenOf(pid int) []int {
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	if len(tasks) > 0 {
		var kids []int
		for _, t := range tasks {
			b, err := os.ReadFile(t)
			if err != nil {
				continue
			}
			for _, f := range strings.Fields(string(b)) {
				if k, err := strconv.Atoi(f); err == nil {
					kids = append(kids, k)
				}
			}
		}
		return kids
	}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var kids []int
	for _, st := range stats {
		b, err := os.ReadFile(st)
		if err != nil {
			continue
		}
		if ppid, ok := parentOf(string(b)); ok && ppid == pid {
			k, _ := strconv.Atoi(filepath.Base(filepath.Dir(st)))
			kids = append(kids, k)
		}
	}
	return kids
}

// parentOf reads the ppid field of a /proc/<pid>/stat line; the command
// name in parentheses may itself hold spaces or parentheses.
func parentOf(stat string) (int, bool) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(stat[i+1:])
	if len(f) < 2 {
		return 0, false
	}
	p, err := strconv.Atoi(f[1])
	return p, err == nil
}
