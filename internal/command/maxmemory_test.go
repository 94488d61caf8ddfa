package command

import (
	"fmt"
	"math"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"cairn/internal/config"
	"cairn/internal/store"
)

// dbJournal records every effect with its database.
type dbJournal struct{ recs []string }

func (j *dbJournal) Append(db int, args ...[]byte) {
	parts := []string{strconv.Itoa(db)}
	for _, a := range args {
		parts = append(parts, string(a))
	}
	j.recs = append(j.recs, strings.Join(parts, " "))
}

// memTest is an engine with a journal; its garbage collector is off for
// the test, so the memory baseline (which moves only when a collection
// runs) stays put and limits set relative to it are exact.
type memTest struct {
	t   *testing.T
	e   *Engine
	s   *Session
	j   *dbJournal
	now int64
}

func newMemTest(t *testing.T) *memTest {
	t.Helper()
	old := debug.SetGCPercent(-1)
	t.Cleanup(func() { debug.SetGCPercent(old) })
	st := store.New(16)
	now := time.Now().UnixMilli()
	st.SetClockStart(now)
	cfg := config.Default()
	// No time limit on a command's eviction (maxmemory-eviction-tenacity
	// 100): these tests check which keys go, and a race-enabled run can
	// take longer than the default 500 µs. TestEvictionBudgetAndBackground
	// covers the budget.
	if err := cfg.Set("maxmemory-eviction-tenacity", "100"); err != nil {
		t.Fatal(err)
	}
	e := NewEngine(st, cfg)
	j := &dbJournal{}
	e.Journal = j
	s := e.NewSession("127.0.0.1:1", "127.0.0.1:2", -1, 0, func() {})
	return &memTest{t: t, e: e, s: s, j: j, now: now}
}

func (m *memTest) run(args ...string) string {
	c := &Ctx{E: m.e, S: m.s, Now: m.now}
	for _, a := range args {
		c.Args = append(c.Args, []byte(a))
	}
	m.e.Exec(c)
	return string(c.Out)
}

func (m *memTest) must(want string, args ...string) {
	m.t.Helper()
	if got := m.run(args...); got != want {
		m.t.Fatalf("%v: got %q, want %q", args, got, want)
	}
}

// limitAbove sets maxmemory to what is used now plus extra bytes.
func (m *memTest) limitAbove(extra int64) {
	m.t.Helper()
	m.e.sampleBaseline(m.e.mem(), m.now, true)
	limit := m.e.Store.UsedBytes() + extra
	m.must("+OK\r\n", "config", "set", "maxmemory", strconv.FormatInt(limit, 10))
}

// infoField returns one field of INFO's reply.
func (m *memTest) infoField(section, name string) string {
	m.t.Helper()
	for _, l := range strings.Split(m.run("info", section), "\r\n") {
		if v, ok := strings.CutPrefix(l, name+":"); ok {
			return v
		}
	}
	m.t.Fatalf("INFO %s has no %s", section, name)
	return ""
}

const oomReply = "-OOM command not allowed when used memory > 'maxmemory'.\r\n"

func TestNoEvictionRefusesDenyOOMCommands(t *testing.T) {
	m := newMemTest(t)
	m.must("+OK\r\n", "set", "kept", "v")
	m.must("+OK\r\n", "config", "set", "maxmemory", "1")
	m.must(oomReply, "set", "new", "v")
	m.must(oomReply, "append", "kept", "more")
	m.must(oomReply, "incr", "counter")
	m.must("$1\r\nv\r\n", "get", "kept") // reads still run
	m.must(":1\r\n", "exists", "kept")
	m.must("+PONG\r\n", "ping")
	m.must(":1\r\n", "del", "kept") // DEL has no denyoom flag
	if got := m.infoField("stats", "evicted_keys"); got != "0" {
		t.Fatalf("noeviction evicted %s keys", got)
	}
	if !strings.Contains(m.run("info", "commandstats"), "cmdstat_set:calls=1,") ||
		!strings.Contains(m.run("info", "commandstats"), "rejected_calls=1") {
		t.Fatalf("rejected SET not counted: %s", m.run("info", "commandstats"))
	}
	m.must("+OK\r\n", "config", "set", "maxmemory", "0")
	m.must("+OK\r\n", "set", "new", "v")
}

func TestEvictionIsJournaledAsDEL(t *testing.T) {
	m := newMemTest(t)
	m.must("+OK\r\n", "config", "set", "maxmemory-policy", "allkeys-random")
	m.must("+OK\r\n", "select", "3")
	for i := range 100 {
		m.run("set", fmt.Sprint("key:", i), strings.Repeat("x", 100))
	}
	m.limitAbove(-3000) // a few thousand bytes too many
	m.j.recs = nil
	m.must("+OK\r\n", "set", "one", "more") // evicts first, then runs
	var dels int
	for _, r := range m.j.recs {
		if strings.HasPrefix(r, "3 DEL key:") {
			dels++
		} else if r != "3 SET one more" {
			t.Fatalf("unexpected record %q in %q", r, m.j.recs)
		}
	}
	if dels < 10 || dels > 40 {
		t.Fatalf("%d DELs for about 3000 bytes over: %q", dels, m.j.recs)
	}
	if got := m.infoField("stats", "evicted_keys"); got != strconv.Itoa(dels) {
		t.Fatalf("evicted_keys %s, journal has %d DELs", got, dels)
	}
	if n := m.e.Store.DB(3).Len(); n != 101-dels {
		t.Fatalf("db 3 holds %d keys after %d evictions", n, dels)
	}
	m.e.ResetEvictedKeys()
	if got := m.infoField("stats", "evicted_keys"); got != "0" {
		t.Fatalf("evicted_keys after reset %s", got)
	}
}

// Under lazyfree-lazy-eviction Redis journals each eviction as UNLINK.
func TestLazyEvictionIsJournaledAsUNLINK(t *testing.T) {
	m := newMemTest(t)
	m.must("+OK\r\n", "config", "set", "maxmemory-policy", "allkeys-random", "lazyfree-lazy-eviction", "yes")
	for i := range 100 {
		m.run("set", fmt.Sprint("key:", i), strings.Repeat("x", 100))
	}
	m.limitAbove(-3000)
	m.j.recs = nil
	m.must("+OK\r\n", "set", "one", "more")
	unlinks := 0
	for _, r := range m.j.recs {
		if strings.HasPrefix(r, "0 UNLINK key:") {
			unlinks++
		} else if r != "0 SET one more" {
			t.Fatalf("unexpected record %q in %q", r, m.j.recs)
		}
	}
	if unlinks == 0 || m.infoField("stats", "evicted_keys") != strconv.Itoa(unlinks) {
		t.Fatalf("%d UNLINKs, evicted_keys %s: %q", unlinks, m.infoField("stats", "evicted_keys"), m.j.recs)
	}
}

func TestVolatilePolicyRefusesWhenNothingVolatile(t *testing.T) {
	for _, policy := range []string{"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"} {
		t.Run(policy, func(t *testing.T) {
			m := newMemTest(t)
			m.must("+OK\r\n", "config", "set", "maxmemory-policy", policy)
			for i := range 50 {
				m.run("set", fmt.Sprint("plain:", i), strings.Repeat("p", 64))
			}
			for i := range 5 {
				m.run("set", fmt.Sprint("ttl:", i), strings.Repeat("t", 64), "ex", "1000")
			}
			m.limitAbove(-100000) // far more over than the volatile keys hold
			m.must(oomReply, "set", "x", "y")
			if n := m.e.Store.DB(0).Len(); n != 50 {
				t.Fatalf("%d keys left, want the 50 without TTL", n)
			}
			if got := m.infoField("stats", "evicted_keys"); got != "5" {
				t.Fatalf("evicted_keys %s, want 5", got)
			}
		})
	}
}

func TestObjectFreqFollowsPolicy(t *testing.T) {
	m := newMemTest(t)
	m.must("+OK\r\n", "set", "k", "hello")
	m.must("-ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n", "object", "freq", "k")
	m.must("+OK\r\n", "config", "set", "maxmemory-policy", "allkeys-lfu")
	m.must("+OK\r\n", "set", "fresh", "hello")
	m.must(":5\r\n", "object", "freq", "fresh")
	for range 200 {
		m.run("get", "fresh")
	}
	f, _ := strconv.Atoi(strings.Trim(m.run("object", "freq", "fresh"), ":\r\n"))
	if f <= 5 || f > 30 {
		t.Fatalf("freq after 200 reads %d", f)
	}
	m.must("-ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n", "object", "idletime", "fresh")
	m.must("$-1\r\n", "object", "freq", "missing")
	m.must("+OK\r\n", "config", "set", "lfu-log-factor", "0")
	before := f
	for range 20 {
		m.run("get", "fresh")
	}
	if f, _ = strconv.Atoi(strings.Trim(m.run("object", "freq", "fresh"), ":\r\n")); f != before+20 {
		t.Fatalf("with lfu-log-factor 0, 20 reads took freq from %d to %d", before, f)
	}
}

func TestInfoMemoryFigures(t *testing.T) {
	m := newMemTest(t)
	m.must("+OK\r\n", "config", "set", "maxmemory", "100mb", "maxmemory-policy", "volatile-ttl")
	if got := m.infoField("memory", "maxmemory"); got != "104857600" {
		t.Fatalf("maxmemory %s", got)
	}
	if got := m.infoField("memory", "maxmemory_policy"); got != "volatile-ttl" {
		t.Fatalf("maxmemory_policy %s", got)
	}
	used0, _ := strconv.ParseInt(m.infoField("memory", "used_memory"), 10, 64)
	for i := range 1000 {
		m.run("set", fmt.Sprint("key:", i), strings.Repeat("v", 200))
	}
	used1, _ := strconv.ParseInt(m.infoField("memory", "used_memory"), 10, 64)
	// 1000 entries of 64 B + a 208 B buffer each, plus the tables.
	if d := used1 - used0; d < 1000*(64+208) || d > 1000*(64+208+64) {
		t.Fatalf("1000 keys of 200 bytes moved used_memory by %d", d)
	}
	if rss, _ := strconv.ParseInt(m.infoField("memory", "used_memory_rss"), 10, 64); rss <= 0 {
		t.Fatalf("used_memory_rss %d", rss)
	}
}

// Without a limit the check is one load and allocates nothing; with one
// that is not reached it still allocates nothing.
func TestMemoryCheckNoAllocs(t *testing.T) {
	m := newMemTest(t)
	c := &Ctx{E: m.e, S: m.s, Now: m.now, Args: [][]byte{[]byte("set"), []byte("k"), []byte("v")}}
	cmd := m.e.Lookup("set")
	if n := testing.AllocsPerRun(1000, func() { m.e.memoryAllows(c, cmd) }); n != 0 {
		t.Fatalf("memoryAllows without a limit: %v allocs", n)
	}
	m.must("+OK\r\n", "config", "set", "maxmemory", "1gb")
	if n := testing.AllocsPerRun(1000, func() { m.e.memoryAllows(c, cmd) }); n != 0 {
		t.Fatalf("memoryAllows under the limit: %v allocs", n)
	}
}

func TestConfigSetMaxmemoryTakesEffectAtOnce(t *testing.T) {
	m := newMemTest(t)
	for i := range 200 {
		m.run("set", fmt.Sprint("key:", i), strings.Repeat("v", 100))
	}
	m.must("+OK\r\n", "config", "set", "maxmemory-policy", "allkeys-lru")
	m.limitAbove(-10000)
	m.must("+PONG\r\n", "ping") // even a read-only command evicts first
	if used := m.e.Store.UsedBytes(); used > m.e.Config.MaxMemory() {
		t.Fatalf("still over the limit: %d > %d", used, m.e.Config.MaxMemory())
	}
	if n := m.e.Store.DB(0).Len(); n >= 200 || n < 100 {
		t.Fatalf("%d keys left", n)
	}
	if !m.e.Store.Tracking() {
		t.Fatal("store not tracking with a limit set")
	}
	m.must("+OK\r\n", "config", "set", "maxmemory", "0")
	if m.e.Store.Tracking() {
		t.Fatal("store still tracking without a limit")
	}
}

// A command evicts only for its time budget (maxmemory-eviction-tenacity);
// out of time, it still runs, and the cron works off the rest.
func TestEvictionBudgetAndBackground(t *testing.T) {
	m := newMemTest(t)
	for i := range 3000 {
		m.run("set", fmt.Sprint("key:", i), strings.Repeat("v", 200))
	}
	m.must("+OK\r\n", "config", "set", "maxmemory-policy", "allkeys-random")
	m.must("+OK\r\n", "config", "set", "maxmemory-eviction-tenacity", "0") // stop after 16 keys
	m.limitAbove(-400_000)
	m.must("+OK\r\n", "set", "fresh", "v") // not OOM: eviction is still running
	if n := m.e.Store.DB(0).Len(); n < 3000-32 {
		t.Fatalf("one command evicted %d keys with a zero budget", 3001-n)
	}
	if !m.e.mem().behind.Load() {
		t.Fatal("eviction not left to the background")
	}
	now := time.Now()
	for i := 0; m.e.Store.UsedBytes() > m.e.Config.MaxMemory(); i++ {
		if i > 100 {
			t.Fatalf("background eviction did not get under the limit: %d > %d", m.e.Store.UsedBytes(), m.e.Config.MaxMemory())
		}
		now = now.Add(200 * time.Millisecond)
		m.e.EvictInBackground(now)
	}
	if m.e.mem().behind.Load() {
		t.Fatal("still marked behind once under the limit")
	}
	if got := len(m.j.recs); got < 100 {
		t.Fatalf("%d DEL records journaled, want one per evicted key", got)
	}
}

func TestEvictionBudgetFromTenacity(t *testing.T) {
	for ten, want := range map[int]time.Duration{0: 0, 1: 50 * time.Microsecond, 10: 500 * time.Microsecond, 11: 575 * time.Microsecond, 100: math.MaxInt64} {
		if got := evictionBudget(ten); got != want {
			t.Errorf("tenacity %d: %v, want %v", ten, got, want)
		}
	}
}
