package integration

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"cairn/internal/testutil"
)

// newClient returns a go-redis client for p speaking protocol proto (2 or
// 3), closed when the test ends. The pool is small and timeouts short so
// that a hung server fails the test instead of stalling it.
func newClient(t testing.TB, p *testutil.Proc, proto int) *redis.Client {
	t.Helper()
	c := redis.NewClient(&redis.Options{
		Addr:         p.Addr(),
		Protocol:     proto,
		DialTimeout:  5 * time.Second,
		ReadTimeout:  10 * time.Second,
		WriteTimeout: 10 * time.Second,
		PoolSize:     8,
	})
	t.Cleanup(func() { c.Close() })
	return c
}

// testCtx is a context that ends with the test (or after limit).
func testCtx(t testing.TB, limit time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	t.Cleanup(cancel)
	return ctx
}

// must fails the test when err is not nil.
func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// infoField returns one "name:value" field of an INFO section.
func infoField(t testing.TB, c *redis.Client, section, name string) string {
	t.Helper()
	s, err := c.Info(context.Background(), section).Result()
	must(t, err)
	for _, line := range strings.Split(s, "\r\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			return v
		}
	}
	t.Fatalf("INFO %s has no field %q:\n%s", section, name, s)
	return ""
}

// waitFor polls cond every 10ms until it holds or limit passes.
func waitFor(limit time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(limit)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// lineWatcher collects a process's output lines so a test can wait for one.
type lineWatcher struct {
	mu      sync.Mutex
	lines   []string
	partial []byte
	ch      chan struct{}
}

func watchLines(cmd *exec.Cmd) *lineWatcher {
	w := &lineWatcher{ch: make(chan struct{}, 1)}
	cmd.Stdout = w
	cmd.Stderr = w
	return w
}

// Write splits output into lines (exec's copy goroutines call it).
func (w *lineWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	w.partial = append(w.partial, p...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			break
		}
		w.lines = append(w.lines, string(w.partial[:i]))
		w.partial = w.partial[i+1:]
	}
	w.mu.Unlock()
	select {
	case w.ch <- struct{}{}:
	default:
	}
	return len(p), nil
}

// wait returns the first line containing sub, waiting up to limit.
func (w *lineWatcher) wait(sub string, limit time.Duration) (string, bool) {
	deadline := time.After(limit)
	for {
		w.mu.Lock()
		for _, l := range w.lines {
			if strings.Contains(l, sub) {
				w.mu.Unlock()
				return l, true
			}
		}
		w.mu.Unlock()
		select {
		case <-w.ch:
		case <-deadline:
			return "", false
		}
	}
}

func (w *lineWatcher) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.Join(w.lines, "\n") + string(w.partial)
}

// server is a cairn-server started by hand (a race-enabled build, or a
// test that needs the pid for signals); testutil.Proc covers the rest.
type server struct {
	cmd  *exec.Cmd
	out  *lineWatcher
	addr string
	done chan struct{}
	err  error
}

// startServer runs bin on a free port with a private dir and AOF off and
// waits until it answers PING; it is killed when the test ends.
func startServer(t testing.TB, bin string, args ...string) *server {
	t.Helper()
	port, err := testutil.FreePort()
	must(t, err)
	dir := t.TempDir()
	argv := append([]string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--dir", dir,
		"--appendonly", "no", "--loglevel", "warning"}, args...)
	s := &server{cmd: exec.Command(bin, argv...), addr: "127.0.0.1:" + strconv.Itoa(port), done: make(chan struct{})}
	s.cmd.Dir = dir
	s.out = watchLines(s.cmd)
	must(t, s.cmd.Start())
	go func() { s.err = s.cmd.Wait(); close(s.done) }()
	t.Cleanup(func() {
		s.cmd.Process.Kill()
		<-s.done
		if t.Failed() {
			t.Logf("server output:\n%s", s.out)
		}
	})
	ok := waitFor(15*time.Second, func() bool {
		c, err := testutil.DialRaw(s.addr)
		if err != nil {
			return false
		}
		defer c.Close()
		c.SendCommand("PING")
		f, err := c.TryReadFrame(time.Second)
		return err == nil && string(f.Raw) == "+PONG\r\n"
	})
	if !ok {
		t.Fatalf("server never answered PING; output:\n%s", s.out)
	}
	return s
}

// wait waits up to limit for the process to exit and returns its exit
// code (-1 when killed by a signal or still running).
func (s *server) wait(t testing.TB, limit time.Duration) int {
	t.Helper()
	select {
	case <-s.done:
	case <-time.After(limit):
		t.Errorf("server still running %v later", limit)
		return -1
	}
	if s.err == nil {
		return 0
	}
	if ee, ok := s.err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}

var raceBuild struct {
	once sync.Once
	path string
	err  error
}

// raceBinary builds cairn-server with the race detector, once per test
// process.
func raceBinary(t testing.TB) string {
	t.Helper()
	raceBuild.once.Do(func() {
		root, err := testutil.ModuleRoot()
		if err != nil {
			raceBuild.err = err
			return
		}
		// Beside the normal build, in the directory TestMain removes.
		dir := filepath.Dir(testutil.BuildBinary(t, "cairn-server"))
		raceBuild.path = filepath.Join(dir, "cairn-server-race")
		cmd := exec.Command("go", "build", "-race", "-o", raceBuild.path, "./cmd/cairn-server")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			raceBuild.err = fmt.Errorf("go build -race: %v\n%s", err, out)
		}
	})
	if raceBuild.err != nil {
		t.Fatal(raceBuild.err)
	}
	return raceBuild.path
}
