// Package aof owns Cairn's append-only file: Redis 7's multi-part format,
// the write path with its fsync policies and group commit, loading and
// recovery, the background rewrite, and the checks cairn-check-aof runs.
// It does not know about commands or the keyspace: the server passes an
// ApplyFunc to replay records and a Source (the store's consistent cut)
// to rewrite.
//
// # Files
//
// Everything lives in dir/appenddirname (default appendonlydir), named
// after appendfilename (default appendonly.aof), exactly as redis-server
// 7.0 lays it out so that either server can start on the other's files:
//
//	appendonly.aof.<seq>.base.aof   the data set at the last rewrite
//	appendonly.aof.<seq>.incr.aof   changes after it, oldest first
//	appendonly.aof.manifest         which files make up the AOF
//
// A manifest line is "file <name> seq <n> type <b|i|h>": one base at most,
// incremental files by ascending seq, and history files (left by a rewrite,
// deleted, never loaded). It is only ever replaced whole: written to a
// temp file, fdatasync'ed, renamed over the old one, and the directory
// fsync'ed, so a crash leaves the old or the new manifest.
//
// Records are RESP multibulk requests. The writer puts a SELECT in front
// of a record whenever its database differs from the previous record's in
// the same file. Lines starting with '#' are annotations that loaders skip
// ("#TS:<unix>" with aof-timestamp-enabled, used by
// --truncate-to-timestamp). A file starting with "REDIS" begins with an
// RDB preamble (aof-use-rdb-preamble yes, Redis's default): internal/rdb
// loads it as SET records (strings; other types stop the load naming the
// key), then any records after it are read as usual. Cairn's own
// rewrites always write AOF-format bases.
//
// # What is logged
//
// Commands call Log.Append with their effect in deterministic form while
// the shards they changed are still locked, so the log order of two
// records about one key is their apply order. Append copies the
// arguments into the buffer under a short mutex and does no I/O.
//
// # Write path, fsync policies, group commit
//
// A connection (or an event loop, once per round for all its connections)
// runs every request it has buffered, then, if any of them logged a
// record, calls Commit before writing the replies. Commit hands
// the whole shared buffer to write(2) unless another connection already
// did (whoever holds ioMu writes everybody's records: one write(2) per
// wake-up, not per command). So a record is in the file (the OS page
// cache) before the reply leaves, for every policy.
//
//   - always: Commit returns once an fdatasync covers its record. The
//     committer runs the round itself (syncFor) rather than waking a
//     syncer goroutine and sleeping: rounds are serialised by syncMu, and
//     a committer that gets syncMu after another's round finds its record
//     covered and returns at once, so one fdatasync serves every
//     connection (or event-loop round) that wrote since the previous one.
//     With several committers in flight (Busy), a round first waits up to
//     200 µs for the busy ones and takes in what they appended. A failed
//     fsync ends the process: the write was never acknowledged, and
//     retrying could report success for pages the kernel has already
//     dropped.
//   - everysec: the syncer fdatasyncs once a second if anything was
//     written. If one fsync has been running for more than 2 s, writers
//     wait for it rather than pile up more unsynced data (counted as
//     aof_delayed_fsync). A failed fsync is not retried: writes are
//     refused with -MISCONF until a rewrite (started automatically) has
//     put the whole data set into freshly synced files.
//   - no: the OS decides.
//
// A failed or short write(2) (disk full) truncates the file back to the
// last complete record and puts the data back at the front of the buffer;
// write commands (and PING, as in Redis) get "-MISCONF Errors writing to
// the AOF file: <strerror>" while reads keep working, the syncer retries
// every second, and writes resume on their own once a retry succeeds.
// Under always a write error exits, like a failed fsync.
//
// # Rewrite: the consistent cut
//
// A rewrite must write a base that is exactly the data set at one point
// in time P, while every change after P goes to a new incremental file.
// redis-server gets P from fork(). Cairn has no fork: it uses a cut of
// the store (store.Cut, in the spirit of Dragonfly's versioned
// snapshots):
//
//  1. a new empty incremental file is created and added to the manifest;
//  2. Store.BeginCut locks every shard at once (a few hundred
//     microseconds) and, inside, the log writes out what it buffered to
//     the old file and switches to the new one. No command can be between
//     changing a key and logging it while all shards are locked, so "the
//     record is in the old file" and "the change happened before P" mean
//     the same thing;
//  3. the walk visits the shards one at a time. Each entry carries the
//     epoch of the last cut that dealt with it. Before any change to an
//     entry (new value, APPEND, expiry, delete), the store checks it: an
//     entry the walk has not reached yet has its old key, value and
//     expiry copied aside first and is marked; entries created after P
//     are marked at birth; a flushed table is handed to the cut whole.
//     The walk skips marked entries and emits the copies. So every key
//     that existed at P is written once, with its value at P;
//  4. the dump goes to temp-rewriteaof-bg-<pid>.aof, is fsynced, renamed
//     to the next base name, and the directory fsynced;
//  5. a new manifest lists the new base and the new incremental file (old
//     files as history); then the history files are deleted.
//
// That is why INCR, APPEND and SETRANGE racing a rewrite are counted
// exactly once on replay: a change after P is in the new incremental file
// and not in the base (the base has the value saved before the change); a
// change before P is in the base and in an old file that the new manifest
// no longer lists. Memory does not double: only entries changed during
// the walk are copied, once each. A crash before step 5 loads the old
// base, the old incremental files and the new one; from step 5 on, the
// new base and the new incremental file; temp files are deleted at
// start-up. Failed automatic rewrites back off from one minute, doubling,
// up to an hour.
//
// With appendonly off, BGREWRITEAOF still writes the data set (as Redis
// 7 does): a new base from a cut and a manifest listing it alone, earlier
// files deleted as history (rewrite_offline.go).
//
// # Loading and recovery
//
// Load replays the manifest's files in order through ApplyFunc, with
// logging off (restarting never grows the files) and no key treated as
// expired (a record that followed a key's SET in the original run must
// find the key). MULTI ... EXEC blocks are applied when their EXEC is
// read. A torn last record of the last file (the file ends inside it, or
// inside a MULTI block) is cut off with a warning if aof-load-truncated is
// yes; any other damage (bad bytes, an unknown command, a torn file that
// is not the last, a bad, missing or contradictory manifest, AOF files
// without a manifest) stops the server with the file, the byte offset
// where the bad record starts, and a pointer to cairn-check-aof.
//
// A Redis 6 style single AOF file (dir/appendfilename) with no AOF
// directory of its own is adopted first, as Redis 7 adopts it: it becomes
// the base of a new manifest under its own name and is moved into the
// directory, in an order that a crash cannot lose (upgrade.go).
//
// # Failpoints
//
// CAIRN_AOF_FAILPOINT=<step> kills the process at a rewrite step, and
// CAIRN_AOF_DISKFULL=<path> makes writes fail with ENOSPC while <path>
// exists (failpoint.go). Only crash tests set them.
package aof
