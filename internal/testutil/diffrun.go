package testutil

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"
)

// diffReplyTimeout bounds the wait for one reply during a script; a server
// that does not answer in time ends the script, since every later reply
// would be out of step.
const diffReplyTimeout = 3 * time.Second

// diffCloseTimeout bounds the wait for a server to close the connection.
const diffCloseTimeout = 2 * time.Second

// maxQuoted caps how much of a reply a mismatch report prints.
const maxQuoted = 1500

// DiffTarget is one side of a differential run.
type DiffTarget struct {
	Name     string // shown in reports, e.g. "cairn" or "redis"
	Addr     string
	Password string // AUTH for the harness's own connection, if any
}

// ResetServer empties every database of t (FLUSHALL on a connection of
// its own), so a script starts from an empty keyspace.
func ResetServer(t DiffTarget) error {
	c, err := DialRaw(t.Addr)
	if err != nil {
		return fmt.Errorf("testutil: reset %s: %w", t.Name, err)
	}
	defer c.Close()
	if t.Password != "" {
		if err := expectOK(c, "AUTH", t.Password); err != nil {
			return fmt.Errorf("testutil: reset %s: %w", t.Name, err)
		}
	}
	if err := expectOK(c, "FLUSHALL"); err != nil {
		return fmt.Errorf("testutil: reset %s: %w", t.Name, err)
	}
	return nil
}

func expectOK(c *RawConn, args ...string) error {
	bs := make([][]byte, len(args))
	for i, a := range args {
		bs[i] = []byte(a)
	}
	if err := c.TrySend(AppendCommand(nil, bs...)); err != nil {
		return err
	}
	f, err := c.TryReadFrame(diffReplyTimeout)
	if err != nil {
		return err
	}
	if string(f.Raw) != "+OK\r\n" {
		return fmt.Errorf("%s: got %q", args[0], f.Raw)
	}
	return nil
}

// RunScript flushes both servers, opens one connection to each, switches
// both to RESP3 with HELLO 3 when proto is 3, and plays the script,
// reporting every mismatch through t. It returns the number of reply
// comparisons made. With CAIRN_DIFF_VERBOSE=1 every reply is logged.
func RunScript(t testing.TB, s *Script, proto int, a, b DiffTarget) int {
	t.Helper()
	verbose := os.Getenv("CAIRN_DIFF_VERBOSE") == "1"
	for _, tg := range []DiffTarget{a, b} {
		if err := ResetServer(tg); err != nil {
			t.Fatal(err)
		}
	}
	ca, err := DialRaw(a.Addr)
	if err != nil {
		t.Fatalf("testutil: dial %s: %v", a.Name, err)
	}
	cb, err := DialRaw(b.Addr)
	if err != nil {
		ca.Close()
		t.Fatalf("testutil: dial %s: %v", b.Name, err)
	}
	pair := [2]*RawConn{ca, cb}
	defer func() { pair[0].Close(); pair[1].Close() }()
	names := [2]string{a.Name, b.Name}

	if proto == 3 {
		for i, c := range pair {
			if err := c.TrySend(AppendCommand(nil, []byte("HELLO"), []byte("3"))); err != nil {
				t.Fatalf("%s: HELLO 3 to %s: %v", s.Name, names[i], err)
			}
			f, err := c.TryReadFrame(diffReplyTimeout)
			if err != nil || f.Type != '%' {
				t.Fatalf("%s: HELLO 3 to %s: reply %q, err %v", s.Name, names[i], f.Raw, err)
			}
		}
	}

	cases := 0
	for i := range s.Steps {
		st := &s.Steps[i]
		if st.OnlyProto != 0 && st.OnlyProto != proto {
			continue
		}
		where := fmt.Sprintf("%s:%d (RESP%d): %s", s.Name, st.Line, proto, st.Text)
		switch st.Kind {
		case StepSleep:
			time.Sleep(time.Duration(st.SleepMS) * time.Millisecond)
			continue
		case StepClose:
			cases++
			if !compareClose(t, st, where, pair, names, verbose) {
				return cases
			}
			// Both connections are gone; later steps get fresh ones in
			// the same protocol.
			if !reopen(t, s, proto, &pair, [2]DiffTarget{a, b}) {
				return cases
			}
			continue
		}
		var replies [2][]Frame
		for side, c := range pair {
			if err := c.TrySend(st.Payload); err != nil {
				t.Errorf("%s\n  send to %s: %v", where, names[side], err)
				return cases
			}
			for n := 0; n < st.Replies; n++ {
				f, err := c.TryReadFrame(diffReplyTimeout)
				if err != nil {
					t.Errorf("%s\n  reply %d of %d from %s: %v (script stopped here)", where, n+1, st.Replies, names[side], err)
					return cases
				}
				replies[side] = append(replies[side], f)
			}
		}
		for n := 0; n < st.Replies; n++ {
			cases++
			ra, rb := replies[0][n], replies[1][n]
			if verbose {
				t.Logf("%s\n  reply %d: %s", where, n+1, quoteCapped(ra.Raw))
			}
			if ok, why := sameReply(st, ra, rb); !ok {
				label := ""
				if st.Replies > 1 {
					label = fmt.Sprintf(" reply %d of %d", n+1, st.Replies)
				}
				if why != "" {
					why = "\n  " + why
				}
				t.Errorf("%s%s\n  %-6s %s\n  %-6s %s%s", where, label,
					names[0]+":", quoteCapped(ra.Raw), names[1]+":", quoteCapped(rb.Raw), why)
			}
		}
	}
	return cases
}

// compareClose sends the step's payload to both servers and compares what
// each sends before closing. It reports false when the script cannot go on.
func compareClose(t testing.TB, st *Step, where string, pair [2]*RawConn, names [2]string, verbose bool) bool {
	t.Helper()
	var got [2][]byte
	var closed [2]bool
	for side, c := range pair {
		if err := c.TrySend(st.Payload); err != nil {
			// The server may close before reading everything; what it
			// sent before closing is still compared below.
			if verbose {
				t.Logf("%s\n  send to %s: %v", where, names[side], err)
			}
		}
		got[side], closed[side] = c.ReadUntilClose(diffCloseTimeout)
	}
	if verbose {
		t.Logf("%s\n  before close: %s", where, quoteCapped(got[0]))
	}
	ok := closed[0] && closed[1]
	for side := range pair {
		if !closed[side] {
			t.Errorf("%s\n  %s did not close the connection within %v (sent %s)", where, names[side], diffCloseTimeout, quoteCapped(got[side]))
		}
	}
	match := bytes.Equal(got[0], got[1])
	if st.Mode == CompareMatch {
		match = st.Pattern.Match(got[0]) && st.Pattern.Match(got[1])
	}
	if !match {
		t.Errorf("%s\n  bytes before close differ\n  %-6s %s\n  %-6s %s", where,
			names[0]+":", quoteCapped(got[0]), names[1]+":", quoteCapped(got[1]))
	}
	return ok
}

func reopen(t testing.TB, s *Script, proto int, pair *[2]*RawConn, targets [2]DiffTarget) bool {
	t.Helper()
	for i, tg := range targets {
		pair[i].Close()
		c, err := DialRaw(tg.Addr)
		if err != nil {
			t.Errorf("%s: reconnect to %s: %v", s.Name, tg.Name, err)
			return false
		}
		pair[i] = c
		if proto == 3 {
			if err := c.TrySend(AppendCommand(nil, []byte("HELLO"), []byte("3"))); err != nil {
				t.Errorf("%s: HELLO 3 to %s: %v", s.Name, tg.Name, err)
				return false
			}
			if _, err := c.TryReadFrame(diffReplyTimeout); err != nil {
				t.Errorf("%s: HELLO 3 to %s: %v", s.Name, tg.Name, err)
				return false
			}
		}
	}
	return true
}

func quoteCapped(b []byte) string {
	if len(b) <= maxQuoted {
		return strconv.Quote(string(b))
	}
	return strconv.Quote(string(b[:maxQuoted])) + fmt.Sprintf("... (%d bytes in all)", len(b))
}
