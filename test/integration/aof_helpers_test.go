package integration

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"cairn/internal/testutil"
)

// Helpers of the AOF tests; prefixed aof so they cannot collide with
// other test files of this package.

func aofClient(t testing.TB, addr string, db int) *redis.Client {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: addr, DB: db, DialTimeout: 5 * time.Second,
		ReadTimeout: 20 * time.Second, WriteTimeout: 10 * time.Second, PoolSize: 16, MaxRetries: -1})
	t.Cleanup(func() { c.Close() })
	return c
}

// aofDump returns every key of databases 0..15 as "db/key" -> "value@pexpiretime".
func aofDump(t testing.TB, addr string) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	for db := 0; db < 16; db++ {
		c := aofClient(t, addr, db)
		keys, err := c.Keys(ctx, "*").Result()
		if err != nil {
			t.Fatalf("KEYS in db %d: %v", db, err)
		}
		for _, k := range keys {
			v, err := c.Get(ctx, k).Result()
			if err != nil {
				t.Fatalf("GET %s: %v", k, err)
			}
			at, err := c.Do(ctx, "PEXPIRETIME", k).Int64()
			if err != nil {
				t.Fatalf("PEXPIRETIME %s: %v", k, err)
			}
			out[fmt.Sprintf("%d/%s", db, k)] = fmt.Sprintf("%s@%d", v, at)
		}
		c.Close()
	}
	return out
}

func aofSameDump(t testing.TB, what string, got, want map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d keys, want %d", what, len(got), len(want))
	}
	var diffs []string
	for k, v := range want {
		if got[k] != v {
			diffs = append(diffs, fmt.Sprintf("%s: got %q want %q", k, got[k], v))
		}
	}
	for k, v := range got {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: unexpected %q", k, v))
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 10 {
		diffs = diffs[:10]
	}
	for _, d := range diffs {
		t.Error(what + ": " + d)
	}
}

// aofDirSizes returns name -> size of every file in the AOF directory.
func aofDirSizes(t testing.TB, dir string) map[string]int64 {
	t.Helper()
	ents, err := os.ReadDir(filepath.Join(dir, "appendonlydir"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, e := range ents {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = info.Size()
	}
	return out
}

func aofManifest(t testing.TB, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "appendonlydir", "appendonly.aof.manifest"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// aofRunCairn runs cairn-server on dir in the foreground and expects it
// to refuse to start: it returns the exit code and the output.
func aofRunCairn(t testing.TB, dir string, args ...string) (int, string) {
	t.Helper()
	bin := testutil.BuildBinary(t, "cairn-server")
	port, err := testutil.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	base := []string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--dir", dir, "--appendonly", "yes", "--loglevel", "warning"}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("cairn-server did not exit (expected a refusal); output:\n%s", out)
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, string(out)
}

// aofWriteFile writes a file into dir/appendonlydir.
func aofWriteFile(t testing.TB, dir, name, content string) {
	t.Helper()
	d := filepath.Join(dir, "appendonlydir")
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(d, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// aofResp encodes commands as RESP requests (the AOF record format).
func aofResp(cmds ...[]string) string {
	var b strings.Builder
	for _, c := range cmds {
		fmt.Fprintf(&b, "*%d\r\n", len(c))
		for _, a := range c {
			fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
		}
	}
	return b.String()
}

func aofInfo(t testing.TB, c *redis.Client, field string) string {
	t.Helper()
	s, err := c.Info(context.Background(), "persistence").Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(s, "\r\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			return v
		}
	}
	t.Fatalf("INFO persistence has no %s:\n%s", field, s)
	return ""
}

// aofWaitRewrite waits until no rewrite is in progress.
func aofWaitRewrite(t testing.TB, c *redis.Client) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for aofInfo(t, c, "aof_rewrite_in_progress") != "0" {
		if time.Now().After(deadline) {
			t.Fatal("rewrite did not finish")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// aofBGRewrite starts a rewrite, retrying while another one runs, and
// waits for it.
func aofBGRewrite(t testing.TB, c *redis.Client) {
	t.Helper()
	for i := 0; ; i++ {
		err := c.BgRewriteAOF(context.Background()).Err()
		if err == nil {
			break
		}
		if !strings.Contains(err.Error(), "already in progress") || i > 2000 {
			t.Fatalf("BGREWRITEAOF: %v", err)
		}
		time.Sleep(2 * time.Millisecond)
	}
	aofWaitRewrite(t, c)
}
