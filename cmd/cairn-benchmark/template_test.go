package main

import (
	"bytes"
	"testing"

	"cairn/internal/resp"
)

type constKeys uint64

func (k constKeys) next() uint64 { return uint64(k) }

func TestTemplateMatchesAppendCommand(t *testing.T) {
	cases := []struct {
		args  []string
		subst bool
		key   uint64
		size  int
		want  []string
	}{
		{[]string{"SET", "key:" + randMarker, valueArg}, true, 42, 3,
			[]string{"SET", "key:000000000042", "xxx"}},
		{[]string{"SET", "key:" + randMarker, valueArg}, false, 42, 0,
			[]string{"SET", "key:__rand_int__", ""}},
		{[]string{"HSET", "h", randMarker + "-" + randMarker, valueArg}, true, 1234567890123, 5,
			[]string{"HSET", "h", "234567890123-234567890123", "xxxxx"}},
		{[]string{"PING"}, true, 0, 0, []string{"PING"}},
	}
	for _, c := range cases {
		tm := compile(c.args, c.subst)
		got := tm.appendTo(nil, constKeys(c.key), fixedSize(c.size))
		want := resp.AppendCommandStrings(nil, c.want...)
		if !bytes.Equal(got, want) {
			t.Errorf("%q: got %q want %q", c.args, got, want)
		}
	}
}

func TestAppendDigits12(t *testing.T) {
	if got := string(appendDigits12([]byte("k:"), 7)); got != "k:000000000007" {
		t.Fatalf("got %q", got)
	}
}

func TestTemplateDoesNotAllocate(t *testing.T) {
	tm := compile([]string{"SET", "key:" + randMarker, valueArg}, true)
	ks, _ := newKeyspace(distZipfian, 1000)
	keys := ks.source(1)
	vals := &sizeRange{lo: 1, span: 100, r: rng{s: 3}}
	buf := make([]byte, 0, 1<<16)
	allocs := testing.AllocsPerRun(100, func() {
		b := buf[:0]
		for i := 0; i < 100; i++ {
			b = tm.appendTo(b, keys, vals)
		}
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per batch, want 0", allocs)
	}
}

func TestParseSizeAndRatio(t *testing.T) {
	if lo, hi, err := parseSize("16-256"); err != nil || lo != 16 || hi != 256 {
		t.Fatalf("parseSize range: %d %d %v", lo, hi, err)
	}
	if lo, hi, err := parseSize("3"); err != nil || lo != 3 || hi != 3 {
		t.Fatalf("parseSize fixed: %d %d %v", lo, hi, err)
	}
	for _, bad := range []string{"", "x", "5-2", "-1", "1-"} {
		if _, _, err := parseSize(bad); err == nil {
			t.Errorf("parseSize(%q) accepted", bad)
		}
	}
	if r, err := parseRatio("1:10"); err != nil || r.reads != 1 || r.writes != 10 {
		t.Fatalf("parseRatio: %+v %v", r, err)
	}
	for _, bad := range []string{"0:0", "1", "a:b", "1:2:3", "-1:2"} {
		if _, err := parseRatio(bad); err == nil {
			t.Errorf("parseRatio(%q) accepted", bad)
		}
	}
}

func TestSelectTests(t *testing.T) {
	defs, mixed, err := selectTests("ping,SET,mset", false)
	if err != nil || mixed {
		t.Fatal(err, mixed)
	}
	var names []string
	for _, d := range defs {
		names = append(names, d.name)
	}
	want := "[PING_INLINE PING_MBULK SET MSET (10 keys)]"
	if got := sprint(names); got != want {
		t.Fatalf("got %s want %s", got, want)
	}
	if _, _, err := selectTests("nosuch", false); err == nil {
		t.Fatal("unknown test accepted")
	}
	if _, _, err := selectTests("mixed", false); err == nil {
		t.Fatal("mixed without --ratio accepted")
	}
	if defs, mixed, err := selectTests("", true); err != nil || !mixed || len(defs) != 0 {
		t.Fatalf("--ratio alone: %v %v %v", defs, mixed, err)
	}
}
