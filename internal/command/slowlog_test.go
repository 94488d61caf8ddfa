package command

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"cairn/internal/config"
	"cairn/internal/store"
)

// slowlogTail is what an entry's reply holds after id, time and
// duration: the arguments, the client address and the client name.
func slowlogTail(args []string, addr, name string) string {
	var b strings.Builder
	b.WriteString("*" + strconv.Itoa(len(args)) + "\r\n")
	for _, a := range args {
		b.WriteString(srvBulk(a))
	}
	b.WriteString(srvBulk(addr) + srvBulk(name))
	return b.String()
}

// slowlogEntries splits a SLOWLOG GET reply into its entries' ids and
// tails (see slowlogTail).
func slowlogEntries(t *testing.T, reply string) (ids []int64, tails []string) {
	t.Helper()
	entry := regexp.MustCompile(`\*6\r\n:(\d+)\r\n:\d{10}\r\n:\d+\r\n`)
	locs := entry.FindAllStringSubmatchIndex(reply, -1)
	for i, loc := range locs {
		id, _ := strconv.ParseInt(reply[loc[2]:loc[3]], 10, 64)
		end := len(reply)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		ids = append(ids, id)
		tails = append(tails, reply[loc[1]:end])
	}
	return ids, tails
}

func TestSlowlogTruncation(t *testing.T) {
	e, s := serverTestEngine(t)
	s.setName("me")
	srvExpect(t, e, s, "+OK\r\n", "CONFIG", "SET", "slowlog-log-slower-than", "0")
	srvExpect(t, e, s, "+OK\r\n", "SLOWLOG", "RESET")

	many := []string{"CONFIG", "GET"}
	for i := 0; i < 38; i++ {
		many = append(many, "p"+strconv.Itoa(i))
	}
	srvRun(e, s, many...) // 40 arguments
	exact := append([]string{"CONFIG", "GET"}, many[2:32]...)
	srvRun(e, s, exact...) // exactly 32 arguments: kept whole
	long := strings.Repeat("x", 200)
	srvRun(e, s, "CONFIG", "GET", long)
	srvRun(e, s, "CONFIG", "GET", long[:128])

	ids, tails := slowlogEntries(t, srvRun(e, s, "SLOWLOG", "GET", "4"))
	if len(tails) != 4 {
		t.Fatalf("%d entries, want 4", len(tails))
	}
	want40 := append(append([]string{}, many[:31]...), "... (9 more arguments)")
	for i, want := range []string{
		slowlogTail([]string{"CONFIG", "GET", long[:128]}, "127.0.0.1:40000", "me"),
		slowlogTail([]string{"CONFIG", "GET", long[:128] + "... (72 more bytes)"}, "127.0.0.1:40000", "me"),
		slowlogTail(exact, "127.0.0.1:40000", "me"),
		slowlogTail(want40, "127.0.0.1:40000", "me"),
	} {
		if tails[i] != want {
			t.Errorf("entry %d:\n got %q\nwant %q", i, tails[i], want)
		}
	}
	// Newest first, consecutive ids; the RESET before them was logged too.
	if ids[0] != 5 || ids[1] != 4 || ids[2] != 3 || ids[3] != 2 {
		t.Errorf("ids %v", ids)
	}
}

func TestSlowlogRedactsSecrets(t *testing.T) {
	e, s := serverTestEngine(t)
	srvRun(e, s, "CONFIG", "SET", "slowlog-log-slower-than", "0")
	srvRun(e, s, "CONFIG", "SET", "masteruser", "u", "masterauth", "p", "hz", "10")
	_, tails := slowlogEntries(t, srvRun(e, s, "SLOWLOG", "GET", "1"))
	want := slowlogTail([]string{"CONFIG", "SET", "masteruser", redacted, "masterauth", redacted, "hz", "10"}, "127.0.0.1:40000", "")
	if len(tails) != 1 || tails[0] != want {
		t.Errorf("got %q\nwant %q", tails, want)
	}
	hello := &Command{FullName: "hello"}
	args, _ := slowlogArgs(hello, [][]byte{[]byte("HELLO"), []byte("3"), []byte("AUTH"), []byte("u"), []byte("pw"), []byte("SETNAME"), []byte("n")})
	var got []string
	for _, a := range args {
		got = append(got, string(a))
	}
	if strings.Join(got, " ") != "HELLO 3 AUTH (redacted) (redacted) SETNAME n" {
		t.Errorf("HELLO logged as %q", got)
	}
	auth := &Command{FullName: "auth"}
	args, _ = slowlogArgs(auth, [][]byte{[]byte("AUTH"), []byte("user"), []byte("pw")})
	if string(args[0]) != "AUTH" || string(args[1]) != redacted || string(args[2]) != redacted {
		t.Errorf("AUTH logged as %q", args)
	}
}

func TestSlowlogThresholdAndLength(t *testing.T) {
	e, s := serverTestEngine(t)
	srvExpect(t, e, s, ":0\r\n", "SLOWLOG", "LEN")
	srvExpect(t, e, s, "*0\r\n", "SLOWLOG", "GET")
	srvRun(e, s, "CONFIG", "SET", "slowlog-log-slower-than", "0", "slowlog-max-len", "3")
	for i := 0; i < 5; i++ {
		srvRun(e, s, "TIME")
	}
	srvExpect(t, e, s, ":3\r\n", "SLOWLOG", "LEN")
	ids, _ := slowlogEntries(t, srvRun(e, s, "SLOWLOG", "GET", "-1"))
	if len(ids) != 3 || ids[0] != 6 {
		t.Errorf("ids %v, want the 3 newest ending in 6", ids)
	}
	ids, _ = slowlogEntries(t, srvRun(e, s, "SLOWLOG", "GET", "1"))
	if len(ids) != 1 {
		t.Errorf("GET 1 gave %d entries", len(ids))
	}
	srvExpect(t, e, s, "*0\r\n", "SLOWLOG", "GET", "0")
	srvExpect(t, e, s, "+OK\r\n", "CONFIG", "SET", "slowlog-log-slower-than", "-1")
	srvExpect(t, e, s, "+OK\r\n", "SLOWLOG", "RESET")
	srvRun(e, s, "TIME")
	srvExpect(t, e, s, ":0\r\n", "SLOWLOG", "LEN")

	srvRun(e, s, "CONFIG", "SET", "slowlog-log-slower-than", "100000000")
	srvRun(e, s, "TIME")
	srvExpect(t, e, s, ":0\r\n", "SLOWLOG", "LEN")
}

func TestSlowlogErrors(t *testing.T) {
	e, s := serverTestEngine(t)
	for _, n := range []string{"-2", "x", "1.5", "99999999999999999999", "+1", "01"} {
		srvExpect(t, e, s, "-ERR count should be greater than or equal to -1\r\n", "SLOWLOG", "GET", n)
	}
	srvExpect(t, e, s, "-ERR unknown subcommand or wrong number of arguments for 'GeT'. Try SLOWLOG HELP.\r\n",
		"SLOWLOG", "GeT", "1", "2")
	srvExpect(t, e, s, "-ERR wrong number of arguments for 'slowlog|len' command\r\n", "SLOWLOG", "LEN", "x")
	srvExpect(t, e, s, "-ERR wrong number of arguments for 'slowlog|reset' command\r\n", "SLOWLOG", "RESET", "x")
	srvExpect(t, e, s, "-ERR unknown subcommand 'foo'. Try SLOWLOG HELP.\r\n", "SLOWLOG", "foo")
}

// TestSlowlogMaybeAddNoAlloc checks the per-command cost when nothing is
// logged: no allocation.
func TestSlowlogMaybeAddNoAlloc(t *testing.T) {
	e, s := serverTestEngine(t)
	c := &Ctx{E: e, S: s, Args: [][]byte{[]byte("TIME")}, cmd: e.Lookup("time")}
	allocs := testing.AllocsPerRun(1000, func() { e.slowlog.maybeAdd(c, 5) })
	if allocs != 0 {
		t.Errorf("maybeAdd allocates %v times per call", allocs)
	}
}

func BenchmarkSlowlogMaybeAdd(b *testing.B) {
	e := NewEngine(store.New(16), config.Default())
	s := e.NewSession("127.0.0.1:1", "", 0, 0, nil)
	c := &Ctx{E: e, S: s, Args: [][]byte{[]byte("GET"), []byte("k")}, cmd: e.Lookup("time")}
	b.ReportAllocs()
	for b.Loop() {
		e.slowlog.maybeAdd(c, 5)
	}
}
