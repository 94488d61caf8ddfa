// Package testutil runs real servers for tests and compares them.
//
// It owns four things:
//
//   - Processes: BuildBinary compiles a command of this module once per test
//     process; StartCairn and StartRedis launch cairn-server or Debian's
//     redis-server on a free loopback port with a private data directory,
//     wait until the server answers PING, and kill it when the test ends.
//     A server's captured stdout/stderr is logged when the test fails.
//   - Raw connections: Dial returns a RawConn that writes bytes verbatim and
//     reads whole RESP2/RESP3 replies as raw bytes. It carries its own small
//     frame scanner (frame.go) so tests do not depend on the resp package
//     they are meant to check.
//   - The differential runner: ParseScript reads the script format described
//     in test/integration/testdata/diff/README.md and RunScript plays a
//     script against two servers at once, comparing every reply byte for
//     byte (or after the normalisation a line asks for).
//   - Test certificates: NewPKI issues a throw-away CA, server and client
//     certificates (and a foreign CA with its own client) into a temp
//     directory for TLS tests of servers and clients alike.
//
// Invariants: every process started here is registered for cleanup on the
// test that started it; nothing here talks to any address but 127.0.0.1.
package testutil
