package integration

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"cairn/internal/testutil"
)

// TestMaxClients: past maxclients a new connection gets Redis's error and
// is closed; once a client leaves, a new one is admitted.
func TestMaxClients(t *testing.T) {
	t.Parallel()
	p := testutil.StartCairn(t, "--maxclients", "3")
	// The start-up probe's connection may not be reaped yet: wait until
	// this client is the only one.
	first := testutil.Dial(t, p.Addr())
	if !waitFor(5*time.Second, func() bool {
		return strings.Contains(string(first.Do("INFO", "clients")), "connected_clients:1\r\n")
	}) {
		t.Fatal("connected_clients never dropped to 1")
	}
	conns := []*testutil.RawConn{first}
	for i := 1; i < 3; i++ {
		c := testutil.Dial(t, p.Addr())
		if got := string(c.Do("PING")); got != "+PONG\r\n" {
			t.Fatalf("client %d: %q", i, got)
		}
		conns = append(conns, c)
	}
	extra := testutil.Dial(t, p.Addr())
	got, closed := extra.ReadUntilClose(5 * time.Second)
	if string(got) != "-ERR max number of clients reached\r\n" || !closed {
		t.Fatalf("4th client got %q closed=%v", got, closed)
	}
	if got := string(conns[0].Do("INFO", "stats")); !strings.Contains(got, "rejected_connections:1\r\n") {
		t.Errorf("INFO stats lacks rejected_connections:1")
	}
	conns[2].Close()
	ok := waitFor(5*time.Second, func() bool {
		c, err := testutil.DialRaw(p.Addr())
		if err != nil {
			return false
		}
		defer c.Close()
		c.SendCommand("PING")
		f, err := c.TryReadFrame(time.Second)
		return err == nil && string(f.Raw) == "+PONG\r\n"
	})
	if !ok {
		t.Fatal("no client admitted after one left")
	}
}

// TestIdleTimeout: with timeout 1 an idle client is closed after about a
// second, a busy one is not.
func TestIdleTimeout(t *testing.T) {
	t.Parallel()
	p := testutil.StartCairn(t, "--timeout", "1")
	idle := testutil.Dial(t, p.Addr())
	busy := testutil.Dial(t, p.Addr())
	if got := string(idle.Do("PING")); got != "+PONG\r\n" {
		t.Fatalf("PING: %q", got)
	}
	start := time.Now()
	closedCh := make(chan time.Duration, 1)
	go func() {
		_, closed := idle.ReadUntilClose(10 * time.Second)
		if closed {
			closedCh <- time.Since(start)
		} else {
			closedCh <- -1
		}
	}()
	for i := 0; i < 10; i++ { // 2s of activity, 200ms apart
		time.Sleep(200 * time.Millisecond)
		if got := string(busy.Do("PING")); got != "+PONG\r\n" {
			t.Fatalf("busy client after %v: %q", time.Since(start), got)
		}
	}
	d := <-closedCh
	if d < 900*time.Millisecond || d > 4*time.Second {
		t.Fatalf("idle client closed after %v, want about 1s (-1: never)", d)
	}
}

// TestClientKillOther: CLIENT KILL ID and ADDR close another connection
// (which sees EOF) and count the victims; the killer keeps working.
func TestClientKillOther(t *testing.T) {
	t.Parallel()
	p := testutil.StartCairn(t)
	killer := testutil.Dial(t, p.Addr())
	for _, how := range []string{"ID", "ADDR", "old"} {
		victim := testutil.Dial(t, p.Addr())
		id := strings.TrimPrefix(strings.TrimSuffix(string(victim.Do("CLIENT", "ID")), "\r\n"), ":")
		addr := victim.Conn().LocalAddr().String()
		var got string
		switch how {
		case "ID":
			got = string(killer.Do("CLIENT", "KILL", "ID", id))
			if got != ":1\r\n" {
				t.Errorf("CLIENT KILL ID = %q", got)
			}
		case "ADDR":
			got = string(killer.Do("CLIENT", "KILL", "ADDR", addr))
			if got != ":1\r\n" {
				t.Errorf("CLIENT KILL ADDR = %q", got)
			}
		case "old": // the old form: CLIENT KILL addr
			got = string(killer.Do("CLIENT", "KILL", addr))
			if got != "+OK\r\n" {
				t.Errorf("CLIENT KILL addr = %q", got)
			}
		}
		if _, closed := victim.ReadUntilClose(5 * time.Second); !closed {
			t.Errorf("%s: victim not closed", how)
		}
		if got := string(killer.Do("CLIENT", "KILL", "ID", id)); got != ":0\r\n" {
			t.Errorf("second kill of %s = %q, want :0", id, got)
		}
	}
	if got := string(killer.Do("CLIENT", "KILL", "127.0.0.1:1")); got != "-ERR No such client\r\n" {
		t.Errorf("CLIENT KILL unknown addr = %q", got)
	}
	if got := string(killer.Do("PING")); got != "+PONG\r\n" {
		t.Errorf("killer: %q", got)
	}
}

// TestClientReplyOffSkip: CLIENT REPLY OFF silences replies until ON,
// SKIP silences the next command only; the commands still run.
func TestClientReplyOffSkip(t *testing.T) {
	t.Parallel()
	p := testutil.StartCairn(t)
	c := testutil.Dial(t, p.Addr())
	c.Send([]byte("CLIENT REPLY OFF\r\nSET a 1\r\nINCR a\r\nGET nothing\r\nCLIENT REPLY ON\r\n"))
	if got := string(c.ReadReply()); got != "+OK\r\n" { // ON answers
		t.Fatalf("first reply after REPLY OFF ... ON = %q, want +OK from ON", got)
	}
	c.Send([]byte("CLIENT REPLY SKIP\r\nINCR a\r\nINCR a\r\n"))
	if got := string(c.ReadReply()); got != ":4\r\n" {
		t.Fatalf("after SKIP got %q, want :4 (the skipped INCR ran)", got)
	}
	if got := string(c.Do("GET", "a")); got != "$1\r\n4\r\n" {
		t.Fatalf("GET a = %q", got)
	}
}

// monitorLine is Redis's MONITOR format: time with microseconds, [db
// client-address], then the quoted arguments.
var monitorLine = regexp.MustCompile(`^\+\d{10}\.\d{6} \[(\d+) 127\.0\.0\.1:\d+\] (.*)\r\n$`)

// TestMonitorFeed: a MONITOR client receives other clients' commands in
// Redis's format, with the database and quoted arguments.
func TestMonitorFeed(t *testing.T) {
	t.Parallel()
	for _, srv := range []string{"cairn", "redis"} {
		t.Run(srv, func(t *testing.T) {
			t.Parallel()
			var p *testutil.Proc
			if srv == "redis" { // the oracle for the format
				p = testutil.StartRedis(t)
			} else {
				p = testutil.StartCairn(t)
			}
			mon := testutil.Dial(t, p.Addr())
			if got := string(mon.Do("MONITOR")); got != "+OK\r\n" {
				t.Fatalf("MONITOR = %q", got)
			}
			c := testutil.Dial(t, p.Addr())
			c.Do("SELECT", "3")
			c.Do("SET", "greeting", "hello \"world\"\n\x01")
			c.Do("GET", "greeting")
			want := []struct{ db, args string }{
				{"3", `"SELECT" "3"`}, // Redis reports the database after the command
				{"3", `"SET" "greeting" "hello \"world\"\n\x01"`},
				{"3", `"GET" "greeting"`},
			}
			for _, w := range want {
				line := string(mon.ReadReply())
				m := monitorLine.FindStringSubmatch(line)
				if m == nil || m[1] != w.db || m[2] != w.args {
					t.Errorf("monitor line %q, want db %s and %s", line, w.db, w.args)
				}
			}
			// The monitor itself cannot run ordinary commands in Redis 7.0
			// but QUIT and RESET; a second client keeps working.
			if got := string(c.Do("PING")); got != "+PONG\r\n" {
				t.Errorf("PING: %q", got)
			}
			if line := string(mon.ReadReply()); !strings.HasSuffix(line, `"PING"`+"\r\n") {
				t.Errorf("monitor line %q, want PING", line)
			}
		})
	}
}

// TestQuit: QUIT answers +OK and closes; commands pipelined after it do
// not run.
func TestQuit(t *testing.T) {
	t.Parallel()
	p := testutil.StartCairn(t)
	c := testutil.Dial(t, p.Addr())
	c.Send([]byte("SET q 1\r\nQUIT\r\nSET q 2\r\n"))
	got, closed := c.ReadUntilClose(5 * time.Second)
	if string(got) != "+OK\r\n+OK\r\n" || !closed {
		t.Fatalf("got %q closed=%v", got, closed)
	}
	other := testutil.Dial(t, p.Addr())
	if got := string(other.Do("GET", "q")); got != "$1\r\n1\r\n" {
		t.Fatalf("GET q = %q: a command after QUIT ran", got)
	}
}
