package integration

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"cairn/internal/testutil"
)

// requireBenchmark returns redis-benchmark's path: missing, it fails the
// test under CI=true (where .ci/run installs redis-tools) and skips it
// elsewhere.
func requireBenchmark(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("redis-benchmark")
	if err == nil {
		return p
	}
	msg := "redis-benchmark not found in PATH (Debian: apt-get install -y redis-tools)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// screen accumulates what a program writes to its terminal.
type screen struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// waitText waits until the screen, from offset from on, contains text.
func (s *screen) waitText(from int, text string, limit time.Duration) bool {
	return waitFor(limit, func() bool {
		out := s.String()
		return len(out) >= from && strings.Contains(out[from:], text)
	})
}

// TestRedisCLIInteractive types commands into an unmodified redis-cli
// running on a pseudo-terminal, as a person would, and reads the screen.
func TestRedisCLIInteractive(t *testing.T) {
	t.Parallel()
	cli := testutil.RequireRedisCLI(t)
	p := testutil.StartCairn(t)
	cmd := exec.Command(cli, "-p", strconv.Itoa(p.Port()))
	cmd.Env = append(os.Environ(), "TERM=xterm", "HOME="+t.TempDir()) // no shared history file
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	must(t, err)
	defer func() {
		tty.Close()
		cmd.Process.Kill()
		cmd.Wait()
	}()
	scr := &screen{}
	go io.Copy(scr, tty)

	prompt := fmt.Sprintf("127.0.0.1:%d>", p.Port())
	if !scr.waitText(0, prompt, 10*time.Second) {
		t.Fatalf("no prompt %q; screen:\n%s", prompt, scr)
	}
	steps := []struct{ typed, want string }{
		{"SET greeting hello", "OK"},
		{"GET greeting", `"hello"`},
		{"INCR visits", "(integer) 1"},
		{"GET nothing", "(nil)"},
		{"NOSUCHCMD x", "(error) ERR unknown command 'NOSUCHCMD', with args beginning with: 'x'"},
		{"SELECT 2", prompt[:len(prompt)-1] + "[2]>"},
	}
	for _, st := range steps {
		from := len(scr.String())
		// Type it a key at a time, as a person would.
		for _, ch := range st.typed + "\r" {
			_, err := tty.Write([]byte(string(ch)))
			must(t, err)
			time.Sleep(time.Millisecond)
		}
		if !scr.waitText(from, st.want, 10*time.Second) {
			t.Fatalf("after typing %q the screen lacks %q:\n%s", st.typed, st.want, scr.String()[from:])
		}
	}
	tty.Write([]byte("QUIT\r"))
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("redis-cli did not exit after QUIT")
	}
}

// TestRedisCLIPipeMassInsert feeds 100,000 SETs as RESP to `redis-cli
// --pipe`, which checks every reply and ends with its summary.
func TestRedisCLIPipeMassInsert(t *testing.T) {
	t.Parallel()
	cli := testutil.RequireRedisCLI(t)
	p := testutil.StartCairn(t)
	const n = 100000
	var in []byte
	for i := 0; i < n; i++ {
		in = testutil.AppendCommand(in, []byte("SET"), []byte("key:"+strconv.Itoa(i)), []byte("value:"+strconv.Itoa(i)))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, cli, "-p", strconv.Itoa(p.Port()), "--pipe")
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("redis-cli --pipe: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), fmt.Sprintf("errors: 0, replies: %d", n)) {
		t.Fatalf("redis-cli --pipe summary:\n%s", out)
	}
	c := testutil.Dial(t, p.Addr())
	if got := string(c.Do("DBSIZE")); got != fmt.Sprintf(":%d\r\n", n) {
		t.Fatalf("DBSIZE = %q", got)
	}
	if got := string(c.Do("GET", "key:99999")); got != "$11\r\nvalue:99999\r\n" {
		t.Fatalf("GET key:99999 = %q", got)
	}
}

// TestRedisBenchmark runs unmodified redis-benchmark without and with
// pipelining: it must finish, report a rate for every test and see no
// error reply.
func TestRedisBenchmark(t *testing.T) {
	t.Parallel()
	bench := requireBenchmark(t)
	p := testutil.StartCairn(t)
	tests := []string{"PING_INLINE", "PING_MBULK", "SET", "GET", "INCR", "MSET (10 keys)"}
	for _, pipeline := range []string{"1", "16"} {
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		cmd := exec.CommandContext(ctx, bench, "-p", strconv.Itoa(p.Port()), "-t", "ping,set,get,incr,mset",
			"-n", "20000", "-P", pipeline, "-q")
		out, err := cmd.CombinedOutput()
		cancel()
		text := string(out)
		if err != nil {
			t.Fatalf("redis-benchmark -P %s: %v\n%s", pipeline, err, text)
		}
		if strings.Contains(text, "ERR") || strings.Contains(text, "rror") {
			t.Errorf("redis-benchmark -P %s reported errors:\n%s", pipeline, text)
		}
		// -q prints "TEST: N requests per second, p50=..." per test; the
		// progress lines before it end in \r.
		for _, name := range tests {
			re := regexp.MustCompile(`(?m)(^|\r)` + regexp.QuoteMeta(name) + `: [0-9.]+ requests per second`)
			if !re.MatchString(text) {
				t.Errorf("redis-benchmark -P %s: no rate for %s in:\n%s", pipeline, name, text)
			}
		}
		t.Logf("redis-benchmark -P %s:\n%s", pipeline, lastLines(text))
	}
}

// lastLines drops the \r-separated progress updates.
func lastLines(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if i := strings.LastIndexByte(l, '\r'); i >= 0 {
			l = l[i+1:]
		}
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
