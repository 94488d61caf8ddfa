// Package config owns cairn-server's parameter table: every parameter's
// name, type, bounds and default; parsing of the command line and of
// redis.conf-style files; and the semantics of CONFIG GET, SET and REWRITE.
// It uses only the standard library and knows nothing of the server.
//
// # The table
//
// table.go lists every parameter Redis 7.0's CONFIG GET * returns, with the
// names, types, bounds and defaults of Redis 7.0.15 (read off a real server),
// plus the old names Redis keeps as aliases (hash-max-ziplist-entries for
// hash-max-listpack-entries, slaveof for replicaof, lua-time-limit for
// busy-reply-threshold, ...). An alias shares its parameter's value and,
// as in Redis 7.0, is listed by CONFIG GET * under its own name too.
// Parameters Cairn does not implement are accepted, validated and echoed so
// that tools and existing redis.conf files keep working.
//
// Types: bool (yes/no, any case), integer (strict decimal: no '+', no
// leading zeros, within bounds), memory (bytes with an optional unit:
// k=1000, kb=1024, m, mb, g, gb, any case; CONFIG GET prints plain bytes),
// enum (any case, stored lower-case), string, and a few structured values
// (save, bind, client-output-buffer-limit, oom-score-adj-values,
// latency-tracking-info-percentiles, notify-keyspace-events, replicaof,
// unixsocketperm, dir). Every value is kept in its canonical form, the
// exact text CONFIG GET answers. hz is clamped to 1..500 as in Redis.
//
// Deliberate differences from Redis 7.0's defaults and behaviour:
//   - dir defaults to "./data" (Redis: the working directory). Like Redis,
//     dir is reported as an absolute path; unlike Redis, Cairn does not
//     chdir into it.
//   - appendonly defaults to yes: Cairn is durable by default.
//   - aof-use-rdb-preamble defaults to no: Cairn writes AOF-format bases
//     (it reads RDB-preamble bases written by Redis).
//   - save defaults to "" (no save points): the AOF is the durable
//     default; set save points for RDB snapshots as in Redis.
//   - bind defaults to "127.0.0.1" (Redis: "* -::*").
//   - daemonize yes is refused with ErrDaemonize: run in the foreground.
//   - loglevel also accepts "nothing" (Redis 7.2's level); error texts still
//     list Redis 7.0's four levels.
//
// # Command line
//
// `cairn-server [config-file] [--name value ...]` follows redis-server 7.0:
// -v/--version and -h/--help as the first argument make Load return
// ErrVersion / ErrHelp. A first argument not starting with '-' is the config
// file. "-" as the very first or last argument also reads config text from
// stdin. Each "--name" starts a directive whose values are the following
// arguments, up to the next "--name" ("--save 900 1 300 10" is one line);
// a "--" argument right after "--name" is a value ("--requirepass --x"),
// and "--save" with no value means save "". Directives apply in the order:
// defaults, config file, stdin, command line; the last one wins.
//
// # Config files
//
// One directive per line; leading and trailing blanks are ignored, as are
// blank lines and lines starting with '#'. Arguments are split like Redis:
// "double quotes" with \n \r \t \b \a \\ \" \xHH escapes, 'single quotes'
// with \' only, and a closing quote must end the argument. Directive names
// are case-insensitive. Parameters take exactly one value, except
// multi-argument ones (save, bind, client-output-buffer-limit, ...) whose
// arguments are joined with spaces. Repeated save lines accumulate save
// points; repeated client-output-buffer-limit lines set one class each;
// any other repeated directive: the last wins. "include <path>" loads
// another file in place (a relative path is relative to the working
// directory, as in Redis; a glob includes every match; nesting is limited
// to 16). "rename-command <cmd> <new>" is stored for the command table
// (RenameCommands) and "user <name> <rule>..." for the ACL users
// (UserDirectives); CONFIG REWRITE keeps rename-command lines as they are
// and, as Redis does, writes user lines from the users of the moment
// (SetUserLines). Anything else
// unknown is an error. Startup errors are
// *LineError values naming the source, line, text and option.
//
// # CONFIG GET / SET / REWRITE
//
// Get matches Redis glob patterns (* ? [abc] [^a] [a-z] \x, case-insensitive)
// against names; a pattern without glob syntax is an exact lookup answered
// under the name as given. Each parameter appears once, in sorted order.
//
// Set is all or nothing (see its documentation for the order of checks);
// its errors' texts are Redis 7.0's replies without "ERR ". OnChange hooks
// let the server react to changes (rebinding the port, resizing the slow
// log) and veto them: a failing hook rolls the whole Set back.
//
// Rewrite keeps the file's comments and unknown lines, updates parameters in
// place and appends changed ones; see its documentation.
//
// # Concurrency
//
// A Config is safe for concurrent use. Values are atomics: the typed
// accessors (Port, MaxClients, AppendFsync, ...) are single atomic loads
// with no locking and no map lookup, fit for the hot path. Set, SetLocal,
// Rewrite and OnChange serialize on one mutex, which Set holds while hooks
// run: a hook may call Get and the accessors, not Set, Rewrite or OnChange.
package config
