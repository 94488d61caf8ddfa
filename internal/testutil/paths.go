package testutil

import (
	"os"
	"os/exec"
	"testing"
)

// RedisServerPath returns the path of redis-server, or "" when it is not
// installed.
func RedisServerPath() string { return lookPath("redis-server") }

// RedisCLIPath returns the path of redis-cli, or "" when it is not
// installed.
func RedisCLIPath() string { return lookPath("redis-cli") }

func lookPath(name string) string {
	p, err := exec.LookPath(name)
	if err != nil {
		return ""
	}
	return p
}

// RequireRedisServer returns redis-server's path. When it is missing the
// test fails under CI (CI=true, where it must be installed) and is skipped
// elsewhere.
func RequireRedisServer(tb testing.TB) string {
	tb.Helper()
	return requireTool(tb, "redis-server", RedisServerPath())
}

// RequireRedisCLI is RequireRedisServer for redis-cli.
func RequireRedisCLI(tb testing.TB) string {
	tb.Helper()
	return requireTool(tb, "redis-cli", RedisCLIPath())
}

func requireTool(tb testing.TB, name, p string) string {
	tb.Helper()
	if p != "" {
		return p
	}
	msg := "testutil: " + name + " not found in PATH (Debian: apt-get install -y redis-server redis-tools)"
	if os.Getenv("CI") == "true" {
		tb.Fatal(msg)
	}
	tb.Skip(msg)
	return ""
}
