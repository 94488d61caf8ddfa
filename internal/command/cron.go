package command

import (
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"
)

// serverFigures holds the INFO figures that need sampling or a baseline:
// the instantaneous rates, the memory peak, and the counters CONFIG
// RESETSTAT restarts but that live elsewhere.
type serverFigures struct {
	mu         sync.Mutex
	lastSample time.Time
	lastOps    int64
	lastIn     int64
	lastOut    int64
	ops        rateRing // commands per second
	netIn      rateRing // bytes per second
	netOut     rateRing

	peakMemory    atomic.Int64
	startupMemory atomic.Int64
	// expiredBase is Store.ExpiredKeys at the last CONFIG RESETSTAT: the
	// store's counter only grows.
	expiredBase atomic.Int64

	replIDOnce sync.Once
	replID     string

	memSamples []metrics.Sample // reused by readMemory, under memMu
	memMu      sync.Mutex
}

// rateSamples is how many 100 ms samples an instantaneous rate averages,
// as in Redis: the figure covers the last 1.6 seconds.
const (
	rateSamples  = 16
	rateInterval = 100 * time.Millisecond
)

type rateRing struct {
	v    [rateSamples]float64
	next int
}

func (r *rateRing) add(x float64) {
	r.v[r.next] = x
	r.next = (r.next + 1) % rateSamples
}

func (r *rateRing) mean() float64 {
	var sum float64
	for _, x := range r.v {
		sum += x
	}
	return sum / rateSamples
}

// Cron is the server's periodic call (at least every 100 ms is best): it
// samples the command and network rates INFO reports as instantaneous_*
// and tracks the memory peak. Calls closer together than 100 ms are
// ignored, so calling it more often is harmless.
func (e *Engine) Cron(now time.Time) {
	f := &e.figures
	f.mu.Lock()
	ops, in, out := e.stats.commands.Load(), e.stats.netIn.Load(), e.stats.netOut.Load()
	if f.lastSample.IsZero() {
		f.lastSample, f.lastOps, f.lastIn, f.lastOut = now, ops, in, out
		f.mu.Unlock()
		e.trackMemory()
		return
	}
	dt := now.Sub(f.lastSample)
	if dt < rateInterval {
		f.mu.Unlock()
		return
	}
	secs := dt.Seconds()
	f.ops.add(float64(ops-f.lastOps) / secs)
	f.netIn.add(float64(in-f.lastIn) / secs)
	f.netOut.add(float64(out-f.lastOut) / secs)
	f.lastSample, f.lastOps, f.lastIn, f.lastOut = now, ops, in, out
	f.mu.Unlock()
	e.trackMemory()
	if e.Config != nil && e.Config.MaxMemory() > 0 {
		// Keep the baseline fresh between commands' own samples, and go
		// on with eviction a command ran out of time for (or a lowered
		// maxmemory calls for).
		e.EvictInBackground(now)
	}
}

// rates returns the instantaneous figures: commands per second and
// network input and output in KiB per second.
func (e *Engine) rates() (ops int64, inKbps, outKbps float64) {
	f := &e.figures
	f.mu.Lock()
	defer f.mu.Unlock()
	return int64(f.ops.mean()), f.netIn.mean() / 1024, f.netOut.mean() / 1024
}

// memoryFigures are the Go runtime's heap figures INFO memory maps onto
// Redis's allocator fields.
type memoryFigures struct {
	heapObjects  int64 // live and not yet swept objects: "used memory"
	heapActive   int64 // objects plus the free space in their spans
	heapReleased int64 // returned to the OS
	total        int64 // everything the runtime has mapped
}

func (e *Engine) readMemory() memoryFigures {
	f := &e.figures
	f.memMu.Lock()
	defer f.memMu.Unlock()
	if f.memSamples == nil {
		f.memSamples = []metrics.Sample{
			{Name: "/memory/classes/heap/objects:bytes"},
			{Name: "/memory/classes/heap/unused:bytes"},
			{Name: "/memory/classes/heap/released:bytes"},
			{Name: "/memory/classes/total:bytes"},
		}
	}
	metrics.Read(f.memSamples)
	v := func(i int) int64 {
		if f.memSamples[i].Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return int64(f.memSamples[i].Value.Uint64())
	}
	m := memoryFigures{heapObjects: v(0), heapReleased: v(2), total: v(3)}
	m.heapActive = m.heapObjects + v(1)
	return m
}

// trackMemory reads used_memory, updates its peak, and takes the memory
// outside the keyspace at the first reading as the memory the server
// needed to start (the cron's first tick, before any client connects).
func (e *Engine) trackMemory() int64 {
	used := e.usedMemory(time.Now().UnixMilli())
	f := &e.figures
	start := used
	if e.Store != nil {
		start = e.Store.Baseline()
	}
	f.startupMemory.CompareAndSwap(0, max(start, 1))
	for {
		p := f.peakMemory.Load()
		if used <= p || f.peakMemory.CompareAndSwap(p, used) {
			break
		}
	}
	return used
}

// replicationID is the master_replid INFO shows: random per start, like
// the run id but distinct from it.
func (e *Engine) replicationID() string {
	f := &e.figures
	f.replIDOnce.Do(func() { f.replID = newRunID() })
	return f.replID
}

// expiredKeys is expired_keys since the last CONFIG RESETSTAT.
func (e *Engine) expiredKeys() int64 {
	if e.Store == nil {
		return 0
	}
	return e.Store.ExpiredKeys() - e.figures.expiredBase.Load()
}

// ResetStats is CONFIG RESETSTAT: it zeroes the command and error
// statistics and the server counters INFO reports. Figures that describe
// state rather than history (connected clients, keys, changes since the
// last save) are kept.
func (e *Engine) ResetStats() {
	s := &e.stats
	s.commands.Store(0)
	s.connections.Store(0)
	s.rejectedConns.Store(0)
	s.netIn.Store(0)
	s.netOut.Store(0)
	s.hits.Store(0)
	s.misses.Store(0)
	s.errorReplies.Store(0)
	s.errMu.Lock()
	s.errors = nil
	s.errMu.Unlock()
	for _, cmd := range e.table {
		cmd.resetStats()
		for _, sc := range cmd.Subs {
			sc.resetStats()
		}
	}
	f := &e.figures
	if e.Store != nil {
		f.expiredBase.Store(e.Store.ExpiredKeys())
	}
	f.peakMemory.Store(0)
	f.mu.Lock()
	f.lastSample = time.Time{}
	f.ops, f.netIn, f.netOut = rateRing{}, rateRing{}, rateRing{}
	f.mu.Unlock()
	resetGCBaseline()
	e.ResetEvictedKeys()
}

func (cmd *Command) resetStats() {
	cmd.calls.Store(0)
	cmd.usec.Store(0)
	cmd.rejected.Store(0)
	cmd.failed.Store(0)
	cmd.lat.Store(nil)
}
