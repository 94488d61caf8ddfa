package command

import (
	"crypto/rand"
	"encoding/hex"
)

// newRunID returns 40 random hex characters: the identity INFO reports as
// run_id (and master_replid), new for every start of the server so that
// clients can tell a restart from a long-lived process.
func newRunID() string {
	var b [20]byte
	// crypto/rand.Read never fails on supported platforms (Go 1.24+).
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
