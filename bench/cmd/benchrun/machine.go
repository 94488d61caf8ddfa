package main

import (
	"os"
	"os/exec"
	"runtime"
	"strings"
)

// machine describes where the figures were taken.
type machine struct {
	Host        string `json:"host"`
	CPU         string `json:"cpu"`
	Cores       int    `json:"cores"`
	MemTotal    string `json:"mem_total"`
	Kernel      string `json:"kernel"`
	LoadAvg     string `json:"loadavg_at_start"`
	LoadAvgEnd  string `json:"loadavg_at_end"`
	GoVersion   string `json:"go_version"`
	RedisServer string `json:"redis_server"`
	CairnCommit string `json:"cairn_commit"`
}

func describeMachine(redisServer string) machine {
	m := machine{Cores: runtime.NumCPU(), GoVersion: runtime.Version()}
	m.Host, _ = os.Hostname()
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "model name"); ok {
				m.CPU = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		if line, _, ok := strings.Cut(string(b), "\n"); ok {
			m.MemTotal = strings.Join(strings.Fields(strings.TrimPrefix(line, "MemTotal:")), " ")
		}
	}
	m.Kernel = readTrim("/proc/sys/kernel/osrelease")
	m.LoadAvg = readTrim("/proc/loadavg")
	if out, err := exec.Command(redisServer, "--version").Output(); err == nil {
		m.RedisServer = strings.TrimSpace(string(out))
	}
	if out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output(); err == nil {
		m.CairnCommit = strings.TrimSpace(string(out))
		if st, err := exec.Command("git", "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(st) > 0 {
			m.CairnCommit += " (work tree has uncommitted changes)"
		}
	}
	return m
}

func readTrim(path string) string {
	b, _ := os.ReadFile(path)
	return strings.TrimSpace(string(b))
}
