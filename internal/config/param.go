package config

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// kind is a parameter's value type; it decides parsing, the canonical
// CONFIG GET form and how CONFIG REWRITE writes the value.
type kind uint8

const (
	kindBool    kind = iota // yes / no
	kindInt                 // Redis-strict decimal integer within [min, max]
	kindMemory              // bytes, with optional k/kb/m/mb/g/gb unit, within [min, max]
	kindEnum                // one of enum (case-insensitive), stored lower-case
	kindString              // any bytes
	kindSpecial             // own parse / rewrite functions (save, bind, ...)
)

type flags uint8

const (
	// immutable parameters are set only at startup; CONFIG SET refuses them.
	immutable flags = 1 << iota
	// protected parameters are refused by CONFIG SET unless
	// enable-protected-configs is yes.
	protected
	// multiArg parameters take several arguments on a config line (joined
	// with single spaces) and a space-separated list in CONFIG SET.
	multiArg
)

// param describes one configuration parameter. The table in table.go holds
// one per canonical name; aliases point at the same param.
type param struct {
	name     string
	kind     kind
	def      string // default, already canonical
	min, max int64  // bounds for kindInt and kindMemory
	clampMax int64  // if >0, kindInt values above are lowered to it (hz)
	clampMin int64  // with clampMax: values below are raised to it
	enum     []string
	hidden   []string // accepted enum values that errors do not advertise
	flags    flags
	// parse, for kindSpecial (and to add checks to other kinds), turns a
	// value into its canonical form; cur is the current canonical value,
	// for parameters that merge (client-output-buffer-limit).
	parse func(cur, v string) (string, error)
	// rewrite renders the value as config lines; nil means "name value".
	rewrite func(p *param, v string) []string
}

func (p param) immutable() param { p.flags |= immutable; return p }
func (p param) protected() param { p.flags |= protected; return p }

func boolParam(name, def string) param { return param{name: name, kind: kindBool, def: def} }

func intParam(name string, def, min, max int64) param {
	return param{name: name, kind: kindInt, def: strconv.FormatInt(def, 10), min: min, max: max}
}

func memParam(name string, def, min, max int64) param {
	return param{name: name, kind: kindMemory, def: strconv.FormatInt(def, 10), min: min, max: max}
}

func enumParam(name, def string, values ...string) param {
	return param{name: name, kind: kindEnum, def: def, enum: values}
}

func stringParam(name, def string) param { return param{name: name, kind: kindString, def: def} }

func specialParam(name, def string, f flags, parse func(cur, v string) (string, error), rewrite func(*param, string) []string) param {
	return param{name: name, kind: kindSpecial, def: def, flags: f, parse: parse, rewrite: rewrite}
}

// replyError is an error whose text is Redis's reply, byte for byte. It is
// protocol, so it keeps Redis's capitals and punctuation.
type replyError string

func (e replyError) Error() string { return string(e) }

// Redis's error texts for bad values; CONFIG SET prefixes them with
// "CONFIG SET failed (possibly related to argument '<name>') - ".
var (
	errNotInteger = errors.New("argument couldn't be parsed into an integer")
	errNotMemory  = errors.New("argument must be a memory value")
	errNotBool    = errors.New("argument must be 'yes' or 'no'")
)

// normalize validates v for p and returns the canonical value.
func (p *param) normalize(cur, v string) (string, error) {
	switch p.kind {
	case kindBool:
		switch strings.ToLower(v) {
		case "yes":
			v = "yes"
		case "no":
			v = "no"
		default:
			return "", errNotBool
		}
	case kindInt, kindMemory:
		var n int64
		var ok bool
		if p.kind == kindInt {
			n, ok = parseRedisInt(v)
			if !ok {
				return "", errNotInteger
			}
		} else if n, ok = parseMemory(v); !ok {
			return "", errNotMemory
		}
		if n < p.min || n > p.max {
			return "", fmt.Errorf("argument must be between %d and %d inclusive", p.min, p.max)
		}
		if p.clampMax > 0 {
			n = max(p.clampMin, min(n, p.clampMax))
		}
		v = strconv.FormatInt(n, 10)
	case kindEnum:
		found := false
		for _, e := range append(p.enum, p.hidden...) {
			if strings.EqualFold(e, v) {
				v, found = e, true
				break
			}
		}
		if !found {
			return "", fmt.Errorf("argument(s) must be one of the following: %s", strings.Join(p.enum, ", "))
		}
	}
	if p.parse != nil {
		return p.parse(cur, v)
	}
	return v, nil
}

// number is the int64 view of a canonical value kept for the typed
// accessors: bools are 0/1, enums their index, ints and memory the value.
func (p *param) number(v string) int64 {
	switch p.kind {
	case kindBool:
		if v == "yes" {
			return 1
		}
	case kindInt, kindMemory:
		n, _ := strconv.ParseInt(v, 10, 64)
		return n
	case kindEnum:
		for i, e := range p.enum {
			if e == v {
				return int64(i)
			}
		}
		return int64(len(p.enum)) // a hidden value
	}
	return 0
}

// lines renders the canonical value v as config-file lines for REWRITE.
func (p *param) lines(v string) []string {
	if p.rewrite != nil {
		return p.rewrite(p, v)
	}
	switch p.kind {
	case kindString:
		return []string{p.name + " " + quoteArg(v)}
	case kindMemory:
		n, _ := strconv.ParseInt(v, 10, 64)
		return []string{p.name + " " + formatMemoryUnit(n)}
	}
	return []string{p.name + " " + v}
}
