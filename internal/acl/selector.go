package acl

import (
	"strings"
)

// Perm is what a key pattern grants: reading, writing, or both.
type Perm uint8

// Key permissions.
const (
	PermRead  Perm = 1 << iota // %R~
	PermWrite                  // %W~
	PermAll   = PermRead | PermWrite
)

// KeyPattern is one key glob and what it grants.
type KeyPattern struct {
	Pattern string
	Perm    Perm
}

// selector is one set of permissions: commands, keys, channels. A user
// has a root selector and any number of "(...)" selectors; a command is
// allowed when one of them allows it.
type selector struct {
	allCommands bool // set by +@all, cleared when any command is taken away
	// future records that the rules started from +@all, so commands added
	// later would be allowed; it decides between "+@all ..." and "-@all ..."
	// when the rules are described.
	future      bool
	allowed     bitset
	firstArgs   map[int][]string // allowed first arguments of denied commands
	allKeys     bool
	keys        []KeyPattern
	allChannels bool
	channels    []string
}

func newSelector(allChannels bool) selector { return selector{allChannels: allChannels} }

func (s *selector) clone() selector {
	d := *s
	d.keys = append([]KeyPattern(nil), s.keys...)
	d.channels = append([]string(nil), s.channels...)
	if s.firstArgs != nil {
		d.firstArgs = make(map[int][]string, len(s.firstArgs))
		for k, v := range s.firstArgs {
			d.firstArgs[k] = append([]string(nil), v...)
		}
	}
	return d
}

func (s *selector) unrestricted() bool { return s.allCommands && s.allKeys && s.allChannels }

// setCommand allows or denies one command, and with a container command
// every subcommand; it forgets the command's allowed first arguments.
func (s *selector) setCommand(cat *Catalog, id int, allow bool) {
	s.setBit(id, allow)
	delete(s.firstArgs, id)
	for _, sub := range cat.cmds[id].subs {
		s.setBit(sub, allow)
	}
}

func (s *selector) setBit(id int, allow bool) {
	s.allowed.put(id, allow)
	if !allow {
		s.allCommands = false
	}
}

func (s *selector) setCategory(cat *Catalog, c Category, allow bool) {
	for i := range categoryNames {
		if c&(1<<i) != 0 {
			for _, id := range cat.perCategory[i] {
				s.setCommand(cat, id, allow)
			}
		}
	}
}

// apply applies one selector rule (everything but the user-level flags
// and passwords).
func (s *selector) apply(cat *Catalog, op string) error {
	switch {
	case strings.EqualFold(op, "allkeys") || op == "~*":
		s.allKeys, s.keys = true, nil
	case strings.EqualFold(op, "resetkeys"):
		s.allKeys, s.keys = false, nil
	case strings.EqualFold(op, "allchannels") || op == "&*":
		s.allChannels, s.channels = true, nil
	case strings.EqualFold(op, "resetchannels"):
		s.allChannels, s.channels = false, nil
	case strings.EqualFold(op, "allcommands") || strings.EqualFold(op, "+@all"):
		s.allowed.fill(true)
		s.allCommands, s.future, s.firstArgs = true, true, nil
	case strings.EqualFold(op, "nocommands") || strings.EqualFold(op, "-@all"):
		s.allowed.fill(false)
		s.allCommands, s.future, s.firstArgs = false, false, nil
	case op[0] == '~' || op[0] == '%':
		return s.addKeyPattern(op)
	case op[0] == '&':
		if s.allChannels {
			return ErrChannelAfterAll
		}
		pat := op[1:]
		if hasSpace(pat) {
			return ErrRuleSyntax
		}
		for _, c := range s.channels {
			if c == pat {
				return nil
			}
		}
		s.channels = append(s.channels, pat)
	case len(op) > 1 && (op[0] == '+' || op[0] == '-') && op[1] == '@':
		c := CategoryByName(op[2:])
		if c == 0 {
			return ErrUnknownName
		}
		s.setCategory(cat, c, op[0] == '+')
	case op[0] == '+':
		return s.allowCommand(cat, op[1:])
	case op[0] == '-':
		id := cat.ID(op[1:])
		if id < 0 {
			return ErrUnknownName
		}
		s.setCommand(cat, id, false)
	default:
		return ErrRuleSyntax
	}
	return nil
}

// allowCommand handles "+name", "+container|sub" and "+name|firstarg".
func (s *selector) allowCommand(cat *Catalog, name string) error {
	i := strings.LastIndexByte(name, '|')
	if i < 0 {
		id := cat.ID(name)
		if id < 0 {
			return ErrUnknownName
		}
		s.setCommand(cat, id, true)
		return nil
	}
	base, arg := name[:i], name[i+1:]
	id := cat.ID(base)
	if id < 0 {
		return ErrUnknownName
	}
	if cat.cmds[id].parent >= 0 {
		return ErrFirstArgOfSub
	}
	if arg == "" {
		return ErrRuleSyntax
	}
	if cat.HasSubcommands(id) {
		sub := cat.ID(name)
		if sub < 0 {
			return ErrUnknownName
		}
		s.setCommand(cat, sub, true)
		return nil
	}
	// Allowing one first argument of an otherwise denied command: Redis
	// keeps this for compatibility (SELECT|0), deprecated.
	for _, a := range s.firstArgs[id] {
		if strings.EqualFold(a, arg) {
			return nil
		}
	}
	if s.firstArgs == nil {
		s.firstArgs = make(map[int][]string)
	}
	s.firstArgs[id] = append(s.firstArgs[id], arg)
	return nil
}

func (s *selector) addKeyPattern(op string) error {
	if s.allKeys {
		return ErrKeyAfterAll
	}
	perm, rest := PermAll, op[1:]
	if op[0] == '%' {
		perm = 0
		i := 1
		for ; i < len(op); i++ {
			switch ch := op[i]; {
			case (ch == 'R' || ch == 'r') && perm&PermRead == 0:
				perm |= PermRead
				continue
			case (ch == 'W' || ch == 'w') && perm&PermWrite == 0:
				perm |= PermWrite
				continue
			case ch == '~':
			default:
				return ErrRuleSyntax
			}
			break
		}
		// "%R" without '~' is accepted with an empty pattern, as Redis does.
		if perm == 0 {
			return ErrRuleSyntax
		}
		rest = op[min(i+1, len(op)):]
	}
	if hasSpace(rest) {
		return ErrRuleSyntax
	}
	for i := range s.keys {
		if s.keys[i].Pattern == rest {
			s.keys[i].Perm |= perm
			return nil
		}
	}
	s.keys = append(s.keys, KeyPattern{Pattern: rest, Perm: perm})
	return nil
}

// hasSpace reports whether s holds a character Redis's isspace accepts,
// or a NUL byte: names and patterns may not.
func hasSpace(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\n', '\v', '\f', '\r', 0:
			return true
		}
	}
	return false
}
