package main

import (
	"fmt"
	"strings"
)

// testDef is one named load, spelled as redis-benchmark spells it so that
// -t selects the same tests and output lines can be compared.
type testDef struct {
	name   string   // shown in output ("MSET (10 keys)")
	id     string   // matched by -t ("mset")
	args   []string // request; valueArg is the payload, __rand_int__ a key slot
	inline string   // raw inline request instead of args (PING_INLINE)
}

// catalog lists the built-in tests in redis-benchmark's order. The data
// types added to Cairn later only need their line here.
func catalog() []testDef {
	mset := []string{"MSET"}
	for i := 0; i < 10; i++ {
		mset = append(mset, "key:"+randMarker, valueArg)
	}
	return []testDef{
		{name: "PING_INLINE", id: "ping_inline", inline: "PING\r\n"},
		{name: "PING_MBULK", id: "ping_mbulk", args: []string{"PING"}},
		{name: "SET", id: "set", args: []string{"SET", "key:" + randMarker, valueArg}},
		{name: "GET", id: "get", args: []string{"GET", "key:" + randMarker}},
		{name: "INCR", id: "incr", args: []string{"INCR", "counter:" + randMarker}},
		{name: "LPUSH", id: "lpush", args: []string{"LPUSH", "mylist", valueArg}},
		{name: "RPUSH", id: "rpush", args: []string{"RPUSH", "mylist", valueArg}},
		{name: "LPOP", id: "lpop", args: []string{"LPOP", "mylist"}},
		{name: "RPOP", id: "rpop", args: []string{"RPOP", "mylist"}},
		{name: "SADD", id: "sadd", args: []string{"SADD", "myset", "element:" + randMarker}},
		{name: "HSET", id: "hset", args: []string{"HSET", "myhash", "element:" + randMarker, valueArg}},
		{name: "SPOP", id: "spop", args: []string{"SPOP", "myset"}},
		{name: "ZADD", id: "zadd", args: []string{"ZADD", "myzset", "0", "element:" + randMarker}},
		{name: "ZPOPMIN", id: "zpopmin", args: []string{"ZPOPMIN", "myzset"}},
		{name: "MSET (10 keys)", id: "mset", args: mset},
	}
}

// mixedID selects the --ratio load with -t.
const mixedID = "mixed"

// selectTests resolves -t (comma separated, case-insensitive; "ping"
// means both PING tests). An empty list means every catalog test, or only
// the mixed load when --ratio is given.
func selectTests(list string, ratioSet bool) ([]testDef, bool, error) {
	all := catalog()
	if strings.TrimSpace(list) == "" {
		if ratioSet {
			return nil, true, nil
		}
		return all, false, nil
	}
	want := map[string]bool{}
	for _, w := range strings.Split(strings.ToLower(list), ",") {
		if w = strings.TrimSpace(w); w != "" {
			want[w] = true
		}
	}
	var out []testDef
	mixed := false
	known := map[string]bool{"ping": true}
	for _, t := range all {
		known[t.id] = true
		if want[t.id] || (want["ping"] && strings.HasPrefix(t.id, "ping_")) {
			out = append(out, t)
		}
	}
	if want[mixedID] {
		if !ratioSet {
			return nil, false, fmt.Errorf("-t mixed needs --ratio R:W")
		}
		mixed = true
	}
	known[mixedID] = true
	for w := range want {
		if !known[w] {
			return nil, false, fmt.Errorf("unknown test %q in -t", w)
		}
	}
	return out, mixed, nil
}

// ratio is --ratio R:W: R reads (GET) for every W writes (SET).
type ratio struct{ reads, writes int }

func parseRatio(s string) (ratio, error) {
	var r ratio
	if _, err := fmt.Sscanf(s, "%d:%d", &r.reads, &r.writes); err != nil ||
		r.reads < 0 || r.writes < 0 || r.reads+r.writes == 0 || fmt.Sprintf("%d:%d", r.reads, r.writes) != s {
		return ratio{}, fmt.Errorf("bad --ratio %q (want R:W, e.g. 10:1 for ten GETs per SET)", s)
	}
	return r, nil
}

// String names the mixed load in output.
func (r ratio) String() string { return fmt.Sprintf("MIXED %d:%d", r.reads, r.writes) }
