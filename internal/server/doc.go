// Package server owns the network side of cairn-server: the listeners
// (plain TCP and TLS), protected mode, the event loops and per-connection
// goroutines that serve clients, the periodic jobs (active expiry,
// statistics) and graceful shutdown.
//
// # Who serves a connection
//
// Plain-TCP connections on Linux are dealt to event loops (one below four
// cores, three quarters of the cores above; one under appendfsync always,
// so each fdatasync covers every client): a loop waits on all its sockets with epoll, reads each ready
// one once, executes everything buffered, commits the AOF once for the
// round and writes the replies (eventloop_linux.go). TLS connections, a
// connection that starts MONITOR, and every connection at shutdown are
// served by a goroutine of their own (conn.serveGoroutine); a connection
// moves from a loop to a goroutine at most once. CAIRN_NETLOOPS=0 serves
// every connection from a goroutine.
//
// # A connection's batch
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
// Replies the socket does not take at once wait for it while the
// connection keeps reading (a client that writes a whole pipeline before
// reading cannot deadlock with the server); the output limits bound them.
//
// # Access
//
// TLS handshakes run on their own goroutines, bounded in time and in
// number, before a connection is admitted (tls.go). Protected mode turns
// away non-local clients while the default user has no password, with
// Redis's DENIED text (protected.go).
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
// persistence, and returns from Run. When save points are set (or
// SHUTDOWN SAVE), an RDB snapshot is written first — a failure refuses
// the shutdown, as in Redis — and once more at the end if writes came in
// after it (snapshot.go).
package server
