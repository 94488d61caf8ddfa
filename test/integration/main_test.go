// Package integration holds tests that run the real cairn-server binary
// (and, where a reference is needed, Debian's redis-server) as processes.
package integration

import (
	"os"
	"testing"

	"cairn/internal/testutil"
)

// TestMain removes the binaries testutil.BuildBinary compiled for this
// package's tests once they have all run.
func TestMain(m *testing.M) {
	code := m.Run()
	testutil.Cleanup()
	os.Exit(code)
}
