package acl

import (
	"strings"
	"sync/atomic"
)

// User is one ACL user: a fixed name and its current rules. Connections
// keep the *User they authenticated as; SETUSER publishes new Rules.
type User struct {
	name  string
	rules atomic.Pointer[Rules]
	// removed is set when the user is deleted (ACL DELUSER, ACL LOAD), so
	// that connections still holding it can be found and closed.
	removed atomic.Bool
}

// Name returns the user's name.
func (u *User) Name() string { return u.name }

// Rules returns the user's current rules; the value must not be changed.
func (u *User) Rules() *Rules { return u.rules.Load() }

// Unrestricted reports whether the user may run every command on every
// key and channel, so that no check is needed.
func (u *User) Unrestricted() bool { return u.rules.Load().unrestricted }

// Removed reports whether the user has been deleted.
func (u *User) Removed() bool { return u.removed.Load() }

// User flags, in the order Redis lists them.
const (
	flagOn = 1 << iota
	flagOff
	flagNoPass
	flagSkipSanitize
	flagSanitize
)

var userFlagNames = []string{"on", "off", "nopass", "skip-sanitize-payload", "sanitize-payload"}

// Rules is an immutable snapshot of what a user is and may do.
type Rules struct {
	flags     int
	passwords []string // SHA-256 hex
	root      selector
	selectors []selector
	// unrestricted caches root.unrestricted() for the dispatcher.
	unrestricted bool
}

// newRules returns the rules of a user ACL SETUSER has just created: off,
// no passwords, no commands, no keys, channels per acl-pubsub-default.
func newRules(allChannels bool) *Rules {
	return &Rules{flags: flagOff, root: newSelector(allChannels)}
}

func (r *Rules) clone() *Rules {
	d := &Rules{flags: r.flags, root: r.root.clone()}
	d.passwords = append([]string(nil), r.passwords...)
	for i := range r.selectors {
		d.selectors = append(d.selectors, r.selectors[i].clone())
	}
	return d
}

// Enabled reports whether the user may authenticate.
func (r *Rules) Enabled() bool { return r.flags&flagOn != 0 }

// NoPass reports whether any password authenticates the user.
func (r *Rules) NoPass() bool { return r.flags&flagNoPass != 0 }

// Flags returns the user's flags as ACL GETUSER lists them.
func (r *Rules) Flags() []string {
	var out []string
	for i, n := range userFlagNames {
		if r.flags&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}

// Passwords returns the password hashes (SHA-256 hex).
func (r *Rules) Passwords() []string { return append([]string(nil), r.passwords...) }

// apply applies one modifier to r, which must not be published yet.
func (r *Rules) apply(cat *Catalog, allChannels bool, op string) error {
	if op == "" {
		return nil
	}
	switch {
	case strings.EqualFold(op, "on"):
		r.flags = r.flags&^flagOff | flagOn
	case strings.EqualFold(op, "off"):
		r.flags = r.flags&^flagOn | flagOff
	case strings.EqualFold(op, "skip-sanitize-payload"):
		r.flags = r.flags&^flagSanitize | flagSkipSanitize
	case strings.EqualFold(op, "sanitize-payload"):
		r.flags = r.flags&^flagSkipSanitize | flagSanitize
	case strings.EqualFold(op, "nopass"):
		r.flags |= flagNoPass
		r.passwords = nil
	case strings.EqualFold(op, "resetpass"):
		r.flags &^= flagNoPass
		r.passwords = nil
	case op[0] == '>' || op[0] == '#':
		var h string
		if op[0] == '>' {
			h = HashPassword(op[1:])
		} else {
			if !validHash(op[1:]) {
				return ErrBadHash
			}
			h = op[1:]
		}
		if !contains(r.passwords, h) {
			r.passwords = append(r.passwords, h)
		}
		r.flags &^= flagNoPass
	case op[0] == '<' || op[0] == '!':
		var h string
		if op[0] == '<' {
			h = HashPassword(op[1:])
		} else {
			if !validHash(op[1:]) {
				return ErrBadHash
			}
			h = op[1:]
		}
		i := index(r.passwords, h)
		if i < 0 {
			return ErrNoSuchPassword
		}
		r.passwords = append(r.passwords[:i:i], r.passwords[i+1:]...)
	case op[0] == '(' && op[len(op)-1] == ')':
		s := newSelector(allChannels)
		for _, sub := range splitSelector(op[1 : len(op)-1]) {
			if err := s.apply(cat, sub); err != nil {
				return err
			}
		}
		r.selectors = append(r.selectors, s)
	case strings.EqualFold(op, "clearselectors"):
		r.selectors = nil
	case strings.EqualFold(op, "reset"):
		r.flags &^= flagNoPass
		r.passwords = nil
		r.root.allKeys, r.root.keys = false, nil
		r.root.allChannels, r.root.channels = allChannels, nil
		r.flags = r.flags&^(flagOn|flagSkipSanitize) | flagOff | flagSanitize
		r.selectors = nil
		_ = r.root.apply(cat, "-@all")
	default:
		if err := r.root.apply(cat, op); err != nil {
			return err
		}
	}
	r.unrestricted = r.root.unrestricted()
	return nil
}

// splitSelector splits the inside of "(...)" into rules. Redis splits it
// with its quoting rules; rules hold no blanks, so blanks suffice.
func splitSelector(s string) []string { return strings.Fields(s) }

// MergeSelectors joins arguments that together form one "(...)" selector
// ("(~key", "+get)" -> "(~key +get)"). For an opening parenthesis that is
// never closed it returns ok=false and the index of the argument that
// opened it.
func MergeSelectors(args []string) (merged []string, bad int, ok bool) {
	open := -1
	var cur string
	for i, a := range args {
		if open < 0 && len(a) > 0 && a[0] == '(' && a[len(a)-1] != ')' {
			open, cur = i, a
			continue
		}
		if open >= 0 {
			cur += " " + a
			if len(a) > 0 && a[len(a)-1] == ')' {
				merged = append(merged, cur)
				open = -1
			}
			continue
		}
		merged = append(merged, a)
	}
	if open >= 0 {
		return nil, open, false
	}
	return merged, 0, true
}

func contains(list []string, s string) bool { return index(list, s) >= 0 }

func index(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}
