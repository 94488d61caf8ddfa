package command

import (
	"errors"
	"fmt"
	"strings"

	"cairn/internal/acl"
)

// aclState is the engine's access control: the users, and the catalog
// number of each command in the table.
type aclState struct {
	reg *acl.Registry
	ids map[*Command]int
	// startErr is why the ACL file could not be loaded when the engine
	// was built (ACLError).
	startErr error
}

// newACLState builds the registry over Redis's command catalog plus any
// command of the table Redis lacks, applies requirepass to the default
// user, loads the aclfile if one is configured, and follows CONFIG SET
// requirepass.
func newACLState(e *Engine) *aclState {
	var extra []acl.CatalogEntry
	each := func(fn func(*Command)) {
		for _, cmd := range e.table {
			fn(cmd)
			for _, sub := range cmd.Subs {
				fn(sub)
			}
		}
	}
	each(func(cmd *Command) {
		extra = append(extra, acl.CatalogEntry{Name: cmd.FullName, Categories: acl.CategoriesOf(cmd.ACL)})
	})
	cat := acl.NewCatalog(extra...)
	a := &aclState{
		reg: acl.NewRegistry(cat, e.Config.ACLPubsubAllChannels),
		ids: make(map[*Command]int),
	}
	each(func(cmd *Command) { a.ids[cmd] = cat.ID(cmd.FullName) })
	if pass := e.Config.RequirePass(); pass != "" {
		a.reg.SetDefaultPassword(pass)
	}
	e.Config.OnChange("requirepass", func(v string) error {
		a.reg.SetDefaultPassword(v)
		return nil
	})
	e.Config.SetUserLines(func() []string {
		var lines []string
		for _, u := range a.reg.Users() {
			lines = append(lines, a.reg.Line(u))
		}
		return lines
	})
	users := e.Config.UserDirectives()
	switch path := e.Config.ACLFile(); {
	case path != "" && len(users) > 0:
		a.startErr = errors.New("users are declared both in the config file (user lines) and in an aclfile; declare them in one place only")
	case path != "":
		if _, err := a.reg.LoadFile(path); err != nil {
			a.startErr = err
		}
	default:
		a.startErr = applyUserDirectives(a.reg, users)
	}
	return a
}

// applyUserDirectives sets up the users the config file declares, in
// file order, as Redis does: a new user starts as ACL SETUSER would create
// it; one that exists already (only "default" can) is reset first.
func applyUserDirectives(reg *acl.Registry, users [][]string) error {
	for _, u := range users {
		ops := u[1:]
		if reg.Get(u[0]) != nil {
			ops = append([]string{"reset"}, ops...)
		}
		if err := reg.SetUser(u[0], ops); err != nil {
			return fmt.Errorf("user declaration 'user %s': %w", strings.Join(u, " "), err)
		}
	}
	return nil
}

// ACLError returns why the configured ACL file could not be loaded when
// the engine was built, or nil. Redis refuses to start in that case; the
// server should too.
func (e *Engine) ACLError() error { return e.acl.startErr }

// permitted reports whether the session's user may run cmd with c.Args,
// replying with the NOPERM error and logging to ACL LOG when not. A
// session without a user (internal ones, like AOF replay) may run
// anything, as in Redis.
func (e *Engine) permitted(c *Ctx, cmd *Command) bool {
	u := c.S.acct.Load()
	if u == nil || u.Unrestricted() {
		return true
	}
	return e.checkACL(c, cmd, u)
}

// checkACL is the slow half of permitted, for restricted users.
func (e *Engine) checkACL(c *Ctx, cmd *Command, u *acl.User) bool {
	why, pos := e.aclCheck(u.Rules(), cmd, c.Args)
	if why == acl.Allowed {
		return true
	}
	// Redis has already made this the client's current command, so the
	// ACL LOG's client-info and CLIENT LIST name it.
	c.S.lastCmd.Store(cmd)
	object := cmd.FullName
	msg := "NOPERM this user has no permissions to run the '" + cmd.FullName + "' command"
	switch why {
	case acl.DeniedKey:
		object = string(c.Args[pos])
		msg = "NOPERM this user has no permissions to access one of the keys used as arguments"
	case acl.DeniedChannel:
		object = string(c.Args[pos])
		msg = "NOPERM this user has no permissions to access one of the channels used as arguments"
	}
	e.aclLog(c, why, object, u.Name())
	e.reject(c, cmd, msg)
	return false
}

// aclCheck runs the permission check of rules for cmd with args.
func (e *Engine) aclCheck(rules *acl.Rules, cmd *Command, args [][]byte) (acl.Reason, int) {
	id, ok := e.acl.ids[cmd]
	if !ok {
		id = -1
	}
	req := acl.Request{ID: id, Sub: cmd.Parent != nil, NoAuth: cmd.has(flagNoAuth), Args: args}
	if len(cmd.KeySpecs) > 0 {
		req.Keys = func() []acl.KeyRef {
			refs, err := keyRefsOf(cmd, args)
			if err != nil {
				return nil // the command reports its own argument error
			}
			out := make([]acl.KeyRef, len(refs))
			for i, r := range refs {
				out[i] = acl.KeyRef{Pos: r.Pos, Perm: acl.PermForKeyFlags(r.Flags)}
			}
			return out
		}
	}
	return e.acl.reg.Catalog().Check(rules, &req)
}

// aclLog records a refusal in ACL LOG with the client's current line.
func (e *Engine) aclLog(c *Ctx, why acl.Reason, object, user string) {
	e.acl.reg.Log.Add(acl.LogEntry{
		Reason:     why,
		Context:    "toplevel",
		Object:     object,
		Username:   user,
		Created:    e.clockMicros() / 1000,
		ClientInfo: e.clientLine(c.S, c.Now),
	}, e.Config.ACLLogMaxLen())
}

// UserExists reports whether an ACL user called name exists (CLIENT KILL
// USER refuses unknown users).
func (e *Engine) UserExists(name []byte) bool { return e.acl.reg.Get(string(name)) != nil }
