package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"cairn/internal/client"
	"cairn/internal/resp"
)

// tally counts what the load did; errors keeps the first few texts.
type tally struct {
	ops, errs, expected atomic.Int64
	pipelined           atomic.Int64 // of ops, replies read in pipelines
	mu                  sync.Mutex
	firstErrs           []string
}

func (t *tally) fail(what string, args ...any) {
	t.errs.Add(1)
	t.mu.Lock()
	if len(t.firstErrs) < 20 {
		t.firstErrs = append(t.firstErrs, time.Now().Format("15:04:05 ")+fmt.Sprintf(what, args...))
	}
	t.mu.Unlock()
}

func dial(addr string) *client.Conn {
	return client.New(client.Options{Addr: addr, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second})
}

// do runs one command and counts it; it returns false (after counting an
// error) on a network failure or an unexpected error reply.
func do(t *tally, c *client.Conn, args ...string) (resp.Value, bool) {
	v, _, err := c.Do(args...)
	t.ops.Add(1)
	if err != nil {
		t.fail("%s: %v", args[0], err)
		return v, false
	}
	if v.IsError() {
		t.fail("%s: %s", strings.Join(args[:min(len(args), 3)], " "), v.String())
		return v, false
	}
	return v, true
}

// mixedWorker runs single commands on its own keys and checks every
// reply against what it wrote. want holds the value of keys written
// without expiry; a key it does not hold may be in any state.
func mixedWorker(ctx context.Context, t *tally, addr string, id int) {
	c := dial(addr)
	defer c.Close()
	rng := rand.New(rand.NewPCG(uint64(id), 7))
	want := map[string]string{}
	key := func() string { return "w" + strconv.Itoa(id) + ":" + strconv.Itoa(rng.IntN(2000)) }
	for ctx.Err() == nil {
		k := key()
		switch r := rng.IntN(100); {
		case r < 25:
			val := strconv.FormatUint(rng.Uint64(), 36) + strings.Repeat("v", rng.IntN(300))
			if rng.IntN(4) == 0 {
				do(t, c, "SET", k, val, "EX", strconv.Itoa(1+rng.IntN(5)))
				delete(want, k)
			} else if _, ok := do(t, c, "SET", k, val); ok {
				want[k] = val
			}
		case r < 55:
			v, ok := do(t, c, "GET", k)
			if exp, known := want[k]; ok && known && (v.Null || string(v.Str) != exp) {
				t.fail("GET %s: got %q (null %v), want %.40q", k, v.Str, v.Null, exp)
			}
		case r < 62:
			ik := "wi" + strconv.Itoa(id) + ":" + strconv.Itoa(rng.IntN(50))
			before, known := want[ik]
			v, ok := do(t, c, "INCR", ik)
			if ok && known {
				n, _ := strconv.ParseInt(before, 10, 64)
				if v.Int != n+1 {
					t.fail("INCR %s: got %d, want %d", ik, v.Int, n+1)
				}
			}
			if ok {
				want[ik] = strconv.FormatInt(v.Int, 10)
			}
		case r < 68:
			if v, ok := do(t, c, "APPEND", k, "xy"); ok {
				if exp, known := want[k]; known && v.Int != int64(len(exp)+2) {
					t.fail("APPEND %s: length %d, want %d", k, v.Int, len(exp)+2)
				}
				if exp, known := want[k]; known {
					want[k] = exp + "xy"
				}
				if v.Int > 4096 { // keep values small
					do(t, c, "DEL", k)
					delete(want, k)
				}
			}
		case r < 75:
			k2, val := key(), strconv.Itoa(rng.IntN(1000))
			if _, ok := do(t, c, "MSET", k, val, k2, val); ok {
				want[k], want[k2] = val, val
			}
			v, ok := do(t, c, "MGET", k, k2)
			if ok && (len(v.Elems) != 2 || string(v.Elems[0].Str) != want[k] || string(v.Elems[1].Str) != want[k2]) {
				t.fail("MGET %s %s: got %s", k, k2, v.String())
			}
		case r < 85:
			do(t, c, "DEL", k)
			delete(want, k)
		case r < 92:
			do(t, c, "EXPIRE", k, strconv.Itoa(1+rng.IntN(3)))
			delete(want, k)
		default:
			do(t, c, "GETEX", k, "PX", strconv.Itoa(200+rng.IntN(2000)))
			delete(want, k)
		}
	}
}

// pipelineWorker writes batches of 200 commands, then reads 200 replies.
func pipelineWorker(ctx context.Context, t *tally, addr string, id int) {
	c := dial(addr)
	defer c.Close()
	rng := rand.New(rand.NewPCG(uint64(id), 11))
	for ctx.Err() == nil {
		const n = 200
		base := rng.IntN(5000)
		sent := 0
		for i := 0; i < n; i++ {
			k := "p" + strconv.Itoa(id) + ":" + strconv.Itoa(base+i%100)
			var err error
			switch i % 3 {
			case 0:
				err = c.Send("SET", k, strconv.Itoa(i))
			case 1:
				err = c.Send("GET", k)
			default:
				err = c.Send("INCR", "pc"+strconv.Itoa(id))
			}
			if err != nil {
				t.fail("pipeline send: %v", err)
				break
			}
			sent++
		}
		for i := 0; i < sent; i++ {
			v, _, err := c.Receive()
			t.ops.Add(1)
			t.pipelined.Add(1)
			if err != nil {
				t.fail("pipeline receive %d/%d: %v", i, sent, err)
				break
			}
			if v.IsError() {
				t.fail("pipeline reply %d: %s", i, v.String())
			}
		}
	}
}

// bigValueWorker writes 1-4 MiB values, reads them back and deletes them.
func bigValueWorker(ctx context.Context, t *tally, addr string, id int) {
	c := dial(addr)
	defer c.Close()
	rng := rand.New(rand.NewPCG(uint64(id), 13))
	for ctx.Err() == nil {
		k := "big" + strconv.Itoa(id) + ":" + strconv.Itoa(rng.IntN(4))
		size := (1 + rng.IntN(4)) << 20
		fill := byte('a' + rng.IntN(26))
		val := string(bytes.Repeat([]byte{fill}, size))
		if _, ok := do(t, c, "SET", k, val); !ok {
			continue
		}
		v, ok := do(t, c, "GET", k)
		if ok && (len(v.Str) != size || v.Str[0] != fill || v.Str[size-1] != fill) {
			t.fail("GET %s: %d bytes, want %d of %q", k, len(v.Str), size, fill)
		}
		if rng.IntN(3) == 0 {
			do(t, c, "DEL", k)
		}
		sleep(ctx, 50*time.Millisecond)
	}
}

// expiringWorker writes bursts of keys with PX 20-500 ms and checks that a
// second later none of the burst is left.
func expiringWorker(ctx context.Context, t *tally, addr string) {
	c := dial(addr)
	defer c.Close()
	rng := rand.New(rand.NewPCG(17, 17))
	for round := 0; ctx.Err() == nil; round++ {
		prefix := "exp" + strconv.Itoa(round%8) + ":"
		for i := 0; i < 500; i++ {
			do(t, c, "SET", prefix+strconv.Itoa(i), "v", "PX", strconv.Itoa(20+rng.IntN(480)))
		}
		if !sleep(ctx, time.Second) {
			return
		}
		args := []string{"EXISTS"}
		for i := 0; i < 500; i++ {
			args = append(args, prefix+strconv.Itoa(i))
		}
		if v, ok := do(t, c, args...); ok && v.Int != 0 {
			t.fail("EXISTS after expiry: %d of 500 keys still there", v.Int)
		}
	}
}

// sleep waits d or until ctx ends; it reports whether ctx is still live.
func sleep(ctx context.Context, d time.Duration) bool {
	select {
	case <-ctx.Done():
		return false
	case <-time.After(d):
		return true
	}
}
