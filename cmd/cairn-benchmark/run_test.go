package main

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"cairn/internal/testutil"
)

// TestAgainstRedis drives a real redis-server and checks what the tool
// claims against what the server saw.
func TestAgainstRedis(t *testing.T) {
	srv := testutil.StartRedis(t)
	port := strconv.Itoa(srv.Port())
	c := testutil.Dial(t, srv.Addr())

	var out, errOut bytes.Buffer
	code := run([]string{"-p", port, "-c", "4", "-n", "1000", "-P", "7", "-r", "1000",
		"--dist", "sequential", "-d", "16", "-t", "set", "--json"}, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var rep jsonReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("json: %v\n%s", err, out.String())
	}
	if len(rep.Results) != 1 || rep.Results[0].Requests != 1000 || rep.Results[0].Errors != 0 {
		t.Fatalf("results: %+v", rep.Results)
	}
	r := rep.Results[0]
	if r.RPS <= 0 || r.Latency.P50 <= 0 || r.Latency.Max < r.Latency.P99 {
		t.Fatalf("implausible figures: %+v", r)
	}
	// 1000 sequential SETs over 1000 keys create every key once.
	if got := c.Do("DBSIZE"); string(got) != ":1000\r\n" {
		t.Fatalf("DBSIZE after sequential load: %q", got)
	}
	if got := c.Do("STRLEN", "key:000000000999"); string(got) != ":16\r\n" {
		t.Fatalf("STRLEN: %q", got)
	}

	out.Reset()
	if code := run([]string{"-p", port, "-c", "3", "-n", "500", "-t", "ping,get,incr", "--csv"}, &out, &errOut); code != 0 {
		t.Fatalf("csv exit %d: %s", code, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[1], `"PING_INLINE","`) || !strings.HasPrefix(lines[4], `"INCR","`) {
		t.Fatalf("csv output:\n%s", out.String())
	}
	// Without -r every INCR hits the literal key, as in redis-benchmark.
	if got := c.Do("GET", "counter:__rand_int__"); string(got) != "$3\r\n500\r\n" {
		t.Fatalf("counter after 500 INCR: %q", got)
	}

	out.Reset()
	if code := run([]string{"-p", port, "-c", "2", "-n", "110", "-r", "50", "--ratio", "10:1", "-q"}, &out, &errOut); code != 0 {
		t.Fatalf("mixed exit %d: %s", code, errOut.String())
	}
	if !strings.HasPrefix(out.String(), "MIXED 10:1: ") || !strings.Contains(out.String(), "requests per second, p50=") {
		t.Fatalf("-q output: %q", out.String())
	}
}

func TestReportsErrorReplies(t *testing.T) {
	srv := testutil.StartRedis(t)
	var out, errOut bytes.Buffer
	code := run([]string{"-p", strconv.Itoa(srv.Port()), "-c", "1", "-n", "10", "--json", "nosuchcommand"}, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var rep jsonReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Results[0].Errors != 10 || !strings.Contains(rep.Results[0].FirstErr, "unknown command") {
		t.Fatalf("errors not counted: %+v", rep.Results[0])
	}
}
