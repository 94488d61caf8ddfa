// Command cairn-cli is Cairn's command-line client: a drop-in for
// redis-cli that works against Cairn and against real Redis.
//
// Modes: an interactive shell when standard input is a terminal (line
// editing, history, Tab completion and argument hints from COMMAND DOCS),
// one-shot (`cairn-cli SET k v`), piped (one command per line on standard
// input), and the tools --stat, --latency, --latency-history, --scan and
// --bigkeys.
//
// Output is byte-for-byte redis-cli 7.0's in each format (terminal, --raw,
// --csv, --json, --quoted-json); format.go holds the rules, each one checked
// against the installed redis-cli by test/integration/cli_test.go. Where
// redis-cli 7.0 has no answer (it aborts on RESP3 big numbers) cairn-cli
// prints what redis-cli 7.2 prints.
//
// Deliberate differences from redis-cli: a one-shot command that gets an
// error reply exits with status 1 (redis-cli needs -e for that; with -e the
// error goes to stderr as redis-cli -e does); an unreachable server exits
// with status 1 in piped mode too; the "Could not connect" message names
// only the address, since the server may be Cairn or Redis.
package main
