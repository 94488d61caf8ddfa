package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Tool names as they appear in reports.
const (
	toolRedisBench = "redis-benchmark"
	toolCairnBench = "cairn-benchmark"
)

// measure is one test's figures from one run. Latencies are in ms; a
// percentile the tool does not report is -1 (redis-benchmark's CSV has no
// p90 and no p99.9).
type measure struct {
	Test string  `json:"test"`
	RPS  float64 `json:"rps"`
	Avg  float64 `json:"avg_ms"`
	P50  float64 `json:"p50_ms"`
	P90  float64 `json:"p90_ms"`
	P99  float64 `json:"p99_ms"`
	P999 float64 `json:"p99_9_ms"`
	Max  float64 `json:"max_ms"`
	Errs int64   `json:"errors"`
}

// tools knows where the load generators are.
type tools struct {
	redisBench string
	cairnBench string
	timeout    time.Duration
}

// run drives one server with one tool; args are the common flags.
func (t *tools) run(tool string, s *server, args []string) ([]measure, error) {
	full := append([]string{"-h", "127.0.0.1", "-p", fmt.Sprint(s.Port)}, args...)
	if tool == toolRedisBench {
		out, err := runCmd(t.timeout, t.redisBench, append(full, "--csv")...)
		if err != nil {
			return nil, err
		}
		return parseRedisCSV(out)
	}
	out, err := runCmd(t.timeout, t.cairnBench, append(full, "--json")...)
	if err != nil {
		return nil, err
	}
	return parseCairnJSON(out)
}

// parseRedisCSV reads redis-benchmark --csv: a header line, then
// "test","rps","avg","min","p50","p95","p99","max".
func parseRedisCSV(out []byte) ([]measure, error) {
	recs, err := csv.NewReader(strings.NewReader(string(out))).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("benchrun: redis-benchmark csv: %w", err)
	}
	var ms []measure
	for _, r := range recs {
		if len(r) != 8 || r[0] == "test" {
			continue
		}
		var f [7]float64
		for i := range f {
			if f[i], err = strconv.ParseFloat(r[i+1], 64); err != nil {
				return nil, fmt.Errorf("benchrun: redis-benchmark csv %q: %w", r, err)
			}
		}
		ms = append(ms, measure{Test: r[0], RPS: f[0], Avg: f[1], P50: f[3], P90: -1, P99: f[5], P999: -1, Max: f[6]})
	}
	if len(ms) == 0 {
		return nil, fmt.Errorf("benchrun: no results in redis-benchmark output %q", out)
	}
	return ms, nil
}

// parseCairnJSON reads cairn-benchmark --json.
func parseCairnJSON(out []byte) ([]measure, error) {
	var doc struct {
		Results []struct {
			Test    string  `json:"test"`
			RPS     float64 `json:"rps"`
			Errors  int64   `json:"errors"`
			Latency struct {
				Avg, P50, P90, P99, Max float64
				P999                    float64 `json:"p99_9"`
			} `json:"latency_ms"`
		} `json:"results"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		return nil, fmt.Errorf("benchrun: cairn-benchmark json: %w", err)
	}
	var ms []measure
	for _, r := range doc.Results {
		l := r.Latency
		ms = append(ms, measure{Test: r.Test, RPS: r.RPS, Avg: l.Avg, P50: l.P50, P90: l.P90,
			P99: l.P99, P999: l.P999, Max: l.Max, Errs: r.Errors})
	}
	if len(ms) == 0 {
		return nil, fmt.Errorf("benchrun: no results in cairn-benchmark output")
	}
	return ms, nil
}
