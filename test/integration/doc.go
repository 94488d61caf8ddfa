// Package integration holds the tests that start the real binaries on free
// ports and talk to them as clients do: the differential suite (scripts in
// testdata/diff run against Debian's redis-server and against Cairn,
// replies compared byte for byte in RESP2 and RESP3), go-redis and
// raw-socket tests, the real redis-cli and redis-benchmark, cairn-cli
// against redis-cli, and the AOF crash and recovery tests.
//
// Tests that need redis-server or redis-cli skip when they are missing,
// except under CI=true, where they fail instead.
package integration
