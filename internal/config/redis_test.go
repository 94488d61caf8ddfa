package config

import (
	"bufio"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"cairn/internal/testutil"
)

// intentionalDifferences are the parameters whose Cairn default differs
// from Redis 7.0's on purpose (see doc.go). port is set by the test.
var intentionalDifferences = map[string]bool{
	"dir": true, "appendonly": true, "aof-use-rdb-preamble": true, "bind": true, "port": true, "save": true,
}

// redisServer starts the real redis-server on a free loopback port with
// nothing but its port, bind, dir and persistence switched, and returns a
// connection. Without redis-server the test is skipped, except under
// CI=true.
func redisServer(t *testing.T) *respConn {
	t.Helper()
	nc, err := net.Dial("tcp", testutil.StartRedis(t).Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	return &respConn{c: nc, r: bufio.NewReader(nc)}
}

// respConn is just enough of a RESP2 client for CONFIG GET and SET.
type respConn struct {
	c net.Conn
	r *bufio.Reader
}

func (rc *respConn) do(t *testing.T, args ...string) any {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	rc.c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := rc.c.Write([]byte(b.String())); err != nil {
		t.Fatal(err)
	}
	v, err := rc.read()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

type respError string

func (rc *respConn) read() (any, error) {
	line, err := rc.r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	line = strings.TrimSuffix(line, "\r\n")
	switch line[0] {
	case '+':
		return line[1:], nil
	case '-':
		return respError(line[1:]), nil
	case ':':
		return strconv.ParseInt(line[1:], 10, 64)
	case '$':
		n, _ := strconv.Atoi(line[1:])
		if n < 0 {
			return nil, nil
		}
		buf := make([]byte, n+2)
		if _, err := ioReadFull(rc.r, buf); err != nil {
			return nil, err
		}
		return string(buf[:n]), nil
	case '*':
		n, _ := strconv.Atoi(line[1:])
		out := make([]any, n)
		for i := range out {
			if out[i], err = rc.read(); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("unexpected reply %q", line)
}

func ioReadFull(r *bufio.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// TestDefaultsMatchRedis compares CONFIG GET * of a real Redis 7.0 with
// Default(): the same names, and the same values except the documented
// intentional differences.
func TestDefaultsMatchRedis(t *testing.T) {
	rc := redisServer(t)
	if v, ok := rc.do(t, "INFO", "server").(string); !ok || !strings.Contains(v, "redis_version:7.0.") {
		t.Fatalf("oracle is not Redis 7.0: %.80q", v)
	}
	reply, ok := rc.do(t, "CONFIG", "GET", "*").([]any)
	if !ok || len(reply)%2 != 0 {
		t.Fatalf("CONFIG GET * reply %v", reply)
	}
	redis := make(map[string]string)
	for i := 0; i < len(reply); i += 2 {
		redis[reply[i].(string)] = reply[i+1].(string)
	}
	ours := make(map[string]string)
	for _, kv := range Default().Get("*") {
		ours[kv[0]] = kv[1]
	}
	for name, want := range redis {
		got, ok := ours[name]
		switch {
		case !ok:
			t.Errorf("parameter %s missing (redis: %q)", name, want)
		case intentionalDifferences[name]:
		case name == "maxclients" && want != "10000":
			// Redis lowers maxclients to fit the open-file limit.
			t.Logf("redis lowered maxclients to %s (ulimit -n)", want)
		case got != want:
			t.Errorf("%s = %q, redis has %q", name, got, want)
		}
	}
	for name := range ours {
		if _, ok := redis[name]; !ok {
			t.Errorf("parameter %s is not in Redis 7.0", name)
		}
	}
}

// TestSetErrorsMatchRedis sends every failing CONFIG SET of setErrorCases
// to the real server and compares the reply text with ours.
func TestSetErrorsMatchRedis(t *testing.T) {
	rc := redisServer(t)
	for _, tt := range setErrorCases {
		got := rc.do(t, append([]string{"CONFIG", "SET"}, tt.args...)...)
		if got != respError("ERR "+tt.want) {
			t.Errorf("redis CONFIG SET %q = %q\n                     we say %q", tt.args, got, tt.want)
		}
	}
}

// TestSetValuesMatchRedis sets values on both sides and compares what
// CONFIG GET prints afterwards.
func TestSetValuesMatchRedis(t *testing.T) {
	rc := redisServer(t)
	c := Default()
	for _, kv := range [][2]string{
		{"maxmemory", "1mb"}, {"maxmemory", "1K"}, {"maxmemory", "3Kb"}, {"maxmemory", "010"}, {"maxmemory", "kb"},
		{"client-output-buffer-limit", "normal 1mb 2k 10"}, {"client-output-buffer-limit", "NORMAL 1 2 3 Replica 5 6 7"},
		{"hz", "1000"}, {"hz", "0"}, {"appendfsync", "ALWAYS"}, {"maxmemory-policy", "ALLKEYS-LRU"},
		{"save", "900 1 300 10"}, {"save", "1 0"}, {"save", ""}, {"notify-keyspace-events", "KEA"},
		{"notify-keyspace-events", "Kg$"}, {"notify-keyspace-events", "ndtexzhsl$gKEm"}, {"notify-keyspace-events", "dn"},
		{"oom-score-adj-values", "100 50 0"}, {"latency-tracking-info-percentiles", "1.50 2.25 99.999"},
		{"lua-time-limit", "10"}, {"hash-max-ziplist-value", "1kb"}, {"proto-max-bulk-len", "1gb"},
		{"slowlog-log-slower-than", "-1"}, {"appendonly", "YES"},
	} {
		if got := rc.do(t, "CONFIG", "SET", kv[0], kv[1]); got != "OK" {
			t.Errorf("redis CONFIG SET %s %q = %v", kv[0], kv[1], got)
			continue
		}
		if err := c.Set(kv[0], kv[1]); err != nil {
			t.Errorf("Set(%s, %q) = %v", kv[0], kv[1], err)
			continue
		}
		reply := rc.do(t, "CONFIG", "GET", kv[0]).([]any)
		if want, got := reply[1].(string), mustGet(t, c, kv[0]); got != want {
			t.Errorf("after SET %s %q: we print %q, redis %q", kv[0], kv[1], got, want)
		}
	}
	rc.do(t, "CONFIG", "SET", "appendonly", "no")
}
