package main

import (
	"fmt"
	"os"
	"sync/atomic"
	"time"
)

// progress redraws one status line (ops/s over the last interval,
// elapsed time, p99 so far) while a test runs. It is only started when
// stdout is a terminal, so piped output stays clean.
type progress struct {
	quit chan struct{}
	done chan struct{}
}

const progressEvery = 250 * time.Millisecond

func startProgress(name string, conns []*conn, answered *atomic.Int64) *progress {
	p := &progress{quit: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(p.done)
		tick := time.NewTicker(progressEvery)
		defer tick.Stop()
		start, last, lastN := time.Now(), time.Now(), int64(0)
		merged := newHist()
		for {
			select {
			case <-p.quit:
				fmt.Fprint(os.Stdout, "\r\x1b[K")
				return
			case now := <-tick.C:
				n := answered.Load()
				rate := float64(n-lastN) / now.Sub(last).Seconds()
				last, lastN = now, n
				merged.Reset()
				for _, c := range conns {
					c.mu.Lock()
					merged.Merge(c.hist)
					c.mu.Unlock()
				}
				fmt.Fprintf(os.Stdout, "\r\x1b[K%s: %.0f ops/s, %d done, elapsed %.1fs, p99 %.3f ms",
					name, rate, n, now.Sub(start).Seconds(), float64(merged.ValueAtQuantile(99))/1000)
			}
		}
	}()
	return p
}

func (p *progress) stop() {
	close(p.quit)
	<-p.done
}

// isTerminal reports whether f is a character device (a terminal), without
// a dependency on x/term.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
