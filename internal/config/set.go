package config

import (
	"errors"
	"strings"
)

// Errors of CONFIG SET whose text is Redis's reply without the "ERR "
// prefix; the CONFIG handler writes "-ERR " + err.Error().
var (
	// ErrSyntax: an odd number of arguments after CONFIG SET.
	ErrSyntax = errors.New("syntax error")
	// ErrSetArity: no name/value pair at all (the command table's arity
	// check normally answers this first).
	ErrSetArity = errors.New("wrong number of arguments for 'config|set' command")
	// ErrImmutable and ErrProtected are the reasons inside a *SetError.
	ErrImmutable = errors.New("can't set immutable config")
	ErrProtected = errors.New("can't set protected config")
	errDuplicate = errors.New("duplicate parameter")
)

// UnknownOptionError is CONFIG SET's reply for a name that is not a
// parameter.
type UnknownOptionError struct{ Name string }

func (e *UnknownOptionError) Error() string {
	return "Unknown option or number of arguments for CONFIG SET - '" + e.Name + "'"
}

// SetError is a CONFIG SET failure tied to one argument: a bad value, an
// immutable or protected parameter, a duplicate, or a failing OnChange
// hook. Name is the parameter as the client spelled it.
type SetError struct {
	Name string
	Err  error
}

func (e *SetError) Error() string {
	return "CONFIG SET failed (possibly related to argument '" + e.Name + "') - " + e.Err.Error()
}

func (e *SetError) Unwrap() error { return e.Err }

// Set applies CONFIG SET name value [name value ...] all or nothing, the
// way Redis 7.0 does:
//  1. every name is looked up: unknown, immutable, protected (unless
//     enable-protected-configs is yes) and repeated names fail the whole
//     call before anything changes;
//  2. every value is validated; the first bad one fails the call;
//  3. all new values are published at once;
//  4. the OnChange hooks of the parameters whose value changed run in
//     argument order; if one fails, every value is restored and the hooks
//     that already ran are called again with the old values.
//
// Between steps 3 and 4 a concurrent reader may see the new values of a
// Set that is later rolled back.
func (c *Config) Set(pairs ...string) error { return c.set(false, pairs) }

// SetLocal is Set for a client on a local connection (loopback or unix
// socket): protected parameters are also allowed when
// enable-protected-configs is "local".
func (c *Config) SetLocal(pairs ...string) error { return c.set(true, pairs) }

func (c *Config) set(local bool, pairs []string) error {
	if len(pairs) == 0 {
		return ErrSetArity
	}
	if len(pairs)%2 != 0 {
		return ErrSyntax
	}
	c.writeMu.Lock()
	defer c.writeMu.Unlock()

	n := len(pairs) / 2
	idx := make([]int, n)
	seen := make(map[string]bool, n)
	protectedOK := c.str(idxEnableProtectedConfigs) == "yes" ||
		(local && c.str(idxEnableProtectedConfigs) == "local")
	for k := 0; k < n; k++ {
		name := pairs[2*k]
		i, ok := byName[strings.ToLower(name)]
		if !ok {
			return &UnknownOptionError{Name: name}
		}
		p := &table[i]
		switch {
		case p.flags&immutable != 0:
			return &SetError{Name: name, Err: ErrImmutable}
		case p.flags&protected != 0 && !protectedOK:
			return &SetError{Name: name, Err: ErrProtected}
		case seen[strings.ToLower(name)]:
			return &SetError{Name: name, Err: errDuplicate}
		}
		seen[strings.ToLower(name)] = true
		idx[k] = i
	}

	// Validate against the values as they will be after the earlier pairs,
	// so an alias given twice merges like two config lines would.
	next := make(map[int]string, n)
	for k, i := range idx {
		cur, ok := next[i]
		if !ok {
			cur = c.str(i)
		}
		v, err := table[i].normalize(cur, pairs[2*k+1])
		if err != nil {
			return &SetError{Name: pairs[2*k], Err: err}
		}
		next[i] = v
	}

	old := make(map[int]string, n)
	for i, v := range next {
		old[i] = c.str(i)
		c.store(i, v)
	}

	var ran []int
	done := make(map[int]bool, n)
	for k, i := range idx {
		if done[i] || next[i] == old[i] {
			continue
		}
		done[i] = true
		for _, fn := range c.hooks[i] {
			if err := fn(next[i]); err != nil {
				for j, v := range old {
					c.store(j, v)
				}
				for r := len(ran) - 1; r >= 0; r-- {
					for _, undo := range c.hooks[ran[r]] {
						_ = undo(old[ran[r]]) // best effort, as Redis does
					}
				}
				return &SetError{Name: pairs[2*k], Err: err}
			}
		}
		ran = append(ran, i)
	}
	return nil
}
