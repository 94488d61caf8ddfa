package config

import (
	"reflect"
	"testing"
)

func TestGlobMatch(t *testing.T) {
	tests := []struct {
		pat, name string
		want      bool
	}{
		{"*", "port", true}, {"p*", "port", true}, {"*rt", "port", true}, {"p*t", "port", true},
		{"p?rt", "port", true}, {"p?rt", "prt", false}, {"po[rs]t", "port", true}, {"po[^r]t", "port", false},
		{"po[^a-o]t", "port", true}, {"po[a-z]t", "port", true}, {"po[z-a]t", "port", true}, {"po[a-c]t", "port", false},
		{`p\ort`, "port", true}, {`po[\r]t`, "port", true}, {"PORT", "port", true}, {"P*T", "port", true},
		{"*max*", "maxmemory", true}, {"", "", true}, {"", "x", false}, {"x", "", false}, {"**", "", true},
		{"[", "p", false}, {"po[rt", "por", true}, {`a\`, "a\\", true}, {"*a", "bbb", false},
	}
	for _, tt := range tests {
		if got := globMatch(tt.pat, tt.name); got != tt.want {
			t.Errorf("globMatch(%q, %q) = %v, want %v", tt.pat, tt.name, got, tt.want)
		}
	}
}

func TestGet(t *testing.T) {
	c := Default()
	names := func(r [][2]string) []string {
		var n []string
		for _, kv := range r {
			n = append(n, kv[0])
		}
		return n
	}
	tests := []struct {
		patterns []string
		want     []string
	}{
		{[]string{"port"}, []string{"port"}},
		{[]string{"PORT"}, []string{"PORT"}},
		{[]string{"HASH-MAX-ZIPLIST-ENTRIES"}, []string{"HASH-MAX-ZIPLIST-ENTRIES"}},
		{[]string{"hash-max-*"}, []string{"hash-max-listpack-entries", "hash-max-listpack-value", "hash-max-ziplist-entries", "hash-max-ziplist-value"}},
		{[]string{"port", "maxmemory", "port", "PORT"}, []string{"port", "maxmemory"}},
		{[]string{"p[^a-o]rt", "po?t", `p\ort`}, []string{"port"}},
		{[]string{"nosuch", "nosuch*"}, nil},
		{[]string{"*maxmemory-pol*"}, []string{"maxmemory-policy"}},
		{[]string{"slaveof"}, []string{"slaveof"}},
	}
	for _, tt := range tests {
		if got := names(c.Get(tt.patterns...)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Get(%q) names = %q, want %q", tt.patterns, got, tt.want)
		}
	}
	all := c.Get("*")
	if len(all) != len(table)+len(aliases) {
		t.Errorf("Get(*) returned %d pairs, want %d", len(all), len(table)+len(aliases))
	}
	for i := 1; i < len(all); i++ {
		if all[i-1][0] >= all[i][0] {
			t.Fatalf("Get(*) not sorted at %q, %q", all[i-1][0], all[i][0])
		}
	}
	if got := c.Get("hash-max-ziplist-entries"); got[0][1] != "512" {
		t.Errorf("alias value = %q", got)
	}
}
