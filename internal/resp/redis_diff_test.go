package resp

import (
	"bytes"
	"fmt"
	"io"
	"math/rand"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"cairn/internal/testutil"
)

// startRedis runs the real redis-server on a free loopback port (skipped
// without one, except under CI=true where it must fail).
func startRedis(t *testing.T) string { return testutil.StartRedis(t).Addr() }

// exchange sends in and reads until the server closes the connection or
// wait passes without it.
func exchange(t *testing.T, addr string, in []byte, wait time.Duration) (out []byte, closed bool) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write(in); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(wait))
	out, err = io.ReadAll(c)
	return out, err == nil
}

type diffCase struct {
	name   string
	in     []byte
	unauth bool
}

// TestRedisProtocolErrors checks every table case against redis-server:
// for requests our parser rejects, Redis must send earlier replies, then
// exactly our error line, then close; for requests our parser leaves
// incomplete, Redis must send nothing and keep the connection open.
func TestRedisProtocolErrors(t *testing.T) {
	addr := startRedis(t)
	var cases []diffCase
	for _, c := range parseCases {
		if c.max == 0 {
			cases = append(cases, diffCase{c.name, []byte(c.in), c.unauth})
		}
	}
	big := func(prefix string, n int) []byte { return append([]byte(prefix), bytes.Repeat([]byte("1"), n)...) }
	cases = append(cases,
		diffCase{"inline 65536", bytes.Repeat([]byte("A"), 65536), false},
		diffCase{"inline 65537", bytes.Repeat([]byte("A"), 65537), false},
		diffCase{"count 65537", big("*", 65536), false},
		diffCase{"bulk header 65537", big("*1\r\n$", 65536), false},
		diffCase{"nul then 64k", append([]byte("PI\x00NG\r\n"), bytes.Repeat([]byte("A"), 65530)...), false},
	)
	var authCases, openCases []diffCase
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []string
	check := func(c diffCase, a string) {
		defer wg.Done()
		var p Parser
		p.Unauthenticated = c.unauth
		evs, _ := oneShot(t, p, c.in)
		wait := 300 * time.Millisecond
		out, closed := exchange(t, a, c.in, wait)
		var msg string
		if endsInError(evs) {
			want := []byte(string(evs[len(evs)-1]) + "\r\n")
			if !closed || !bytes.HasSuffix(out, want) {
				msg = fmt.Sprintf("%s: redis sent %q closed=%v, want suffix %q and close", c.name, out, closed, want)
			}
			var prefix []byte
			known := true
			for _, e := range evs[:len(evs)-1] {
				switch e {
				case `"PING"`:
					prefix = append(prefix, "+PONG\r\n"...)
				case "empty":
				default:
					known = false
				}
			}
			if known && msg == "" && !bytes.Equal(out, append(prefix, want...)) {
				msg = fmt.Sprintf("%s: redis sent %q, want %q", c.name, out, append(prefix, want...))
			}
		} else if len(evs) == 0 && closed {
			msg = fmt.Sprintf("%s: we wait for more bytes, redis closed after %q", c.name, out)
		} else if len(evs) == 0 && len(out) > 0 {
			msg = fmt.Sprintf("%s: we wait for more bytes, redis replied %q", c.name, out)
		}
		if msg != "" {
			mu.Lock()
			failures = append(failures, msg)
			mu.Unlock()
		}
	}
	for _, c := range cases {
		if c.unauth {
			authCases = append(authCases, c)
		} else {
			openCases = append(openCases, c)
		}
	}
	for _, c := range openCases {
		wg.Add(1)
		go check(c, addr)
	}
	wg.Wait()
	// Then the same for clients that have not authenticated.
	if out, _ := exchange(t, addr, []byte("CONFIG SET requirepass pw\r\nQUIT\r\n"), time.Second); !bytes.HasPrefix(out, []byte("+OK")) {
		t.Fatalf("CONFIG SET requirepass: %q", out)
	}
	for _, c := range authCases {
		if bytes.Contains(c.in, []byte("\r\na b")) || strings.HasPrefix(string(c.in), "a b") {
			continue // a command reply (NOAUTH) is not the parser's business
		}
		wg.Add(1)
		go check(c, addr)
	}
	wg.Wait()
	for _, f := range failures {
		t.Error(f)
	}
}

func randomNumber(r *rand.Rand) string {
	switch r.Intn(9) {
	case 0:
		return strconv.FormatFloat(r.NormFloat64()*1000, 'f', r.Intn(20), 64)
	case 1:
		return fmt.Sprintf("%de%d", r.Int63n(1e18), r.Intn(80)-40)
	case 2:
		return fmt.Sprintf("%d.%de%d", r.Intn(1000), r.Int63(), r.Intn(700)-350)
	case 3:
		return fmt.Sprintf("0x%x.%xp%d", r.Int63(), r.Intn(4096), r.Intn(200)-100)
	case 4:
		return strconv.FormatInt(r.Int63()-r.Int63(), 10)
	case 5:
		return fmt.Sprintf("%de-%d", 1+r.Int63n(1000), 4930+r.Intn(40))
	case 6:
		return []string{"inf", "-inf", "nan", "1e", " 1", "1 ", "+.5", "5.", ".", "0x", "1e4932", "1.2e4932",
			"1e-4951", "INFINITY", "1_0", "1e309", "1e-330", "1e-310", "00012", "0x10", "-"}[r.Intn(21)]
	case 7:
		return strconv.FormatFloat(float64(r.Intn(100000))/100, 'f', -1, 64)
	default:
		return strconv.FormatFloat(r.ExpFloat64()*float64(r.Int63n(1e6)), 'g', -1, 64)
	}
}

// TestRedisNumbers compares INCRBYFLOAT (long double parse, add, print) and
// ZADD/ZSCORE (double parse, "%.17g" print) with redis-server on random
// and edge-case operands, in one pipeline.
func TestRedisNumbers(t *testing.T) {
	addr := startRedis(t)
	r := rand.New(rand.NewSource(time.Now().UnixNano()))
	const n = 1500
	var req, want []byte
	zExists := false
	for i := 0; i < n; i++ {
		cur, incr := randomNumber(r), randomNumber(r)
		req = AppendCommandStrings(req, "SET", "k", cur)
		req = AppendCommandStrings(req, "INCRBYFLOAT", "k", incr)
		want = AppendSimple(want, "OK")
		x, ok1 := ParseLongDouble([]byte(cur))
		y, ok2 := ParseLongDouble([]byte(incr))
		switch sum := x.Add(y); {
		case !ok1 || !ok2:
			want = AppendError(want, "ERR value is not a valid float")
		case sum.IsInf() || sum.IsNaN():
			want = AppendError(want, "ERR increment would produce NaN or Infinity")
		default:
			want = AppendBulk(want, sum.AppendHuman(nil))
		}
		score := randomNumber(r)
		req = AppendCommandStrings(req, "DEL", "z")
		req = AppendCommandStrings(req, "ZADD", "z", score, "m")
		req = AppendCommandStrings(req, "ZSCORE", "z", "m")
		if zExists {
			want = AppendInt(want, 1)
		} else {
			want = AppendInt(want, 0)
		}
		f, ok := ParseFloat([]byte(score))
		zExists = ok
		if !ok {
			want = AppendError(want, "ERR value is not a valid float")
			want = AppendNullBulk(want)
		} else {
			if f == 0 {
				f = 0 // Redis reports -0 as 0 here; that is the zset's doing
			}
			want = AppendInt(want, 1)
			want = AppendBulkDouble(want, f)
		}
	}
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	go c.Write(req)
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	rd := NewReader(c)
	wr := NewReader(bytes.NewReader(want))
	for i := 0; ; i++ {
		w, err := wr.ReadRaw()
		if err == io.EOF {
			break
		}
		w = append([]byte(nil), w...)
		g, err := rd.ReadRaw()
		if err != nil {
			t.Fatalf("reply %d: %v", i, err)
		}
		if !bytes.Equal(g, w) {
			t.Errorf("reply %d: redis %q, ours %q (around %q)", i, trunc(g), trunc(w), trunc(req[max(0, bytes.Index(req, g)-80):]))
		}
	}
}

func trunc(b []byte) []byte {
	if len(b) > 120 {
		return b[:120]
	}
	return b
}
