package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
)

// reporter prints results in the format the options ask for: -q and --csv
// lines match redis-benchmark's; the default block follows its layout;
// --json is Cairn's own.
type reporter struct {
	o   *options
	w   io.Writer
	dec int
}

func newReporter(o *options, w io.Writer) *reporter {
	dec := o.precision
	if dec <= 0 {
		dec = 3
	}
	r := &reporter{o: o, w: w, dec: dec}
	if o.csv {
		fmt.Fprintln(w, `"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"`)
	}
	return r
}

func (r *reporter) ms(v float64) string { return fmt.Sprintf("%.*f", r.dec, v) }

func (r *reporter) test(res *result) {
	l := res.Latency
	switch {
	case r.o.json:
		// printed whole by finish
	case r.o.csv:
		fmt.Fprintf(r.w, "\"%s\",\"%.2f\",\"%.3f\",\"%.3f\",\"%.3f\",\"%.3f\",\"%.3f\",\"%.3f\"\n",
			res.Name, res.RPS, l.Avg, l.Min, l.P50, l.P95, l.P99, l.Max)
	case r.o.quiet:
		fmt.Fprintf(r.w, "%s: %.2f requests per second, p50=%s msec\n", res.Name, res.RPS, r.ms(l.P50))
	default:
		r.long(res)
	}
}

func (r *reporter) long(res *result) {
	o, l := r.o, res.Latency
	var b strings.Builder
	fmt.Fprintf(&b, "====== %s ======\n", res.Name)
	fmt.Fprintf(&b, "  %d requests completed in %.2f seconds\n", res.Requests, res.Seconds)
	fmt.Fprintf(&b, "  %d parallel clients\n", o.clients)
	fmt.Fprintf(&b, "  %s\n", o.dataLabel())
	fmt.Fprintf(&b, "  keep alive: 1\n")
	fmt.Fprintf(&b, "  pipeline: %d\n", o.pipeline)
	if o.keyspace > 0 {
		fmt.Fprintf(&b, "  keyspace: %d keys, %s\n", o.keyspace, o.dist)
	}
	fmt.Fprintf(&b, "  threads: %d\n", o.threads)
	if res.Errors > 0 {
		fmt.Fprintf(&b, "  error replies: %d (first: %s)\n", res.Errors, res.FirstErr)
	}
	b.WriteString("\nLatency by percentile distribution:\n")
	for _, q := range []struct {
		pct string
		v   float64
	}{{"50.000", l.P50}, {"90.000", l.P90}, {"99.000", l.P99}, {"99.900", l.P999}, {"100.000", l.Max}} {
		fmt.Fprintf(&b, "%s%% <= %s milliseconds\n", q.pct, r.ms(q.v))
	}
	b.WriteString("\nSummary:\n")
	fmt.Fprintf(&b, "  throughput summary: %.2f requests per second\n", res.RPS)
	b.WriteString("  latency summary (msec):\n")
	w := r.dec + 6
	fmt.Fprintf(&b, "  %*s%*s%*s%*s%*s%*s\n", w, "avg", w, "min", w, "p50", w, "p95", w, "p99", w, "max")
	fmt.Fprintf(&b, "  %*s%*s%*s%*s%*s%*s\n\n", w, r.ms(l.Avg), w, r.ms(l.Min), w, r.ms(l.P50), w, r.ms(l.P95), w, r.ms(l.P99), w, r.ms(l.Max))
	io.WriteString(r.w, b.String())
}

// jsonReport is the --json document, one per pass over the tests.
type jsonReport struct {
	Tool      string    `json:"tool"`
	Host      string    `json:"host"`
	Port      int       `json:"port"`
	Clients   int       `json:"clients"`
	Requests  int64     `json:"requests,omitempty"`
	Duration  string    `json:"duration,omitempty"`
	Pipeline  int       `json:"pipeline"`
	DataSize  string    `json:"data_size"`
	Keyspace  uint64    `json:"keyspace,omitempty"`
	Dist      string    `json:"dist,omitempty"`
	Ratio     string    `json:"ratio,omitempty"`
	Threads   int       `json:"threads"`
	GoVersion string    `json:"go_version"`
	Results   []*result `json:"results"`
}

func (r *reporter) finish(results []*result) {
	if !r.o.json {
		return
	}
	o := r.o
	rep := jsonReport{Tool: "cairn-benchmark", Host: o.host, Port: o.port, Clients: o.clients,
		Pipeline: o.pipeline, DataSize: o.dataSize, Ratio: o.ratio, Threads: o.threads,
		GoVersion: runtime.Version(), Results: results}
	if o.duration > 0 {
		rep.Duration = o.duration.String()
	} else {
		rep.Requests = o.requests
	}
	if o.keyspace > 0 {
		rep.Keyspace, rep.Dist = o.keyspace, o.dist
	}
	enc := json.NewEncoder(r.w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		fmt.Fprintf(os.Stderr, "cairn-benchmark: %v\n", err)
	}
}
