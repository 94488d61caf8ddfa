package command

import (
	"strings"
	"testing"
)

// TestACLRestrictedSession drives one session through AUTH as a limited
// user, the NOPERM replies for command and key, HELLO AUTH, and RESET.
func TestACLRestrictedSession(t *testing.T) {
	e, s := commandTestEngine(t, 2)
	run := func(args ...string) string { return string(runCommand(e, s, args...)) }
	if got := run("ACL", "SETUSER", "u", "on", ">pw", "~k*", "+get", "+acl|whoami"); got != "+OK\r\n" {
		t.Fatalf("SETUSER = %q", got)
	}
	for _, tc := range []struct{ args, want string }{
		{"AUTH u bad", "-WRONGPASS invalid username-password pair or user is disabled.\r\n"},
		{"AUTH u pw", "+OK\r\n"},
		{"ACL WHOAMI", "$1\r\nu\r\n"},
		{"GET k1", "$-1\r\n"},
		{"GET x", "-NOPERM this user has no permissions to access one of the keys used as arguments\r\n"},
		{"SET k1 v", "-NOPERM this user has no permissions to run the 'set' command\r\n"},
		{"ACL LIST", "-NOPERM this user has no permissions to run the 'acl|list' command\r\n"},
		{"HELLO 2 AUTH default x", "*14\r\n"},
		{"ACL WHOAMI", "$7\r\ndefault\r\n"},
	} {
		if got := run(strings.Fields(tc.args)...); !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s = %q, want %q", tc.args, got, tc.want)
		}
	}
	log := run("ACL", "LOG")
	for _, want := range []string{"$8\r\nacl|list\r\n", "$3\r\nset\r\n", "$1\r\nx\r\n", "$4\r\nAUTH\r\n"} {
		if !strings.Contains(log, want) {
			t.Errorf("ACL LOG lacks %q:\n%s", want, log)
		}
	}
	if got := run("ACL", "SETUSER", "default", ">secret"); got != "+OK\r\n" {
		t.Fatal(got)
	}
	if got := run("RESET"); got != "+RESET\r\n" || s.Authed {
		t.Fatalf("RESET = %q, authed %v: the default user now needs a password", got, s.Authed)
	}
}

// TestACLCheckRestrictedNoAllocs: the check of a limited user's command
// without keys stays allocation-free too.
func TestACLCheckRestrictedNoAllocs(t *testing.T) {
	e, s := commandTestEngine(t, 2)
	runCommand(e, s, "ACL", "SETUSER", "u", "on", "nopass", "allkeys", "+ping")
	runCommand(e, s, "AUTH", "u", "x")
	c := &Ctx{E: e, S: s, Args: [][]byte{[]byte("PING")}}
	allocs := testing.AllocsPerRun(100, func() {
		c.Out = c.Out[:0]
		e.Exec(c)
	})
	if string(c.Out) != "+PONG\r\n" || allocs != 0 {
		t.Fatalf("PING as u: %q, %v allocs", c.Out, allocs)
	}
}
