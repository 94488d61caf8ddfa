// Command specgen writes internal/command/specs.go, Cairn's command table.
//
// The facts of every command (arity, flags, ACL categories, key specs,
// tips, and the argument tree COMMAND DOCS reports) are read from a live
// redis-server 7.0, so that they cannot drift from the server Cairn
// imitates. Every piece of prose (summaries, complexity, history lines,
// key-spec notes) comes from prose.go and is Cairn's own text: the
// generator reads Redis's prose only to check that a slot exists, never
// to copy it.
//
// Usage (from the module root, with redis-server 7.0 on port 7777):
//
//	go run ./internal/command/internal/specgen -addr 127.0.0.1:7777 -out internal/command/specs.go
//
// With -todo it lists the prose slots prose.go lacks instead of writing.
// With -catalog internal/acl/catalog_redis.go it also writes the ACL
// package's catalog: every command and subcommand redis-server knows, with
// its ACL categories (ACL rules may name commands Cairn lacks, and ACL LIST
// describes rules by weighing whole categories).
package main
