package command

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cairn/internal/config"
	"cairn/internal/store"
)

// renameTestEngine builds an engine from a config file holding lines.
func renameTestEngine(t *testing.T, lines ...string) *Engine {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cairn.conf")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load([]string{path})
	if err != nil {
		t.Fatal(err)
	}
	return NewEngine(store.New(16), cfg)
}

// recordingJournal keeps every record's arguments as strings.
type recordingJournal struct{ recs [][]string }

func (j *recordingJournal) Append(db int, args ...[]byte) {
	rec := make([]string, len(args))
	for i, a := range args {
		rec[i] = string(a)
	}
	j.recs = append(j.recs, rec)
}

func TestRenameCommandTable(t *testing.T) {
	e := renameTestEngine(t,
		`rename-command SET XSET`,
		`rename-command FLUSHALL ""`,
		`rename-command CONFIG myconfig`)
	if err := e.RenameError(); err != nil {
		t.Fatal(err)
	}
	s := e.NewSession("127.0.0.1:1", "127.0.0.1:2", -1, 0, func() {})
	cases := []struct{ args, want string }{
		{"xset a 1", "+OK\r\n"},
		{"XSeT a 2", "+OK\r\n"},
		{"get a", "$1\r\n2\r\n"},
		{"set a 1", "-ERR unknown command 'set', with args beginning with: 'a' '1' \r\n"},
		{"flushall", "-ERR unknown command 'flushall', with args beginning with: \r\n"},
		{"config get maxmemory", "-ERR unknown command 'config', with args beginning with: 'get' 'maxmemory' \r\n"},
		{"myconfig get maxmemory", "*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n"},
		// Replies keep the original name, as Redis's do.
		{"xset a", "-ERR wrong number of arguments for 'set' command\r\n"},
		{"myconfig get", "-ERR wrong number of arguments for 'config|get' command\r\n"},
		{"command info set flushall config|get", "*3\r\n$-1\r\n$-1\r\n$-1\r\n"},
		{"command count", ":" + itoa(len(specs)-1) + "\r\n"},
		{"command getkeys xset k v", "*1\r\n$1\r\nk\r\n"},
		{"command getkeys set k v", "-ERR Invalid command specified\r\n"},
		{"command list filterby pattern xset", "*0\r\n"},
		{"command list filterby pattern set", "*1\r\n$3\r\nset\r\n"},
	}
	for _, tc := range cases {
		got := string(runCommand(e, s, strings.Fields(tc.args)...))
		if got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.args, got, tc.want)
		}
	}
	info := string(runCommand(e, s, "command", "info", "xset", "myconfig|get"))
	if !strings.HasPrefix(info, "*2\r\n*10\r\n$3\r\nset\r\n:-3\r\n") || !strings.Contains(info, "$10\r\nconfig|get\r\n") {
		t.Errorf("COMMAND INFO xset myconfig|get = %.120q", info)
	}
	list := string(runCommand(e, s, "command", "list"))
	if strings.Contains(list, "\r\nflushall\r\n") || strings.Contains(list, "xset") || !strings.Contains(list, "\r\nset\r\n") {
		t.Errorf("COMMAND LIST shows a disabled or new name, or lacks set")
	}
}

func TestRenameCommandOrder(t *testing.T) {
	// Later lines see earlier ones: a renamed name renames again, and a
	// freed name can be taken.
	e := renameTestEngine(t,
		`rename-command SET a`,
		`rename-command a b`,
		`rename-command GET ""`,
		`rename-command STRLEN get`,
		`rename-command PING ping`)
	if err := e.RenameError(); err != nil {
		t.Fatal(err)
	}
	s := e.NewSession("127.0.0.1:1", "127.0.0.1:2", -1, 0, func() {})
	for _, tc := range []struct{ args, want string }{
		{"b k hello", "+OK\r\n"},
		{"get k", ":5\r\n"},
		{"a k v", "-ERR unknown command 'a', with args beginning with: 'k' 'v' \r\n"},
		{"ping", "+PONG\r\n"},
	} {
		if got := string(runCommand(e, s, strings.Fields(tc.args)...)); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.args, got, tc.want)
		}
	}
}

func TestRenameCommandErrors(t *testing.T) {
	cases := []struct {
		lines []string
		want  error
	}{
		{[]string{`rename-command NOSUCH foo`}, ErrRenameUnknown},
		{[]string{`rename-command SET GET`}, ErrRenameExists},
		{[]string{`rename-command SET ""`, `rename-command SET foo`}, ErrRenameUnknown},
		{[]string{`rename-command config|get foo`}, ErrRenameUnknown},
		{[]string{`rename-command SET ` + strings.Repeat("x", maxNameLen+1)}, ErrRenameTooLong},
	}
	for _, tc := range cases {
		e := renameTestEngine(t, tc.lines...)
		err := e.RenameError()
		if !errors.Is(err, tc.want) || !strings.HasPrefix(err.Error(), "command: rename-command ") {
			t.Errorf("%q: RenameError() = %v, want %v", tc.lines, err, tc.want)
		}
	}
	// The lines before the failing one stay applied: what an operator
	// disabled is never enabled again by a later mistake.
	e := renameTestEngine(t, `rename-command FLUSHALL ""`, `rename-command NOSUCH x`)
	if e.RenameError() == nil || e.Lookup("flushall") != nil {
		t.Errorf("after a failing line: err %v, flushall %v", e.RenameError(), e.Lookup("flushall"))
	}
}

func TestRenameCommandJournal(t *testing.T) {
	e := renameTestEngine(t, `rename-command SET XSET`, `rename-command DEL ""`, `rename-command APPEND xappend`)
	j := &recordingJournal{}
	e.Journal = j
	s := e.NewSession("127.0.0.1:1", "127.0.0.1:2", -1, 0, func() {})
	runCommand(e, s, "xset", "k", "1")
	runCommand(e, s, "xappend", "k", "2")
	runCommand(e, s, "incrbyfloat", "k", "1") // logged as SET ... KEEPTTL
	// Cairn logs UNLINK as DEL, a disabled name: Replay's second lookup
	// loads it (Redis, which logs "unlink", would not meet it).
	runCommand(e, s, "unlink", "k")
	want := []string{"XSET k 1", "xappend k 2", "XSET k 13 KEEPTTL", "DEL k"}
	if len(j.recs) != len(want) {
		t.Fatalf("records %q, want %q", j.recs, want)
	}
	for i, rec := range j.recs {
		if got := strings.Join(rec, " "); got != want[i] {
			t.Errorf("record %d = %q, want %q", i, got, want[i])
		}
	}
}

func TestRenameCommandReplay(t *testing.T) {
	e := renameTestEngine(t, `rename-command SET XSET`, `rename-command DEL ""`)
	s := e.NewSession("127.0.0.1:1", "127.0.0.1:2", -1, 0, func() {})
	replay := func(args ...string) error {
		c := &Ctx{E: e, S: s}
		for _, a := range args {
			c.Args = append(c.Args, []byte(a))
		}
		return e.Replay(c)
	}
	// Redis writes what the client typed (xset) and, for the records it
	// builds itself, the original names (SET ... PXAT, DEL): both load.
	for _, rec := range [][]string{
		{"xset", "a", "1"},
		{"SET", "b", "2", "PXAT", "99999999999999"},
		{"set", "c", "3"},
		{"DEL", "c"},
	} {
		if err := replay(rec...); err != nil {
			t.Errorf("replay %q: %v", rec, err)
		}
	}
	if got := string(runCommand(e, s, "mget", "a", "b", "c")); got != "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n" {
		t.Errorf("after replay: MGET a b c = %q", got)
	}
	if err := replay("nosuch", "x"); err == nil {
		t.Error("replay of an unknown command succeeded")
	}
}

func TestNoRenameKeepsTable(t *testing.T) {
	e := NewEngine(store.New(1), config.Default())
	if e.renamed != nil || e.RenameError() != nil || len(e.table) != len(specs) {
		t.Fatalf("renamed %v, err %v, table %d of %d", e.renamed, e.RenameError(), len(e.table), len(specs))
	}
	if got := e.journalName(bSET); &got[0] != &bSET[0] {
		t.Error("journalName changed a name without renames")
	}
}
