package command

import (
	"bytes"
	"runtime"
	"strings"
	"testing"

	"cairn/internal/config"
	"cairn/internal/resp"
	"cairn/internal/store"
)

// FuzzExec runs fuzzer-chosen command lines against a fresh engine and
// checks what every command must do whatever its arguments: not panic,
// append exactly one well-formed RESP reply (none only under CLIENT REPLY
// OFF/SKIP), keep the reply and the memory it allocates within bounds.
//
// An input is up to maxFuzzCommands lines separated by '\n'; a line's
// arguments are separated by single spaces, so two spaces make an empty
// argument and any other byte (NUL included) may appear in one. Commands
// run in order against the same keyspace, so a SETRANGE can grow what a
// SET made. The seeds in testdata/fuzz/FuzzExec (which `go test` also runs
// as plain tests) are argument shapes worth starting from: boundaries,
// options in odd orders, combinations Redis refuses, the 512 MB SETRANGE.
func FuzzExec(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		e, s := fuzzEngine(t)
		c := &Ctx{E: e, S: s}
		lines := bytes.Split(data, []byte{'\n'})
		if len(lines) > maxFuzzCommands {
			lines = lines[:maxFuzzCommands]
		}
		for _, line := range lines {
			args := bytes.Split(line, []byte{' '})
			if len(args[0]) == 0 || fuzzExcluded(args) {
				continue
			}
			c.Args, c.Out = args, c.Out[:0]
			quiet := s.ReplyMode != ReplyOn || isClientReply(args)
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			e.Exec(c)
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			if grew := after.TotalAlloc - before.TotalAlloc; grew > maxFuzzAlloc {
				t.Fatalf("%q allocated %d bytes (limit %d)", args, grew, maxFuzzAlloc)
			}
			if len(c.Out) > maxFuzzReply {
				t.Fatalf("%q replied with %d bytes (limit %d)", args, len(c.Out), maxFuzzReply)
			}
			if len(c.Out) == 0 {
				if !quiet {
					t.Fatalf("%q replied with nothing", args)
				}
				continue
			}
			n, err := resp.ReplyLen(c.Out)
			if err != nil || n != len(c.Out) {
				t.Fatalf("%q: reply is not exactly one RESP value (len %d of %d, err %v): %.200q", args, n, len(c.Out), err, c.Out)
			}
		}
	})
}

const (
	maxFuzzCommands = 16
	// The engine runs with proto-max-bulk-len at its 1 MiB minimum, so no
	// string may grow past it; 8 MiB leaves room for COMMAND DOCS and the
	// copies a handler makes.
	maxFuzzAlloc = 8 << 20
	maxFuzzReply = 4 << 20
)

// fuzzEngine builds an engine over a fresh store with the smallest
// proto-max-bulk-len Redis accepts, so the limit (SETRANGE, APPEND, LCS)
// is reached with small arguments.
func fuzzEngine(t *testing.T) (*Engine, *Session) {
	cfg := config.Default()
	if err := cfg.Set("proto-max-bulk-len", "1mb"); err != nil {
		t.Fatal(err)
	}
	e := NewEngine(store.New(4), cfg)
	e.Host = fuzzHost{}
	s := e.NewSession("127.0.0.1:1", "127.0.0.1:2", -1, 0, func() {})
	t.Cleanup(func() { e.CloseSession(s) })
	return e, s
}

// fuzzHost refuses to shut down; the fuzzer only checks the reply.
type fuzzHost struct{}

func (fuzzHost) Shutdown(ShutdownOptions) error { return errFuzzNoShutdown }
func (fuzzHost) Port() int                      { return 6379 }
func (fuzzHost) Loading() bool                  { return false }

var errFuzzNoShutdown = fuzzError("Errors trying to SHUTDOWN. Check logs.")

type fuzzError string

func (e fuzzError) Error() string { return string(e) }

// fuzzExcluded reports commands whose effects reach outside the engine
// (files, the working directory) or that undo the harness's limits.
func fuzzExcluded(args [][]byte) bool {
	name := strings.ToLower(string(args[0]))
	sub := ""
	if len(args) > 1 {
		sub = strings.ToLower(string(args[1]))
	}
	switch {
	case name == "config" && (sub == "set" || sub == "rewrite"):
		// CONFIG SET can move dir, logfile and the limits under test.
		return true
	case name == "acl" && (sub == "save" || sub == "load"):
		return true
	}
	return false
}

func isClientReply(args [][]byte) bool {
	return len(args) > 1 && bytes.EqualFold(args[0], []byte("client")) && bytes.EqualFold(args[1], []byte("reply"))
}

// TestFuzzFindings keeps what the fuzzers found, as plain cases.
func TestFuzzFindings(t *testing.T) {
	e, s := fuzzEngine(t)
	for _, tc := range []struct{ args, want string }{
		// FuzzDiffCommands: GETEX checks its time value only once the key
		// is found, so a missing key gets a null as in Redis.
		{"GETEX nokey EX 0", "$-1\r\n"},
		{"GETEX nokey PXAT abc", "$-1\r\n"},
		{"GETEX nokey PX -1 PERSIST", "-ERR syntax error\r\n"},
		{"SET k v", "+OK\r\n"},
		{"GETEX k EX 0", "-ERR invalid expire time in 'getex' command\r\n"},
		{"GETEX k EX abc", "-ERR value is not an integer or out of range\r\n"},
		{"SET nokey v EX 0 XX", "-ERR invalid expire time in 'set' command\r\n"},
	} {
		if got := string(runCommand(e, s, strings.Fields(tc.args)...)); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.args, got, tc.want)
		}
	}
}
