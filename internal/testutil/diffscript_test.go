package testutil

import (
	"strings"
	"testing"
)

func TestSplitLine(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{`SET k v`, []string{"SET", "k", "v"}},
		{`  a   b  `, []string{"a", "b"}},
		{`"a b" 'c d'`, []string{"a b", "c d"}},
		{`"\x41\x4a\n\r\t\"\\\q"`, []string{"AJ\n\r\t\"\\q"}},
		{`"\xzz"`, []string{"xzz"}},
		{`'it\'s' '\n'`, []string{"it's", `\n`}},
		{`"" ''`, []string{"", ""}},
		{`a"b`, []string{`a"b`}},
	}
	for _, c := range cases {
		toks, err := splitLine(c.in)
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		var got []string
		for _, tk := range toks {
			got = append(got, string(tk.text))
		}
		if strings.Join(got, "|") != strings.Join(c.want, "|") || len(got) != len(c.want) {
			t.Errorf("%s: got %q want %q", c.in, got, c.want)
		}
	}
	for _, bad := range []string{`"abc`, `'abc`, `"a"b`, `'a'b`} {
		if _, err := splitLine(bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestParseScript(t *testing.T) {
	src := `# comment
@proto 3
@server --requirepass "s e"
@auth secret

SET k "a b"
!sort KEYS *
!shape !resp3 HELLO
!match '^:\d+\r\n$' CLIENT ID
!approx 1 TTL k
!raw 2 "PING\r\n" {2} "x" 'y'
!rawclose "*abc\r\n"
!close QUIT
!send CLIENT REPLY OFF
!sleep 10
"!sort" x
`
	s, err := ParseScript("t.txt", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Protos) != 1 || s.Protos[0] != 3 || !s.Dedicated || s.Password != "secret" ||
		strings.Join(s.ServerArgs, "|") != "--requirepass|s e" {
		t.Fatalf("headers: %+v", s)
	}
	want := []struct {
		kind    StepKind
		mode    CompareMode
		payload string
		replies int
	}{
		{StepCommand, CompareExact, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\na b\r\n", 1},
		{StepCommand, CompareSorted, "*2\r\n$4\r\nKEYS\r\n$1\r\n*\r\n", 1},
		{StepCommand, CompareShape, "*1\r\n$5\r\nHELLO\r\n", 1},
		{StepCommand, CompareMatch, "*2\r\n$6\r\nCLIENT\r\n$2\r\nID\r\n", 1},
		{StepCommand, CompareApprox, "*2\r\n$3\r\nTTL\r\n$1\r\nk\r\n", 1},
		{StepRaw, CompareExact, "PING\r\nxxy", 2},
		{StepClose, CompareExact, "*abc\r\n", 1},
		{StepClose, CompareExact, "*1\r\n$4\r\nQUIT\r\n", 1},
		{StepSend, CompareExact, "*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$3\r\nOFF\r\n", 0},
		{StepSleep, CompareExact, "", 0},
		{StepCommand, CompareExact, "*2\r\n$5\r\n!sort\r\n$1\r\nx\r\n", 1},
	}
	if len(s.Steps) != len(want) {
		t.Fatalf("%d steps, want %d", len(s.Steps), len(want))
	}
	for i, w := range want {
		st := s.Steps[i]
		if st.Kind != w.kind || st.Mode != w.mode || string(st.Payload) != w.payload || st.Replies != w.replies {
			t.Errorf("step %d (%s): got kind %d mode %d payload %q replies %d", i, st.Text, st.Kind, st.Mode, st.Payload, st.Replies)
		}
	}
	if s.Steps[2].OnlyProto != 3 || s.Steps[4].Tolerance != 1 || s.Steps[9].SleepMS != 10 || s.Steps[0].Line != 6 {
		t.Errorf("details: %+v", s.Steps)
	}
	if s.Cases() != 10 {
		t.Errorf("Cases() = %d, want 10", s.Cases())
	}
}

func TestParseScriptErrors(t *testing.T) {
	for _, src := range []string{
		"",
		"# only a comment\n",
		"@proto 4\nPING\n",
		"PING\n@proto 2\n",
		"@nosuch\nPING\n",
		"!nosuch PING\n",
		"!sort\n",
		"!sort !shape PING\n",
		"!raw x \"PING\"\n",
		"!raw 1\n",
		"!raw 1 {3}\n",
		"!match '(' PING\n",
		"!sleep\n",
		"!sleep 5 PING\n",
		"SET \"unbalanced\n",
	} {
		if _, err := ParseScript("bad.txt", []byte(src)); err == nil {
			t.Errorf("%q: no error", src)
		}
	}
}
