package integration

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"cairn/internal/testutil"
)

// cliRun is one finished run of a client binary.
type cliRun struct {
	stdout, stderr string
	code           int
}

func runCLI(t *testing.T, bin string, stdin string, args ...string) cliRun {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "CAIRNCLI_HISTFILE=", "REDISCLI_HISTFILE=/dev/null")
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("%s %q did not finish", filepath.Base(bin), args)
	}
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: %v", bin, err)
	}
	return cliRun{out.String(), errb.String(), code}
}

// cannedServer answers "RAW <hex>" with the decoded bytes, HELLO with a
// small map and anything else with +OK, so any reply shape can be shown to
// both clients.
func cannedServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go serveCanned(c)
		}
	}()
	return ln.Addr().String()
}

func serveCanned(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil || len(line) < 3 || line[0] != '*' {
			return
		}
		n, _ := strconv.Atoi(strings.TrimSpace(line[1:]))
		args := make([]string, 0, n)
		for i := 0; i < n; i++ {
			h, err := r.ReadString('\n')
			if err != nil {
				return
			}
			l, _ := strconv.Atoi(strings.TrimSpace(h[1:]))
			b := make([]byte, l+2)
			if _, err := io.ReadFull(r, b); err != nil {
				return
			}
			args = append(args, string(b[:l]))
		}
		switch {
		case len(args) == 2 && strings.EqualFold(args[0], "RAW"):
			b, _ := hex.DecodeString(args[1])
			c.Write(b)
		case len(args) > 0 && strings.EqualFold(args[0], "HELLO"):
			c.Write([]byte("%1\r\n+proto\r\n:3\r\n"))
		default:
			c.Write([]byte("+OK\r\n"))
		}
	}
}

func hostPort(t *testing.T, addr string) (string, string) {
	t.Helper()
	h, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	return h, p
}

// TestCLIFormatsLikeRedisCLI shows every RESP2/RESP3 reply shape to both
// clients in every output mode and compares the bytes printed.
func TestCLIFormatsLikeRedisCLI(t *testing.T) {
	redisCLI := testutil.RequireRedisCLI(t)
	cairnCLI := testutil.BuildBinary(t, "cairn-cli")
	host, port := hostPort(t, cannedServer(t))

	replies := []string{
		"+OK\r\n",
		"-ERR bad thing\r\n",
		":42\r\n", ":-7\r\n",
		"$5\r\nhello\r\n", "$0\r\n\r\n", "$-1\r\n", "*-1\r\n", "_\r\n",
		"$12\r\na\"b\\c\x01\xff\xc3\xa9\n\r\t\r\n",
		"$9\r\n/\t\b\f\r\x7f\\\x1b\x00\r\n",
		"+a\x01\"\r\n",
		"*0\r\n", "%0\r\n", "~0\r\n",
		"*3\r\n$1\r\na\r\n*2\r\n:1\r\n$-1\r\n*0\r\n",
		"%2\r\n+k\r\n$2\r\nv\n\r\n$1\r\nx\r\n*2\r\n:1\r\n:2\r\n",
		"%3\r\n+a\r\n*0\r\n:5\r\n%1\r\n+b\r\n~1\r\n+c\r\n,1e+300\r\n_\r\n",
		"%1\r\n+a\r\n*1\r\n*2\r\n:1\r\n:2\r\n",
		"%1\r\n*2\r\n:1\r\n:2\r\n+v\r\n",
		"*2\r\n%1\r\n+a\r\n*2\r\n:1\r\n:2\r\n+z\r\n",
		"%1\r\n:1\r\n$-1\r\n", "%1\r\n#t\r\n:2\r\n", "%1\r\n-ERR\r\n:2\r\n",
		"~2\r\n+a\r\n,1.5\r\n",
		"#t\r\n", "#f\r\n", ",3.14\r\n", ",inf\r\n", ",-inf\r\n",
		"=15\r\ntxt:hello world\r\n",
		"*2\r\n-ERR x\r\n%1\r\n+a\r\n#t\r\n",
		"*2\r\n$0\r\n\r\n+\r\n",
		">2\r\n+message\r\n+x\r\n+after push\r\n",
	}
	big := "*11\r\n"
	for i := 1; i <= 10; i++ {
		big += ":" + strconv.Itoa(i) + "\r\n"
	}
	big += "*2\r\n*1\r\n+x\r\n%1\r\n:7\r\n*0\r\n"
	replies = append(replies, big)

	modes := [][]string{{"--no-raw"}, {"--raw"}, {"--csv"}, {"--json"}, {"--quoted-json"}, {"--raw", "-d", "|"}}
	for _, mode := range modes {
		for _, reply := range replies {
			args := append([]string{"-h", host, "-p", port}, mode...)
			args = append(args, "RAW", hex.EncodeToString([]byte(reply)))
			want := runCLI(t, redisCLI, "", args...)
			got := runCLI(t, cairnCLI, "", args...)
			if got.stdout != want.stdout || got.stderr != want.stderr {
				t.Errorf("%v reply %q:\nredis-cli: %q %q\ncairn-cli: %q %q", mode, reply, want.stdout, want.stderr, got.stdout, got.stderr)
			}
			wantCode := want.code
			if strings.HasPrefix(reply, "-") {
				wantCode = 1 // our deliberate difference: error replies fail the command
			}
			if got.code != wantCode {
				t.Errorf("%v reply %q: exit code %d, want %d", mode, reply, got.code, wantCode)
			}
		}
	}
}

// cliServers starts a cairn-server and a redis-server; each client test
// runs against both.
func cliServers(t *testing.T) map[string]*testutil.Proc {
	return map[string]*testutil.Proc{
		"cairn": testutil.StartCairn(t),
		"redis": testutil.StartRedis(t),
	}
}

// TestCLIOneShotLikeRedisCLI runs the same commands through both clients
// against the same server (Cairn, then Redis) and compares the output.
func TestCLIOneShotLikeRedisCLI(t *testing.T) {
	redisCLI := testutil.RequireRedisCLI(t)
	cairnCLI := testutil.BuildBinary(t, "cairn-cli")
	commands := [][]string{
		{"SET", "greeting", "hello world"},
		{"GET", "greeting"},
		{"GET", "nokey"},
		{"MGET", "greeting", "nokey", "greeting"},
		{"SET", "bin", "a\"b\x01\xff\nz"},
		{"GET", "bin"},
		{"INCR", "greeting"},
		{"NOSUCHCOMMAND", "x"},
		{"GET"},
		{"SET", "counter", "10"},
		{"EXISTS", "greeting", "nokey", "counter"},
		{"TYPE", "greeting"},
		{"KEYS", "nomatch*"},
		{"SELECT", "99"},
		{"PING"},
		{"ECHO", ""},
		{"COMMAND", "INFO", "GET"},
		{"CONFIG", "GET", "maxmemory"},
		{"INCRBYFLOAT", "counter", "0"},
	}
	modes := [][]string{{"--no-raw"}, {}, {"--csv"}, {"--json"}, {"-3", "--no-raw"}, {"-2", "--json"}}
	for name, srv := range cliServers(t) {
		for _, mode := range modes {
			for _, cmd := range commands {
				args := append(append([]string{"-p", strconv.Itoa(srv.Port())}, mode...), cmd...)
				want := runCLI(t, redisCLI, "", args...)
				got := runCLI(t, cairnCLI, "", args...)
				if got.stdout != want.stdout || got.stderr != want.stderr {
					t.Errorf("%s %v %q:\nredis-cli: %q %q\ncairn-cli: %q %q", name, mode, cmd, want.stdout, want.stderr, got.stdout, got.stderr)
				}
				isErr := strings.HasPrefix(got.stdout, "(error)") || strings.HasPrefix(got.stdout, "ERR") ||
					strings.HasPrefix(got.stdout, "error:") || strings.HasPrefix(got.stdout, "ERROR,")
				if wantCode := map[bool]int{true: 1, false: 0}[isErr]; got.code != wantCode {
					t.Errorf("%s %v %q: exit code %d, want %d (output %q)", name, mode, cmd, got.code, wantCode, got.stdout)
				}
			}
		}
	}
}

// TestCLIPipedLikeRedisCLI feeds the same script on standard input.
func TestCLIPipedLikeRedisCLI(t *testing.T) {
	redisCLI := testutil.RequireRedisCLI(t)
	cairnCLI := testutil.BuildBinary(t, "cairn-cli")
	script := "set a 1\nget a\nfoo bar\nget nokey\nincr a\nset \"x y\" 'q z'\nget \"unbalanced\n" +
		"get \"x y\"\nset esc \"tab\\there\\x41\"\nget esc\nget 'it\\'s'\n\n   \nselect 2\nget a\nselect 0\n" +
		"mget a nokey\nset \"a\"b c\nexit\nget a\n"
	for name, srv := range cliServers(t) {
		for _, mode := range [][]string{{}, {"--no-raw"}, {"--csv"}} {
			args := append([]string{"-p", strconv.Itoa(srv.Port())}, mode...)
			runCLI(t, redisCLI, "", append(args, "FLUSHALL")...)
			want := runCLI(t, redisCLI, script, args...)
			runCLI(t, redisCLI, "", append(args, "FLUSHALL")...)
			got := runCLI(t, cairnCLI, script, args...)
			if got != want {
				t.Errorf("%s %v piped:\nredis-cli: %q %q %d\ncairn-cli: %q %q %d", name, mode, want.stdout, want.stderr, want.code, got.stdout, got.stderr, got.code)
			}
		}
	}
}

// TestCLIOptions covers connection options, -x, -r, -n, -u, auth and the
// unreachable-server message.
func TestCLIOptions(t *testing.T) {
	cairnCLI := testutil.BuildBinary(t, "cairn-cli")
	srv := testutil.StartCairn(t)
	p := strconv.Itoa(srv.Port())

	if r := runCLI(t, cairnCLI, "line1\nline2", "-p", p, "-x", "SET", "fromstdin"); r.stdout != "OK\n" || r.code != 0 {
		t.Fatalf("-x SET: %+v", r)
	}
	if r := runCLI(t, cairnCLI, "", "-p", p, "--no-raw", "GET", "fromstdin"); r.stdout != "\"line1\\nline2\"\n" {
		t.Fatalf("GET after -x: %+v", r)
	}
	if r := runCLI(t, cairnCLI, "", "-p", p, "-r", "3", "INCR", "rep"); r.stdout != "1\n2\n3\n" {
		t.Fatalf("-r 3: %+v", r)
	}
	start := time.Now()
	if r := runCLI(t, cairnCLI, "", "-p", p, "-r", "3", "-i", "0.1", "PING"); r.stdout != "PONG\nPONG\nPONG\n" || time.Since(start) < 250*time.Millisecond {
		t.Fatalf("-r 3 -i 0.1: %+v after %v", r, time.Since(start))
	}
	runCLI(t, cairnCLI, "", "-p", p, "-n", "3", "SET", "indb3", "yes")
	if r := runCLI(t, cairnCLI, "", "-u", "redis://127.0.0.1:"+p+"/3", "GET", "indb3"); r.stdout != "yes\n" {
		t.Fatalf("-u with db: %+v", r)
	}
	if r := runCLI(t, cairnCLI, "", "-p", p, "GET", "indb3"); r.stdout != "\n" {
		t.Fatalf("db 0 should not see db 3's key: %+v", r)
	}

	// Unreachable server: a clear message and exit code 1, in every mode.
	free, err := testutil.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("Could not connect to 127.0.0.1:%d: Connection refused\n", free)
	for _, stdin := range []string{"", "PING\n"} {
		args := []string{"-p", strconv.Itoa(free)}
		if stdin == "" {
			args = append(args, "PING")
		}
		if r := runCLI(t, cairnCLI, stdin, args...); r.stderr != want || r.code != 1 || r.stdout != "" {
			t.Errorf("unreachable (stdin %q): %+v", stdin, r)
		}
	}
	if r := runCLI(t, cairnCLI, "", "--bogus"); r.code != 1 || !strings.Contains(r.stderr, "Unrecognized option or bad number of args for: '--bogus'") {
		t.Errorf("unknown option: %+v", r)
	}
	// -e sends error replies to stderr, as redis-cli -e does.
	if r := runCLI(t, cairnCLI, "", "-p", p, "-e", "NOSUCH"); r.code != 1 || r.stdout != "" || !strings.HasPrefix(r.stderr, "ERR unknown command") {
		t.Errorf("-e: %+v", r)
	}
}

func TestCLIAuth(t *testing.T) {
	redisCLI := testutil.RequireRedisCLI(t)
	cairnCLI := testutil.BuildBinary(t, "cairn-cli")
	srv := testutil.StartRedis(t, "--requirepass", "s3cret")
	p := strconv.Itoa(srv.Port())
	for _, args := range [][]string{
		{"-p", p, "-a", "s3cret", "PING"},
		{"-p", p, "-a", "s3cret", "--no-auth-warning", "PING"},
		{"-p", p, "--user", "default", "--pass", "s3cret", "-3", "PING"},
		{"-u", "redis://default:s3cret@127.0.0.1:" + p + "/2", "--no-auth-warning", "PING"},
		{"-p", p, "-a", "wrong", "--no-auth-warning", "PING"},
		{"-p", p, "PING"},
	} {
		want := runCLI(t, redisCLI, "", args...)
		got := runCLI(t, cairnCLI, "", args...)
		if got.stdout != want.stdout {
			t.Errorf("%q: redis-cli %+v, cairn-cli %+v", args, want, got)
		}
		if strings.Contains(strings.Join(args, " "), "-a") && !strings.Contains(strings.Join(args, " "), "no-auth") && got.stderr != want.stderr {
			t.Errorf("%q: warning: redis-cli %q, cairn-cli %q", args, want.stderr, got.stderr)
		}
	}
	cmd := exec.Command(cairnCLI, "-p", p, "PING")
	cmd.Env = append(os.Environ(), "CAIRNCLI_AUTH=s3cret")
	out, err := cmd.CombinedOutput()
	if err != nil || string(out) != "PONG\n" {
		t.Errorf("CAIRNCLI_AUTH: %q %v", out, err)
	}
}

// TestCLITools runs --scan, --bigkeys, --stat and --latency against both
// servers.
func TestCLITools(t *testing.T) {
	cairnCLI := testutil.BuildBinary(t, "cairn-cli")
	for name, srv := range cliServers(t) {
		p := strconv.Itoa(srv.Port())
		for i := 0; i < 30; i++ {
			runCLI(t, cairnCLI, "", "-p", p, "SET", fmt.Sprintf("user:%d", i), strings.Repeat("x", i))
		}
		runCLI(t, cairnCLI, "", "-p", p, "SET", "other", "1")
		r := runCLI(t, cairnCLI, "", "-p", p, "--scan", "--pattern", "user:*")
		keys := strings.Fields(r.stdout)
		if r.code != 0 || len(keys) != 30 {
			t.Errorf("%s --scan: %d keys, %+v", name, len(keys), r)
		}
		r = runCLI(t, cairnCLI, "", "-p", p, "--bigkeys")
		if r.code != 0 || !strings.Contains(r.stdout, "Sampled 31 keys in the keyspace!") ||
			!strings.Contains(r.stdout, "Biggest string found \"user:29\" has 29 bytes") ||
			!strings.Contains(r.stdout, "31 strings with 436 bytes") {
			t.Errorf("%s --bigkeys:\n%s%s", name, r.stdout, r.stderr)
		}
		r = runCLI(t, cairnCLI, "", "-p", p, "--stat", "-r", "2", "-i", "0.1")
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		if r.code != 0 || len(lines) != 4 || !strings.HasPrefix(lines[2], "31 ") {
			t.Errorf("%s --stat:\n%s%s", name, r.stdout, r.stderr)
		}
		r = runCLI(t, cairnCLI, "", "-p", p, "--latency", "-i", "0.2")
		if r.code != 0 || !regexp.MustCompile(`^\d+ \d+ \d+\.\d\d \d+\n$`).MatchString(r.stdout) {
			t.Errorf("%s --latency (not a tty): %q %q", name, r.stdout, r.stderr)
		}
		r = runCLI(t, cairnCLI, "", "-p", p, "--latency", "--csv", "-i", "0.2")
		if r.code != 0 || !regexp.MustCompile(`^\d+,\d+,\d+\.\d\d,\d+\n$`).MatchString(r.stdout) {
			t.Errorf("%s --latency --csv: %q %q", name, r.stdout, r.stderr)
		}
	}
}

// ptyShell drives cairn-cli's interactive mode in a pseudo-terminal.
type ptyShell struct {
	t    *testing.T
	f    *os.File
	cmd  *exec.Cmd
	mu   sync.Mutex
	buf  bytes.Buffer
	mark int // screen text before mark was already matched
}

func startShell(t *testing.T, env []string, args ...string) *ptyShell {
	t.Helper()
	cmd := exec.Command(testutil.BuildBinary(t, "cairn-cli"), args...)
	cmd.Env = append(append(os.Environ(), "TERM=xterm"), env...)
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 200})
	if err != nil {
		t.Fatal(err)
	}
	s := &ptyShell{t: t, f: f, cmd: cmd}
	go func() {
		b := make([]byte, 4096)
		for {
			n, err := f.Read(b)
			s.mu.Lock()
			s.buf.Write(b[:n])
			s.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		f.Close()
		if t.Failed() {
			t.Logf("terminal output:\n%q", s.screen())
		}
	})
	return s
}

var ansi = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|\r`)

// screen is the terminal output with escape sequences removed.
func (s *ptyShell) screen() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return ansi.ReplaceAllString(s.buf.String(), "")
}

// expect waits until text appears after the previous match.
func (s *ptyShell) expect(text string) {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		scr := s.screen()
		if i := strings.Index(scr[min(s.mark, len(scr)):], text); i >= 0 {
			s.mark += i + len(text)
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.t.Fatalf("terminal never showed %q after offset %d; screen:\n%s", text, s.mark, s.screen()[min(s.mark, len(s.screen())):])
}

func (s *ptyShell) send(keys string) {
	s.t.Helper()
	if _, err := s.f.Write([]byte(keys)); err != nil {
		s.t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
}

func TestCLIShellInTerminal(t *testing.T) {
	srv := testutil.StartCairn(t)
	p := strconv.Itoa(srv.Port())
	hist := filepath.Join(t.TempDir(), "history")
	sh := startShell(t, []string{"CAIRNCLI_HISTFILE=" + hist}, "-p", p)
	prompt := "127.0.0.1:" + p + "> "
	sh.expect(prompt)

	sh.send("SET greeting \"hello world\"\r")
	sh.expect("OK")
	sh.expect(prompt)
	sh.send("GET greeting\r")
	sh.expect("\"hello world\"")
	sh.send("GET nokey\r")
	sh.expect("(nil)")
	sh.send("INCR greeting\r")
	sh.expect("(error) ERR value is not an integer or out of range")

	// Unbalanced quotes are reported and nothing is sent.
	sh.send("SET k \"unbalanced\r")
	sh.expect("Invalid argument(s)")
	sh.expect(prompt)
	if r := runCLI(t, testutil.BuildBinary(t, "cairn-cli"), "", "-p", p, "EXISTS", "k"); r.stdout != "0\n" {
		t.Fatalf("unbalanced line was sent: EXISTS k = %q", r.stdout)
	}

	// SELECT shows the database in the prompt.
	sh.send("SELECT 2\r")
	sh.expect("127.0.0.1:" + p + "[2]> ")
	sh.send("SELECT 0\r")
	sh.expect(prompt)

	// Up recalls the previous line.
	sh.send("ECHO recalled\r")
	sh.expect("\"recalled\"")
	sh.expect(prompt)
	sh.send("\x1b[A")
	sh.send("\r")
	sh.expect("\"recalled\"")

	// Tab completes a command name, and the hint shows its arguments.
	sh.expect(prompt)
	sh.send("STRL\t")
	sh.expect("STRLEN")
	sh.send(" ")
	sh.expect("key")
	sh.send("greeting\r")
	sh.expect("(integer) 11")

	// help SET
	sh.expect(prompt)
	sh.send("help SET\r")
	sh.expect("SET key value")
	sh.expect("summary:")
	sh.expect("group: string")

	// Passwords stay out of the history file.
	sh.send("AUTH nosuchpass\r")
	sh.expect("(error)")
	sh.send("quit\r")
	if err := sh.cmd.Wait(); err != nil {
		t.Fatalf("quit: %v", err)
	}
	data, err := os.ReadFile(hist)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "ECHO recalled\n") || strings.Contains(string(data), "nosuchpass") {
		t.Fatalf("history file:\n%s", data)
	}

	// A new session sees the saved history.
	sh2 := startShell(t, []string{"CAIRNCLI_HISTFILE=" + hist}, "-p", p)
	sh2.expect(prompt)
	sh2.send("\x1b[A")
	sh2.expect("quit")
	sh2.send("\x1b[A")
	sh2.expect("help SET")
}

func TestCLIShellReconnects(t *testing.T) {
	srv := testutil.StartCairn(t)
	p := strconv.Itoa(srv.Port())
	sh := startShell(t, []string{"CAIRNCLI_HISTFILE="}, "-p", p, "-n", "1")
	prompt := "127.0.0.1:" + p + "[1]> "
	sh.expect(prompt)
	sh.send("SET k v\r")
	sh.expect("OK")
	sh.expect(prompt)

	srv.Stop()
	sh.send("PING\r")
	sh.expect("Could not connect to 127.0.0.1:" + p + ": Connection refused")
	sh.expect("not connected> ")

	srv.Restart()
	sh.send("PING\r")
	sh.expect("PONG")
	sh.expect(prompt) // the database survives the reconnect

	// Restart between two commands: the dead socket is noticed and the
	// command is retried on a new connection.
	srv.Restart()
	sh.send("ECHO again\r")
	sh.expect("\"again\"")
	sh.expect(prompt)
}

func TestCLIShellWithoutServer(t *testing.T) {
	free, err := testutil.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	sh := startShell(t, []string{"CAIRNCLI_HISTFILE="}, "-p", strconv.Itoa(free))
	sh.expect(fmt.Sprintf("Could not connect to 127.0.0.1:%d: Connection refused", free))
	sh.expect("not connected> ")
	sh.send("exit\r")
	if err := sh.cmd.Wait(); err != nil {
		t.Fatal(err)
	}
}
