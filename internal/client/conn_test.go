package client

import (
	"errors"
	"strconv"
	"testing"

	"cairn/internal/testutil"
)

func TestDoAndSessionReplay(t *testing.T) {
	srv := testutil.StartRedis(t, "--requirepass", "pw")
	c, err := Dial(Options{Addr: srv.Addr(), Password: "pw", DB: 2, Protocol: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.Protocol() != 3 || c.DB() != 2 {
		t.Fatalf("proto %d db %d", c.Protocol(), c.DB())
	}
	v, raw, err := c.Do("SET", "k", "v")
	if err != nil || string(raw) != "+OK\r\n" || string(v.Str) != "OK" {
		t.Fatalf("SET: %v %q %v", v, raw, err)
	}
	v, raw, err = c.Do("GET", "missing")
	if err != nil || !v.Null || string(raw) != "_\r\n" {
		t.Fatalf("GET missing over RESP3: %v %q %v", v, raw, err)
	}
	v, _, err = c.Do("INCR", "k")
	if err != nil || !v.IsError() {
		t.Fatalf("INCR on a string should be an error reply, got %v %v", v, err)
	}
	if _, _, err := c.Do("SELECT", "5"); err != nil || c.DB() != 5 {
		t.Fatalf("SELECT 5: db %d %v", c.DB(), err)
	}
	if _, _, err := c.Do("SET", "in5", "x"); err != nil {
		t.Fatal(err)
	}

	// The server goes away: Do fails once, then dials again with AUTH,
	// HELLO 3 and SELECT 5 replayed.
	srv.Restart()
	if _, _, err := c.Do("PING"); err == nil {
		t.Fatal("PING on a dead connection succeeded")
	}
	if c.Connected() {
		t.Fatal("still connected after a network error")
	}
	v, _, err = c.Do("CLIENT", "INFO")
	if err != nil || v.IsError() {
		t.Fatalf("after reconnect: %v %v", v, err)
	}
	if got := string(v.Str); !contains(got, " db=5 ") || !contains(got, "resp=3") {
		t.Fatalf("session not restored: %s", got)
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func TestDialErrors(t *testing.T) {
	port, err := testutil.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	_, err = Dial(Options{Addr: addr})
	var de *DialError
	if !errors.As(err, &de) || err.Error() != "Could not connect to "+addr+": Connection refused" {
		t.Fatalf("got %v", err)
	}

	srv := testutil.StartCairn(t)
	_, err = Dial(Options{Addr: srv.Addr(), DB: 100000})
	var se *SetupError
	if !errors.As(err, &se) || se.Command != "SELECT 100000" {
		t.Fatalf("bad SELECT at dial: %v", err)
	}
	// With OnSetupError returning nil the session carries on in db 0.
	c, err := Dial(Options{Addr: srv.Addr(), DB: 100000, OnSetupError: func(*SetupError) error { return nil }})
	if err != nil || c.DB() != 0 {
		t.Fatalf("continue after setup error: %v", err)
	}
	c.Close()
}

func TestLazyDialAndPipelining(t *testing.T) {
	srv := testutil.StartCairn(t)
	c := New(Options{Addr: srv.Addr()})
	if c.Connected() {
		t.Fatal("New dialled eagerly")
	}
	for i := 0; i < 3; i++ {
		if err := c.Send("INCR", "n"); err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i <= 3; i++ {
		v, _, err := c.Receive()
		if err != nil || v.Int != int64(i) {
			t.Fatalf("reply %d: %v %v", i, v, err)
		}
	}
	c.Close()
	if _, _, err := c.Receive(); !errors.Is(err, ErrClosed) {
		t.Fatalf("Receive after Close: %v", err)
	}
}
