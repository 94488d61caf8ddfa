package config

import (
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// byName maps every canonical name and alias (lower case) to the
// parameter's index in table, which is also its index in Config.values.
var byName = func() map[string]int {
	m := make(map[string]int, len(table)+len(aliases))
	for i := range table {
		m[table[i].name] = i
	}
	for alias, canonical := range aliases {
		p, ok := m[canonical]
		if !ok {
			panic("config: alias " + alias + " of unknown parameter " + canonical)
		}
		m[alias] = p
	}
	return m
}()

// names lists every name CONFIG GET can answer with, canonical and alias,
// sorted, so that glob results come in a stable order.
var names = func() []string {
	n := make([]string, 0, len(byName))
	for name := range byName {
		n = append(n, name)
	}
	sort.Strings(n)
	return n
}()

// mustParam returns the parameter called name; for the accessors' indexes.
func mustParam(name string) int {
	i, ok := byName[name]
	if !ok {
		panic("config: unknown parameter " + name)
	}
	return i
}

// value is one parameter's current value: the canonical string that
// CONFIG GET prints, plus its int64 view for the typed accessors. Both are
// atomics so readers never lock.
type value struct {
	str atomic.Pointer[string]
	num atomic.Int64
}

// Config is the server's parameter set. It is safe for concurrent use:
// reads are lock-free atomic loads; Set, Rewrite and OnChange serialize on
// writeMu.
type Config struct {
	values   []value
	defaults []string // canonical defaults (dir made absolute when created)
	outLimit atomic.Pointer[[3]OutputBufferLimit]

	writeMu   sync.Mutex
	hooks     map[int][]func(string) error
	userLines func() []string // the users of the moment, for Rewrite

	// Fixed after Load.
	file    string      // absolute path of the config file, "" if none
	renames [][2]string // rename-command directives, in order
	users   [][]string  // user directives (name, rules...), in order
}

// Default returns a Config holding the default of every parameter.
func Default() *Config {
	c := &Config{
		values:   make([]value, len(table)),
		defaults: make([]string, len(table)),
		hooks:    make(map[int][]func(string) error),
	}
	for i := range table {
		p := &table[i]
		v, err := p.normalize(p.def, p.def)
		if err != nil {
			panic("config: bad default for " + p.name + ": " + err.Error())
		}
		c.defaults[i] = v
		c.store(i, v)
	}
	return c
}

// store publishes canonical value v for parameter i.
func (c *Config) store(i int, v string) {
	p := &table[i]
	c.values[i].str.Store(&v)
	c.values[i].num.Store(p.number(v))
	if i == idxOutputBufferLimit {
		l := parseOutputLimits(v)
		c.outLimit.Store(&l)
	}
}

func (c *Config) str(i int) string { return *c.values[i].str.Load() }

// Value returns the current canonical value of parameter name (any case,
// aliases allowed), as CONFIG GET prints it.
func (c *Config) Value(name string) (string, bool) {
	i, ok := byName[strings.ToLower(name)]
	if !ok {
		return "", false
	}
	return c.str(i), true
}

// Get answers CONFIG GET: for each pattern, every matching parameter as a
// name/value pair, each name at most once. A pattern without glob syntax is
// an exact, case-insensitive lookup answered with the name as given (Redis
// 7.0 does the same); glob patterns answer with table names, canonical and
// alias alike, in sorted order. Unknown names match nothing.
func (c *Config) Get(patterns ...string) [][2]string {
	var out [][2]string
	seen := make(map[string]bool)
	add := func(name string, i int) {
		key := strings.ToLower(name)
		if seen[key] {
			return
		}
		seen[key] = true
		out = append(out, [2]string{name, c.str(i)})
	}
	for _, pat := range patterns {
		if !hasGlob(pat) {
			if i, ok := byName[strings.ToLower(pat)]; ok {
				add(pat, i)
			}
			continue
		}
		for _, name := range names {
			if globMatch(pat, name) {
				add(name, byName[name])
			}
		}
	}
	return out
}

// File returns the absolute path of the config file the server was started
// with, or "" when it had none (or read it from stdin).
func (c *Config) File() string { return c.file }

// RenameCommands returns the rename-command directives in file order: each
// is {command, new name}; an empty new name disables the command.
func (c *Config) RenameCommands() [][2]string {
	return append([][2]string(nil), c.renames...)
}

// OnChange registers fn to run when CONFIG SET changes parameter name (any
// alias). fn receives the new canonical value; an error aborts the Set,
// which then restores the old values and calls the hooks that already ran
// again with their old values. Hooks run in the order the parameters were
// given, with Set's lock held: they may call Get, Value and the
// accessors, not Set, Rewrite or OnChange. OnChange panics on an unknown name: that is a programming
// error.
func (c *Config) OnChange(name string, fn func(value string) error) {
	i, ok := byName[strings.ToLower(name)]
	if !ok {
		panic("config: OnChange of unknown parameter " + name)
	}
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	c.hooks[i] = append(c.hooks[i], fn)
}
