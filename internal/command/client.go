package command

import (
	"sort"
	"strconv"
	"strings"

	"cairn/internal/resp"
)

func init() {
	register("client|id", func(c *Ctx) { c.Int(c.S.ID) })
	register("client|getname", cmdClientGetName)
	register("client|setname", cmdClientSetName)
	register("client|setinfo", cmdClientSetInfo)
	register("client|list", cmdClientList)
	register("client|info", func(c *Ctx) { c.Verbatim(c.E.clientLine(c.S, c.Now) + "\n") })
	register("client|kill", cmdClientKill)
	register("client|no-evict", cmdClientNoEvict)
	register("client|reply", cmdClientReply)
	register("client|help", func(c *Ctx) {
		replyHelpLines(c, "CLIENT",
			"GETNAME",
			"    The name of this connection, or nil.",
			"ID",
			"    The numeric ID of this connection.",
			"INFO",
			"    One CLIENT LIST line for this connection.",
			"KILL <ip:port>",
			"    Close the connection from <ip:port>.",
			"KILL <option> <value> [<option> <value> [...]]",
			"    Close every connection matching all the filters: ID <id>, ADDR <ip:port>,",
			"    LADDR <ip:port>, TYPE (NORMAL|MASTER|REPLICA|PUBSUB), USER <name>,",
			"    SKIPME (YES|NO) (default yes: never this connection).",
			"LIST [TYPE (NORMAL|MASTER|REPLICA|PUBSUB)] [ID <id> [<id> ...]]",
			"    Describe the connected clients, one line each.",
			"NO-EVICT (ON|OFF)",
			"    Exempt this connection from client eviction, or not.",
			"REPLY (ON|OFF|SKIP)",
			"    Turn replies to this connection on or off, or drop just the next one.",
			"SETINFO (LIB-NAME|LIB-VER) <value>",
			"    Record the client library's name or version.",
			"SETNAME <name>",
			"    Name this connection.",
		)
	})
}

const errClientName = "ERR Client names cannot contain spaces, newlines or special characters."

// validClientName accepts printable ASCII without spaces, as Redis does.
func validClientName(b []byte) bool {
	for _, ch := range b {
		if ch < '!' || ch > '~' {
			return false
		}
	}
	return true
}

func cmdClientGetName(c *Ctx) {
	if n := c.S.Name(); n != "" {
		c.BulkString(n)
	} else {
		c.Null()
	}
}

func cmdClientSetName(c *Ctx) {
	if !validClientName(c.Args[2]) {
		c.Error(errClientName)
		return
	}
	c.S.setName(string(c.Args[2]))
	c.OK()
}

func cmdClientSetInfo(c *Ctx) {
	attr, val := c.Args[2], c.Args[3]
	var dst *string
	switch {
	case eqFold(attr, "lib-name"):
		dst = &c.S.libName
	case eqFold(attr, "lib-ver"):
		dst = &c.S.libVer
	default:
		c.Error("ERR Unrecognized option '" + cstring(attr) + "'")
		return
	}
	if !validClientName(val) {
		c.Error("ERR " + strings.ToLower(string(attr)) + " cannot contain spaces, newlines or special characters.")
		return
	}
	c.S.mu.Lock()
	*dst = string(val)
	c.S.mu.Unlock()
	c.OK()
}

func cmdClientNoEvict(c *Ctx) {
	a := c.Args[2]
	switch {
	case eqFold(a, "on"), eqFold(a, "off"):
		c.S.mu.Lock()
		c.S.noEvict = eqFold(a, "on")
		c.S.mu.Unlock()
		c.OK()
	default:
		c.Error(errSyntax)
	}
}

func cmdClientReply(c *Ctx) {
	a := c.Args[2]
	switch {
	case eqFold(a, "on"):
		c.S.ReplyMode = ReplyOn
		c.OK()
	case eqFold(a, "off"):
		c.S.ReplyMode = ReplyOff
	case eqFold(a, "skip"):
		if c.S.ReplyMode != ReplyOff {
			c.S.ReplyMode = replySkipThis
		}
	default:
		c.Error(errSyntax)
	}
}

func sortSessions(list []*Session) {
	sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
}

// clientType is the TYPE a session matches in CLIENT LIST / KILL; until
// replication and pub/sub exist every client is a normal one.
func clientType(*Session) string { return "normal" }

func validClientType(b []byte) bool {
	return eqFold(b, "normal") || eqFold(b, "master") || eqFold(b, "replica") || eqFold(b, "slave") || eqFold(b, "pubsub")
}

func cmdClientList(c *Ctx) {
	// Redis 7.0 takes one filter: TYPE t, or ID id [id ...].
	var typ []byte
	var ids []int64
	switch {
	case len(c.Args) == 2:
	case len(c.Args) == 4 && eqFold(c.Args[2], "type"):
		typ = c.Args[3]
		if !validClientType(typ) {
			c.Error("ERR Unknown client type '" + cstring(typ) + "'")
			return
		}
	case len(c.Args) >= 4 && eqFold(c.Args[2], "id"):
		for _, a := range c.Args[3:] {
			id, ok := resp.ParseInt(a)
			if !ok || id <= 0 {
				c.Error("ERR Invalid client ID")
				return
			}
			ids = append(ids, id)
		}
	default:
		c.Error(errSyntax)
		return
	}
	var b strings.Builder
	for _, s := range c.E.sessions() {
		if typ != nil && !eqFold(typ, clientType(s)) {
			continue
		}
		if ids != nil && !containsID(ids, s.ID) {
			continue
		}
		b.WriteString(c.E.clientLine(s, c.Now))
		b.WriteByte('\n')
	}
	c.Verbatim(b.String())
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// clientLine formats one CLIENT LIST line with Redis 7.0's fields. Memory
// figures are Cairn's own buffers.
func (e *Engine) clientLine(s *Session, now int64) string {
	s.mu.Lock()
	name, user, db, proto, noEvict, watching := s.name, s.user, s.pubDB, s.pubProto, s.noEvict, s.watching
	s.mu.Unlock()
	flags := "N"
	if watching {
		flags = "O"
	}
	if noEvict {
		flags += "e"
	}
	cmd := "NULL"
	if lc := s.lastCmd.Load(); lc != nil {
		cmd = lc.FullName
	}
	qbuf := s.QueryBuf.Load()
	omem := s.OutBuf.Load()
	b := make([]byte, 0, 256)
	field := func(k string, v string) {
		b = append(b, k...)
		b = append(b, '=')
		b = append(b, v...)
		b = append(b, ' ')
	}
	num := func(k string, v int64) { field(k, strconv.FormatInt(v, 10)) }
	num("id", s.ID)
	field("addr", s.Addr)
	field("laddr", s.LAddr)
	num("fd", int64(s.FD))
	field("name", name)
	num("age", (now-s.Created)/1000)
	num("idle", (now-s.LastActive.Load())/1000)
	field("flags", flags)
	num("db", int64(db))
	num("sub", 0)
	num("psub", 0)
	num("ssub", 0)
	num("multi", -1)
	num("qbuf", qbuf)
	num("qbuf-free", 0)
	num("argv-mem", 0)
	num("multi-mem", 0)
	num("rbs", 16384)
	num("rbp", 0)
	num("obl", 0)
	num("oll", 0)
	num("omem", omem)
	num("tot-mem", qbuf+omem+16384)
	field("events", "r")
	field("cmd", cmd)
	field("user", user)
	num("redir", -1)
	num("resp", int64(proto))
	return string(b[:len(b)-1])
}

func cmdClientKill(c *Ctx) {
	if len(c.Args) == 3 {
		// Old form: CLIENT KILL addr:port.
		addr := string(c.Args[2])
		for _, s := range c.E.sessions() {
			if s.Addr == addr {
				c.E.killSession(c, s)
				c.OK()
				return
			}
		}
		c.Error("ERR No such client")
		return
	}
	var (
		id             int64
		addr, laddr    []byte
		typ, user      []byte
		skipMe         = true
		haveID, haveAd bool
	)
	if len(c.Args)%2 != 0 {
		c.Error(errSyntax)
		return
	}
	for i := 2; i < len(c.Args); i += 2 {
		k, v := c.Args[i], c.Args[i+1]
		switch {
		case eqFold(k, "id"):
			n, ok := resp.ParseInt(v)
			if !ok || n <= 0 {
				c.Error("ERR client-id should be greater than 0")
				return
			}
			id, haveID = n, true
		case eqFold(k, "type"):
			if !validClientType(v) {
				c.Error("ERR Unknown client type '" + cstring(v) + "'")
				return
			}
			typ = v
		case eqFold(k, "addr"):
			addr, haveAd = v, true
		case eqFold(k, "laddr"):
			laddr = v
		case eqFold(k, "user"):
			if !c.E.UserExists(v) {
				c.Error("ERR No such user '" + cstring(v) + "'")
				return
			}
			user = v
		case eqFold(k, "skipme"):
			switch {
			case eqFold(v, "yes"):
				skipMe = true
			case eqFold(v, "no"):
				skipMe = false
			default:
				c.Error(errSyntax)
				return
			}
		default:
			c.Error(errSyntax)
			return
		}
	}
	_ = haveAd
	killed := 0
	for _, s := range c.E.sessions() {
		switch {
		case haveID && s.ID != id,
			addr != nil && s.Addr != string(addr),
			laddr != nil && s.LAddr != string(laddr),
			typ != nil && !eqFold(typ, clientType(s)),
			user != nil && s.userName() != string(user),
			skipMe && s == c.S:
			continue
		}
		c.E.killSession(c, s)
		killed++
	}
	c.Int(int64(killed))
}

func (s *Session) userName() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.user
}

// killSession closes s; a session killing itself is closed after its
// reply is written, as Redis does.
func (e *Engine) killSession(c *Ctx, s *Session) {
	if s == c.S {
		c.S.CloseAfterReply = true
		return
	}
	if s.Kill != nil {
		s.Kill()
	}
}
