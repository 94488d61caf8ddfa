package acl

import (
	"fmt"
	"sort"
	"sync"
)

// Registry holds the users by name. It is safe for concurrent use:
// changes serialize on a mutex, permission checks read a user's published
// Rules without locking.
type Registry struct {
	cat *Catalog
	// allChannels returns acl-pubsub-default: whether new users and
	// selectors start with allchannels (else resetchannels).
	allChannels func() bool

	mu    sync.RWMutex
	users map[string]*User
	def   *User

	// Log is the ACL LOG.
	Log Log
}

// NewRegistry returns a registry holding only the default user, who may
// do everything without a password. allChannels reports the current
// acl-pubsub-default (nil: resetchannels).
func NewRegistry(cat *Catalog, allChannels func() bool) *Registry {
	if allChannels == nil {
		allChannels = func() bool { return false }
	}
	r := &Registry{cat: cat, allChannels: allChannels, users: make(map[string]*User)}
	r.def = &User{name: "default"}
	r.def.rules.Store(r.defaultRules())
	r.users["default"] = r.def
	return r
}

// Catalog returns the command catalog the rules refer to.
func (r *Registry) Catalog() *Catalog { return r.cat }

// defaultRules are the default user's rules when nothing configures it:
// +@all ~* &* on nopass.
func (r *Registry) defaultRules() *Rules {
	rules := newRules(r.allChannels())
	for _, op := range []string{"+@all", "~*", "&*", "on", "nopass"} {
		if err := rules.apply(r.cat, false, op); err != nil {
			panic("acl: default user: " + err.Error())
		}
	}
	return rules
}

// Default returns the default user.
func (r *Registry) Default() *User { return r.def }

// Get returns the user called name (case-sensitive), or nil.
func (r *Registry) Get(name string) *User {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.users[name]
}

// Users returns every user in name order (byte order, as Redis lists).
func (r *Registry) Users() []*User {
	r.mu.RLock()
	out := make([]*User, 0, len(r.users))
	for _, u := range r.users {
		out = append(out, u)
	}
	r.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// Line renders u as an ACL LIST / ACL file line.
func (r *Registry) Line(u *User) string {
	return "user " + u.name + " " + r.cat.Describe(u.Rules())
}

// SetUserError is a modifier ACL SETUSER refused.
type SetUserError struct {
	Op  string
	Err error
}

func (e *SetUserError) Error() string {
	return fmt.Sprintf("Error in ACL SETUSER modifier '%s': %s", e.Op, e.Err)
}

func (e *SetUserError) Unwrap() error { return e.Err }

// SetUser applies ops (selectors already merged, see MergeSelectors) to
// the user called name, creating it if needed. Either every modifier
// applies or nothing changes.
func (r *Registry) SetUser(name string, ops []string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	u := r.users[name]
	var rules *Rules
	if u != nil {
		rules = u.Rules().clone()
	} else {
		rules = newRules(r.allChannels())
	}
	all := r.allChannels()
	for _, op := range ops {
		if err := rules.apply(r.cat, all, op); err != nil {
			return &SetUserError{Op: op, Err: err}
		}
	}
	if u == nil {
		u = &User{name: name}
		r.users[name] = u
	}
	u.rules.Store(rules)
	return nil
}

// DelUsers removes the named users that exist and returns them; the
// caller disconnects their clients. When "default" is among the names
// nothing is removed and ok is false.
func (r *Registry) DelUsers(names []string) (removed []*User, ok bool) {
	for _, n := range names {
		if n == "default" {
			return nil, false
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, n := range names {
		if u := r.users[n]; u != nil {
			delete(r.users, n)
			u.removed.Store(true)
			removed = append(removed, u)
		}
	}
	return removed, true
}

// Authenticate returns the user name/pass authenticate as, or nil when
// the user does not exist, is off, or the password is wrong.
func (r *Registry) Authenticate(name, pass []byte) *User {
	r.mu.RLock()
	u := r.users[string(name)]
	r.mu.RUnlock()
	if u == nil {
		return nil
	}
	rules := u.Rules()
	if !rules.Enabled() {
		return nil
	}
	if rules.NoPass() || rules.passwordMatches(pass) {
		return u
	}
	return nil
}

// SetDefaultPassword makes pass the default user's only password, or
// makes the default user password-less for "": what requirepass does.
func (r *Registry) SetDefaultPassword(pass string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	rules := r.def.Rules().clone()
	all := r.allChannels()
	_ = rules.apply(r.cat, all, "resetpass")
	if pass == "" {
		_ = rules.apply(r.cat, all, "nopass")
	} else {
		_ = rules.apply(r.cat, all, ">"+pass)
	}
	r.def.rules.Store(rules)
}

// replace installs a loaded set of users. The default user keeps its
// identity (connections stay authenticated as it) and takes the loaded
// rules, or the built-in ones when the set has no default user. Every
// other previous user is removed and returned, for its clients to be
// disconnected, as Redis does on ACL LOAD.
func (r *Registry) replace(loaded map[string]*Rules) []*User {
	r.mu.Lock()
	defer r.mu.Unlock()
	var old []*User
	for name, u := range r.users {
		if name != "default" {
			u.removed.Store(true)
			old = append(old, u)
		}
	}
	users := make(map[string]*User, len(loaded)+1)
	for name, rules := range loaded {
		if name == "default" {
			continue
		}
		u := &User{name: name}
		u.rules.Store(rules)
		users[name] = u
	}
	if rules, ok := loaded["default"]; ok {
		r.def.rules.Store(rules)
	} else {
		r.def.rules.Store(r.defaultRules())
	}
	users["default"] = r.def
	r.users = users
	return old
}
