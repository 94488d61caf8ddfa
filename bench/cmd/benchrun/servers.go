package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"cairn/internal/resp"
)

// persistence is one server configuration under test.
type persistence struct {
	ID    string // "none", "everysec", "always"
	Title string
}

var (
	modeNone     = persistence{"none", "no persistence"}
	modeEverysec = persistence{"everysec", "AOF everysec"}
	modeAlways   = persistence{"always", "AOF always"}
	// modeEvict has no persistence and a memory limit that the load
	// passes almost at once, so nearly every write also evicts a key.
	modeEvict = persistence{"maxmemory", "maxmemory 20mb allkeys-lru"}
)

func (p persistence) args() []string {
	switch p.ID {
	case modeNone.ID:
		return []string{"--appendonly", "no"}
	case modeEvict.ID:
		return []string{"--appendonly", "no", "--maxmemory", "20mb", "--maxmemory-policy", "allkeys-lru"}
	}
	return []string{"--appendonly", "yes", "--appendfsync", p.ID}
}

// server is a running cairn-server or redis-server.
type server struct {
	Kind string // "cairn" or "redis"
	Port int
	Dir  string
	cmd  *exec.Cmd
	log  *os.File
	done chan struct{}
}

// serverSpec says how to start one server.
type serverSpec struct {
	kind       string
	bin        string
	dir        string
	mode       persistence
	gomaxprocs int // 0: leave the runtime's default
	loops      int // Cairn's event loops (CAIRN_NETLOOPS); 0: its default
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// start launches the server and waits until it answers PING.
func start(spec serverSpec, readyWithin time.Duration) (*server, time.Duration, error) {
	if err := os.MkdirAll(spec.dir, 0o755); err != nil {
		return nil, 0, err
	}
	port, err := freePort()
	if err != nil {
		return nil, 0, err
	}
	args := []string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--dir", spec.dir,
		"--save", "", "--aof-use-rdb-preamble", "no", "--loglevel", "warning"}
	args = append(args, spec.mode.args()...)
	if spec.kind == "redis" {
		args = append(args, "--daemonize", "no")
	}
	logf, err := os.OpenFile(filepath.Join(spec.dir, spec.kind+".log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, 0, err
	}
	cmd := exec.Command(spec.bin, args...)
	cmd.Dir = spec.dir
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.Env = os.Environ()
	if spec.gomaxprocs > 0 {
		cmd.Env = append(cmd.Env, "GOMAXPROCS="+strconv.Itoa(spec.gomaxprocs))
	}
	if spec.loops > 0 {
		cmd.Env = append(cmd.Env, "CAIRN_NETLOOPS="+strconv.Itoa(spec.loops))
	}
	began := time.Now()
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, 0, fmt.Errorf("benchrun: start %s: %w", spec.kind, err)
	}
	s := &server{Kind: spec.kind, Port: port, Dir: spec.dir, cmd: cmd, log: logf, done: make(chan struct{})}
	go func() { cmd.Wait(); close(s.done) }()
	if err := s.waitReady(readyWithin); err != nil {
		s.stop()
		return nil, 0, fmt.Errorf("benchrun: %s not ready: %w (log: %s)", spec.kind, err, logf.Name())
	}
	return s, time.Since(began), nil
}

func (s *server) addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port)) }

// waitReady polls PING until +PONG; a loading Redis answers -LOADING.
func (s *server) waitReady(within time.Duration) error {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			return errors.New("process exited")
		default:
		}
		if reply, err := s.do("PING"); err == nil && reply == "+PONG" {
			return nil
		}
		time.Sleep(5 * time.Millisecond)
	}
	return errors.New("timeout")
}

// do sends one command on a fresh connection and returns the reply's first
// line (enough for PING, DBSIZE, FLUSHALL).
func (s *server) do(args ...string) (string, error) {
	c, err := net.DialTimeout("tcp", s.addr(), time.Second)
	if err != nil {
		return "", err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := c.Write(resp.AppendCommandStrings(nil, args...)); err != nil {
		return "", err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	return strings.TrimRight(line, "\r\n"), err
}

func (s *server) dbsize() (int64, error) {
	r, err := s.do("DBSIZE")
	if err != nil {
		return 0, err
	}
	if !strings.HasPrefix(r, ":") {
		return 0, fmt.Errorf("benchrun: DBSIZE replied %q", r)
	}
	return strconv.ParseInt(r[1:], 10, 64)
}

// rssKB reads VmRSS from /proc.
func (s *server) rssKB() (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		}
	}
	return 0, errors.New("benchrun: no VmRSS")
}

// stop sends SIGTERM (both servers flush their AOF on it) and kills after
// a grace period.
func (s *server) stop() {
	defer s.log.Close()
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(20 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

// runCmd runs a tool with a deadline: redis-benchmark spins forever on a
// refused connection, and a stuck run must not stall the whole bench.
func runCmd(timeout time.Duration, name string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if ctx.Err() != nil {
		return out, fmt.Errorf("benchrun: %s timed out after %s", name, timeout)
	}
	if err != nil {
		return out, fmt.Errorf("benchrun: %s %s: %w: %s", name, strings.Join(args, " "), err, stderr.String())
	}
	return out, nil
}
