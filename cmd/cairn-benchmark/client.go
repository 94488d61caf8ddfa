package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"

	"cairn/internal/resp"
)

// Latencies are recorded in microseconds, 1 µs to 60 s, 3 significant
// digits: redis-benchmark prints milliseconds with three decimals.
const (
	histMin    = 1
	histMax    = 60_000_000
	histDigits = 3
)

func newHist() *hdrhistogram.Histogram { return hdrhistogram.New(histMin, histMax, histDigits) }

// mix chooses the template of each request: templates[pattern[i]] for the
// i-th request of a repeating cycle.
type mix struct {
	templates []template
	pattern   []uint8
}

// budget hands out requests: a fixed total (-n) or until a deadline
// (--duration).
type budget struct {
	total  int64
	issued atomic.Int64
	timed  bool
	stop   atomic.Bool
}

// take reserves up to p requests and returns how many were granted; 0
// means the run is over.
func (b *budget) take(p int) int {
	if b.timed {
		if b.stop.Load() {
			return 0
		}
		return p
	}
	end := b.issued.Add(int64(p))
	start := end - int64(p)
	if start >= b.total {
		return 0
	}
	return int(min(end, b.total) - start)
}

// conn is one benchmark connection and the loop that drives it.
type conn struct {
	nc       net.Conn
	mix      *mix
	pos      int
	keys     keySource
	vals     valueSource
	pipeline int

	out []byte
	in  []byte

	mu   sync.Mutex // guards hist against the progress reader
	hist *hdrhistogram.Histogram

	done     *atomic.Int64 // requests answered, shared by all connections
	errs     int64
	firstErr string
}

// dial connects and runs the session set-up (AUTH, SELECT) synchronously.
func dial(addr string, setup [][]string) (net.Conn, error) {
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	var buf []byte
	for _, args := range setup {
		buf = resp.AppendCommandStrings(buf[:0], args...)
		if _, err := nc.Write(buf); err != nil {
			nc.Close()
			return nil, err
		}
		reply, err := readOne(nc)
		if err != nil {
			nc.Close()
			return nil, err
		}
		if len(reply) > 0 && reply[0] == '-' {
			nc.Close()
			return nil, fmt.Errorf("%s: %s", args[0], trimCRLF(reply[1:]))
		}
	}
	return nc, nil
}

// readOne reads exactly one reply (set-up only; not the hot path).
func readOne(r io.Reader) ([]byte, error) {
	buf := make([]byte, 0, 512)
	tmp := make([]byte, 512)
	for {
		if n, err := resp.ReplyLen(buf); err != nil {
			return nil, err
		} else if n > 0 {
			return buf[:n], nil
		}
		m, err := r.Read(tmp)
		buf = append(buf, tmp[:m]...)
		if err != nil && m == 0 {
			return nil, err
		}
	}
}

func trimCRLF(b []byte) string {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return string(b)
}

// run is the hot loop: build a batch, one write, read until every reply of
// the batch is complete, record latency per read. It allocates only when a
// buffer must grow.
func (c *conn) run(b *budget) error {
	for {
		k := b.take(c.pipeline)
		if k == 0 {
			return nil
		}
		c.out = c.out[:0]
		for i := 0; i < k; i++ {
			t := &c.mix.templates[c.mix.pattern[c.pos]]
			if c.pos++; c.pos == len(c.mix.pattern) {
				c.pos = 0
			}
			c.out = t.appendTo(c.out, c.keys, c.vals)
		}
		start := time.Now()
		if _, err := c.nc.Write(c.out); err != nil {
			return err
		}
		if err := c.readReplies(k, start); err != nil {
			return err
		}
	}
}

// readReplies consumes k replies. c.in holds no bytes between batches,
// since a server sends nothing unasked.
func (c *conn) readReplies(k int, start time.Time) error {
	filled, pos := 0, 0
	for k > 0 {
		if filled == len(c.in) {
			// Keep the unfinished reply, then make room for more.
			n := copy(c.in, c.in[pos:filled])
			filled, pos = n, 0
			if filled == len(c.in) {
				grown := make([]byte, 2*len(c.in))
				copy(grown, c.in[:filled])
				c.in = grown
			}
		}
		n, err := c.nc.Read(c.in[filled:])
		if n == 0 && err != nil {
			if errors.Is(err, io.EOF) {
				return fmt.Errorf("server closed the connection with %d replies outstanding", k)
			}
			return err
		}
		filled += n
		got := 0
		for k > 0 {
			m, err := resp.ReplyLen(c.in[pos:filled])
			if err != nil {
				return err
			}
			if m == 0 {
				break
			}
			if c.in[pos] == '-' {
				c.errs++
				if c.firstErr == "" {
					c.firstErr = trimCRLF(c.in[pos+1 : pos+m])
				}
			}
			pos += m
			got++
			k--
		}
		if got > 0 {
			us := time.Since(start).Microseconds()
			if us < histMin {
				us = histMin
			}
			c.mu.Lock()
			_ = c.hist.RecordValues(min(us, histMax), int64(got))
			c.mu.Unlock()
			c.done.Add(int64(got))
		}
		if pos == filled {
			filled, pos = 0, 0
		}
	}
	return nil
}
