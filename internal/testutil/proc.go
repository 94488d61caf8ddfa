package testutil

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// readyTimeout bounds how long a fresh server may take to answer PING.
const readyTimeout = 10 * time.Second

// stopTimeout bounds how long Stop waits after SIGTERM before it kills.
const stopTimeout = 10 * time.Second

// Proc is a server process started for one test. It is killed when the test
// ends; its combined stdout/stderr is logged if the test failed.
type Proc struct {
	tb   testing.TB
	name string
	bin  string
	args []string
	port int
	dir  string

	out *lockedBuffer

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{} // closed when the current process has been waited for
	err  error         // Wait's result for the current process
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("testutil: free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// StartCairn builds (once) and starts cairn-server on a free port with a
// private --dir, AOF off and warning log level. args come last on the
// command line, so they override the defaults as in redis-server.
func StartCairn(tb testing.TB, args ...string) *Proc {
	tb.Helper()
	bin := BuildBinary(tb, "cairn-server")
	return startProc(tb, "cairn-server", bin, func(port int, dir string) []string {
		base := []string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--dir", dir,
			"--appendonly", "no", "--loglevel", "warning"}
		return append(base, args...)
	})
}

// StartRedis starts Debian's redis-server the same way (no RDB saves, no
// AOF). Without redis-server the test fails under CI=true and is skipped
// otherwise.
func StartRedis(tb testing.TB, args ...string) *Proc {
	tb.Helper()
	bin := RequireRedisServer(tb)
	return startProc(tb, "redis-server", bin, func(port int, dir string) []string {
		base := []string{"--save", "", "--appendonly", "no", "--port", strconv.Itoa(port),
			"--bind", "127.0.0.1", "--dir", dir}
		return append(base, args...)
	})
}

func startProc(tb testing.TB, name, bin string, argv func(port int, dir string) []string) *Proc {
	tb.Helper()
	dir := tb.TempDir()
	var lastErr error
	// A port found free can be taken before the server binds it; retry
	// with a new port a few times before giving up.
	for attempt := 0; attempt < 3; attempt++ {
		port, err := FreePort()
		if err != nil {
			tb.Fatal(err)
		}
		p := &Proc{tb: tb, name: name, bin: bin, args: argv(port, dir), port: port, dir: dir, out: &lockedBuffer{}}
		if err := p.start(); err != nil {
			tb.Fatalf("testutil: start %s: %v", name, err)
		}
		if err := p.waitReady(); err != nil {
			lastErr = err
			p.Kill()
			tb.Logf("testutil: %s on port %d not ready (%v); output:\n%s", name, port, err, p.Output())
			continue
		}
		tb.Cleanup(func() {
			if tb.Failed() {
				tb.Logf("testutil: output of %s (port %d):\n%s", name, p.port, p.Output())
			}
			p.Kill()
		})
		return p
	}
	tb.Fatalf("testutil: %s never became ready: %v", name, lastErr)
	return nil
}

func (p *Proc) start() error {
	cmd := exec.Command(p.bin, p.args...)
	cmd.Dir = p.dir
	cmd.Stdout = p.out
	cmd.Stderr = p.out
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan struct{})
	p.mu.Lock()
	p.cmd, p.done, p.err = cmd, done, nil
	p.mu.Unlock()
	go func() {
		err := cmd.Wait()
		p.mu.Lock()
		p.err = err
		p.mu.Unlock()
		close(done)
	}()
	return nil
}

// waitReady dials until a raw PING is answered with +PONG, or with
// -NOAUTH for servers started with a password.
func (p *Proc) waitReady() error {
	deadline := time.Now().Add(readyTimeout)
	var lastErr error
	for time.Now().Before(deadline) {
		select {
		case <-p.currentDone():
			return fmt.Errorf("process exited: %v", p.waitErr())
		default:
		}
		ok, err := pingOnce(p.Addr())
		if ok {
			return nil
		}
		lastErr = err
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("no PONG within %v: %v", readyTimeout, lastErr)
}

func pingOnce(addr string) (bool, error) {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return false, err
	}
	f, err := ReadFrame(newReader(c))
	if err != nil {
		return false, err
	}
	if bytes.Equal(f.Raw, []byte("+PONG\r\n")) || bytes.HasPrefix(f.Raw, []byte("-NOAUTH")) {
		return true, nil
	}
	return false, fmt.Errorf("unexpected PING reply %q", f.Raw)
}

func (p *Proc) currentDone() chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.done
}

func (p *Proc) waitErr() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// Addr is "127.0.0.1:<port>".
func (p *Proc) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(p.port)) }

// Port is the TCP port the server listens on.
func (p *Proc) Port() int { return p.port }

// Dir is the server's data directory (--dir); it survives Restart.
func (p *Proc) Dir() string { return p.dir }

// Args is the full argument list the server was started with.
func (p *Proc) Args() []string { return append([]string(nil), p.args...) }

// Output is everything the server wrote to stdout and stderr so far,
// across restarts.
func (p *Proc) Output() string { return p.out.String() }

// Running reports whether the process has not exited yet.
func (p *Proc) Running() bool {
	select {
	case <-p.currentDone():
		return false
	default:
		return true
	}
}

// Stop sends SIGTERM, waits for the exit (killing after 10s) and returns
// the exit code (-1 when killed by a signal).
func (p *Proc) Stop() int {
	p.tb.Helper()
	p.mu.Lock()
	cmd, done := p.cmd, p.done
	p.mu.Unlock()
	if cmd == nil {
		return -1
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(stopTimeout):
		p.tb.Errorf("testutil: %s did not exit within %v of SIGTERM; killing", p.name, stopTimeout)
		_ = cmd.Process.Kill()
		<-done
	}
	return exitCode(p.waitErr(), cmd)
}

// Kill sends SIGKILL and waits for the process to go away.
func (p *Proc) Kill() {
	p.mu.Lock()
	cmd, done := p.cmd, p.done
	p.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Kill()
	<-done
}

// Restart stops the server (SIGTERM) if it runs, starts it again with the
// same arguments, port and directory, and waits until it answers PING.
func (p *Proc) Restart() {
	p.tb.Helper()
	if p.Running() {
		p.Stop()
	}
	if err := p.start(); err != nil {
		p.tb.Fatalf("testutil: restart %s: %v", p.name, err)
	}
	if err := p.waitReady(); err != nil {
		p.tb.Fatalf("testutil: restart %s: %v\n%s", p.name, err, p.Output())
	}
}

func exitCode(err error, cmd *exec.Cmd) int {
	if err == nil {
		return 0
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if cmd.ProcessState != nil {
		return cmd.ProcessState.ExitCode()
	}
	return -1
}

// lockedBuffer collects output written concurrently by exec's copy
// goroutines for stdout and stderr.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
