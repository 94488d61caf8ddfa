package command

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"cairn/internal/rdb"
	"cairn/internal/resp"
)

// Commands of Redis features a standalone Cairn does not run — cluster
// mode, modules, replication failover, client-side caching, DEBUG — answer
// as a standalone redis-server 7.0 in its default configuration answers
// them: cluster-aware clients and tools probe CLUSTER and READONLY to
// learn the server's mode, and dashboards call MODULE LIST and CLIENT
// TRACKINGINFO, so "unknown command" would mislead them. Every reply here
// is true of Cairn: no cluster, no modules, no replicas, no tracking, no
// blocked clients.

func init() {
	for _, sub := range []string{"addslots", "addslotsrange", "bumpepoch", "count-failure-reports",
		"countkeysinslot", "delslots", "delslotsrange", "failover", "flushslots", "forget",
		"getkeysinslot", "help", "info", "keyslot", "links", "meet", "myid", "nodes", "replicas",
		"replicate", "reset", "saveconfig", "set-config-epoch", "setslot", "shards", "slaves", "slots"} {
		register("cluster|"+sub, clusterDisabled)
	}
	register("readonly", clusterDisabled)
	register("readwrite", clusterDisabled)
	register("asking", clusterDisabled)

	register("module|list", func(c *Ctx) { c.Array(0) })
	register("module|load", cmdModuleChange)
	register("module|loadex", cmdModuleChange)
	register("module|unload", cmdModuleChange)
	register("module|help", func(c *Ctx) {
		replyHelpLines(c, "MODULE",
			"LIST",
			"    List the loaded modules (Cairn loads none).",
			"LOAD <path> [<arg> ...]",
			"    Load a module; Cairn cannot load Redis modules.",
			"LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]",
			"    Load a module with configuration; Cairn cannot load Redis modules.",
			"UNLOAD <name>",
			"    Unload a module.",
		)
	})

	register("failover", cmdFailover)

	register("client|unblock", cmdClientUnblock)
	register("client|getredir", func(c *Ctx) { c.Int(-1) }) // tracking is off
	register("client|trackinginfo", func(c *Ctx) {
		c.Map(3)
		c.BulkString("flags")
		c.Set(1)
		c.BulkString("off")
		c.BulkString("redirect")
		c.Int(-1)
		c.BulkString("prefixes")
		c.Array(0)
	})
	register("client|caching", func(c *Ctx) {
		c.Error("ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled")
	})

	register("debug", cmdDebug)
}

func clusterDisabled(c *Ctx) { c.Error("ERR This instance has cluster support disabled") }

// protectedAllowed applies enable-debug-command / enable-module-command:
// "yes" allows everyone, "local" loopback and unix-socket clients only.
func protectedAllowed(c *Ctx, setting string) bool {
	switch setting {
	case "yes":
		return true
	case "local":
		return isLocalAddr(c.S.Addr)
	}
	return false
}

func protectedRefusal(name, option string) string {
	return "ERR " + name + " command not allowed. If the " + option + " option is set to \"local\", " +
		"you can run it from a local connection, otherwise you need to set this option in the " +
		"configuration file, and then restart the server."
}

func configValue(c *Ctx, name string) string {
	if c.E.Config == nil {
		return "no"
	}
	v, _ := c.E.Config.Value(name)
	return v
}

// cmdModuleChange answers MODULE LOAD, LOADEX and UNLOAD: refused as
// Redis refuses them by default, and when allowed, failing as Redis fails
// on a module it cannot load or does not have.
func cmdModuleChange(c *Ctx) {
	if !protectedAllowed(c, configValue(c, "enable-module-command")) {
		c.Error(protectedRefusal("MODULE", "enable-module-command"))
		return
	}
	if strings.EqualFold(c.cmd.Name, "unload") {
		c.Error("ERR Error unloading module: no such module with that name")
		return
	}
	// Redis's reply sends the operator to its log; there is nothing more
	// to say than that Redis modules are C code for Redis's own ABI.
	c.Error("ERR Error loading the extension: Cairn cannot load Redis modules.")
}

// cmdFailover checks FAILOVER's arguments in Redis's order; with valid
// ones it fails as a primary without replicas does.
func cmdFailover(c *Ctx) {
	if len(c.Args) == 2 && strings.EqualFold(string(c.Args[1]), "abort") {
		c.Error("ERR No failover in progress.")
		return
	}
	var timeout int64
	var host, force bool
	for j := 1; j < len(c.Args); j++ {
		switch opt := string(c.Args[j]); {
		case strings.EqualFold(opt, "timeout") && j+1 < len(c.Args) && timeout == 0:
			n, ok := resp.ParseInt(c.Args[j+1])
			if !ok {
				c.Error(errNotInt)
				return
			}
			if n <= 0 {
				c.Error("ERR FAILOVER timeout must be greater than 0")
				return
			}
			timeout = n
			j++
		case strings.EqualFold(opt, "to") && j+2 < len(c.Args) && !host:
			if _, ok := resp.ParseInt(c.Args[j+2]); !ok {
				c.Error(errNotInt)
				return
			}
			host = true
			j += 2
		case strings.EqualFold(opt, "force") && !force:
			force = true
		default:
			c.Error(errSyntax)
			return
		}
	}
	c.Error("ERR FAILOVER requires connected replicas.")
}

// cmdClientUnblock answers CLIENT UNBLOCK id [TIMEOUT|ERROR]: no Cairn
// command blocks, so no client is ever unblocked.
func cmdClientUnblock(c *Ctx) {
	if _, ok := resp.ParseInt(c.Args[2]); !ok {
		c.Error(errNotInt)
		return
	}
	if len(c.Args) == 4 {
		r := string(c.Args[3])
		if !strings.EqualFold(r, "timeout") && !strings.EqualFold(r, "error") {
			c.Error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR")
			return
		}
	}
	c.Int(0)
}

// cmdDebug is refused by default (enable-debug-command no), as in Redis.
// Where it is enabled, Cairn has HELP, SLEEP and OBJECT.
func cmdDebug(c *Ctx) {
	if !protectedAllowed(c, configValue(c, "enable-debug-command")) {
		c.Error(protectedRefusal("DEBUG", "enable-debug-command"))
		return
	}
	sub := strings.ToLower(string(c.Args[1]))
	switch {
	case sub == "help" && len(c.Args) == 2:
		replyHelpLines(c, "DEBUG",
			"OBJECT <key>",
			"    Show low-level details of the value stored at <key>.",
			"SLEEP <seconds>",
			"    Stop serving this connection's event loop for <seconds> (may be fractional).",
		)
	case sub == "sleep" && len(c.Args) == 3:
		secs, err := strconv.ParseFloat(string(c.Args[2]), 64)
		if err != nil || !(secs >= 0) || math.IsInf(secs, 1) { // also NaN
			c.Error(errNotFloat)
			return
		}
		time.Sleep(time.Duration(secs * float64(time.Second)))
		c.OK()
	case sub == "object" && len(c.Args) == 3:
		debugObject(c, c.Args[2])
	default:
		c.Error(fmt.Sprintf("ERR unknown subcommand or wrong number of arguments for '%s'. Try DEBUG HELP.", c.Args[1]))
	}
}

func debugObject(c *Ctx, key []byte) {
	sh, h := c.DB().Shard(key)
	sh.Lock()
	e := sh.Peek(h, key, c.Now)
	if e == nil {
		sh.Unlock()
		c.Error(errNoSuchKey)
		return
	}
	line := fmt.Sprintf("Value at:%p refcount:1 encoding:%s serializedlength:%d lru:%d lru_seconds_idle:%d",
		e, encodingName(e), rdb.StringLen(e.Value()), e.AccessClock(), c.E.Store.IdleSeconds(e, c.Now))
	sh.Unlock()
	c.Simple(line)
}
