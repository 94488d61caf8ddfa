package command

import (
	"errors"
	"fmt"
	"strings"
)

// rename-command (Redis 7.0 behaviour, checked against redis-server
// 7.0.15):
//
//   - The directives apply in file order to the table as it stands, so
//     "rename-command SET a" then "rename-command a b" leaves SET as "b",
//     and a name freed by an earlier directive can be taken by a later one.
//   - The old name becomes unknown; an empty new name disables the command.
//     COMMAND COUNT / LIST / (no args) cover what the table holds, but a
//     command keeps its original name in every reply (COMMAND INFO xset
//     answers with "set", and so do arity errors and INFO commandstats).
//   - Renaming a name the table does not hold, or onto a name it holds,
//     stops the server at start-up (RenameError).
//   - The append-only file: Redis logs the name the client typed, so a
//     renamed command appears under its new name, while the records Redis
//     builds itself (SET ... PXAT, DEL for an expired key) keep the
//     original names. Cairn's records are all built by the handlers with
//     the original names; Propagate writes a renamed command's new name
//     instead (journalName), so that Redis started with the same
//     directives loads the file. Replay accepts both the current names and
//     the original ones, so Cairn loads Redis's mixed files as well.

// Errors RenameError wraps; the texts follow redis-server's start-up
// messages.
var (
	ErrRenameUnknown = errors.New("no such command in rename-command")
	ErrRenameExists  = errors.New("target command name already exists")
	ErrRenameTooLong = fmt.Errorf("new command name longer than %d bytes", maxNameLen)
)

// renames is what applying rename-command leaves beside the table.
type renames struct {
	// original maps every top-level command's original lower-case name
	// to it, renamed or disabled ones included (Replay's second lookup).
	original map[string]*Command
	// journal maps the upper-case original name handlers propagate
	// ("SET") to the configured new name, for renamed commands only.
	journal map[string][]byte
}

// RenameError returns why the rename-command directives could not all
// be applied when the engine was built, or nil. Redis refuses to start in
// that case; the server should too.
func (e *Engine) RenameError() error { return e.renameErr }

// applyRenames applies directives to table in order. On error it stops at
// the failing directive, with the earlier ones applied: a server that runs
// regardless should at least not re-enable what an earlier line disabled.
func applyRenames(table map[string]*Command, directives [][2]string) (*renames, error) {
	if len(directives) == 0 {
		return nil, nil
	}
	r := &renames{original: make(map[string]*Command, len(table)), journal: map[string][]byte{}}
	for name, cmd := range table {
		r.original[name] = cmd
	}
	for _, d := range directives {
		from, to := strings.ToLower(d[0]), strings.ToLower(d[1])
		cmd := table[from]
		if cmd == nil {
			return r, fmt.Errorf("command: rename-command %q %q: %w", d[0], d[1], ErrRenameUnknown)
		}
		if from == to {
			continue // Redis 7.0.15 dies on an assertion here; keep the name
		}
		if _, taken := table[to]; taken {
			return r, fmt.Errorf("command: rename-command %q %q: %w", d[0], d[1], ErrRenameExists)
		}
		if len(to) > maxNameLen {
			return r, fmt.Errorf("command: rename-command %q %q: %w", d[0], d[1], ErrRenameTooLong)
		}
		delete(table, from)
		upper := strings.ToUpper(cmd.Name)
		if to == "" {
			delete(r.journal, upper)
			continue
		}
		table[to] = cmd
		r.journal[upper] = []byte(d[1])
	}
	return r, nil
}

// journalName returns the name the append-only file records a command
// under: its new name when rename-command renamed it, else name itself.
func (e *Engine) journalName(name []byte) []byte {
	if e.renamed == nil {
		return name
	}
	if to, ok := e.renamed.journal[string(name)]; ok {
		return to
	}
	return name
}

// replayLookup finds the command an append-only record names: by its
// current name first, as Redis does, then by its original name.
func (e *Engine) replayLookup(lower []byte) *Command {
	if cmd := e.table[string(lower)]; cmd != nil {
		return cmd
	}
	if e.renamed != nil {
		return e.renamed.original[string(lower)]
	}
	return nil
}
