package acl

import (
	"strings"
	"testing"
)

// TestDescribeLikeRedis checks ACL LIST lines against what redis-server
// 7.0.15 printed for the same SETUSER rules (single commands re-sorted by
// name, since Redis lists them in hash-table order).
func TestDescribeLikeRedis(t *testing.T) {
	cases := []struct{ rules, want string }{
		{"", "off resetchannels -@all"},
		{"on >pw ~foo* %R~bar* &ch* +get +@string -set +config|get +select|0",
			"on #30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4 ~foo* %R~bar* resetchannels &ch* -@all +@string +config|get +select|0 -set"},
		{"-@all +@read +@write", "off resetchannels -@all +@write +@read"},
		{"+@all -@read -@write", "off resetchannels +@all -@write -@read"},
		{"-@all +@hyperloglog +@geo +@bitmap", "off resetchannels -@all +@geo +@bitmap +@hyperloglog"},
		{"-@all +@hash +@set +@list", "off resetchannels -@all +@list +@hash +@set"},
		{"-@all +@read +@write +@keyspace", "off resetchannels -@all +@write +@read +object|help"},
		{"-@all +@slow +@fast", "off resetchannels -@all +@slow +@fast"},
		{"-@all +@string -set -get -mget -incr -decr -append -strlen -setnx -setex -psetex -getset -getdel -getex -incrby -decrby -mset -msetnx",
			"off resetchannels -@all +getrange +incrbyfloat +lcs +setrange +substr"},
		{"-@all +get +set +mget +incr +decr +append +strlen +setnx +setex +psetex +getset +getdel +getex +incrby +decrby +mset +msetnx +substr +getrange +setrange +incrbyfloat +lcs",
			"off resetchannels -@all +@string"},
		{"+@all -get +config|get", "off resetchannels +@all -get"},
		{"allcommands -config +config|get", "off resetchannels +@all -config +config|get"},
		{"nocommands +client|list +client|kill", "off resetchannels -@all +client|kill +client|list"},
		{"-@all +select|0 +select|1", "off resetchannels -@all +select|0 +select|1"},
		{"-@all +select|0 +select|1 +select", "off resetchannels -@all +select"},
		{"-@all +get|foo", "off resetchannels -@all +get|foo"},
		{"resetkeys ~a %R~a %W~a", "off ~a resetchannels -@all"},
		{"allchannels resetchannels &a &a", "off resetchannels &a -@all"},
		{">a >a >b nopass", "off nopass resetchannels -@all"},
		{"skip-sanitize-payload nopass >c", "off skip-sanitize-payload #2e7d2c03a9507ae265ecf5b5356885a53393a2029d241394997265a1a25aefc6 resetchannels -@all"},
		{"skip-sanitize-payload reset", "off sanitize-payload resetchannels -@all"},
		{"on ~k* +get (~x* +set) (%R~y +@read -@string)", "on ~k* resetchannels -@all +get (~x* resetchannels -@all +set) (%R~y resetchannels -@all +@bitmap +@geo +@hash +@set +@sortedset"},
	}
	for _, tc := range cases {
		r := NewRegistry(NewCatalog(), nil)
		ops, _, ok := MergeSelectors(strings.Fields(tc.rules))
		if !ok {
			t.Fatalf("%q: unmatched", tc.rules)
		}
		if err := r.SetUser("u", ops); err != nil {
			t.Fatalf("%q: %v", tc.rules, err)
		}
		got := r.cat.Describe(r.Get("u").Rules())
		if strings.HasSuffix(tc.want, "+@sortedset") {
			// The rest of that line is single commands; check the prefix.
			got = got[:min(len(got), len(tc.want))]
		}
		if got != tc.want {
			t.Errorf("SETUSER u %s:\n got %q\nwant %q", tc.rules, got, tc.want)
		}
	}
	r := NewRegistry(NewCatalog(), nil)
	if got := r.Line(r.Default()); got != "user default on nopass ~* &* +@all" {
		t.Errorf("default = %q", got)
	}
}

func TestSetUserErrors(t *testing.T) {
	cases := []struct{ op, want string }{
		{"~foo", "Error in ACL SETUSER modifier '~foo': Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns"},
		{"&x", "Error in ACL SETUSER modifier '&x': Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels"},
		{"#abc", "Error in ACL SETUSER modifier '#abc': The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters"},
		{"<nopw", "Error in ACL SETUSER modifier '<nopw': The password you are trying to remove from the user does not exist"},
		{"+nosuch", "Error in ACL SETUSER modifier '+nosuch': Unknown command or category name in ACL"},
		{"+@nosuch", "Error in ACL SETUSER modifier '+@nosuch': Unknown command or category name in ACL"},
		{"+config|nosuch", "Error in ACL SETUSER modifier '+config|nosuch': Unknown command or category name in ACL"},
		{"-select|0", "Error in ACL SETUSER modifier '-select|0': Unknown command or category name in ACL"},
		{"+select|0|1", "Error in ACL SETUSER modifier '+select|0|1': Unknown command or category name in ACL"},
		{"+config|get|x", "Error in ACL SETUSER modifier '+config|get|x': Allowing first-arg of a subcommand is not supported"},
		{"%X~a", "Error in ACL SETUSER modifier '%X~a': Syntax error"},
		{"%~a", "Error in ACL SETUSER modifier '%~a': Syntax error"},
		{"%", "Error in ACL SETUSER modifier '%': Syntax error"},
		{"bogus", "Error in ACL SETUSER modifier 'bogus': Syntax error"},
	}
	for _, tc := range cases {
		r := NewRegistry(NewCatalog(), nil)
		first := "resetkeys"
		if tc.op[0] == '~' {
			first = "~*"
		}
		err := r.SetUser("u", []string{first, "&*", tc.op})
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: got %v\nwant %s", tc.op, err, tc.want)
		}
		if r.Get("u") != nil {
			t.Errorf("%s: failed SETUSER created the user", tc.op)
		}
	}
}

func TestCheck(t *testing.T) {
	cat := NewCatalog()
	r := NewRegistry(cat, nil)
	if err := r.SetUser("v", []string{"on", ">pw", "~k*", "%R~r*", "%W~w*", "+get", "+set", "+config|get", "+select|0", "+copy"}); err != nil {
		t.Fatal(err)
	}
	rules := r.Get("v").Rules()
	args := func(s string) [][]byte {
		var out [][]byte
		for _, f := range strings.Fields(s) {
			out = append(out, []byte(f))
		}
		return out
	}
	check := func(line string, keys []KeyRef) (Reason, int) {
		a := args(line)
		name := strings.ToLower(string(a[0]))
		sub := false
		if id := cat.ID(name); id >= 0 && cat.HasSubcommands(id) && len(a) > 1 {
			name += "|" + strings.ToLower(string(a[1]))
			sub = true
		}
		req := &Request{ID: cat.ID(name), Sub: sub, Args: a}
		if keys != nil {
			req.Keys = func() []KeyRef { return keys }
		}
		return cat.Check(rules, req)
	}
	rw := []KeyRef{{Pos: 1, Perm: PermRead}}
	for _, tc := range []struct {
		line string
		keys []KeyRef
		why  Reason
		pos  int
	}{
		{"get k1", rw, Allowed, 0},
		{"get x", rw, DeniedKey, 1},
		{"get w1", rw, DeniedKey, 1},
		{"get r1", rw, Allowed, 0},
		{"del k1", rw, DeniedCommand, 0},
		{"set w1 a", []KeyRef{{1, PermWrite}}, Allowed, 0},
		{"copy r1 w1", []KeyRef{{1, PermRead}, {2, PermWrite}}, Allowed, 0},
		{"copy w1 r1", []KeyRef{{1, PermRead}, {2, PermWrite}}, DeniedKey, 1},
		{"config get x", nil, Allowed, 0},
		{"config set x y", nil, DeniedCommand, 0},
		{"select 0", nil, Allowed, 0},
		{"SELECT 1", nil, DeniedCommand, 0},
	} {
		why, pos := check(tc.line, tc.keys)
		if why != tc.why || pos != tc.pos {
			t.Errorf("%s: got %v at %d, want %v at %d", tc.line, why, pos, tc.why, tc.pos)
		}
	}
	if r.Authenticate([]byte("v"), []byte("pw")) == nil || r.Authenticate([]byte("v"), []byte("px")) != nil {
		t.Error("Authenticate")
	}
}

func TestGlob(t *testing.T) {
	for _, tc := range []struct {
		p, s string
		ok   bool
	}{
		{"*", "", true}, {"a*", "abc", true}, {"a*c", "abxc", true}, {"a?c", "abc", true},
		{"a[bx]c", "axc", true}, {"a[^b]c", "abc", false}, {"a[a-c]", "ab", true},
		{"a\\*", "a*", true}, {"a\\*", "ab", false}, {"k*", "x", false}, {"*b*d", "abcd", true},
	} {
		if got := globMatch(tc.p, []byte(tc.s)); got != tc.ok {
			t.Errorf("glob %q %q = %v", tc.p, tc.s, got)
		}
	}
}

func TestLogGroups(t *testing.T) {
	var l Log
	l.Add(LogEntry{Reason: DeniedCommand, Context: "toplevel", Object: "get", Username: "u", Created: 1000}, 2)
	l.Add(LogEntry{Reason: DeniedKey, Context: "toplevel", Object: "k", Username: "u", Created: 2000}, 2)
	l.Add(LogEntry{Reason: DeniedCommand, Context: "toplevel", Object: "get", Username: "u", Created: 3000, ClientInfo: "x"}, 2)
	got := l.Newest(10)
	if len(got) != 2 || got[0].Object != "get" || got[0].Count != 2 || got[0].ClientInfo != "x" || got[1].Object != "k" {
		t.Fatalf("log = %+v", got)
	}
	l.Add(LogEntry{Reason: DeniedCommand, Context: "toplevel", Object: "get", Username: "u", Created: 3000 + logGroupWindow + 1}, 2)
	l.Add(LogEntry{Reason: DeniedAuth, Context: "toplevel", Object: "AUTH", Username: "u", Created: 100000}, 2)
	got = l.Newest(10)
	if len(got) != 2 || got[0].Object != "AUTH" || got[1].Count != 1 {
		t.Fatalf("log = %+v", got)
	}
}

func TestFileRoundTrip(t *testing.T) {
	r := NewRegistry(NewCatalog(), nil)
	if err := r.SetUser("a", []string{"on", ">x", "~k*", "+@read", "(~y +set)"}); err != nil {
		t.Fatal(err)
	}
	text := r.FileText()
	r2 := NewRegistry(NewCatalog(), nil)
	users, msg := r2.ParseFile(text, "f.acl")
	if msg != "" {
		t.Fatal(msg)
	}
	r2.replace(users)
	if got := r2.FileText(); got != text {
		t.Errorf("round trip:\n%s\n%s", text, got)
	}
	_, msg = r2.ParseFile("user a on\nfoo\nuser a off +nosuch\nuser b +nosuch %X~y\n", "f.acl")
	want := "f.acl:2 should start with user keyword followed by the username. WARNING: Duplicate user 'a' found on line 3. f.acl:4: Unknown command or category name in ACL. f.acl:4: Syntax error. WARNING: ACL errors detected, no change to the previously active ACL rules was performed"
	if msg != want {
		t.Errorf("errors:\n got %q\nwant %q", msg, want)
	}
}
