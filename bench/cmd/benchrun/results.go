package main

import (
	"math"
	"sort"
)

// combinedTest names the classic load's SET-then-GET figure: requests of
// both tests over their total time, 2 / (1/set + 1/get).
const combinedTest = "SET+GET"

// key identifies the runs whose median is one figure.
type key struct {
	load, test, tool, server string
}

// samples collects every run, in order of arrival.
type samples struct {
	runs  map[key][]measure
	order []key
}

func newSamples() *samples { return &samples{runs: map[key][]measure{}} }

func (s *samples) add(load, tool, server string, ms []measure, combined bool) {
	if combined {
		var set, get float64
		for _, m := range ms {
			switch m.Test {
			case "SET":
				set = m.RPS
			case "GET":
				get = m.RPS
			}
		}
		if set > 0 && get > 0 {
			ms = append(ms, measure{Test: combinedTest, RPS: 2 / (1/set + 1/get), Avg: -1, P50: -1, P90: -1, P99: -1, P999: -1, Max: -1})
		}
	}
	for _, m := range ms {
		k := key{load, m.Test, tool, server}
		if _, ok := s.runs[k]; !ok {
			s.order = append(s.order, k)
		}
		s.runs[k] = append(s.runs[k], m)
	}
}

// median returns the per-field median of k's runs.
func (s *samples) median(k key) (measure, bool) {
	rs := s.runs[k]
	if len(rs) == 0 {
		return measure{}, false
	}
	pick := func(f func(measure) float64) float64 {
		v := make([]float64, len(rs))
		for i, r := range rs {
			v[i] = f(r)
		}
		return medianOf(v)
	}
	return measure{
		Test: rs[0].Test,
		RPS:  pick(func(m measure) float64 { return m.RPS }),
		Avg:  pick(func(m measure) float64 { return m.Avg }),
		P50:  pick(func(m measure) float64 { return m.P50 }),
		P90:  pick(func(m measure) float64 { return m.P90 }),
		P99:  pick(func(m measure) float64 { return m.P99 }),
		P999: pick(func(m measure) float64 { return m.P999 }),
		Max:  pick(func(m measure) float64 { return m.Max }),
		Errs: int64(pick(func(m measure) float64 { return float64(m.Errs) })),
	}, true
}

func medianOf(v []float64) float64 {
	sort.Float64s(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

// rpsRuns lists the throughput of each run, for the JSON record.
func (s *samples) rpsRuns(k key) []float64 {
	var v []float64
	for _, m := range s.runs[k] {
		v = append(v, math.Round(m.RPS))
	}
	return v
}
