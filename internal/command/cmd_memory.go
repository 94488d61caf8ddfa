package command

import (
	"fmt"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"

	"cairn/internal/resp"
	"cairn/internal/store"
)

// MEMORY reports memory as INFO memory counts it (maxmemory.go explains
// used_memory), broken down the way tools that read MEMORY STATS expect,
// and ROLE tells clients that probe for replication that this server is
// a primary without replicas.

func init() {
	register("memory|usage", cmdMemoryUsage)
	register("memory|stats", cmdMemoryStats)
	register("memory|doctor", cmdMemoryDoctor)
	register("memory|malloc-stats", cmdMemoryMallocStats)
	register("memory|purge", func(c *Ctx) {
		debug.FreeOSMemory() // a collection, then free pages go back to the OS
		c.OK()
	})
	register("memory|help", func(c *Ctx) {
		replyHelpLines(c, "MEMORY",
			"DOCTOR",
			"    Describe memory problems the server can see.",
			"MALLOC-STATS",
			"    Show the Go runtime's memory statistics.",
			"PURGE",
			"    Collect garbage and give unused memory back to the operating system.",
			"STATS",
			"    Break the server's memory use down by purpose.",
			"USAGE <key> [SAMPLES <count>]",
			"    Report the bytes <key> and its value take. SAMPLES is accepted for",
			"    compatibility: string values are measured exactly.",
		)
	})
	register("role", func(c *Ctx) {
		c.Array(3)
		c.BulkString("master")
		c.Int(0) // replication offset: nothing is replicated yet
		c.Array(0)
	})
}

// cmdMemoryUsage answers MEMORY USAGE key [SAMPLES count].
func cmdMemoryUsage(c *Ctx) {
	for i := 3; i < len(c.Args); i += 2 {
		if !strings.EqualFold(string(c.Args[i]), "samples") || i+1 >= len(c.Args) {
			c.Error(errSyntax)
			return
		}
		n, ok := resp.ParseInt(c.Args[i+1])
		if !ok {
			c.Error(errNotInt)
			return
		}
		if n < 0 {
			c.Error(errSyntax)
			return
		}
	}
	key := c.Args[2]
	sh, h := c.DB().Shard(key)
	sh.Lock()
	e := sh.Peek(h, key, c.Now)
	if e == nil {
		sh.Unlock()
		c.Null()
		return
	}
	n := store.Usage(e)
	sh.Unlock()
	c.Int(n)
}

// cmdMemoryStats answers MEMORY STATS with Redis's fields in Redis's
// order, filled with Cairn's figures: the ones INFO memory reports, the
// tables of each database that holds keys, and zero for what Cairn does
// not have (replication, cluster links, scripts).
func cmdMemoryStats(c *Ctx) {
	r := c.E.memoryReport()
	keys := 0
	for _, d := range r.dbs {
		keys += d.keys
	}
	net := r.net()
	dataset := r.used - r.overhead
	var perKey int64
	if keys > 0 {
		perKey = net / int64(keys)
	}
	m := r.m

	c.Map(27 + len(r.dbs)) // 10 fields, a map per database, 17 fields
	pairInt := func(name string, v int64) { c.BulkString(name); c.Int(v) }
	pairFloat := func(name string, v float64) { c.BulkString(name); c.Double(v) }
	pairInt("peak.allocated", r.peak)
	pairInt("total.allocated", r.used)
	pairInt("startup.allocated", r.startup)
	pairInt("replication.backlog", 0)
	pairInt("clients.slaves", 0)
	pairInt("clients.normal", 0)
	pairInt("cluster.links", 0)
	pairInt("aof.buffer", 0)
	pairInt("lua.caches", 0)
	pairInt("functions.caches", 0)
	for _, d := range r.dbs {
		c.BulkString("db." + strconv.Itoa(d.index))
		c.Map(3)
		pairInt("overhead.hashtable.main", d.main)
		pairInt("overhead.hashtable.expires", d.expires)
		pairInt("overhead.hashtable.slot-to-keys", 0)
	}
	pairInt("overhead.total", r.overhead)
	pairInt("keys.count", int64(keys))
	pairInt("keys.bytes-per-key", perKey)
	pairInt("dataset.bytes", dataset)
	pairFloat("dataset.percentage", float64(dataset)*100/float64(net))
	pairFloat("peak.percentage", float64(r.used)*100/float64(max(r.peak, 1)))
	pairInt("allocator.allocated", m.heapObjects)
	pairInt("allocator.active", m.heapActive)
	pairInt("allocator.resident", r.resident)
	pairFloat("allocator-fragmentation.ratio", ratio(m.heapActive, m.heapObjects))
	pairInt("allocator-fragmentation.bytes", m.heapActive-m.heapObjects)
	pairFloat("allocator-rss.ratio", ratio(r.resident, m.heapActive))
	pairInt("allocator-rss.bytes", r.resident-m.heapActive)
	pairFloat("rss-overhead.ratio", ratio(r.rss, r.resident))
	pairInt("rss-overhead.bytes", r.rss-r.resident)
	pairFloat("fragmentation", ratio(r.rss, r.used))
	pairInt("fragmentation.bytes", r.rss-r.used)
}

// doctorMinBytes is the memory below which MEMORY DOCTOR has too little
// to judge, as Redis declines to below 5 MB.
const doctorMinBytes = 5 << 20

// cmdMemoryDoctor looks for the problems Redis's doctor reports that
// apply to Cairn: a peak far above the present, RSS far above what is
// used, and a fragmented heap.
func cmdMemoryDoctor(c *Ctx) {
	r := c.E.memoryReport()
	if r.used < doctorMinBytes {
		c.Verbatim("The server uses too little memory to judge: there is nothing to report until it holds some data.\n")
		return
	}
	var found []string
	if r.peak > r.used*3/2 {
		found = append(found, fmt.Sprintf("Peak memory: the server once used %s, more than 1.5 times the %s it uses now. Memory freed since then may stay with the process; MEMORY PURGE returns what the runtime can.",
			bytesHuman(r.peak), bytesHuman(r.used)))
	}
	if fr := ratio(r.rss, r.used); fr > 1.4 && r.rss-r.used > 10<<20 {
		found = append(found, fmt.Sprintf("Resident memory: the process holds %s of RAM for %s in use (ratio %.2f). The Go heap keeps freed memory for reuse until the collector returns it; MEMORY PURGE returns it now.",
			bytesHuman(r.rss), bytesHuman(r.used), fr))
	}
	if af := ratio(r.m.heapActive, r.m.heapObjects); af > 1.3 && r.m.heapActive-r.m.heapObjects > 10<<20 {
		found = append(found, fmt.Sprintf("Heap fragmentation: %.2f of the heap's spans are in use for every byte of live objects.", af))
	}
	if len(found) == 0 {
		c.Verbatim("No memory problem found.\n")
		return
	}
	c.Verbatim("Memory problems found:\n\n * " + strings.Join(found, "\n\n * ") + "\n")
}

// cmdMemoryMallocStats reports the Go runtime's memory classes, the
// allocator statistics Cairn has.
func cmdMemoryMallocStats(c *Ctx) {
	var b strings.Builder
	b.WriteString("Go runtime memory classes (bytes):\n")
	for _, d := range metrics.All() {
		if !strings.HasPrefix(d.Name, "/memory/classes/") || d.Kind != metrics.KindUint64 {
			continue
		}
		s := []metrics.Sample{{Name: d.Name}}
		metrics.Read(s)
		fmt.Fprintf(&b, "%s %d\n", strings.TrimPrefix(d.Name, "/memory/classes/"), s[0].Value.Uint64())
	}
	c.Verbatim(b.String())
}
