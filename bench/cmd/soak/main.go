package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// faultCounts is how many faults of each kind were injected.
type faultCounts struct {
	kills, abrupt, storms, rewrites, slow atomic.Int64
}

// rssLimit is the verdict's bound on the RSS at the end given the RSS at
// half time.
func rssLimit(mid int64) int64 { return mid + mid/4 + 32<<20 }

func main() { os.Exit(run()) }

func run() int {
	def := 10 * time.Minute
	if s := os.Getenv("SOAK_DURATION"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			fmt.Fprintf(os.Stderr, "soak: SOAK_DURATION %q: %v\n", s, err)
			return 2
		}
		def = d
	}
	duration := flag.Duration("duration", def, "how long to run the load (SOAK_DURATION)")
	bin := flag.String("server", "bin/cairn-server", "cairn-server binary to start")
	addr := flag.String("addr", "", "drive this running server instead of starting one")
	pid := flag.Int("pid", 0, "with -addr: the server's process id, for RSS")
	workers := flag.Int("workers", 8, "mixed-command workers")
	flag.Parse()

	var srv *serverProc
	if *addr == "" {
		p, a, err := startServer(*bin)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		srv, *addr, *pid = p, a, p.cmd.Process.Pid
	}
	fmt.Printf("soak: %s against %s (pid %d) for %s\n", "cairn-server", *addr, *pid, *duration)

	var t tally
	var f faultCounts
	ctx, cancel := context.WithTimeout(context.Background(), *duration)
	defer cancel()
	var wg sync.WaitGroup
	spawn := func(fn func()) { wg.Add(1); go func() { defer wg.Done(); fn() }() }
	for i := 0; i < *workers; i++ {
		spawn(func() { mixedWorker(ctx, &t, *addr, i) })
	}
	for i := 0; i < 2; i++ {
		spawn(func() { pipelineWorker(ctx, &t, *addr, i) })
	}
	spawn(func() { bigValueWorker(ctx, &t, *addr, 0) })
	spawn(func() { expiringWorker(ctx, &t, *addr) })
	victims := make([]*victim, 8)
	for i := range victims {
		victims[i] = &victim{}
		spawn(func() { victims[i].run(ctx, &t, *addr, i) })
	}
	spawn(func() { faults(ctx, &t, *addr, victims, &f) })

	// RSS at the end of the warm-up, at half time and at the end: each the
	// peak of the per-second samples in the window before the mark, since
	// big values and slow readers make single samples jump by tens of MiB.
	start := time.Now()
	marks := []time.Duration{*duration / 10, *duration / 2, *duration - time.Second}
	window := min(20*time.Second, *duration/10)
	rss := make([]int64, len(marks))
	var samples []rssSample
	tick := time.NewTicker(time.Second)
	next := 0
	lastLine := start
	for next < len(marks) {
		<-tick.C
		el := time.Since(start)
		samples = append(samples, rssSample{el, readRSS(*pid)})
		if el >= marks[next] {
			rss[next] = peakSince(samples, el-window)
			next++
		}
		if time.Since(lastLine) >= 30*time.Second {
			lastLine = time.Now()
			fmt.Printf("  %4.0fs  ops %d  errors %d  rss %s\n", el.Seconds(), t.ops.Load(), t.errs.Load(), mib(samples[len(samples)-1].rss))
		}
	}
	tick.Stop()
	wg.Wait()
	elapsed := time.Since(start)

	exited := ""
	if srv != nil {
		exited = srv.stop()
		for _, line := range srv.errorLines() {
			t.fail("server log: %s", line)
		}
	}
	verdict := report(&t, &f, elapsed, rss, exited, srv)
	if srv != nil && verdict == 0 {
		os.RemoveAll(srv.dir) // kept after a failure, for its server.log
	}
	return verdict
}

type rssSample struct {
	at  time.Duration
	rss int64
}

// peakSince returns the largest RSS sampled at or after from.
func peakSince(samples []rssSample, from time.Duration) int64 {
	var peak int64
	for _, s := range samples {
		if s.at >= from && s.rss > peak {
			peak = s.rss
		}
	}
	return peak
}

func readRSS(pid int) int64 {
	if pid == 0 {
		return 0
	}
	n, err := rssBytes(pid)
	if err != nil {
		return 0
	}
	return n
}

func mib(n int64) string { return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB" }

// report prints the summary and returns the exit status: 0 for PASS.
func report(t *tally, f *faultCounts, elapsed time.Duration, rss []int64, exited string, srv *serverProc) int {
	ops := t.ops.Load()
	fmt.Printf("\nsoak summary (%s)\n", elapsed.Round(time.Second))
	fmt.Printf("  ops            %d (%.0f/s; %d of them pipelined)\n", ops, float64(ops)/elapsed.Seconds(), t.pipelined.Load())
	fmt.Printf("  errors         %d\n", t.errs.Load())
	fmt.Printf("  victim drops   %d (expected: killed connections)\n", t.expected.Load())
	fmt.Printf("  faults         %d CLIENT KILL, %d abrupt closes, %d reconnect storms of 200, %d BGREWRITEAOF, %d slow readers\n",
		f.kills.Load(), f.abrupt.Load(), f.storms.Load(), f.rewrites.Load(), f.slow.Load())
	fmt.Printf("  rss (peaks)    start %s, middle %s, end %s (limit %s)\n", mib(rss[0]), mib(rss[1]), mib(rss[2]), mib(rssLimit(rss[1])))
	if exited != "" {
		fmt.Printf("  server exit    %s\n", exited)
	}
	for _, e := range t.firstErrs {
		fmt.Printf("  error: %s\n", e)
	}
	verdict := 0
	switch {
	case t.errs.Load() > 0:
		verdict = 1
		fmt.Println("FAIL: errors during the run")
	case rss[1] == 0 || rss[2] == 0:
		verdict = 1
		fmt.Println("FAIL: could not read the server's RSS")
	case rss[2] > rssLimit(rss[1]):
		verdict = 1
		fmt.Println("FAIL: RSS grew in the second half of the run")
	case f.kills.Load() == 0 || f.rewrites.Load() == 0:
		verdict = 1
		fmt.Println("FAIL: the faults were not injected (run longer than 15 s)")
	default:
		fmt.Println("PASS")
	}
	if verdict != 0 && srv != nil {
		fmt.Printf("server directory kept: %s\n", srv.dir)
	}
	return verdict
}
