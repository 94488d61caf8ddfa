package server

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"cairn/internal/resp"
)

// The connection paths run under each way of serving connections: two
// and three event loops (the default on this machine is one, which every
// other test exercises) and one goroutine per connection.
var servingModes = []struct{ name, loops string }{
	{"loops=2", "2"},
	{"loops=3", "3"},
	{"goroutines", "0"},
}

// readReplies reads n replies from r.
func readReplies(t *testing.T, r *resp.Reader, n int) []string {
	t.Helper()
	out := make([]string, 0, n)
	for range n {
		v, err := r.ReadValue()
		if err != nil {
			t.Fatalf("after %d replies: %v", len(out), err)
		}
		out = append(out, v.String())
	}
	return out
}

// Many clients on several loops: every reply comes back in order and
// matches what its own client wrote.
func TestServingModesConcurrentClients(t *testing.T) {
	for _, m := range servingModes {
		t.Run(m.name, func(t *testing.T) {
			t.Setenv(loopCountEnv, m.loops)
			p := startInProcess(t)
			runClients(t, p.addr, 16, func(cl int, c net.Conn, r *resp.Reader) error {
				for round := range 50 {
					var req []byte
					depth := 1 + round%17 // pipelines of 1 to 17
					for i := range depth {
						k := fmt.Sprintf("c%d:%d", cl, i)
						req = append(req, rawCommand("SET", k, fmt.Sprintf("v%d.%d", round, i))...)
						req = append(req, rawCommand("GET", k)...)
					}
					if _, err := c.Write(req); err != nil {
						return err
					}
					for i := range depth {
						ok, err1 := r.ReadValue()
						v, err2 := r.ReadValue()
						if err1 != nil || err2 != nil {
							return fmt.Errorf("client %d: %v %v", cl, err1, err2)
						}
						if want := fmt.Sprintf("v%d.%d", round, i); ok.String() != "OK" || v.String() != want {
							return fmt.Errorf("client %d round %d: %q %q, want OK %q", cl, round, ok.String(), v.String(), want)
						}
					}
				}
				return nil
			})
		})
	}
}

// runClients runs fn for n clients at once, each on its own connection to
// addr with a 20 s deadline, and fails the test with their errors.
func runClients(t *testing.T, addr string, n int, fn func(i int, c net.Conn, r *resp.Reader) error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp", addr)
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(20 * time.Second))
			if err := fn(i, c, resp.NewReader(c)); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// A client that writes a whole pipeline before reading any reply must
// not deadlock with the server once the socket buffers fill both ways:
// the server keeps reading while its replies wait for room.
func TestServingModesWriteAllThenRead(t *testing.T) {
	// Loops only: a goroutine per connection stops reading while its
	// write blocks, as the server did before it had loops.
	for _, loops := range []string{"1", "2", "3"} {
		t.Run("loops="+loops, func(t *testing.T) {
			t.Setenv(loopCountEnv, loops)
			p := startInProcess(t)
			c, err := net.Dial("tcp", p.addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			val := strings.Repeat("x", 4096)
			setup := rawCommand("SET", "big", val)
			if _, err := c.Write(setup); err != nil {
				t.Fatal(err)
			}
			r := resp.NewReader(c)
			readReplies(t, r, 1)
			// 8,000 GETs of 4 KiB: 32 MB of replies, far beyond what the
			// kernel buffers hold, written before reading anything.
			const n = 8000
			var req bytes.Buffer
			for range n {
				req.Write(rawCommand("GET", "big"))
			}
			c.SetDeadline(time.Now().Add(30 * time.Second))
			wrote := make(chan error, 1)
			go func() {
				_, err := c.Write(req.Bytes())
				wrote <- err
			}()
			got := 0
			for got < n {
				v, err := r.ReadValue()
				if err != nil {
					t.Fatalf("after %d replies: %v", got, err)
				}
				if len(v.String()) != len(val) {
					t.Fatalf("reply %d: %d bytes", got, len(v.String()))
				}
				got++
			}
			if err := <-wrote; err != nil {
				t.Fatal(err)
			}
		})
	}
}

// MONITOR moves a loop's connection to a goroutine of its own; the feed
// arrives, and the monitor still answers QUIT.
func TestLoopHandsMonitorToGoroutine(t *testing.T) {
	t.Setenv(loopCountEnv, "2")
	p := startInProcess(t)
	mon, err := net.Dial("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer mon.Close()
	mon.SetDeadline(time.Now().Add(10 * time.Second))
	mr := bufio.NewReader(mon)
	mon.Write(rawCommand("MONITOR"))
	if line, err := mr.ReadString('\n'); err != nil || line != "+OK\r\n" {
		t.Fatalf("MONITOR: %q %v", line, err)
	}
	other, err := net.Dial("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	other.Write(rawCommand("SET", "watched", "1"))
	readReplies(t, resp.NewReader(other), 1)
	line, err := mr.ReadString('\n')
	if err != nil || !strings.Contains(line, `"SET" "watched" "1"`) {
		t.Fatalf("feed line %q, %v", line, err)
	}
	mon.Write(rawCommand("QUIT"))
	for {
		line, err := mr.ReadString('\n')
		if err == io.EOF {
			t.Fatal("closed without +OK")
		}
		if err != nil {
			t.Fatal(err)
		}
		if line == "+OK\r\n" {
			break
		}
	}
	if _, err := mr.ReadByte(); err != io.EOF {
		t.Fatalf("after QUIT: %v, want EOF", err)
	}
}

// Shutdown hands every loop connection to a goroutine, which still
// delivers the replies of what it had read.
func TestLoopShutdownDeliversReplies(t *testing.T) {
	t.Setenv(loopCountEnv, "2")
	p := startInProcess(t)
	conns := make([]net.Conn, 6)
	for i := range conns {
		c, err := net.Dial("tcp", p.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		c.Write(rawCommand("PING"))
		if got := readReplies(t, resp.NewReader(c), 1)[0]; got != "PONG" {
			t.Fatalf("PING: %q", got)
		}
		conns[i] = c
	}
	p.stop(t)
	for i, c := range conns {
		if _, err := c.Read(make([]byte, 1)); err != io.EOF {
			t.Fatalf("conn %d after shutdown: %v, want EOF", i, err)
		}
	}
}

func TestDefaultLoops(t *testing.T) {
	for procs, want := range map[int]int{1: 1, 2: 1, 3: 1, 4: 3, 8: 6, 16: 12, 64: 48} {
		if got := defaultLoops(procs); got != want {
			t.Errorf("defaultLoops(%d) = %d, want %d", procs, got, want)
		}
	}
}

// Under appendfsync always with two loops, concurrent writers on both
// share fdatasync rounds (aof.Log.Busy); every acknowledged INCR is in
// the AOF the restarted server loads.
func TestTwoLoopsAppendfsyncAlways(t *testing.T) {
	t.Setenv(loopCountEnv, "2")
	dir := t.TempDir()
	args := []string{"--dir", dir, "--appendonly", "yes", "--appendfsync", "always"}
	p := startInProcess(t, args...)
	waitLoaded(t, p.addr)
	runClients(t, p.addr, 8, func(_ int, c net.Conn, r *resp.Reader) error {
		for range 100 {
			c.Write(rawCommand("INCR", "n"))
			if v, err := r.ReadValue(); err != nil || v.Type != ':' {
				return fmt.Errorf("INCR: %v %v", v, err)
			}
		}
		return nil
	})
	if t.Failed() {
		return
	}
	p.stop(t)
	q := startInProcess(t, args...)
	if got := waitLoaded(t, q.addr); got != "800" {
		t.Fatalf("after restart n = %q, want 800", got)
	}
}

// waitLoaded polls GET n until the server has loaded its data and
// returns the value.
func waitLoaded(t *testing.T, addr string) string {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	r := resp.NewReader(c)
	for {
		c.Write(rawCommand("GET", "n"))
		v, err := r.ReadValue()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(v.String(), "LOADING") {
			return v.String()
		}
		time.Sleep(10 * time.Millisecond)
	}
}
