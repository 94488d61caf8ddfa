package integration

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"cairn/internal/testutil"
)

// TestACLUsersWithGoRedis runs the ACL life cycle through go-redis: a
// restricted user connects with Username/Password, is refused with
// NOPERM, shows up in ACL LOG, and is disconnected by ACL DELUSER.
func TestACLUsersWithGoRedis(t *testing.T) {
	p := testutil.StartCairn(t)
	ctx := testCtx(t, 20*time.Second)
	admin := newClient(t, p, 2)
	must(t, admin.Do(ctx, "ACL", "SETUSER", "app", "on", ">s3cret", "~app:*", "+@read", "+set", "+ping").Err())

	app := redis.NewClient(&redis.Options{Addr: p.Addr(), Username: "app", Password: "s3cret", PoolSize: 1, MaxRetries: -1})
	t.Cleanup(func() { app.Close() })
	must(t, app.Set(ctx, "app:1", "v", 0).Err())
	if v, err := app.Get(ctx, "app:1").Result(); err != nil || v != "v" {
		t.Fatalf("GET app:1 = %q, %v", v, err)
	}
	if err := app.Get(ctx, "other").Err(); err == nil || err.Error() != "NOPERM this user has no permissions to access one of the keys used as arguments" {
		t.Fatalf("GET other: %v", err)
	}
	if err := app.Del(ctx, "app:1").Err(); err == nil || err.Error() != "NOPERM this user has no permissions to run the 'del' command" {
		t.Fatalf("DEL: %v", err)
	}
	who, err := app.Do(ctx, "ACL", "WHOAMI").Result()
	if err == nil || !strings.Contains(err.Error(), "'acl|whoami'") {
		t.Fatalf("ACL WHOAMI as app = %v, %v (app has no @slow admin rights)", who, err)
	}

	entries, err := admin.Do(ctx, "ACL", "LOG").Slice()
	must(t, err)
	// go-redis's CLIENT SETINFO on connect is refused too (oldest entry).
	if len(entries) < 3 {
		t.Fatalf("ACL LOG has %d entries, want at least 3: %v", len(entries), entries)
	}
	for i, want := range []string{"acl|whoami", "del", "other"} {
		if e := entries[i].([]interface{}); e[7] != want {
			t.Errorf("ACL LOG[%d] object = %v, want %s", i, e[7], want)
		}
	}
	first := entries[0].([]interface{})
	if first[2] != "reason" || first[3] != "command" || first[7] != "acl|whoami" || first[9] != "app" ||
		!strings.Contains(first[13].(string), "cmd=acl|whoami user=app") {
		t.Fatalf("ACL LOG[0] = %v", first)
	}

	// Wrong password: WRONGPASS and an auth entry naming the user.
	bad := redis.NewClient(&redis.Options{Addr: p.Addr(), Username: "app", Password: "nope", MaxRetries: -1})
	t.Cleanup(func() { bad.Close() })
	if err := bad.Ping(ctx).Err(); err == nil || !strings.HasPrefix(err.Error(), "WRONGPASS") {
		t.Fatalf("PING with a wrong password: %v", err)
	}

	// DELUSER closes the user's connections.
	if n, err := admin.Do(ctx, "ACL", "DELUSER", "app").Int(); err != nil || n != 1 {
		t.Fatalf("DELUSER = %d, %v", n, err)
	}
	if !waitFor(3*time.Second, func() bool {
		list, err := admin.ClientList(ctx).Result()
		return err == nil && !strings.Contains(list, "user=app")
	}) {
		t.Fatal("the deleted user's connection is still open")
	}
}

// TestACLRequirePass checks that requirepass is the default user's
// password, at start and through CONFIG SET.
func TestACLRequirePass(t *testing.T) {
	p := testutil.StartCairn(t, "--requirepass", "first")
	ctx := testCtx(t, 20*time.Second)
	c := redis.NewClient(&redis.Options{Addr: p.Addr(), Password: "first", PoolSize: 1})
	t.Cleanup(func() { c.Close() })
	must(t, c.Ping(ctx).Err())
	must(t, c.ConfigSet(ctx, "requirepass", "second").Err())
	line, err := c.Do(ctx, "ACL", "LIST").StringSlice()
	must(t, err)
	want := "user default on #" + sha256hex("second") + " ~* &* +@all"
	if len(line) != 1 || line[0] != want {
		t.Fatalf("ACL LIST = %q, want %q", line, want)
	}
	fresh := redis.NewClient(&redis.Options{Addr: p.Addr(), Password: "second", PoolSize: 1})
	t.Cleanup(func() { fresh.Close() })
	must(t, fresh.Ping(ctx).Err())
	must(t, c.ConfigSet(ctx, "requirepass", "").Err())
	if got, _ := c.Do(ctx, "ACL", "LIST").StringSlice(); len(got) != 1 || got[0] != "user default on nopass ~* &* +@all" {
		t.Fatalf("after clearing requirepass: %q", got)
	}
}

// TestACLFile saves users to the aclfile, changes them, loads the file
// back and checks that loading is all or nothing, as in Redis.
func TestACLFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "users.acl")
	must(t, os.WriteFile(file, []byte("user default on nopass ~* &* +@all\nuser ro on #"+sha256hex("pw")+" ~* resetchannels -@all +@read\n"), 0o644))
	p := testutil.StartCairn(t, "--aclfile", file)
	ctx := testCtx(t, 20*time.Second)
	c := newClient(t, p, 2)
	users, err := c.Do(ctx, "ACL", "USERS").StringSlice()
	must(t, err)
	if strings.Join(users, ",") != "default,ro" {
		t.Fatalf("users from the file = %q (is Engine.ACLError checked at start?)", users)
	}
	must(t, c.Do(ctx, "ACL", "SETUSER", "extra", "on", "nopass", "+get").Err())
	must(t, c.Do(ctx, "ACL", "SAVE").Err())
	saved, err := os.ReadFile(file)
	must(t, err)
	if !strings.Contains(string(saved), "user extra on nopass resetchannels -@all +get\n") {
		t.Fatalf("saved file:\n%s", saved)
	}
	must(t, os.WriteFile(file, []byte("user ro on +nosuch\nbogus\n"), 0o644))
	err = c.Do(ctx, "ACL", "LOAD").Err()
	want := "ERR " + file + ":1: Unknown command or category name in ACL. " + file + ":2 should start with user keyword followed by the username. WARNING: ACL errors detected, no change to the previously active ACL rules was performed"
	if err == nil || err.Error() != want {
		t.Fatalf("ACL LOAD of a bad file: %v\nwant %s", err, want)
	}
	must(t, os.WriteFile(file, []byte("user solo on nopass +ping\n"), 0o644))
	must(t, c.Do(ctx, "ACL", "LOAD").Err())
	users, err = c.Do(ctx, "ACL", "USERS").StringSlice()
	must(t, err)
	if strings.Join(users, ",") != "default,solo" {
		t.Fatalf("users after LOAD = %q", users)
	}
}

func sha256hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// TestConfigRewriteUsersMatchesRedis: CONFIG REWRITE writes the users of
// the moment in place of the config file's user lines, the same lines in
// the same order as redis-server 7.0 writes from the same file and the
// same ACL changes.
func TestConfigRewriteUsersMatchesRedis(t *testing.T) {
	bins := map[string]string{
		"redis-server": testutil.RequireRedisServer(t),
		"cairn-server": testutil.BuildBinary(t, "cairn-server"),
	}
	userLines := map[string][]string{}
	for name, bin := range bins {
		dir := t.TempDir()
		conf := filepath.Join(dir, "server.conf")
		must(t, os.WriteFile(conf, []byte("user alice on >pw ~* +@all\nappendonly no\nuser carol off -@all\nsave \"\"\n"), 0o644))
		port, err := testutil.FreePort()
		must(t, err)
		cmd := exec.Command(bin, conf, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--dir", dir)
		cmd.Dir = dir
		out := watchLines(cmd)
		must(t, cmd.Start())
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		c := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", port), Protocol: 2})
		defer c.Close()
		ctx := testCtx(t, 20*time.Second)
		if !waitFor(10*time.Second, func() bool { return c.Ping(ctx).Err() == nil }) {
			t.Fatalf("%s never answered PING; output:\n%s", name, out)
		}
		must(t, c.Do(ctx, "ACL", "SETUSER", "bob", "on", ">x", "~k*", "+get").Err())
		must(t, c.Do(ctx, "ACL", "DELUSER", "alice").Err())
		must(t, c.Do(ctx, "CONFIG", "REWRITE").Err())
		list, err := c.Do(ctx, "ACL", "LIST").StringSlice()
		must(t, err)
		text, err := os.ReadFile(conf)
		must(t, err)
		for _, l := range strings.Split(string(text), "\n") {
			if strings.HasPrefix(l, "user ") {
				userLines[name] = append(userLines[name], l)
			}
		}
		if got := userLines[name]; len(got) != len(list) {
			t.Errorf("%s: rewritten user lines %q, ACL LIST %q", name, got, list)
		}
		// The file's first user line is where alice was.
		if !strings.HasPrefix(string(text), "user bob ") {
			t.Errorf("%s: rewritten file does not start with bob's line:\n%s", name, text)
		}
	}
	if r, c := userLines["redis-server"], userLines["cairn-server"]; strings.Join(r, "\n") != strings.Join(c, "\n") {
		t.Fatalf("user lines after CONFIG REWRITE differ:\nredis-server:\n%s\ncairn-server:\n%s", strings.Join(r, "\n"), strings.Join(c, "\n"))
	}
}
