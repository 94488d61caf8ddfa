package command

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"cairn/internal/config"
	"cairn/internal/store"
)

// serverTestEngine returns an engine over a fresh store and default
// configuration, and a session on it as from a loopback client.
func serverTestEngine(t *testing.T) (*Engine, *Session) {
	t.Helper()
	e := NewEngine(store.New(16), config.Default())
	s := e.NewSession("127.0.0.1:40000", "127.0.0.1:6379", 0, time.Now().UnixMilli(), nil)
	return e, s
}

// srvRun executes one command through Engine.Exec and returns its reply.
func srvRun(e *Engine, s *Session, args ...string) string {
	c := &Ctx{E: e, S: s, Now: time.Now().UnixMilli()}
	for _, a := range args {
		c.Args = append(c.Args, []byte(a))
	}
	e.Exec(c)
	return string(c.Out)
}

func srvExpect(t *testing.T, e *Engine, s *Session, want string, args ...string) {
	t.Helper()
	if got := srvRun(e, s, args...); got != want {
		t.Errorf("%q:\n got %q\nwant %q", args, got, want)
	}
}

// fakeHost records SHUTDOWN calls.
type fakeHost struct {
	calls   []ShutdownOptions
	err     error
	loading bool
}

func (h *fakeHost) Shutdown(o ShutdownOptions) error { h.calls = append(h.calls, o); return h.err }
func (h *fakeHost) Port() int                        { return 7379 }
func (h *fakeHost) Loading() bool                    { return h.loading }

func TestTime(t *testing.T) {
	e, s := serverTestEngine(t)
	got := srvRun(e, s, "TIME")
	if !regexp.MustCompile(`^\*2\r\n\$10\r\n\d{10}\r\n\$\d\r\n\d{1,6}\r\n$`).MatchString(got) {
		t.Errorf("TIME: %q", got)
	}
	srvExpect(t, e, s, "-ERR wrong number of arguments for 'time' command\r\n", "TIME", "x")
}

func TestLastSave(t *testing.T) {
	e, s := serverTestEngine(t)
	e.Started = time.Unix(1700000000, 5)
	srvExpect(t, e, s, ":1700000000\r\n", "LASTSAVE")
	e.LastSave = func() int64 { return 1800000000 }
	srvExpect(t, e, s, ":1800000000\r\n", "lastsave")
}

func TestShutdown(t *testing.T) {
	e, s := serverTestEngine(t)
	h := &fakeHost{}
	e.Host = h
	for _, args := range [][]string{
		{"SHUTDOWN", "foo"},
		{"SHUTDOWN", "save", "nosave"},
		{"SHUTDOWN", "abort", "now"},
		{"SHUTDOWN", "nosave", "nosave", "abort"},
	} {
		srvExpect(t, e, s, "-ERR syntax error\r\n", args...)
	}
	if len(h.calls) != 0 {
		t.Fatalf("host called on syntax errors: %+v", h.calls)
	}
	srvExpect(t, e, s, "", "SHUTDOWN", "NOSAVE", "now", "FORCE")
	if want := (ShutdownOptions{NoSave: true, Now: true, Force: true}); h.calls[0] != want {
		t.Errorf("options %+v, want %+v", h.calls[0], want)
	}
	srvExpect(t, e, s, "+OK\r\n", "SHUTDOWN", "abort", "ABORT")
	if want := (ShutdownOptions{Abort: true}); h.calls[1] != want {
		t.Errorf("options %+v, want %+v", h.calls[1], want)
	}
	h.err = errors.New("No shutdown in progress.")
	srvExpect(t, e, s, "-ERR No shutdown in progress.\r\n", "SHUTDOWN", "ABORT")
	h.err = errors.New("ERR Errors trying to SHUTDOWN. Check logs.")
	srvExpect(t, e, s, "-ERR Errors trying to SHUTDOWN. Check logs.\r\n", "SHUTDOWN")

	// While loading there is nothing to save.
	h.err, h.loading = nil, true
	srvRun(e, s, "SHUTDOWN", "SAVE")
	if want := (ShutdownOptions{NoSave: true}); h.calls[len(h.calls)-1] != want {
		t.Errorf("options while loading %+v, want %+v", h.calls[len(h.calls)-1], want)
	}
}

func TestBgRewriteAOF(t *testing.T) {
	e, s := serverTestEngine(t)
	srvExpect(t, e, s, "-"+errNoAOFRewrite+"\r\n", "BGREWRITEAOF")
	e.RewriteAOF = func() (string, error) { return "Background append only file rewriting started", nil }
	srvExpect(t, e, s, "+Background append only file rewriting started\r\n", "BGREWRITEAOF")
	e.RewriteAOF = func() (string, error) {
		return "", errors.New("Background append only file rewriting already in progress")
	}
	srvExpect(t, e, s, "-ERR Background append only file rewriting already in progress\r\n", "bgrewriteaof")
	srvExpect(t, e, s, "-ERR wrong number of arguments for 'bgrewriteaof' command\r\n", "BGREWRITEAOF", "x")
}

func TestFunctionScriptFlush(t *testing.T) {
	e, s := serverTestEngine(t)
	for _, args := range [][]string{
		{"FUNCTION", "FLUSH"}, {"function", "flush", "async"}, {"FUNCTION", "FLUSH", "SYNC"},
		{"SCRIPT", "FLUSH"}, {"script", "flush", "Async"}, {"SCRIPT", "FLUSH", "sync"},
	} {
		srvExpect(t, e, s, "+OK\r\n", args...)
	}
	srvExpect(t, e, s, "-ERR FUNCTION FLUSH only supports SYNC|ASYNC option\r\n", "FUNCTION", "FLUSH", "bad")
	srvExpect(t, e, s, "-ERR unknown subcommand or wrong number of arguments for 'FlUsH'. Try FUNCTION HELP.\r\n",
		"FUNCTION", "FlUsH", "sync", "async")
	srvExpect(t, e, s, "-ERR SCRIPT FLUSH only support SYNC|ASYNC option\r\n", "SCRIPT", "FLUSH", "bad")
	srvExpect(t, e, s, "-ERR SCRIPT FLUSH only support SYNC|ASYNC option\r\n", "SCRIPT", "FLUSH", "sync", "async")
}

func TestHelpShape(t *testing.T) {
	e, s := serverTestEngine(t)
	for _, cmd := range []string{"CONFIG", "SLOWLOG", "LATENCY", "FUNCTION", "SCRIPT"} {
		got := srvRun(e, s, cmd, "help")
		lines := strings.Split(strings.TrimSuffix(got, "\r\n"), "\r\n")
		if lines[0] != "*"+strconv.Itoa(len(lines)-1) {
			t.Errorf("%s HELP: header %q for %d lines", cmd, lines[0], len(lines)-1)
		}
		if lines[1] != "+"+cmd+" <subcommand> [<arg> [value] [opt] ...]. Subcommands are:" {
			t.Errorf("%s HELP: first line %q", cmd, lines[1])
		}
		if lines[len(lines)-2] != "+HELP" {
			t.Errorf("%s HELP: does not end with HELP: %q", cmd, lines[len(lines)-2:])
		}
		for _, l := range lines[1:] {
			if !strings.HasPrefix(l, "+") {
				t.Errorf("%s HELP: line %q is not a status line", cmd, l)
			}
		}
	}
}

func TestRunID(t *testing.T) {
	a, b := newRunID(), newRunID()
	if !regexp.MustCompile(`^[0-9a-f]{40}$`).MatchString(a) || a == b {
		t.Errorf("run ids %q, %q", a, b)
	}
}
