package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// bench holds one benchmark session.
type bench struct {
	cairnServer string
	redisServer string
	tools       tools
	work        string
	sc          scale
	s           *samples
	scaling     *samples
	loopScaling *samples
	loads       []load
	memory      []memoryResult
	aofLoad     []aofLoadResult
	rewrite     []rewriteResult
	gc          *gcResult
	cpu         map[cpuKey][]float64 // server CPU µs per request, per run
	notes       []string
}

func main() {
	binDir := flag.String("bin", "bin", "directory holding cairn-server and cairn-benchmark")
	out := flag.String("out", "bench/results", "directory for the report, JSON and charts")
	quick := flag.Bool("quick", false, "smaller loads (make bench-quick)")
	redisServer := flag.String("redis-server", "redis-server", "redis-server binary")
	redisBench := flag.String("redis-benchmark", "redis-benchmark", "redis-benchmark binary")
	only := flag.String("only", "", "comma-separated parts to run (throughput, scaling, memory, aofload, rewrite, gc); empty runs all")
	render := flag.String("render", "", "only redraw the report and charts from this JSON record into -out")
	flag.Parse()
	if *render != "" {
		if err := rerender(*render, *out); err != nil {
			fail(err)
		}
		return
	}

	began := time.Now()
	b := &bench{sc: fullScale, s: newSamples(), scaling: newSamples(), loopScaling: newSamples()}
	if *quick {
		b.sc = quickScale
	}
	var err error
	if b.cairnServer, err = filepath.Abs(filepath.Join(*binDir, "cairn-server")); err != nil {
		fail(err)
	}
	cb, _ := filepath.Abs(filepath.Join(*binDir, "cairn-benchmark"))
	for _, p := range []*string{redisServer, redisBench} {
		if *p, err = exec.LookPath(*p); err != nil {
			fail(fmt.Errorf("benchrun: %w (apt-get install redis-server redis-tools)", err))
		}
	}
	b.redisServer = *redisServer
	b.tools = tools{redisBench: *redisBench, cairnBench: cb, timeout: 3 * time.Minute}
	if b.work, err = os.MkdirTemp("", "cairn-bench-"); err != nil {
		fail(err)
	}
	defer os.RemoveAll(b.work)

	parts, err := selectParts(*only)
	if err != nil {
		fail(err)
	}
	m := describeMachine(b.redisServer)
	b.loads = loads(b.sc)
	if parts["throughput"] {
		for _, mode := range []persistence{modeNone, modeEverysec, modeAlways, modeEvict} {
			if err := b.runMode(mode); err != nil {
				fail(err)
			}
		}
	}
	steps := []struct {
		part string
		run  func() error
	}{{"scaling", b.runScaling}, {"memory", b.runMemory}, {"aofload", b.runAOFLoad}, {"rewrite", b.runRewrite}, {"gc", b.runGCPause}}
	for _, st := range steps {
		if !parts[st.part] {
			continue
		}
		if err := st.run(); err != nil {
			fail(err)
		}
	}
	elapsed := time.Since(began)
	m.LoadAvgEnd = readTrim("/proc/loadavg")
	if err := b.writeReports(*out, m, *quick, *only != "", elapsed); err != nil {
		fail(err)
	}
}

// partNames are the parts of a run, in the order they run.
var partNames = []string{"throughput", "scaling", "memory", "aofload", "rewrite", "gc"}

// selectParts parses -only; an empty list selects every part.
func selectParts(only string) (map[string]bool, error) {
	parts := map[string]bool{}
	if strings.TrimSpace(only) == "" {
		for _, p := range partNames {
			parts[p] = true
		}
		return parts, nil
	}
	for _, p := range strings.Split(only, ",") {
		p = strings.TrimSpace(p)
		if !slices.Contains(partNames, p) {
			return nil, fmt.Errorf("benchrun: -only: unknown part %q (want %s)", p, strings.Join(partNames, ", "))
		}
		parts[p] = true
	}
	return parts, nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
}

// runMode starts a fresh Cairn and Redis with one persistence setting and
// runs that setting's loads, alternating which server goes first.
func (b *bench) runMode(mode persistence) error {
	var mine []load
	for _, l := range b.loads {
		if l.Mode == mode {
			mine = append(mine, l)
		}
	}
	if len(mine) == 0 {
		return nil
	}
	cairn, _, err := start(serverSpec{kind: "cairn", bin: b.cairnServer, dir: filepath.Join(b.work, mode.ID, "cairn"), mode: mode}, 30*time.Second)
	if err != nil {
		return err
	}
	defer cairn.stop()
	redis, _, err := start(serverSpec{kind: "redis", bin: b.redisServer, dir: filepath.Join(b.work, mode.ID, "redis"), mode: mode}, 30*time.Second)
	if err != nil {
		return err
	}
	defer redis.stop()
	for _, l := range mine {
		if err := b.alternate(b.s, l, [2]*server{cairn, redis}, [2]string{"cairn", "redis"}); err != nil {
			return err
		}
	}
	return nil
}

// alternate runs load l reps times on both servers with both tools, the
// first server of each repetition alternating.
func (b *bench) alternate(into *samples, l load, srv [2]*server, names [2]string) error {
	toolList := []string{toolRedisBench, toolCairnBench}
	if l.CairnOnly {
		toolList = []string{toolCairnBench}
	}
	for rep := 0; rep < max(b.sc.reps, l.MinReps); rep++ {
		order := []int{0, 1}
		if rep%2 == 1 {
			order = []int{1, 0}
		}
		for _, i := range order {
			for _, tool := range toolList {
				before, errBefore := srv[i].cpuTicks()
				ms, err := b.tools.run(tool, srv[i], l.Args)
				if err != nil {
					return fmt.Errorf("%s on %s: %w", l.ID, names[i], err)
				}
				if after, errAfter := srv[i].cpuTicks(); errBefore == nil && errAfter == nil {
					b.addCPU(l, tool, names[i], after-before, len(ms))
				}
				into.add(l.ID, tool, names[i], ms, l.Combined)
				line := fmt.Sprintf("[%s rep %d] %-16s %-6s", l.ID, rep+1, tool, names[i])
				for _, m := range ms {
					line += fmt.Sprintf("  %s %.0f/s", m.Test, m.RPS)
				}
				logf("%s", line)
			}
		}
	}
	return nil
}

// runScaling compares Cairn with GOMAXPROCS=1 and =2, both running at
// once so repetitions can alternate.
func (b *bench) runScaling() error {
	l := scalingLoad(b.sc)
	var srv [2]*server
	for i, procs := range []int{1, 2} {
		s, _, err := start(serverSpec{kind: "cairn", bin: b.cairnServer, dir: filepath.Join(b.work, fmt.Sprintf("gomaxprocs%d", procs)),
			mode: modeNone, gomaxprocs: procs}, 30*time.Second)
		if err != nil {
			return err
		}
		defer s.stop()
		srv[i] = s
	}
	if err := b.alternate(b.scaling, l, srv, [2]string{"GOMAXPROCS=1", "GOMAXPROCS=2"}); err != nil {
		return err
	}
	// The same with two event loops instead of the default one (below four
	// cores), at GOMAXPROCS=2.
	var two [2]*server
	for i, loops := range []int{1, 2} {
		s, _, err := start(serverSpec{kind: "cairn", bin: b.cairnServer, dir: filepath.Join(b.work, fmt.Sprintf("loops%d", loops)),
			mode: modeNone, gomaxprocs: 2, loops: loops}, 30*time.Second)
		if err != nil {
			return err
		}
		defer s.stop()
		two[i] = s
	}
	return b.alternate(b.loopScaling, l, two, [2]string{"1 loop", "2 loops"})
}
