package main

import (
	"os"
	"strings"
	"testing"
)

func TestParseInfoAndRewriteDone(t *testing.T) {
	info := parseInfo("# Persistence\r\naof_enabled:1\r\naof_rewrite_in_progress:0\r\naof_rewrite_scheduled:0\r\naof_last_bgrewrite_status:ok\r\naof_rewrites:3\r\n")
	if info["aof_enabled"] != "1" || info["aof_rewrites"] != "3" || len(info) != 5 {
		t.Fatalf("parsed %v", info)
	}
	if !rewriteDone(info, 2) {
		t.Fatal("finished rewrite not seen")
	}
	if rewriteDone(info, 3) {
		t.Fatal("old rewrite taken for the new one")
	}
	info["aof_rewrite_in_progress"] = "1"
	if rewriteDone(info, 2) {
		t.Fatal("running rewrite taken as done")
	}
	info["aof_rewrite_in_progress"] = "0"
	info["aof_last_bgrewrite_status"] = "err"
	if rewriteDone(info, 2) {
		t.Fatal("failed rewrite taken as done")
	}
}

func TestParentOfAndOwnRSS(t *testing.T) {
	if p, ok := parentOf("123 (a b) c) S 77 123 123 0"); !ok || p != 77 {
		t.Fatalf("ppid %d %v", p, ok)
	}
	if _, ok := parentOf("garbage"); ok {
		t.Fatal("garbage parsed")
	}
	kb, _, err := treeRSSKB(os.Getpid())
	if err != nil || kb <= 0 {
		t.Fatalf("own RSS %d, %v", kb, err)
	}
	// The test binary's parent (go test) has this process as a child.
	found := false
	for _, k := range childrenOf(os.Getppid()) {
		found = found || k == os.Getpid()
	}
	if !found {
		t.Fatal("childrenOf(parent) misses this process")
	}
}

func TestSelectParts(t *testing.T) {
	all, err := selectParts("")
	if err != nil || len(all) != len(partNames) {
		t.Fatalf("%v %v", all, err)
	}
	some, err := selectParts("rewrite, memory")
	if err != nil || !some["rewrite"] || !some["memory"] || some["throughput"] {
		t.Fatalf("%v %v", some, err)
	}
	if _, err := selectParts("rewrit"); err == nil {
		t.Fatal("unknown part accepted")
	}
}

func TestRewriteSection(t *testing.T) {
	md := markdown(record{Rewrite: []rewriteResult{
		{Server: "cairn", Keys: 10, Seconds: 1, BeforeKB: 100, PeakKB: 110, IncreaseKB: 10},
		{Server: "redis", Keys: 10, Seconds: 2, BeforeKB: 100, PeakKB: 200, IncreaseKB: 100},
	}}, nil)
	if !strings.Contains(md, "| cairn | 10 | 1.00 | 100 kB | 110 kB | 10 kB |") ||
		!strings.Contains(md, "time **0.50**, peak RSS **0.55**, RSS increase **0.10**") {
		t.Fatalf("rewrite section:\n%s", md)
	}
}
