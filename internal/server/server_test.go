package server

import (
	"context"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"cairn/internal/config"
)

// inProcess is a Server running inside the test process, so that `go test
// -race` watches the connection loops, the cron and the commands.
type inProcess struct {
	srv    *Server
	addr   string
	served chan error
}

func startInProcess(t *testing.T, args ...string) *inProcess {
	t.Helper()
	return startInProcessHook(t, nil, args...)
}

// startInProcessHook calls beforeServe (if not nil) between Listen and
// Serve.
func startInProcessHook(t *testing.T, beforeServe func(*Server), args ...string) *inProcess {
	t.Helper()
	argv := append([]string{"--port", "0", "--bind", "127.0.0.1", "--dir", t.TempDir(), "--appendonly", "no"}, args...)
	cfg, err := config.Load(argv)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := New(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	if beforeServe != nil {
		beforeServe(s)
	}
	p := &inProcess{srv: s, addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port())), served: make(chan error, 1)}
	go func() { p.served <- s.Serve() }()
	t.Cleanup(func() { p.stop(t) })
	return p
}

// stop shuts the server down (once) and waits for Serve to return.
func (p *inProcess) stop(t *testing.T) {
	t.Helper()
	p.srv.Stop("test")
	select {
	case err, ok := <-p.served:
		if !ok {
			return // stopped before
		}
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
		close(p.served)
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return within 10s of Stop")
	}
}

// counterValue reads an integer key of database 0 straight from the store.
func counterValue(t *testing.T, s *Server, key string) int {
	t.Helper()
	db := s.store.DB(0)
	sh, h := db.Shard([]byte(key))
	sh.Lock()
	defer sh.Unlock()
	e := sh.Get(h, []byte(key), time.Now().UnixMilli())
	if e == nil {
		return 0
	}
	n, err := strconv.Atoi(string(e.Value()))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func client(t *testing.T, addr string, proto int) *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: addr, Protocol: proto, PoolSize: 4, ReadTimeout: 20 * time.Second})
	t.Cleanup(func() { c.Close() })
	return c
}

// TestInProcessConcurrentClients drives the connection loops, MONITOR,
// CLIENT LIST/KILL, CONFIG SET and the cron from many goroutines at once;
// under -race any unsynchronised access fails the test.
func TestInProcessConcurrentClients(t *testing.T) {
	p := startInProcess(t, "--hz", "100")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	mon, err := net.Dial("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer mon.Close()
	mon.Write([]byte("MONITOR\r\n"))
	var monBytes int
	monDone := make(chan struct{})
	go func() {
		defer close(monDone)
		buf := make([]byte, 64<<10)
		for {
			n, err := mon.Read(buf)
			monBytes += n
			if err != nil {
				return
			}
		}
	}()

	const workers, ops = 6, 300
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			c := client(t, p.addr, 2+w%2)
			for i := 0; i < ops; i++ {
				pipe := c.Pipeline()
				pipe.Incr(ctx, "shared")
				pipe.Set(ctx, "k:"+strconv.Itoa(w), i, 50*time.Millisecond)
				pipe.MSet(ctx, "a", i, "b", i)
				pipe.MGet(ctx, "a", "b", "k:"+strconv.Itoa((w+1)%workers))
				if i%50 == 0 {
					pipe.Rename(ctx, "a", "a2") // may lose a race: ERR no such key
					pipe.SwapDB(ctx, 0, 1)
					pipe.SwapDB(ctx, 0, 1)
				}
				cmds, _ := pipe.Exec(ctx)
				for _, cmd := range cmds {
					if err := cmd.Err(); err != nil && err != redis.Nil && err.Error() != "ERR no such key" {
						t.Errorf("worker %d: %v: %v", w, cmd.Args(), err)
						return
					}
				}
			}
		}(w)
	}
	stop := make(chan struct{})
	var admin sync.WaitGroup
	admin.Add(1)
	go func() {
		defer admin.Done()
		c := client(t, p.addr, 3)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			victim, err := net.Dial("tcp", p.addr)
			if err != nil {
				t.Error(err)
				return
			}
			victim.Write([]byte("CLIENT SETNAME victim\r\nPING\r\n"))
			list, _ := c.ClientList(ctx).Result()
			for _, line := range strings.Split(list, "\n") {
				if strings.Contains(line, "name=victim") {
					c.Do(ctx, "CLIENT", "KILL", "ID", strings.TrimPrefix(strings.Fields(line)[0], "id="))
				}
			}
			c.Info(ctx, "everything")
			c.ConfigSet(ctx, "timeout", strconv.Itoa(100+i%5))
			c.Do(ctx, "SLOWLOG", "GET")
			c.Do(ctx, "LATENCY", "LATEST")
			victim.Close()
		}
	}()
	wg.Wait()
	close(stop)
	admin.Wait()

	// SWAPDB pairs by one worker can move another's INCRs to database
	// 1, so the counter is exact over databases 0 and 1 together.
	n := 0
	for db := 0; db <= 1; db++ {
		c := redis.NewClient(&redis.Options{Addr: p.addr, DB: db})
		v, err := c.Get(ctx, "shared").Int()
		c.Close()
		if err != nil && err != redis.Nil {
			t.Fatal(err)
		}
		n += v
	}
	if n != workers*ops {
		t.Fatalf("shared counter = %d; want %d", n, workers*ops)
	}
	p.stop(t)
	<-monDone // the monitor is closed by the shutdown
	if monBytes < workers*ops*20 {
		t.Errorf("monitor received only %d bytes", monBytes)
	}
}

// TestInProcessStopDrainsConnections: Stop while clients are connected,
// one idle and one mid-pipeline, returns from Serve promptly, closes both
// and refuses new connections.
func TestInProcessStopDrainsConnections(t *testing.T) {
	p := startInProcess(t)
	idle, err := net.Dial("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	busy, err := net.Dial("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	var req []byte
	for i := 0; i < 50000; i++ {
		req = append(req, "*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n"...)
	}
	go busy.Write(req)
	first := make([]byte, 4)
	busy.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadFull(busy, first); err != nil || string(first) != ":1\r\n" {
		t.Fatalf("first reply %q, %v", first, err)
	}
	start := time.Now()
	p.stop(t)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Serve took %v to return after Stop", d)
	}
	// Every command the server executed must have been answered: the
	// client reads exactly as many replies as the counter's final value.
	busy.SetReadDeadline(time.Now().Add(5 * time.Second))
	rest, err := io.ReadAll(busy)
	if err != nil {
		t.Errorf("busy connection: %v after %d more bytes (want a clean EOF; a reset can drop replies)", err, len(rest))
	}
	replies := 1 + strings.Count(string(rest), "\r\n")
	executed := counterValue(t, p.srv, "n")
	if replies != executed {
		t.Errorf("the server executed %d INCRs but the client received %d replies", executed, replies)
	}
	idle.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadAll(idle); err != nil {
		t.Errorf("idle connection: %v (want EOF)", err)
	}
	if c, err := net.DialTimeout("tcp", p.addr, time.Second); err == nil {
		c.Close()
		t.Error("still accepting after Stop")
	}
}

// TestInProcessStopWithTimeoutSet: with an idle timeout configured, busy
// connections must still notice the shutdown at once (the per-read
// deadline must not undo the shutdown's wake-up).
func TestInProcessStopWithTimeoutSet(t *testing.T) {
	p := startInProcess(t, "--timeout", "300")
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		c, err := net.Dial("tcp", p.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		wg.Add(2)
		go func() { // keeps a pipeline flowing until the server goes
			defer wg.Done()
			req := []byte(strings.Repeat("PING\r\n", 100))
			for {
				c.SetWriteDeadline(time.Now().Add(5 * time.Second))
				if _, err := c.Write(req); err != nil {
					return
				}
			}
		}()
		go func() {
			defer wg.Done()
			io.Copy(io.Discard, c)
		}()
	}
	time.Sleep(200 * time.Millisecond)
	start := time.Now()
	p.stop(t)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Serve returned %v after Stop with busy clients and timeout 300", d)
	}
	wg.Wait()
}
