package integration

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"cairn/internal/testutil"
)

// runToExit runs cairn-server with args and waits (at most 10s) for it to
// exit, returning its exit code and combined output.
func runToExit(t *testing.T, dir string, args ...string) (int, string) {
	t.Helper()
	bin := testutil.BuildBinary(t, "cairn-server")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("cairn-server %q still running after 10s; output:\n%s", args, out)
	}
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("run cairn-server: %v", err)
		}
		code = ee.ExitCode()
	}
	return code, string(out)
}

// assertNotListening fails when something accepts connections on port.
func assertNotListening(t *testing.T, port int) {
	t.Helper()
	c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), time.Second)
	if err == nil {
		c.Close()
		t.Errorf("something is listening on port %d after a failed start", port)
	}
}

// TestCmdlineRejectsBadOptions: an unknown option or a bad value names the
// culprit, exits 1 and never listens.
func TestCmdlineRejectsBadOptions(t *testing.T) {
	t.Parallel()
	cases := []struct {
		args []string
		want []string // substrings of the message
	}{
		{[]string{"--bogus-option", "1"}, []string{"bogus-option"}},
		{[]string{"--port", "abc"}, []string{"port", "abc"}},
		{[]string{"--port", "70000"}, []string{"port"}},
		{[]string{"--maxclients", "0"}, []string{"maxclients"}},
		{[]string{"--databases", "many"}, []string{"databases"}},
		{[]string{"--loglevel", "chatty"}, []string{"loglevel"}},
		{[]string{"--timeout", "-3"}, []string{"timeout"}},
		{[]string{"--hz"}, []string{"hz"}},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, "_"), func(t *testing.T) {
			t.Parallel()
			port, err := testutil.FreePort()
			must(t, err)
			dir := t.TempDir()
			// The bad option comes after a valid --port, so a server that
			// ignored it would be listening there.
			args := append([]string{"--port", strconv.Itoa(port), "--dir", dir}, tc.args...)
			code, out := runToExit(t, dir, args...)
			if code != 1 {
				t.Errorf("exit code %d, want 1; output:\n%s", code, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("message does not name %q:\n%s", w, out)
				}
			}
			assertNotListening(t, port)
		})
	}
}

// TestConfigFileBadLine: a bad line in the config file is reported with
// the directive, exit code 1.
func TestConfigFileBadLine(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	conf := filepath.Join(dir, "bad.conf")
	must(t, os.WriteFile(conf, []byte("port 0\nno-such-directive yes\n"), 0o644))
	code, out := runToExit(t, dir, conf)
	if code != 1 || !strings.Contains(out, "no-such-directive") {
		t.Fatalf("exit code %d, output:\n%s\nwant exit 1 naming no-such-directive", code, out)
	}
	code, out = runToExit(t, dir, filepath.Join(dir, "missing.conf"))
	if code != 1 || !strings.Contains(out, "missing.conf") {
		t.Fatalf("missing config file: exit code %d, output:\n%s", code, out)
	}
}

// TestConfigFileWithOverrides: a redis.conf-syntax file sets parameters
// and --name value on the command line overrides them; parameters Cairn
// ignores (save, hash-max-listpack-entries, lua-time-limit) are accepted
// and reported back.
func TestConfigFileWithOverrides(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	conf := filepath.Join(dir, "cairn.conf")
	must(t, os.WriteFile(conf, []byte(strings.Join([]string{
		"# a comment line, then parameters in redis.conf syntax",
		"maxclients 77",
		"hz 20",
		"timeout 300",
		`save ""`,
		"hash-max-listpack-entries 256",
		"lua-time-limit 4000",
		"requirepass \"from file\"",
		"",
	}, "\n")), 0o644))
	// StartCairn puts its own --port/--dir first: the file must come first
	// on the command line, so start the binary by hand.
	port, err := testutil.FreePort()
	must(t, err)
	bin := testutil.BuildBinary(t, "cairn-server")
	cmd := exec.Command(bin, conf, "--port", strconv.Itoa(port), "--dir", dir, "--hz", "30",
		"--requirepass", "override", "--appendonly", "no")
	cmd.Dir = dir
	out := watchLines(cmd)
	must(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })

	c := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", port), Password: "override", Protocol: 2})
	defer c.Close()
	ctx := testCtx(t, 20*time.Second)
	if !waitFor(10*time.Second, func() bool { return c.Ping(ctx).Err() == nil }) {
		t.Fatalf("server never answered PING with the overriding password; output:\n%s", out)
	}
	want := map[string]string{
		"maxclients":                "77",
		"hz":                        "30", // command line wins
		"timeout":                   "300",
		"save":                      "",
		"hash-max-listpack-entries": "256",
		"lua-time-limit":            "4000",
		"requirepass":               "override",
		"port":                      strconv.Itoa(port),
	}
	for name, v := range want {
		got, err := c.ConfigGet(ctx, name).Result()
		must(t, err)
		if got[name] != v {
			t.Errorf("CONFIG GET %s = %q, want %q", name, got[name], v)
		}
	}
	// A glob pattern returns every matching parameter.
	got, err := c.ConfigGet(ctx, "max*").Result()
	must(t, err)
	if got["maxclients"] != "77" {
		t.Errorf("CONFIG GET max* = %v, want maxclients 77 among them", got)
	}
}

// TestPortZeroLogsStartLine: --port 0 picks a free port, the start-up log
// line reports it with version, pid and dir, and dir is created.
func TestPortZeroLogsStartLine(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	dataDir := filepath.Join(base, "not", "yet", "there")
	bin := testutil.BuildBinary(t, "cairn-server")
	cmd := exec.Command(bin, "--port", "0", "--dir", dataDir, "--appendonly", "no")
	cmd.Dir = base
	out := watchLines(cmd)
	must(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })

	line, ok := out.wait("started", 10*time.Second)
	if !ok {
		t.Fatalf("no start-up line within 10s; output:\n%s", out)
	}
	m := regexp.MustCompile(`\bport=(\d+)`).FindStringSubmatch(line)
	if m == nil || m[1] == "0" {
		t.Fatalf("start-up line has no real port: %q", line)
	}
	for _, want := range []string{"version=", fmt.Sprintf("pid=%d", cmd.Process.Pid), "dir=" + dataDir} {
		if !strings.Contains(line, want) {
			t.Errorf("start-up line %q lacks %q", line, want)
		}
	}
	if st, err := os.Stat(dataDir); err != nil || !st.IsDir() {
		t.Errorf("data dir %s not created: %v", dataDir, err)
	}
	c := testutil.Dial(t, "127.0.0.1:"+m[1])
	if got := string(c.Do("PING")); got != "+PONG\r\n" {
		t.Fatalf("PING on logged port: %q", got)
	}
	must(t, cmd.Process.Signal(syscall.SIGTERM))
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v; output:\n%s", err, out)
	}
}

// A rename-command directive naming no command stops the server at
// start-up, as it stops redis-server.
func TestBadRenameCommandRefusesStart(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "cairn.conf")
	must(t, os.WriteFile(conf, []byte("rename-command NOSUCH foo\n"), 0o644))
	code, out := runToExit(t, dir, conf, "--port", "0")
	if code != 1 || !strings.Contains(out, "NOSUCH") {
		t.Fatalf("exit code %d, output:\n%s", code, out)
	}
}
