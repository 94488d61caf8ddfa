package integration

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cairn/internal/testutil"
)

// Whether a command needs authentication is decided when it runs: a
// client that connected while requirepass was set and never sent AUTH is
// let in once requirepass is cleared, and refused again once it is set
// again. Same replies from Cairn and from redis-server.
func TestAuthFollowsRequirepass(t *testing.T) {
	for name, p := range map[string]*testutil.Proc{
		"cairn": testutil.StartCairn(t, "--requirepass", "pw"),
		"redis": testutil.StartRedis(t, "--requirepass", "pw"),
	} {
		t.Run(name, func(t *testing.T) {
			stranger := testutil.Dial(t, p.Addr())
			admin := testutil.Dial(t, p.Addr())
			steps := []struct {
				c    *testutil.RawConn
				args []string
				want string
			}{
				{stranger, []string{"GET", "k"}, "-NOAUTH Authentication required.\r\n"},
				{admin, []string{"AUTH", "pw"}, "+OK\r\n"},
				{admin, []string{"CONFIG", "SET", "requirepass", ""}, "+OK\r\n"},
				{stranger, []string{"GET", "k"}, "$-1\r\n"},
				// HELLO itself still asks for a client that authenticated.
				{stranger, []string{"HELLO", "3"}, "-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time\r\n"},
				{admin, []string{"CONFIG", "SET", "requirepass", "pw2"}, "+OK\r\n"},
				{stranger, []string{"GET", "k"}, "-NOAUTH Authentication required.\r\n"},
				{admin, []string{"GET", "k"}, "$-1\r\n"}, // authenticated before: stays so
			}
			for i, st := range steps {
				got := string(st.c.Do(st.args...))
				if got != st.want {
					t.Fatalf("step %d %v: %q, want %q", i, st.args, got, st.want)
				}
			}
		})
	}
}

// An ACL file that does not load stops the server at start-up, as in
// Redis, instead of running with users other than the configured ones.
func TestBadACLFileRefusesStart(t *testing.T) {
	dir := t.TempDir()
	acl := filepath.Join(dir, "users.acl")
	must(t, os.WriteFile(acl, []byte("user app on >pw ~* +@no-such-category\n"), 0o644))
	code, out := runToExit(t, dir, "--port", "0", "--aclfile", acl)
	if code != 1 || !strings.Contains(out, "users.acl:1") {
		t.Fatalf("exit code %d, output:\n%s", code, out)
	}
}

// "user" lines of the config file (here on the command line, which
// redis-server turns into config lines too) declare ACL users at start-up:
// same ACL LIST, same AUTH and NOPERM replies from Cairn and redis-server.
func TestConfigUserDirectives(t *testing.T) {
	users := []string{"--user", "app", "on", ">pw", "~app:*", "+@all", "--user", "default", "on", "nopass", "~*", "+@all", "-@write"}
	var got [2][]string
	for i, p := range []*testutil.Proc{testutil.StartRedis(t, users...), testutil.StartCairn(t, users...)} {
		c := testutil.Dial(t, p.Addr())
		for _, args := range [][]string{
			{"ACL", "LIST"},
			{"SET", "k", "v"},
			{"AUTH", "app", "pw"},
			{"SET", "app:1", "v"},
			{"SET", "other", "v"},
		} {
			got[i] = append(got[i], string(c.Do(args...)))
		}
	}
	for j := range got[0] {
		if got[1][j] != got[0][j] {
			t.Errorf("step %d: cairn %q, redis %q", j, got[1][j], got[0][j])
		}
	}
	if !strings.Contains(got[0][0], "user app on #") || !strings.HasPrefix(got[0][1], "-NOPERM") {
		t.Fatalf("redis-server did not take the user lines: %q", got[0][:2])
	}
}

// User lines together with an aclfile stop the server at start-up, as
// they stop redis-server.
func TestConfigUsersAndACLFileRefuseStart(t *testing.T) {
	dir := t.TempDir()
	acl := filepath.Join(dir, "users.acl")
	must(t, os.WriteFile(acl, nil, 0o644))
	code, out := runToExit(t, dir, "--port", "0", "--aclfile", acl, "--user", "app", "on", ">pw")
	if code != 1 || !strings.Contains(out, "aclfile") {
		t.Fatalf("exit code %d, output:\n%s", code, out)
	}
}
