// Package client is a small synchronous RESP client shared by cairn-cli,
// the benchmark and tests. It speaks to Cairn and to real Redis alike.
//
// A Conn owns one TCP (optionally TLS) connection. Dial connects with a
// timeout and then replays the session set-up a user asked for: HELLO 3
// (with AUTH folded in) or AUTH, then SELECT. Do sends one command and
// reads one reply, returning both the parsed resp.Value and its raw bytes,
// so callers can either format the value or compare bytes exactly.
//
// Invariants:
//   - A Conn tracks the database and protocol it believes the server uses:
//     a successful SELECT, HELLO or RESET through Do updates them, so
//     Reconnect restores the same session after the server went away.
//   - A network error closes the socket; the Conn stays usable and the next
//     Do (or an explicit Reconnect) dials again. Error replies from the
//     server are values (Value.IsError), never Go errors.
//   - Push messages (RESP3 '>') that arrive before a reply are handed to
//     Options.OnPush, not returned as the reply.
//
// Errors are prefixed "client: " and wrap the underlying cause with %w;
// *DialError carries the address and a redis-cli style reason.
package client
