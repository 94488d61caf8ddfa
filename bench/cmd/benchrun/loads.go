package main

import "strconv"

// load is one row group of the report: flags given identically to both
// tools.
type load struct {
	ID        string      `json:"id"`
	Title     string      `json:"title"`
	Mode      persistence `json:"-"`
	ModeID    string      `json:"mode"`
	Args      []string    `json:"args"`
	CairnOnly bool        `json:"cairn_benchmark_only,omitempty"` // redis-benchmark cannot express it
	Combined  bool        `json:"combined,omitempty"`             // report SET+GET as one ops/s figure
	MinReps   int         `json:"min_reps,omitempty"`             // at least this many repetitions (short loads)
}

// scale says how big each load is; quick runs use smaller ones.
type scale struct {
	reps        int
	pipelined   int // -n for -P 16 loads
	single      int // -n for -P 1 loads
	always      int // -n for -P 1 with appendfsync always
	alwaysP16   int
	mixed       int
	memoryKeys  int
	aofKeys     int
	rewriteKeys int
	gcKeys      int // keys in the heap while GC pauses are measured
	gcSeconds   int // per test (SET, then GET) of the GC load
}

var (
	fullScale  = scale{reps: 5, pipelined: 1_000_000, single: 200_000, always: 30_000, alwaysP16: 200_000, mixed: 1_000_000, memoryKeys: 1_000_000, aofKeys: 1_000_000, rewriteKeys: 1_000_000, gcKeys: 10_000_000, gcSeconds: 10}
	quickScale = scale{reps: 3, pipelined: 200_000, single: 40_000, always: 6_000, alwaysP16: 50_000, mixed: 200_000, memoryKeys: 1_000_000, aofKeys: 1_000_000, rewriteKeys: 200_000, gcKeys: 2_000_000, gcSeconds: 5}
)

func n(v int) string { return strconv.Itoa(v) }

// loads lists the loads of the benchmark and performance issues.
func loads(sc scale) []load {
	ls := []load{
		{ID: "classic", Title: "classic: -c 10 -n 100000 -P 100 SET,GET", Mode: modeNone,
			Args: []string{"-c", "10", "-n", "100000", "-P", "100", "-t", "set,get"}, Combined: true,
			MinReps: 11}, // about 50 ms per run, so one descheduling moves a run by 20-40%: many runs steady the median
		{ID: "c50-p16", Title: "-c 50 -P 16 SET,GET", Mode: modeNone,
			Args: []string{"-c", "50", "-n", n(sc.pipelined), "-P", "16", "-t", "set,get"}},
		{ID: "c50-p1", Title: "-c 50 -P 1 SET,GET", Mode: modeNone,
			Args: []string{"-c", "50", "-n", n(sc.single), "-P", "1", "-t", "set,get"}},
		{ID: "mixed", Title: "mixed --ratio 1:10 (1 GET per 10 SET), zipfian over 1M keys, -c 50 -P 16, 16-byte values", Mode: modeNone,
			Args:      []string{"-c", "50", "-n", n(sc.mixed), "-P", "16", "-r", "1000000", "--dist", "zipfian", "--ratio", "1:10", "-d", "16"},
			CairnOnly: true},
		{ID: "everysec-c50-p16", Title: "AOF everysec: -c 50 -P 16 SET", Mode: modeEverysec,
			Args: []string{"-c", "50", "-n", n(sc.pipelined), "-P", "16", "-t", "set"}},
		{ID: "everysec-c50-p1", Title: "AOF everysec: -c 50 -P 1 SET", Mode: modeEverysec,
			Args: []string{"-c", "50", "-n", n(sc.single), "-P", "1", "-t", "set"}},
		{ID: "always-c50-p1", Title: "AOF always: -c 50 -P 1 SET", Mode: modeAlways,
			Args: []string{"-c", "50", "-n", n(sc.always), "-P", "1", "-t", "set"}},
		{ID: "always-c50-p16", Title: "AOF always: -c 50 -P 16 SET", Mode: modeAlways,
			Args: []string{"-c", "50", "-n", n(sc.alwaysP16), "-P", "16", "-t", "set"}},
		{ID: "evict-c50-p16", Title: "maxmemory 20mb allkeys-lru: -c 50 -P 16 SET of new keys (-r 10M, 100 B), each write evicting", Mode: modeEvict,
			Args: []string{"-c", "50", "-n", n(sc.pipelined), "-P", "16", "-r", "10000000", "-d", "100", "-t", "set"}},
	}
	for i := range ls {
		ls[i].ModeID = ls[i].Mode.ID
	}
	return ls
}

// scalingLoad is run against Cairn with GOMAXPROCS 1 and 2.
func scalingLoad(sc scale) load {
	return load{ID: "scaling", Title: "Cairn GOMAXPROCS scaling: -c 50 -P 16 SET,GET", Mode: modeNone, ModeID: modeNone.ID,
		Args: []string{"-c", "50", "-n", n(sc.pipelined), "-P", "16", "-t", "set,get"}}
}

// target is the performance issue's goal for one figure.
type target struct {
	minRatio float64
	maxP99   float64 // Cairn p99 / Redis p99 at most this; 0 = no latency target
}

// targetFor returns the goal for a load's test, if the issue sets one.
func targetFor(loadID, test string) (target, bool) {
	switch {
	case loadID == "classic" && test == combinedTest:
		return target{minRatio: 1.5}, true
	case loadID == "c50-p16":
		return target{minRatio: 1.3}, true
	case loadID == "c50-p1":
		return target{minRatio: 1.0, maxP99: 1.2}, true
	case loadID == "everysec-c50-p16":
		return target{minRatio: 1.3}, true
	case loadID == "always-c50-p1":
		return target{minRatio: 1.0}, true
	}
	return target{}, false
}
