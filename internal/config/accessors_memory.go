package config

// Indexes of the parameters eviction reads besides maxmemory,
// maxmemory-policy and maxmemory-samples (accessors.go).
var (
	idxLFULogFactor  = mustParam("lfu-log-factor")
	idxLFUDecayTime  = mustParam("lfu-decay-time")
	idxEvictTenacity = mustParam("maxmemory-eviction-tenacity")
	idxLazyEviction  = mustParam("lazyfree-lazy-eviction")
	idxLazyExpire    = mustParam("lazyfree-lazy-expire")
	idxLazyServerDel = mustParam("lazyfree-lazy-server-del")
)

// MemoryParams names the parameters whose change alters how the keyspace
// tracks and evicts keys (the command engine's CONFIG SET hooks apply
// them to the store).
func MemoryParams() []string {
	return []string{"maxmemory", "maxmemory-policy", "lfu-log-factor", "lfu-decay-time"}
}

// LFULogFactor is lfu-log-factor: how many accesses it takes to raise an
// LFU counter that is already high (higher: slower growth).
func (c *Config) LFULogFactor() int { return int(c.num(idxLFULogFactor)) }

// LFUDecayTime is lfu-decay-time: the minutes after which an idle key's
// LFU counter loses one; 0 means counters never decay.
func (c *Config) LFUDecayTime() int { return int(c.num(idxLFUDecayTime)) }

// EvictionTenacity is maxmemory-eviction-tenacity (0-100): how long one
// command may spend evicting before the rest is left to the background.
func (c *Config) EvictionTenacity() int { return int(c.num(idxEvictTenacity)) }

// LazyFreeEviction is lazyfree-lazy-eviction. Memory is the collector's
// business here, so all it changes is the record an eviction leaves in
// the AOF: UNLINK instead of DEL, as Redis writes it.
func (c *Config) LazyFreeEviction() bool { return c.num(idxLazyEviction) != 0 }

// LazyFreeExpire is lazyfree-lazy-expire: like LazyFreeEviction, it makes
// a removed expired key's AOF record UNLINK instead of DEL.
func (c *Config) LazyFreeExpire() bool { return c.num(idxLazyExpire) != 0 }

// LazyFreeServerDel is lazyfree-lazy-server-del: a key the server deletes
// as a side effect (RESTORE REPLACE with a past TTL) is journaled as
// UNLINK instead of DEL.
func (c *Config) LazyFreeServerDel() bool { return c.num(idxLazyServerDel) != 0 }
