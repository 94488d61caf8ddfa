// Package server owns the network side of cairn-server: the listeners, one
// goroutine per connection, the periodic jobs (active expiry, statistics)
// and graceful shutdown.
//
// # A connection's loop
//
// Each connection reads into one reused buffer, then executes every
// complete request already in it before writing all their replies with a
// single write. Requests are parsed as argument slices that point into the
// buffer, so the steady state allocates nothing per command. Unconsumed
// bytes are moved to the front only when the buffer must grow or is more
// than half spent, and the buffer grows only with bytes actually received,
// so a client that declares a huge argument cannot make the server
// reserve it up front. Past client-query-buffer-limit the client is
// disconnected.
//
// # Persistence
//
// A batch that logged a mutation hands the AOF its records before the
// replies are written (persistence.go): with appendfsync always the
// replies wait for the group-commit fdatasync that covers them. Loading
// runs after Listen; until it ends, commands without the loading flag get
// -LOADING and active expiry is paused.
//
// # Protocol errors
//
// When the parser reports a protocol error, the replies of the requests
// before it are written, followed by the error, and the connection is
// closed: exactly where Redis closes it.
//
// # Shutdown
//
// Shutdown (SIGTERM, SIGINT or SHUTDOWN) stops accepting, lets every
// connection finish the requests it has already read, flushes
// persistence, and returns from Run.
package server
