package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// planned is one test ready to run.
type planned struct {
	name string
	mix  *mix
}

func run(args []string, stdout, stderr io.Writer) int {
	o, err := parseOptions(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "cairn-benchmark: %v\n", err)
		return 1
	}
	runtime.GOMAXPROCS(o.threads)
	if o.cpuProfile != "" {
		stop, err := startCPUProfile(o.cpuProfile)
		if err != nil {
			fmt.Fprintf(stderr, "cairn-benchmark: %v\n", err)
			return 1
		}
		defer stop()
	}
	f, ok := stdout.(*os.File)
	o.progress = ok && isTerminal(f) && !o.json && !o.csv

	plan, err := makePlan(o)
	if err != nil {
		fmt.Fprintf(stderr, "cairn-benchmark: %v\n", err)
		return 1
	}
	var ks *keyspace
	if o.keyspace > 0 {
		if ks, err = newKeyspace(o.dist, o.keyspace); err != nil {
			fmt.Fprintf(stderr, "cairn-benchmark: %v\n", err)
			return 1
		}
	}
	seed := o.seed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	rep := newReporter(o, stdout)
	for {
		var results []*result
		for _, p := range plan {
			r, err := runTest(o, p.name, p.mix, ks, seed)
			if err != nil {
				fmt.Fprintf(stderr, "cairn-benchmark: %s: %v\n", p.name, err)
				return 1
			}
			seed += 0x632be59bd9b4e019
			rep.test(r)
			results = append(results, r)
		}
		rep.finish(results)
		if !o.loop {
			return 0
		}
	}
}

func makePlan(o *options) ([]planned, error) {
	subst := o.keyspace > 0
	if len(o.command) > 0 {
		t := compile(o.command, subst)
		return []planned{{name: strings.Join(o.command, " "), mix: &mix{templates: []template{t}, pattern: []uint8{0}}}}, nil
	}
	var rt ratio
	if o.ratio != "" {
		var err error
		if rt, err = parseRatio(o.ratio); err != nil {
			return nil, err
		}
	}
	defs, mixed, err := selectTests(o.tests, o.ratio != "")
	if err != nil {
		return nil, err
	}
	var plan []planned
	for _, d := range defs {
		var t template
		if d.inline != "" {
			t = template{segs: []segment{{kind: segLiteral, lit: []byte(d.inline)}}}
		} else {
			t = compile(d.args, subst)
		}
		plan = append(plan, planned{name: d.name, mix: &mix{templates: []template{t}, pattern: []uint8{0}}})
	}
	if mixed {
		get := compile([]string{"GET", "key:" + randMarker}, subst)
		set := compile([]string{"SET", "key:" + randMarker, valueArg}, subst)
		m := &mix{templates: []template{get, set}}
		for i := 0; i < rt.reads; i++ {
			m.pattern = append(m.pattern, 0)
		}
		for i := 0; i < rt.writes; i++ {
			m.pattern = append(m.pattern, 1)
		}
		plan = append(plan, planned{name: rt.String(), mix: m})
	}
	if len(plan) == 0 {
		return nil, errors.New("no test selected")
	}
	return plan, nil
}
