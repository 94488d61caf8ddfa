package command

import (
	"errors"
	"strconv"
)

// keyRef is one key found in a command line: its index in the line and
// how the command treats it (key-spec flags, as COMMAND GETKEYSANDFLAGS
// prints them).
type keyRef struct {
	Pos   int
	Flags []string
}

// errKeySpec reports a command line the key specs cannot be applied to,
// such as a key count that is not a number.
var errKeySpec = errors.New("command: key specs do not fit the arguments")

// keysOf returns the indexes in args (args[0] being the command name) of
// the keys the command would touch, found through its key specs the way
// Redis 7.0 does. Positions beyond the end of a variadic command's
// arguments are skipped; the command reports that itself.
func keysOf(cmd *Command, args [][]byte) ([]int, error) {
	refs, err := keyRefsOf(cmd, args)
	if err != nil {
		return nil, err
	}
	out := make([]int, len(refs))
	for i, r := range refs {
		out[i] = r.Pos
	}
	return out, nil
}

// keyRefsOf is keysOf with each key's flags.
func keyRefsOf(cmd *Command, args [][]byte) ([]keyRef, error) {
	if resolve := variableKeyFlags[cmd.FullName]; resolve != nil {
		return resolve(args), nil
	}
	var out []keyRef
	for i := range cmd.KeySpecs {
		ks := &cmd.KeySpecs[i]
		if hasString(ks.Flags, "incomplete") {
			return nil, errKeySpec
		}
		first, ok, err := keySpecStart(ks, args)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		var last, step int
		switch ks.FindKeys {
		case "range":
			switch {
			case ks.LastKey >= 0:
				last = first + ks.LastKey
			case ks.Limit == 0:
				last = len(args) + ks.LastKey
			default:
				last = first + (len(args)-first)/ks.Limit + ks.LastKey
			}
			step = ks.KeyStep
		case "keynum":
			if first+ks.KeyNumIdx >= len(args) {
				return nil, errKeySpec
			}
			num := args[first+ks.KeyNumIdx]
			n, err := strconv.ParseInt(string(num), 10, 64)
			if err != nil || n < 0 || num[0] == '+' {
				return nil, errKeySpec
			}
			first += ks.FirstKey
			// Positions past the end are skipped below, so a huge
			// count need not be walked.
			last = first + int(min(n, int64(len(args)))) - 1
			step = ks.KeyStep
		default:
			return nil, errKeySpec
		}
		if step <= 0 {
			return nil, errKeySpec
		}
		last = min(last, len(args)-1)
		for p := first; p <= last; p += step {
			if p >= len(args) || p < 1 {
				continue
			}
			out = append(out, keyRef{Pos: p, Flags: ks.Flags})
		}
	}
	return out, nil
}

// keySpecStart applies a key spec's begin_search: the index where its
// keys start, or ok=false when its keyword is absent.
func keySpecStart(ks *KeySpec, args [][]byte) (first int, ok bool, err error) {
	switch ks.BeginSearch {
	case "index":
		return ks.Index, true, nil
	case "keyword":
		start, end := ks.StartFrom, len(args)-1
		if ks.StartFrom <= 0 {
			start, end = len(args)+ks.StartFrom, 1
		}
		// The search stops before end: a keyword there would have no
		// key after it (searching forward) or be the command's first
		// argument (searching backward).
		for i := start; i != end; {
			if i >= len(args) || i < 1 {
				break
			}
			if equalFoldString(args[i], ks.Keyword) {
				return i + 1, true, nil
			}
			if start <= end {
				i++
			} else {
				i--
			}
		}
		return 0, false, nil
	}
	return 0, false, errKeySpec
}

// variableKeyFlags computes the key flags of commands whose key spec is
// marked variable_flags: the flags then depend on the arguments.
var variableKeyFlags = map[string]func(args [][]byte) []keyRef{
	"set": setKeyRefs,
}

var (
	setKeyFlagsGet   = []string{"RW", "access", "update"}
	setKeyFlagsPlain = []string{"OW", "update"}
)

// setKeyRefs: SET reads the old value only when GET is among its options.
// Redis compares the option as a C string, so "get" followed by a NUL
// byte counts too.
func setKeyRefs(args [][]byte) []keyRef {
	for _, a := range args[min(3, len(args)):] {
		if equalFoldString([]byte(cstring(a)), "get") {
			return []keyRef{{Pos: 1, Flags: setKeyFlagsGet}}
		}
	}
	return []keyRef{{Pos: 1, Flags: setKeyFlagsPlain}}
}

func equalFoldString(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := 0; i < len(b); i++ {
		if lowerASCII(b[i]) != lowerASCII(s[i]) {
			return false
		}
	}
	return true
}
