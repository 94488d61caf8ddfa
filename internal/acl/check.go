package acl

import "strings"

// Reason is why a command was refused, ordered as Redis ranks them when
// several selectors refuse for different reasons (the highest wins).
type Reason int

// Refusal reasons.
const (
	Allowed Reason = iota
	DeniedCommand
	DeniedKey
	DeniedAuth
	DeniedChannel
)

// String returns the reason as ACL LOG reports it.
func (r Reason) String() string {
	switch r {
	case DeniedCommand:
		return "command"
	case DeniedKey:
		return "key"
	case DeniedAuth:
		return "auth"
	case DeniedChannel:
		return "channel"
	}
	return "unknown"
}

// KeyRef is one key argument of a request and the access it needs.
type KeyRef struct {
	Pos  int
	Perm Perm
}

// PermForKeyFlags maps a key spec's flags to the access ACL checks:
// ACCESS needs read permission; INSERT, DELETE and UPDATE need write.
// A key with none of them (TYPE, EXISTS) only needs a matching pattern.
func PermForKeyFlags(flags []string) Perm {
	var p Perm
	for _, f := range flags {
		switch strings.ToLower(f) {
		case "access":
			p |= PermRead
		case "insert", "delete", "update":
			p |= PermWrite
		}
	}
	return p
}

// Request is a command line to check.
type Request struct {
	ID     int  // catalog number of the (sub)command
	Sub    bool // a subcommand: its first argument is Args[2]
	NoAuth bool // AUTH, HELLO...: runnable by anyone
	Args   [][]byte
	// Keys returns the key arguments; nil when the command takes none.
	// It is called at most once, and only when a selector limits keys.
	Keys func() []KeyRef
}

// Check reports whether the rules allow req, and if not, why and at which
// argument (the key's position for DeniedKey). Any one selector allowing
// the request is enough.
func (cat *Catalog) Check(r *Rules, req *Request) (Reason, int) {
	if r.unrestricted {
		return Allowed, 0
	}
	var keys []KeyRef
	gotKeys := false
	keysOf := func() []KeyRef {
		if !gotKeys && req.Keys != nil {
			keys, gotKeys = req.Keys(), true
		}
		return keys
	}
	worst, worstPos := DeniedCommand, 0
	try := func(s *selector) bool {
		why, pos := cat.checkSelector(s, req, keysOf)
		if why == Allowed {
			return true
		}
		if why > worst || (why == worst && pos > worstPos) {
			worst, worstPos = why, pos
		}
		return false
	}
	if try(&r.root) {
		return Allowed, 0
	}
	for i := range r.selectors {
		if try(&r.selectors[i]) {
			return Allowed, 0
		}
	}
	return worst, worstPos
}

func (cat *Catalog) checkSelector(s *selector, req *Request, keysOf func() []KeyRef) (Reason, int) {
	if !s.allCommands && !req.NoAuth && (req.ID < 0 || !s.allowed.get(req.ID)) {
		if !s.firstArgAllowed(req) {
			return DeniedCommand, 0
		}
	}
	if !s.allKeys && req.Keys != nil {
		for _, k := range keysOf() {
			if !s.keyAllowed(req.Args[k.Pos], k.Perm) {
				return DeniedKey, k.Pos
			}
		}
	}
	return Allowed, 0
}

func (s *selector) firstArgAllowed(req *Request) bool {
	if req.ID < 0 || len(req.Args) < 2 {
		return false
	}
	allowed := s.firstArgs[req.ID]
	if len(allowed) == 0 {
		return false
	}
	i := 1
	if req.Sub {
		i = 2
	}
	if i >= len(req.Args) {
		return false
	}
	for _, a := range allowed {
		if strings.EqualFold(a, string(req.Args[i])) {
			return true
		}
	}
	return false
}

// keyAllowed reports whether a pattern granting at least need matches key.
func (s *selector) keyAllowed(key []byte, need Perm) bool {
	if s.allKeys {
		return true
	}
	for _, k := range s.keys {
		if k.Perm&need == need && globMatch(k.Pattern, key) {
			return true
		}
	}
	return false
}

// ChannelAllowed reports whether the rules allow channel (for pub/sub;
// literal for PSUBSCRIBE patterns, which must appear verbatim).
func (r *Rules) ChannelAllowed(channel []byte, literal bool) bool {
	check := func(s *selector) bool {
		if s.allChannels {
			return true
		}
		for _, c := range s.channels {
			if (literal && c == string(channel)) || (!literal && globMatch(c, channel)) {
				return true
			}
		}
		return false
	}
	if check(&r.root) {
		return true
	}
	for i := range r.selectors {
		if check(&r.selectors[i]) {
			return true
		}
	}
	return false
}
