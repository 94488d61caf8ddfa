package command

import (
	"math"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"

	"cairn/internal/config"
	"cairn/internal/store"
)

// What used_memory means for Cairn.
//
// Redis reports the bytes its allocator handed out. Go has no such
// counter that drops the moment a key is freed (the heap keeps garbage
// until the next collection), and evicting against such a figure would
// evict far too much. So Cairn's used_memory is two parts:
//
//   - the keyspace, accounted exactly by the store as keys change: each
//     entry's struct and buffer at their Go size class, and the tables;
//   - a baseline for everything else (connections, buffers, the runtime's
//     own live objects): the live heap the garbage collector found at its
//     last cycle minus the keyspace at that moment (that part changes only
//     when a new collection has run), plus the goroutine stacks
//     (runtimeOverheadMetrics). It is resampled at most every
//     100 ms (baselineInterval).
//
// maxmemory is compared with the sum before every command, which is one
// atomic load while a limit is set (the store's TrackMemory counter).

// errOOM is Redis's reply to a denyoom command while over maxmemory.
const errOOM = "OOM command not allowed when used memory > 'maxmemory'."

// baselineInterval is how often, at most, the baseline is resampled (ms).
const baselineInterval = 100

// memoryState is the engine's eviction bookkeeping (Engine.memory).
type memoryState struct {
	watch sync.Once

	lastSample atomic.Int64 // ms (command time) of the last baseline sample
	sampleMu   sync.Mutex   // guards what follows
	samples    []metrics.Sample
	lastCycles uint64
	lastKeys   int64 // keyspace bytes at the previous sample
	heapOther  int64 // live heap outside the keyspace at the last collection

	evictedBase atomic.Int64 // Store.EvictedKeys at the last CONFIG RESETSTAT
	behind      atomic.Bool  // a command ran out of eviction time; cron continues
}

// mem returns the engine's memory state, installing the CONFIG SET hooks
// and applying the current settings the first time (NewEngine does it).
func (e *Engine) mem() *memoryState {
	m := &e.memory
	m.watch.Do(func() { e.watchMemoryConfig() })
	return m
}

func (e *Engine) watchMemoryConfig() {
	if e.Config == nil || e.Store == nil {
		return
	}
	for _, name := range config.MemoryParams() {
		e.Config.OnChange(name, func(string) error {
			e.applyMemoryConfig()
			return nil
		})
	}
	e.applyMemoryConfig()
}

// applyMemoryConfig tells the store whether to count LFU accesses and
// whether to keep its O(1) byte counter (only worth its cost with a
// limit to check).
func (e *Engine) applyMemoryConfig() {
	cfg, st := e.Config, e.Store
	p, _ := store.ParsePolicy(cfg.MaxMemoryPolicy())
	st.SetLFU(p.LFU(), cfg.LFULogFactor(), cfg.LFUDecayTime())
	st.TrackMemory(cfg.MaxMemory() > 0)
}

// memoryAllows runs eviction when maxmemory is set and reports whether
// cmd may run, replying with the OOM error when it may not. Without a
// limit it is one atomic load.
func (e *Engine) memoryAllows(c *Ctx, cmd *Command) bool {
	if e.Config == nil {
		return true
	}
	limit := e.Config.MaxMemory()
	if limit == 0 {
		return true
	}
	return e.enforceMemory(c, cmd, limit)
}

// enforceMemory evicts while the server is over limit, as Redis does
// before any command, and refuses a denyoom command when eviction could
// not bring it under.
func (e *Engine) enforceMemory(c *Ctx, cmd *Command, limit int64) bool {
	m := e.mem()
	st := e.Store
	if !st.Tracking() { // CONFIG SET hooks normally see to this
		e.applyMemoryConfig()
	}
	e.sampleBaseline(m, c.Now, false)
	if st.UsedBytes() <= limit {
		return true
	}
	switch e.evict(c, limit, evictionBudget(e.Config.EvictionTenacity())) {
	case evictedEnough:
		return true
	case evictionRunning:
		// Out of time, not out of keys: the command runs, as in Redis,
		// and the cron goes on evicting (EvictInBackground).
		m.behind.Store(true)
		return true
	}
	if cmd.has(flagDenyOOM) {
		e.reject(c, cmd, errOOM)
		return false
	}
	return true
}

// Outcomes of one eviction pass.
const (
	evictedEnough   = iota // under the limit now
	evictionRunning        // the time budget ran out first
	nothingToEvict         // over the limit with no key the policy may take
)

// evict removes keys by policy until memory is under limit or budget
// passes. Each eviction is journaled through c as DEL, or as UNLINK
// under lazyfree-lazy-eviction.
func (e *Engine) evict(c *Ctx, limit int64, budget time.Duration) int {
	st := e.Store
	p, _ := store.ParsePolicy(e.Config.MaxMemoryPolicy())
	samples := e.Config.MaxMemorySamples()
	verb := DeletionVerb(e.Config.LazyFreeEviction())
	onEvict := func(db int, key []byte) { c.Propagate(db, verb, key) }
	var start time.Time
	for n := 1; st.UsedBytes() > limit; n++ {
		if _, ok := st.Evict(p, samples, c.Now, onEvict); !ok {
			return nothingToEvict
		}
		// The clock is read every 16 keys (one eviction takes about a
		// µs), starting after the first 16: most commands evict a key or
		// two and never read it.
		if n%16 == 0 {
			if start.IsZero() {
				start = time.Now()
			} else if time.Since(start) > budget {
				return evictionRunning
			}
		}
	}
	return evictedEnough
}

// evictionBudget is how long one command may evict, from
// maxmemory-eviction-tenacity the way Redis derives it: 50 µs per step up
// to 10 (500 µs by default), then 15% more per step, unlimited at 100.
func evictionBudget(tenacity int) time.Duration {
	switch {
	case tenacity <= 10:
		return time.Duration(50*tenacity) * time.Microsecond
	case tenacity >= 100:
		return math.MaxInt64
	}
	return time.Duration(500*math.Pow(1.15, float64(tenacity-10))) * time.Microsecond
}

// backgroundBudget bounds the cron's eviction per tick, so that a big drop
// of maxmemory is worked off in steps rather than in one stall.
const backgroundBudget = 20 * time.Millisecond

// EvictInBackground continues eviction a command ran out of time for, or
// starts it after CONFIG SET lowered maxmemory, from the cron. Evictions
// are journaled like the others.
func (e *Engine) EvictInBackground(now time.Time) {
	limit := e.Config.MaxMemory()
	if limit == 0 || e.Store == nil {
		return
	}
	m := e.mem()
	e.sampleBaseline(m, now.UnixMilli(), false)
	if e.Store.UsedBytes() <= limit {
		m.behind.Store(false)
		return
	}
	c := &Ctx{E: e, S: &Session{Authed: true, Proto: 2}, Now: now.UnixMilli()}
	if e.evict(c, limit, backgroundBudget) != evictionRunning {
		m.behind.Store(false)
	}
}

// sampleBaseline refreshes the store's baseline from the runtime's
// figures, at most every baselineInterval ms unless force.
func (e *Engine) sampleBaseline(m *memoryState, now int64, force bool) {
	last := m.lastSample.Load()
	if !force && now-last < baselineInterval && now >= last {
		return
	}
	if !m.lastSample.CompareAndSwap(last, now) && !force {
		return // another connection is sampling
	}
	m.sampleMu.Lock()
	defer m.sampleMu.Unlock()
	if m.samples == nil {
		m.samples = make([]metrics.Sample, 2+len(runtimeOverheadMetrics))
		m.samples[0].Name = "/gc/heap/live:bytes"
		m.samples[1].Name = "/gc/cycles/total:gc-cycles"
		for i, name := range runtimeOverheadMetrics {
			m.samples[2+i].Name = name
		}
	}
	metrics.Read(m.samples)
	for _, s := range m.samples {
		if s.Value.Kind() != metrics.KindUint64 {
			return // a metric this runtime lacks: keep the old baseline
		}
	}
	live, cycles := int64(m.samples[0].Value.Uint64()), m.samples[1].Value.Uint64()
	var overhead int64
	for _, s := range m.samples[2:] {
		overhead += int64(s.Value.Uint64())
	}
	keys := e.Store.KeyspaceBytes()
	if cycles != m.lastCycles {
		// The collection ran between the previous sample and this one;
		// the larger keyspace of the two errs towards a smaller
		// baseline, so a burst of writes cannot inflate it into
		// evictions.
		m.heapOther = max(live-max(keys, m.lastKeys), 0)
		m.lastCycles = cycles
	}
	m.lastKeys = keys
	e.Store.SetBaseline(m.heapOther + overhead)
}

// runtimeOverheadMetrics are memory the server's own structures take
// outside heap objects: goroutine stacks (connections, loops, the
// syncer). Redis's used_memory counts its client and server structures
// too, so it is never near zero. The allocator's and collector's metadata
// are left out, as Redis leaves out its allocator's: they move in steps of
// tens of KB as the heap grows and would blur the keyspace's exact count.
var runtimeOverheadMetrics = []string{
	"/memory/classes/heap/stacks:bytes",
	"/memory/classes/os-stacks:bytes",
}

// usedMemory is used_memory: fresh baseline plus the keyspace.
func (e *Engine) usedMemory(now int64) int64 {
	if e.Store == nil {
		return e.readMemory().heapObjects
	}
	e.sampleBaseline(e.mem(), now, true)
	return e.Store.UsedBytes()
}

// evictedKeys is evicted_keys since the last CONFIG RESETSTAT.
func (e *Engine) evictedKeys() int64 {
	if e.Store == nil {
		return 0
	}
	return e.Store.EvictedKeys() - e.mem().evictedBase.Load()
}

// ResetEvictedKeys restarts evicted_keys (CONFIG RESETSTAT).
func (e *Engine) ResetEvictedKeys() {
	if e.Store != nil {
		e.mem().evictedBase.Store(e.Store.EvictedKeys())
	}
}
