package testutil

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestStartRedisDialAndRestart(t *testing.T) {
	p := StartRedis(t)
	c := Dial(t, p.Addr())
	if got := string(c.Do("SET", "k", "v")); got != "+OK\r\n" {
		t.Fatalf("SET: %q", got)
	}
	c.Send([]byte("PING\r\nECHO hi\r\n"))
	if got := string(c.ReadReply()); got != "+PONG\r\n" {
		t.Fatalf("PING: %q", got)
	}
	if got := string(c.ReadReply()); got != "$2\r\nhi\r\n" {
		t.Fatalf("ECHO: %q", got)
	}
	c.Send([]byte("QUIT\r\n"))
	out, closed := c.ReadUntilClose(2 * time.Second)
	if !closed || string(out) != "+OK\r\n" {
		t.Fatalf("QUIT: %q closed=%v", out, closed)
	}

	port := p.Port()
	p.Restart()
	if p.Port() != port || !p.Running() {
		t.Fatalf("restart changed port or is not running")
	}
	c2 := Dial(t, p.Addr())
	if got := string(c2.Do("PING")); got != "+PONG\r\n" {
		t.Fatalf("PING after restart: %q", got)
	}
	if code := p.Stop(); code != 0 {
		t.Fatalf("Stop exit code %d, output:\n%s", code, p.Output())
	}
	if p.Running() {
		t.Fatal("still running after Stop")
	}
}

func TestStartRedisWithPassword(t *testing.T) {
	p := StartRedis(t, "--requirepass", "secret")
	c := Dial(t, p.Addr())
	if got := string(c.Do("GET", "k")); !strings.HasPrefix(got, "-NOAUTH") {
		t.Fatalf("GET without AUTH: %q", got)
	}
	if err := ResetServer(DiffTarget{Name: "r", Addr: p.Addr(), Password: "secret"}); err != nil {
		t.Fatal(err)
	}
}

func TestRunScriptRedisAgainstItself(t *testing.T) {
	p := StartRedis(t)
	s, err := ParseScript("self.txt", []byte("SET k v\n!approx 1 TTL k\n!raw 2 \"GET k\\r\\nPING\\r\\n\"\n!close QUIT\nGET k\n"))
	if err != nil {
		t.Fatal(err)
	}
	tg := DiffTarget{Name: "a", Addr: p.Addr()}
	if n := RunScript(t, s, 3, tg, tg); n != 6 {
		t.Fatalf("RunScript compared %d cases, want 6", n)
	}
}

func TestFreePort(t *testing.T) {
	p, err := FreePort()
	if err != nil || p <= 0 || p > 65535 {
		t.Fatalf("FreePort = %d, %v", p, err)
	}
}

// recordingTB collects the errors a run reports instead of failing.
type recordingTB struct {
	testing.TB
	errors []string
}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recordingTB) Helper() {}

func TestRunScriptReportsMismatch(t *testing.T) {
	a, b := StartRedis(t), StartRedis(t)
	s, err := ParseScript("mismatch.txt", []byte("PING\nCONFIG GET port\n!shape CONFIG GET port\n"))
	if err != nil {
		t.Fatal(err)
	}
	rec := &recordingTB{TB: t}
	n := RunScript(rec, s, 2, DiffTarget{Name: "a", Addr: a.Addr()}, DiffTarget{Name: "b", Addr: b.Addr()})
	if n != 3 || len(rec.errors) != 1 {
		t.Fatalf("cases %d, errors %q; want 3 cases and 1 error", n, rec.errors)
	}
	msg := rec.errors[0]
	for _, want := range []string{"mismatch.txt:2 (RESP2): CONFIG GET port", strconv.Quote(strconv.Itoa(a.Port()))[1:], "b:"} {
		if !strings.Contains(msg, strings.Trim(want, `"`)) {
			t.Errorf("report %q lacks %q", msg, want)
		}
	}
}
