package main

import (
	"fmt"
	"strconv"

	"cairn/internal/testutil"
)

// value is a decoded RESP3 reply. Maps keep their wire order, which is
// also the order Cairn must reply in.
type value struct {
	kind  byte // 's' string, 'i' integer, 'a' array or set, 'm' map, 'n' null
	str   string
	num   int64
	elems []value // for maps: keys and values alternate
}

func decode(f testutil.Frame) (value, error) {
	switch f.Type {
	case '+', '-':
		return value{kind: 's', str: string(f.Head[1:])}, nil
	case '$', '=':
		if f.IsNull() {
			return value{kind: 'n'}, nil
		}
		return value{kind: 's', str: string(f.Body)}, nil
	case ':':
		n, err := strconv.ParseInt(string(f.Head[1:]), 10, 64)
		return value{kind: 'i', num: n}, err
	case '_':
		return value{kind: 'n'}, nil
	case '*', '~', '%':
		if f.IsNull() {
			return value{kind: 'n'}, nil
		}
		v := value{kind: 'a'}
		if f.Type == '%' {
			v.kind = 'm'
		}
		for _, e := range f.Elems {
			d, err := decode(e)
			if err != nil {
				return value{}, err
			}
			v.elems = append(v.elems, d)
		}
		return v, nil
	}
	return value{}, fmt.Errorf("specgen: unexpected reply type %q", f.Type)
}

// get returns the value of key in map v, and whether it is there.
func (v value) get(key string) (value, bool) {
	for i := 0; i+1 < len(v.elems); i += 2 {
		if v.elems[i].str == key {
			return v.elems[i+1], true
		}
	}
	return value{}, false
}

func (v value) strs() []string {
	var out []string
	for _, e := range v.elems {
		out = append(out, e.str)
	}
	return out
}
