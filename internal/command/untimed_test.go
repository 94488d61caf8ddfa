package command

import (
	"strings"
	"testing"

	"cairn/internal/config"
	"cairn/internal/store"
)

// runBatch executes each command line inside one batch, as a connection
// does for a pipeline, and returns the Ctx.
func runBatch(e *Engine, s *Session, cmds ...[]string) *Ctx {
	c := &Ctx{E: e, S: s}
	c.BeginBatch()
	for _, args := range cmds {
		c.Args = c.Args[:0]
		for _, a := range args {
			c.Args = append(c.Args, []byte(a))
		}
		e.Exec(c)
	}
	c.EndBatch()
	return c
}

func repeat(n int, args ...string) [][]string {
	out := make([][]string, n)
	for i := range out {
		out[i] = args
	}
	return out
}

// Untimed runs still count every call, in the right command's figures,
// whether the run ends by another command, by its length, or by the
// batch's end.
func TestUntimedRunsCountEveryCall(t *testing.T) {
	e := NewEngine(store.New(16), config.Default())
	s := e.NewSession("127.0.0.1:1", "127.0.0.1:2", -1, 0, func() {})
	cmds := repeat(150, "SET", "k", "v") // longer than untimedRunMax
	cmds = append(cmds, repeat(70, "GET", "k")...)
	cmds = append(cmds, []string{"MGET", "k", "k"}) // not cheap: timed
	cmds = append(cmds, repeat(5, "GET", "k")...)
	runBatch(e, s, cmds...)
	info := string(e.Info([]byte("commandstats")))
	for _, want := range []string{"cmdstat_set:calls=150,", "cmdstat_get:calls=75,", "cmdstat_mget:calls=1,"} {
		if !strings.Contains(info, want) {
			t.Errorf("commandstats lacks %q:\n%s", want, info)
		}
	}
	if got := string(e.Info([]byte("stats"))); !strings.Contains(got, "total_commands_processed:226\r\n") {
		t.Errorf("total_commands_processed:\n%s", got)
	}
}

// With slowlog-log-slower-than 0 every command of a pipeline is logged
// with its own arguments, as in Redis.
func TestUntimedKeepsSlowlogExactAtThresholdZero(t *testing.T) {
	cfg := config.Default()
	if err := cfg.Set("slowlog-log-slower-than", "0"); err != nil {
		t.Fatal(err)
	}
	e := NewEngine(store.New(16), cfg)
	s := e.NewSession("127.0.0.1:1", "127.0.0.1:2", -1, 0, func() {})
	runBatch(e, s, []string{"SET", "a", "1"}, []string{"SET", "b", "2"}, []string{"GET", "a"})
	e.slowlog.mu.Lock()
	defer e.slowlog.mu.Unlock()
	var got []string
	for _, en := range e.slowlog.entries {
		got = append(got, string(en.args[0])+" "+string(en.args[1]))
	}
	if strings.Join(got, ",") != "SET a,SET b,GET a" {
		t.Fatalf("slowlog entries %q", got)
	}
}

// A run that stalls (its average passes the threshold) is logged, naming
// its last command.
func TestUntimedStallReachesSlowlog(t *testing.T) {
	e := NewEngine(store.New(16), config.Default()) // threshold 10000 µs
	s := e.NewSession("127.0.0.1:1", "127.0.0.1:2", -1, 0, func() {})
	c := &Ctx{E: e, S: s}
	c.BeginBatch()
	args := make([][]byte, 2) // reused, as the parser reuses its list
	for _, k := range []string{"x", "y", "z"} {
		args[0], args[1] = []byte("GET"), []byte(k)
		c.Args = args
		e.Exec(c)
	}
	c.mark -= 90_000_000 // as if the three GETs had taken 90 ms
	args[0], args[1] = []byte("MGET"), []byte("w")
	c.Args = args
	e.Exec(c) // ends the run: the entry must still name GET z
	c.EndBatch()
	e.slowlog.mu.Lock()
	defer e.slowlog.mu.Unlock()
	if len(e.slowlog.entries) != 1 {
		t.Fatalf("%d slowlog entries, want 1", len(e.slowlog.entries))
	}
	en := e.slowlog.entries[0]
	if string(en.args[1]) != "z" || en.usec < 30_000 {
		t.Fatalf("entry %q %d µs, want GET z with >= 30000 µs", en.args, en.usec)
	}
}
