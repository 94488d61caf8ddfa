package main

import (
	"strings"
	"testing"
)

func TestParseRedisCSV(t *testing.T) {
	out := "\"test\",\"rps\",\"avg_latency_ms\",\"min_latency_ms\",\"p50_latency_ms\",\"p95_latency_ms\",\"p99_latency_ms\",\"max_latency_ms\"\n" +
		"\"SET\",\"90909.09\",\"0.302\",\"0.104\",\"0.287\",\"0.391\",\"0.535\",\"3.223\"\n" +
		"\"MSET (10 keys)\",\"1000.50\",\"1\",\"1\",\"2\",\"3\",\"4\",\"5\"\n"
	ms, err := parseRedisCSV([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[0].Test != "SET" || ms[0].RPS != 90909.09 || ms[0].P50 != 0.287 || ms[0].P99 != 0.535 || ms[0].Max != 3.223 || ms[0].P90 != -1 {
		t.Fatalf("got %+v", ms)
	}
	if ms[1].Test != "MSET (10 keys)" {
		t.Fatalf("name with spaces: %q", ms[1].Test)
	}
	if _, err := parseRedisCSV([]byte("Could not connect\n")); err == nil {
		t.Fatal("garbage accepted")
	}
}

func TestParseCairnJSON(t *testing.T) {
	out := `{"tool":"cairn-benchmark","results":[{"test":"GET","requests":10,"errors":2,"rps":1234.5,
		"latency_ms":{"avg":0.5,"min":0.1,"p50":0.4,"p90":0.8,"p95":0.9,"p99":1.5,"p99_9":2.5,"max":3}}]}`
	ms, err := parseCairnJSON([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	m := ms[0]
	if m.Test != "GET" || m.RPS != 1234.5 || m.P90 != 0.8 || m.P999 != 2.5 || m.Errs != 2 {
		t.Fatalf("got %+v", m)
	}
}

func TestMediansRatiosAndTargets(t *testing.T) {
	b := &bench{s: newSamples()}
	for _, v := range [][2]float64{{100, 300}, {200, 100}, {400, 200}} { // cairn SET/GET per run
		b.s.add("classic", toolRedisBench, "cairn", []measure{{Test: "SET", RPS: v[0], P99: 1}, {Test: "GET", RPS: v[1], P99: 1}}, true)
		b.s.add("classic", toolRedisBench, "redis", []measure{{Test: "SET", RPS: 100, P99: 2}, {Test: "GET", RPS: 100, P99: 2}}, true)
	}
	rows := b.rows(b.s, loads(quickScale), "cairn", "redis")
	byTest := map[string]row{}
	for _, r := range rows {
		byTest[r.Test] = r
	}
	if r := byTest["SET"]; r.A.RPS != 200 || r.Ratio != 2 || r.P99Ratio != 0.5 || r.TargetMet != nil {
		t.Fatalf("SET row %+v", r)
	}
	// Combined per run: 2/(1/100+1/300)=150, 2/(1/200+1/100)=133.3, 2/(1/400+1/200)=266.7; median 150.
	c := byTest[combinedTest]
	if c.A.RPS < 149.9 || c.A.RPS > 150.1 || c.Ratio < 1.49 || c.TargetMet == nil || *c.TargetMet != (c.Ratio >= 1.5) {
		t.Fatalf("combined row %+v", c)
	}
	md := markdown(record{Rows: rows, Reps: 3}, []string{"x.png"})
	if !strings.Contains(md, "| SET+GET | redis-benchmark | 0k | 0k | **1.50** | ≥ 1.5 (") || !strings.Contains(md, "![x.png](x.png)") {
		t.Fatalf("markdown row missing:\n%s", md)
	}
}

func TestMedianOf(t *testing.T) {
	if m := medianOf([]float64{3, 1, 2}); m != 2 {
		t.Fatal(m)
	}
	if m := medianOf([]float64{4, 1, 2, 3}); m != 2.5 {
		t.Fatal(m)
	}
}

func TestToolCheckShowsRunSpread(t *testing.T) {
	b := &bench{s: newSamples()}
	for _, v := range [][2]float64{{1_000_000, 900_000}, {1_200_000, 1_100_000}, {800_000, 1_000_000}} {
		b.s.add("classic", toolRedisBench, "redis", []measure{{Test: "SET", RPS: v[0]}}, false)
		b.s.add("classic", toolCairnBench, "redis", []measure{{Test: "SET", RPS: v[1]}}, false)
	}
	tc := b.toolChecks()
	if len(tc) != 1 || tc[0].CairnOverRedis != 1 || len(tc[0].CairnBenchRuns) != 3 {
		t.Fatalf("tool checks %+v", tc)
	}
	md := markdown(record{ToolChecks: tc}, nil)
	if !strings.Contains(md, "| classic | SET | redis | 1000k (800k–1200k) | 1000k (900k–1100k) | 1.00 |") {
		t.Fatalf("tool check row:\n%s", md)
	}
}

func TestCPUPerRequest(t *testing.T) {
	// A command name with spaces and parentheses must not shift fields.
	line := []byte("4242 (cairn (srv) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 150 75 0 0 20 0 9 0 1 2 3\n")
	if n, err := statTicks(line); err != nil || n != 225 {
		t.Fatalf("statTicks = %d, %v; want 150+75", n, err)
	}
	l := load{ID: "x", Args: []string{"-c", "50", "-n", "200000", "-P", "1", "-t", "set,get"}}
	if n := requestsOf(l, 2); n != 400000 {
		t.Fatalf("requestsOf = %d", n)
	}
	b := &bench{loads: []load{l}}
	b.addCPU(l, toolRedisBench, "cairn", 200, 2) // 2 s of CPU for 400,000 requests: 5 µs
	b.addCPU(l, toolRedisBench, "redis", 240, 2)
	b.addCPU(l, toolRedisBench, "redis", 10, 2) // too short to measure: left out
	rows := b.cpuRows()
	if len(rows) != 1 || rows[0].CairnUs != 5 || rows[0].RedisUs != 6 {
		t.Fatalf("cpuRows = %+v", rows)
	}
}
