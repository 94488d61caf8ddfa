package command

import (
	"cairn/internal/acl"
	"cairn/internal/resp"
)

func init() {
	register("ping", cmdPing)
	register("echo", func(c *Ctx) { c.Bulk(c.Args[1]) })
	register("quit", func(c *Ctx) { c.OK(); c.S.CloseAfterReply = true })
	register("select", cmdSelect)
	register("auth", cmdAuth)
	register("hello", cmdHello)
	register("reset", cmdReset)
	register("monitor", cmdMonitor)
}

// Version is the Redis version Cairn reports, for tools that gate
// features on it.
const Version = "7.0.15"

func cmdPing(c *Ctx) {
	switch len(c.Args) {
	case 1:
		c.Out = append(c.Out, "+PONG\r\n"...)
	case 2:
		c.Bulk(c.Args[1])
	default:
		c.Error("ERR wrong number of arguments for 'ping' command")
	}
}

func cmdSelect(c *Ctx) {
	v, ok := c.dbArg(c.Args[1])
	if !ok {
		return
	}
	c.S.SelectDB(v)
	c.OK()
}

// login authenticates the session as user/pass. On failure it logs the
// attempt to ACL LOG (the object is the command name as typed: AUTH or
// HELLO) and replies WRONGPASS.
func (c *Ctx) login(user, pass []byte) bool {
	u := c.E.acl.reg.Authenticate(user, pass)
	if u == nil {
		c.E.aclLog(c, acl.DeniedAuth, string(c.Args[0]), string(user))
		c.Error(errWrongPass)
		return false
	}
	c.S.authenticated(u)
	return true
}

func cmdAuth(c *Ctx) {
	if len(c.Args) > 3 {
		c.Error(errSyntax)
		return
	}
	user, pass := []byte("default"), c.Args[1]
	if len(c.Args) == 3 {
		user, pass = c.Args[1], c.Args[2]
	} else if c.E.acl.reg.Default().Rules().NoPass() {
		c.Error("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?")
		return
	}
	if c.login(user, pass) {
		c.OK()
	}
}

// authenticated records a successful AUTH as u.
func (s *Session) authenticated(u *acl.User) {
	s.Authed = true
	s.acct.Store(u)
	s.mu.Lock()
	s.user = u.Name()
	s.mu.Unlock()
}

func cmdHello(c *Ctx) {
	ver := int64(0)
	next := 1
	if len(c.Args) >= 2 {
		v, ok := resp.ParseInt(c.Args[1])
		if !ok {
			c.Error("ERR Protocol version is not an integer or out of range")
			return
		}
		if v < 2 || v > 3 {
			c.Error("NOPROTO unsupported protocol version")
			return
		}
		ver = v
		next = 2
	}
	var user, pass []byte
	for j := next; j < len(c.Args); j++ {
		more := len(c.Args) - 1 - j
		switch opt := c.Args[j]; {
		case eqFold(opt, "auth") && more >= 2:
			user, pass = c.Args[j+1], c.Args[j+2]
			j += 2
		case eqFold(opt, "setname") && more >= 1:
			// Redis 7.0 names the client as soon as it reads the option,
			// even if a later option or the authentication fails.
			if !validClientName(c.Args[j+1]) {
				c.Error(errClientName)
				return
			}
			c.S.setName(string(c.Args[j+1]))
			j++
		default:
			c.Error("ERR Syntax error in HELLO option '" + cstring(opt) + "'")
			return
		}
	}
	if user != nil && !c.login(user, pass) {
		return
	}
	if !c.S.Authed {
		c.Error("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time")
		return
	}
	if ver != 0 {
		c.S.setProto(int(ver))
	}
	c.Map(7)
	c.BulkString("server")
	c.BulkString("redis")
	c.BulkString("version")
	c.BulkString(Version)
	c.BulkString("proto")
	c.Int(int64(c.S.Proto))
	c.BulkString("id")
	c.Int(c.S.ID)
	c.BulkString("mode")
	c.BulkString("standalone")
	c.BulkString("role")
	c.BulkString("master")
	c.BulkString("modules")
	c.Array(0)
}

func cmdReset(c *Ctx) {
	s := c.S
	if s.Monitor != nil {
		c.E.removeMonitor(s.Monitor)
		s.Monitor.close()
		s.Monitor = nil
		s.mu.Lock()
		s.watching = false
		s.mu.Unlock()
	}
	s.SelectDB(0)
	s.setProto(2)
	s.setName("")
	s.ReplyMode = ReplyOn
	def := c.E.acl.reg.Default()
	s.acct.Store(def)
	s.Authed = authFree(def)
	s.mu.Lock()
	s.user = "default"
	s.noEvict = false
	s.mu.Unlock()
	c.Simple("RESET")
}

func cmdMonitor(c *Ctx) {
	if c.S.Monitor != nil {
		c.OK()
		return
	}
	c.E.addMonitor(c.S)
	c.OK()
}
