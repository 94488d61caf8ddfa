package main

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
)

// result is what one test measured.
type result struct {
	Name     string  `json:"test"`
	Requests int64   `json:"requests"`
	Errors   int64   `json:"errors"`
	FirstErr string  `json:"first_error,omitempty"`
	Seconds  float64 `json:"seconds"`
	RPS      float64 `json:"rps"`
	Latency  latency `json:"latency_ms"`

	hist *hdrhistogram.Histogram
}

// latency holds percentiles in milliseconds.
type latency struct {
	Avg  float64 `json:"avg"`
	Min  float64 `json:"min"`
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P95  float64 `json:"p95"`
	P99  float64 `json:"p99"`
	P999 float64 `json:"p99_9"`
	Max  float64 `json:"max"`
}

func latencyOf(h *hdrhistogram.Histogram) latency {
	ms := func(us int64) float64 { return float64(us) / 1000 }
	return latency{
		Avg:  h.Mean() / 1000,
		Min:  ms(h.Min()),
		P50:  ms(h.ValueAtQuantile(50)),
		P90:  ms(h.ValueAtQuantile(90)),
		P95:  ms(h.ValueAtQuantile(95)),
		P99:  ms(h.ValueAtQuantile(99)),
		P999: ms(h.ValueAtQuantile(99.9)),
		Max:  ms(h.Max()),
	}
}

// runTest opens the connections, drives them until the budget is spent
// and merges what they recorded.
func runTest(o *options, name string, m *mix, ks *keyspace, seed uint64) (*result, error) {
	var done atomic.Int64
	conns := make([]*conn, o.clients)
	defer func() {
		for _, c := range conns {
			if c != nil {
				c.nc.Close()
			}
		}
	}()
	for i := range conns {
		nc, err := dial(o.addr(), o.setup())
		if err != nil {
			return nil, fmt.Errorf("connect %s: %w", o.addr(), err)
		}
		s := connSeed(seed, i)
		var vals valueSource = fixedSize(o.dataMin)
		if o.dataMax > o.dataMin {
			vals = &sizeRange{lo: o.dataMin, span: o.dataMax - o.dataMin + 1, r: rng{s: ^s}}
		}
		var keys keySource = &uniformKeys{n: 1}
		if ks != nil {
			keys = ks.source(s)
		}
		conns[i] = &conn{nc: nc, mix: m, keys: keys, vals: vals, pipeline: o.pipeline,
			out: make([]byte, 0, 4096), in: make([]byte, 64<<10), hist: newHist(), done: &done}
	}

	b := &budget{total: o.requests, timed: o.duration > 0}
	var prog *progress
	if o.progress {
		prog = startProgress(name, conns, &done)
	}
	start := time.Now()
	if b.timed {
		t := time.AfterFunc(o.duration, func() { b.stop.Store(true) })
		defer t.Stop()
	}
	var wg sync.WaitGroup
	errs := make([]error, len(conns))
	for i, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = c.run(b)
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if prog != nil {
		prog.stop()
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}

	r := &result{Name: name, Requests: done.Load(), Seconds: elapsed.Seconds(), hist: newHist()}
	for _, c := range conns {
		r.hist.Merge(c.hist)
		r.Errors += c.errs
		if r.FirstErr == "" {
			r.FirstErr = c.firstErr
		}
	}
	if r.Seconds > 0 {
		r.RPS = float64(r.Requests) / r.Seconds
	}
	r.Latency = latencyOf(r.hist)
	if r.Errors > 0 {
		fmt.Fprintf(os.Stderr, "%s: %d error replies, first: %s\n", name, r.Errors, r.FirstErr)
	}
	return r, nil
}
