package command

import (
	"strings"

	"cairn/internal/acl"
	"cairn/internal/resp"
)

// ACL CAT / DELUSER / DRYRUN / GENPASS / GETUSER / LIST / LOAD / LOG /
// SAVE / SETUSER / USERS / WHOAMI / HELP. The users and rules live in
// internal/acl; these handlers shape the replies as Redis 7.0 does.

func init() {
	register("acl|cat", cmdACLCat)
	register("acl|deluser", cmdACLDelUser)
	register("acl|dryrun", cmdACLDryRun)
	register("acl|genpass", cmdACLGenPass)
	register("acl|getuser", cmdACLGetUser)
	register("acl|list", cmdACLList)
	register("acl|load", cmdACLLoad)
	register("acl|log", cmdACLLog)
	register("acl|save", cmdACLSave)
	register("acl|setuser", cmdACLSetUser)
	register("acl|users", cmdACLUsers)
	register("acl|whoami", func(c *Ctx) { c.BulkString(c.S.acctName()) })
	register("acl|help", cmdACLHelp)
}

// acctName is the name of the session's user ("default" for internal
// sessions, which have none).
func (s *Session) acctName() string {
	if u := s.acct.Load(); u != nil {
		return u.Name()
	}
	return "default"
}

func cmdACLCat(c *Ctx) {
	if len(c.Args) == 2 {
		names := acl.CategoryNames()
		c.Array(len(names))
		for _, n := range names {
			c.BulkString(n)
		}
		return
	}
	cat := acl.CategoryByName(string(c.Args[2]))
	if cat == 0 {
		c.Error("ERR Unknown category '" + truncate(cstring(c.Args[2]), 128) + "'")
		return
	}
	names := c.E.acl.reg.Catalog().InCategory(cat)
	c.Array(len(names))
	for _, n := range names {
		c.BulkString(n)
	}
}

func cmdACLSetUser(c *Ctx) {
	name := string(c.Args[2])
	if strings.ContainsAny(name, " \t\n\v\f\r\x00") {
		c.Error("ERR Usernames can't contain spaces or null characters")
		return
	}
	args := make([]string, len(c.Args)-3)
	for i, a := range c.Args[3:] {
		args[i] = string(a)
	}
	ops, bad, ok := acl.MergeSelectors(args)
	if !ok {
		c.Error("ERR Unmatched parenthesis in acl selector starting at '" + args[bad] + "'.")
		return
	}
	if err := c.E.acl.reg.SetUser(name, ops); err != nil {
		c.Error("ERR " + err.Error())
		return
	}
	c.OK()
}

func cmdACLDelUser(c *Ctx) {
	names := make([]string, len(c.Args)-2)
	for i, a := range c.Args[2:] {
		names[i] = string(a)
	}
	removed, ok := c.E.acl.reg.DelUsers(names)
	if !ok {
		c.Error("ERR The 'default' user cannot be removed")
		return
	}
	c.E.disconnectUsers(c, removed)
	c.Int(int64(len(removed)))
}

// disconnectUsers closes the connections authenticated as any of users
// (after this command's reply, for the calling connection), as Redis does
// when it frees a user.
func (e *Engine) disconnectUsers(c *Ctx, users []*acl.User) {
	if len(users) == 0 {
		return
	}
	for _, s := range e.sessions() {
		u := s.acct.Load()
		for _, gone := range users {
			if u == gone {
				e.killSession(c, s)
				break
			}
		}
	}
}

func cmdACLGetUser(c *Ctx) {
	u := c.E.acl.reg.Get(string(c.Args[2]))
	if u == nil {
		c.Null()
		return
	}
	cat := c.E.acl.reg.Catalog()
	rules := u.Rules()
	c.Map(6)
	c.BulkString("flags")
	flags := rules.Flags()
	c.Set(len(flags))
	for _, f := range flags {
		c.BulkString(f)
	}
	c.BulkString("passwords")
	pw := rules.Passwords()
	c.Array(len(pw))
	for _, p := range pw {
		c.BulkString(p)
	}
	replySelector(c, cat.RootInfo(rules))
	c.BulkString("selectors")
	sels := cat.SelectorInfos(rules)
	c.Array(len(sels))
	for _, s := range sels {
		c.Map(3)
		replySelector(c, s)
	}
}

func replySelector(c *Ctx, s acl.SelectorInfo) {
	c.BulkString("commands")
	c.BulkString(s.Commands)
	c.BulkString("keys")
	c.BulkString(s.Keys)
	c.BulkString("channels")
	c.BulkString(s.Channels)
}

func cmdACLList(c *Ctx) {
	reg := c.E.acl.reg
	users := reg.Users()
	c.Array(len(users))
	for _, u := range users {
		c.BulkString(reg.Line(u))
	}
}

func cmdACLUsers(c *Ctx) {
	users := c.E.acl.reg.Users()
	c.Array(len(users))
	for _, u := range users {
		c.BulkString(u.Name())
	}
}

const errNoACLFile = "ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration."

func cmdACLLoad(c *Ctx) {
	path := c.E.Config.ACLFile()
	if path == "" {
		c.Error(errNoACLFile)
		return
	}
	removed, err := c.E.acl.reg.LoadFile(path)
	if err != nil {
		c.Error("ERR " + err.Error())
		return
	}
	c.E.disconnectUsers(c, removed)
	c.OK()
}

func cmdACLSave(c *Ctx) {
	path := c.E.Config.ACLFile()
	if path == "" {
		c.Error(errNoACLFile)
		return
	}
	if err := c.E.acl.reg.SaveFile(path); err != nil {
		c.Error("ERR There was an error trying to save the ACLs. Please check the server logs for more information")
		return
	}
	c.OK()
}

func cmdACLLog(c *Ctx) {
	count := int64(10)
	if len(c.Args) > 3 {
		c.Error("ERR unknown subcommand or wrong number of arguments for '" + cstring(c.Args[1]) + "'. Try ACL HELP.")
		return
	}
	if len(c.Args) == 3 {
		if eqFold(c.Args[2], "reset") {
			c.E.acl.reg.Log.Reset()
			c.OK()
			return
		}
		n, ok := resp.ParseInt(c.Args[2])
		if !ok {
			c.Error(errNotInt)
			return
		}
		count = max(n, 0)
	}
	entries := c.E.acl.reg.Log.Newest(int(min(count, 1<<20)))
	now := c.E.clockMicros() / 1000
	c.Array(len(entries))
	for _, le := range entries {
		c.Map(7)
		c.BulkString("count")
		c.Int(le.Count)
		c.BulkString("reason")
		c.BulkString(le.Reason.String())
		c.BulkString("context")
		c.BulkString(le.Context)
		c.BulkString("object")
		c.BulkString(le.Object)
		c.BulkString("username")
		c.BulkString(le.Username)
		c.BulkString("age-seconds")
		c.Double(float64(now-le.Created) / 1000)
		c.BulkString("client-info")
		c.BulkString(le.ClientInfo)
	}
}

func cmdACLDryRun(c *Ctx) {
	u := c.E.acl.reg.Get(string(c.Args[2]))
	if u == nil {
		c.Error("ERR User '" + cstring(c.Args[2]) + "' not found")
		return
	}
	args := c.Args[3:]
	cmd := c.E.Lookup(string(args[0]))
	if cmd != nil && cmd.Subs != nil && len(args) > 1 {
		cmd = cmd.Subs[strings.ToLower(string(args[1]))]
	}
	if cmd == nil {
		c.Error("ERR Command '" + cstring(args[0]) + "' not found")
		return
	}
	if (cmd.Arity > 0 && len(args) != cmd.Arity) || len(args) < -cmd.Arity {
		c.Error("ERR wrong number of arguments for '" + cmd.FullName + "' command")
		return
	}
	why, pos := c.E.aclCheck(u.Rules(), cmd, args)
	switch why {
	case acl.Allowed:
		c.OK()
	case acl.DeniedKey:
		c.BulkString("This user has no permissions to access the '" + string(args[pos]) + "' key")
	case acl.DeniedChannel:
		c.BulkString("This user has no permissions to access the '" + string(args[pos]) + "' channel")
	default:
		c.BulkString("This user has no permissions to run the '" + cmd.FullName + "' command")
	}
}

func cmdACLGenPass(c *Ctx) {
	bits := int64(256)
	if len(c.Args) > 3 {
		c.Error("ERR unknown subcommand or wrong number of arguments for '" + cstring(c.Args[1]) + "'. Try ACL HELP.")
		return
	}
	if len(c.Args) == 3 {
		n, ok := resp.ParseInt(c.Args[2])
		if !ok {
			c.Error(errNotInt)
			return
		}
		bits = n
	}
	if bits <= 0 || bits > acl.MaxGenPassBits {
		c.Error("ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096")
		return
	}
	c.BulkString(acl.GenPass(int(bits)))
}

func cmdACLHelp(c *Ctx) {
	replyHelpLines(c, "ACL",
		"CAT [<category>]",
		"    Without <category>, list the command categories; with it, list the",
		"    commands that belong to it.",
		"DELUSER <username> [<username> ...]",
		"    Remove users and close their connections.",
		"DRYRUN <username> <command> [<arg> ...]",
		"    Tell whether the user could run the command line, without running it.",
		"GETUSER <username>",
		"    Show a user's flags, password hashes and permissions.",
		"GENPASS [<bits>]",
		"    Return a random password made of 256 random bits shown as hex, or",
		"    of <bits> bits.",
		"LIST",
		"    Show every user as an ACL file line.",
		"LOAD",
		"    Replace the users with the ones in the ACL file.",
		"LOG [<count> | RESET]",
		"    Show the newest permission failures, or forget them.",
		"SAVE",
		"    Write the users to the ACL file.",
		"SETUSER <username> <attribute> [<attribute> ...]",
		"    Create a user or change its attributes.",
		"USERS",
		"    List the user names.",
		"WHOAMI",
		"    Show the user this connection runs as.",
	)
}
