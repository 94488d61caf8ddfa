package main

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// serverProc is the cairn-server the driver started.
type serverProc struct {
	cmd *exec.Cmd
	dir string
	log *os.File
}

// startServer starts bin on a free port with appendonly yes in a fresh
// temporary directory and waits until it accepts connections.
func startServer(bin string) (*serverProc, string, error) {
	dir, err := os.MkdirTemp("", "cairn-soak-")
	if err != nil {
		return nil, "", fmt.Errorf("soak: temp dir: %w", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", fmt.Errorf("soak: free port: %w", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	logf, err := os.Create(dir + "/server.log")
	if err != nil {
		return nil, "", fmt.Errorf("soak: server log: %w", err)
	}
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--dir", dir,
		"--appendonly", "yes", "--appendfsync", "everysec", "--loglevel", "notice")
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return nil, "", fmt.Errorf("soak: start %s: %w", bin, err)
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	p := &serverProc{cmd: cmd, dir: dir, log: logf}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return p, addr, nil
		}
	}
	p.stop()
	return nil, "", fmt.Errorf("soak: %s did not listen on %s within 10 s", bin, addr)
}

// stop terminates the server (SIGINT, then kill after 10 s) and says how
// it exited.
func (p *serverProc) stop() (exited string) {
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	p.cmd.Process.Signal(os.Interrupt)
	select {
	case err := <-done:
		exited = "exit 0"
		if err != nil {
			exited = err.Error()
		}
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		exited = fmt.Sprint(<-done) + " (killed after 10 s)"
	}
	p.log.Close()
	return exited
}

// rssBytes reads VmRSS of process pid.
func rssBytes(pid int) (int64, error) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, fmt.Errorf("soak: rss: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("soak: rss: %q: %w", line, err)
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("soak: rss: no VmRSS line for pid %d", pid)
}

// errorLines returns the server log's error lines (at most 20).
func (p *serverProc) errorLines() []string {
	data, err := os.ReadFile(p.log.Name())
	if err != nil {
		return []string{err.Error()}
	}
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		if strings.Contains(line, "level=ERROR") && len(out) < 20 {
			out = append(out, line)
		}
	}
	return out
}
