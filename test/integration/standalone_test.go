package integration

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"cairn/internal/testutil"
)

// TestDebugAndModuleWhenEnabled: with enable-debug-command yes DEBUG
// OBJECT, SLEEP and HELP work and other subcommands get Redis's
// unknown-subcommand text; with enable-module-command local a loopback
// client reaches MODULE LOAD, which fails because Cairn cannot load Redis
// modules, and MODULE UNLOAD finds no module.
func TestDebugAndModuleWhenEnabled(t *testing.T) {
	p := testutil.StartCairn(t, "--enable-debug-command", "yes", "--enable-module-command", "local")
	c := newClient(t, p, 2)
	ctx := testCtx(t, 10*time.Second)
	must(t, c.Set(ctx, "k", "hello", 0).Err())
	obj, err := c.Do(ctx, "DEBUG", "OBJECT", "k").Text()
	must(t, err)
	if !regexp.MustCompile(`^Value at:0x[0-9a-f]+ refcount:1 encoding:embstr serializedlength:6 lru:\d+ lru_seconds_idle:\d+$`).MatchString(obj) {
		t.Fatalf("DEBUG OBJECT: %q", obj)
	}
	if err := c.Do(ctx, "DEBUG", "OBJECT", "nokey").Err(); err == nil || err.Error() != "ERR no such key" {
		t.Fatalf("DEBUG OBJECT of a missing key: %v", err)
	}
	start := time.Now()
	must(t, c.Do(ctx, "DEBUG", "SLEEP", "0.2").Err())
	if d := time.Since(start); d < 200*time.Millisecond {
		t.Fatalf("DEBUG SLEEP 0.2 returned after %v", d)
	}
	if err := c.Do(ctx, "DEBUG", "RELOAD").Err(); err == nil || err.Error() != "ERR unknown subcommand or wrong number of arguments for 'RELOAD'. Try DEBUG HELP." {
		t.Fatalf("DEBUG RELOAD: %v", err)
	}
	help, err := c.Do(ctx, "DEBUG", "HELP").StringSlice()
	must(t, err)
	if len(help) < 3 || !strings.HasPrefix(help[0], "DEBUG <subcommand>") {
		t.Fatalf("DEBUG HELP: %q", help)
	}
	if err := c.Do(ctx, "MODULE", "LOAD", "/nonexistent.so").Err(); err == nil || !strings.HasPrefix(err.Error(), "ERR Error loading the extension") {
		t.Fatalf("MODULE LOAD: %v", err)
	}
	if err := c.Do(ctx, "MODULE", "UNLOAD", "x").Err(); err == nil || err.Error() != "ERR Error unloading module: no such module with that name" {
		t.Fatalf("MODULE UNLOAD: %v", err)
	}
}
