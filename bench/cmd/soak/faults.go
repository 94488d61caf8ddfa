package main

import (
	"context"
	"math/rand/v2"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"cairn/internal/client"
)

// victim is a connection that runs PINGs and SETs and may be killed at any
// moment by CLIENT KILL; it reconnects and carries on.
type victim struct {
	mu sync.Mutex
	id int64 // CLIENT ID of the current connection, 0 while reconnecting
}

func (v *victim) run(ctx context.Context, t *tally, addr string, n int) {
	c := dial(addr)
	defer c.Close()
	for ctx.Err() == nil {
		if !c.Connected() {
			v.setID(0)
			r, _, err := c.Do("CLIENT", "ID")
			if err != nil || r.IsError() {
				t.fail("victim reconnect: %v %s", err, r.String())
				sleep(ctx, 100*time.Millisecond)
				continue
			}
			v.setID(r.Int)
		}
		_, _, err := c.Do("SET", "victim:"+strconv.Itoa(n), strconv.FormatInt(time.Now().UnixNano(), 10))
		t.ops.Add(1)
		if err != nil {
			t.expected.Add(1) // killed: the next round reconnects
			continue
		}
		sleep(ctx, 2*time.Millisecond)
	}
}

func (v *victim) setID(id int64) { v.mu.Lock(); v.id = id; v.mu.Unlock() }
func (v *victim) getID() int64   { v.mu.Lock(); defer v.mu.Unlock(); return v.id }

// faults runs the fault schedule until ctx ends: a CLIENT KILL every
// 200 ms, an abrupt close every 100 ms, a reconnect storm every 20 s,
// BGREWRITEAOF every 15 s and a slow reader every 5 s.
func faults(ctx context.Context, t *tally, addr string, victims []*victim, f *faultCounts) {
	admin := dial(addr)
	defer admin.Close()
	rng := rand.New(rand.NewPCG(23, 23))
	kill := time.NewTicker(200 * time.Millisecond)
	abrupt := time.NewTicker(100 * time.Millisecond)
	storm := time.NewTicker(20 * time.Second)
	rewrite := time.NewTicker(15 * time.Second)
	slow := time.NewTicker(5 * time.Second)
	defer kill.Stop()
	defer abrupt.Stop()
	defer storm.Stop()
	defer rewrite.Stop()
	defer slow.Stop()
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		select {
		case <-ctx.Done():
			return
		case <-kill.C:
			if id := victims[rng.IntN(len(victims))].getID(); id != 0 {
				// 0 when the victim went away between reading the id and
				// the kill (it reconnects at once): not an error.
				if v, ok := do(t, admin, "CLIENT", "KILL", "ID", strconv.FormatInt(id, 10)); ok && v.Int == 1 {
					f.kills.Add(1)
				}
			}
		case <-abrupt.C:
			abruptClose(t, addr, rng)
			f.abrupt.Add(1)
		case <-storm.C:
			wg.Add(1)
			go func() { defer wg.Done(); reconnectStorm(t, addr, 200); f.storms.Add(1) }()
		case <-rewrite.C:
			v, _, err := admin.Do("BGREWRITEAOF")
			t.ops.Add(1)
			switch {
			case err != nil:
				t.fail("BGREWRITEAOF: %v", err)
			case !v.IsError():
				f.rewrites.Add(1)
			case !strings.Contains(v.String(), "already in progress"):
				t.fail("BGREWRITEAOF: %s", v.String())
			}
		case <-slow.C:
			wg.Add(1)
			go func() { defer wg.Done(); slowReader(ctx, t, addr, rng.IntN(2) == 0); f.slow.Add(1) }()
		}
	}
}

// abruptClose opens a connection, sends part of a request (or a whole
// pipeline it never reads) and closes the socket, sometimes with a reset.
func abruptClose(t *tally, addr string, rng *rand.Rand) {
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.fail("abrupt close: dial: %v", err)
		return
	}
	var b []byte
	switch rng.IntN(3) {
	case 0:
		b = []byte("*3\r\n$3\r\nSET\r\n$5\r\nhalf")
	case 1:
		b = []byte("*3\r\n$3\r\nSET\r\n$5\r\nabrup\r\n$100\r\n" + strings.Repeat("z", 60))
	default:
		for i := 0; i < 500; i++ {
			b = append(b, "*2\r\n$3\r\nGET\r\n$5\r\nabrup\r\n"...)
		}
	}
	nc.SetWriteDeadline(time.Now().Add(5 * time.Second))
	nc.Write(b)
	if tc, ok := nc.(*net.TCPConn); ok && rng.IntN(2) == 0 {
		tc.SetLinger(0) // RST instead of FIN
	}
	nc.Close()
}

// reconnectStorm opens n connections at once, PINGs on each, closes them.
func reconnectStorm(t *tally, addr string, n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := dial(addr)
			defer c.Close()
			do(t, c, "PING")
		}()
	}
	wg.Wait()
}

// slowReader asks for several MiB of replies and reads them a few KiB at a
// time, or (stall) not at all, then goes away.
func slowReader(ctx context.Context, t *tally, addr string, stall bool) {
	c := client.New(client.Options{Addr: addr})
	if _, _, err := c.Do("SET", "slow:big", strings.Repeat("s", 1<<20)); err != nil {
		t.fail("slow reader: %v", err)
		return
	}
	c.Close()
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.fail("slow reader: dial: %v", err)
		return
	}
	defer nc.Close()
	var b []byte
	for i := 0; i < 16; i++ {
		b = append(b, "*2\r\n$3\r\nGET\r\n$8\r\nslow:big\r\n"...)
	}
	nc.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if _, err := nc.Write(b); err != nil {
		t.fail("slow reader: write: %v", err)
		return
	}
	if stall {
		sleep(ctx, 3*time.Second)
		return
	}
	buf := make([]byte, 4<<10)
	deadline := time.Now().Add(4 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		nc.SetReadDeadline(time.Now().Add(time.Second))
		if _, err := nc.Read(buf); err != nil {
			return // closed by the server's output limit, or done
		}
		time.Sleep(5 * time.Millisecond)
	}
}
