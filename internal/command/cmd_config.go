package command

import (
	"net"
	"strings"
)

// CONFIG GET / SET / RESETSTAT / REWRITE / HELP. The parameter table, its
// validation and its error texts live in the config package; these
// handlers only shape the replies.

func init() {
	register("config|get", cmdConfigGet)
	register("config|set", cmdConfigSet)
	register("config|resetstat", cmdConfigResetStat)
	register("config|rewrite", cmdConfigRewrite)
	register("config|help", cmdConfigHelp)
}

// cmdConfigGet answers a map of every parameter matching any pattern.
func cmdConfigGet(c *Ctx) {
	patterns := make([]string, len(c.Args)-2)
	for i, a := range c.Args[2:] {
		patterns[i] = string(a)
	}
	pairs := c.E.Config.Get(patterns...)
	c.Map(len(pairs))
	for _, p := range pairs {
		c.BulkString(p[0])
		c.BulkString(p[1])
	}
}

// cmdConfigSet applies name/value pairs all or nothing. Protected
// parameters are allowed from local connections when
// enable-protected-configs is "local", hence the two entry points.
func cmdConfigSet(c *Ctx) {
	pairs := make([]string, len(c.Args)-2)
	for i, a := range c.Args[2:] {
		pairs[i] = string(a)
	}
	var err error
	if isLocalAddr(c.S.Addr) {
		err = c.E.Config.SetLocal(pairs...)
	} else {
		err = c.E.Config.Set(pairs...)
	}
	if err != nil {
		c.Error("ERR " + err.Error())
		return
	}
	c.OK()
}

// isLocalAddr reports whether a client address is a loopback address or
// a unix socket (an address without a host:port form).
func isLocalAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || strings.HasPrefix(addr, "/") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func cmdConfigResetStat(c *Ctx) {
	c.E.ResetStats()
	c.OK()
}

func cmdConfigRewrite(c *Ctx) {
	if err := c.E.Config.Rewrite(); err != nil {
		c.Error("ERR " + err.Error())
		return
	}
	c.OK()
}

func cmdConfigHelp(c *Ctx) {
	replyHelpLines(c, "CONFIG",
		"GET <pattern>",
		"    List the parameters whose names match the glob-style <pattern>,",
		"    with their values.",
		"SET <directive> <value>",
		"    Change a parameter; several directive/value pairs change",
		"    together or not at all.",
		"RESETSTAT",
		"    Zero the statistics INFO reports.",
		"REWRITE",
		"    Write the current parameters back to the configuration file.",
	)
}
