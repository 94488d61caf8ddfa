package config

import (
	"errors"
	"fmt"
	"sync"
	"testing"
)

// setErrorCases are CONFIG SET calls that fail, with Redis 7.0's reply
// text; redis_test.go checks them against a real redis-server too.
var setErrorCases = []struct {
	args []string
	want string
}{
	{[]string{"foo", "bar"}, "Unknown option or number of arguments for CONFIG SET - 'foo'"},
	{[]string{"maxclients", "abc"}, "CONFIG SET failed (possibly related to argument 'maxclients') - argument couldn't be parsed into an integer"},
	{[]string{"maxclients", "-1"}, "CONFIG SET failed (possibly related to argument 'maxclients') - argument must be between 1 and 4294967295 inclusive"},
	{[]string{"port", "70000"}, "CONFIG SET failed (possibly related to argument 'port') - argument must be between 0 and 65535 inclusive"},
	{[]string{"databases", "3"}, "CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config"},
	{[]string{"appenddirname", "x"}, "CONFIG SET failed (possibly related to argument 'appenddirname') - can't set immutable config"},
	{[]string{"daemonize", "yes"}, "CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config"},
	{[]string{"dir", "/tmp"}, "CONFIG SET failed (possibly related to argument 'dir') - can't set protected config"},
	{[]string{"port", "1", "port", "2"}, "CONFIG SET failed (possibly related to argument 'port') - duplicate parameter"},
	{[]string{"port", "1", "Port", "2"}, "CONFIG SET failed (possibly related to argument 'Port') - duplicate parameter"},
	{[]string{"maxmemory", "1xb"}, "CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value"},
	{[]string{"maxmemory", "-1"}, "CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value"},
	{[]string{"appendonly", "maybe"}, "CONFIG SET failed (possibly related to argument 'appendonly') - argument must be 'yes' or 'no'"},
	{[]string{"appendfsync", "bad"}, "CONFIG SET failed (possibly related to argument 'appendfsync') - argument(s) must be one of the following: everysec, always, no"},
	{[]string{"loglevel", "x"}, "CONFIG SET failed (possibly related to argument 'loglevel') - argument(s) must be one of the following: debug, verbose, notice, warning"},
	{[]string{"save", "0 1"}, "CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters"},
	{[]string{"save", "900 1  300 10"}, "CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters"},
	{[]string{"proto-max-bulk-len", "10"}, "CONFIG SET failed (possibly related to argument 'proto-max-bulk-len') - argument must be between 1048576 and 9223372036854775807 inclusive"},
	{[]string{"slowlog-log-slower-than", "-5"}, "CONFIG SET failed (possibly related to argument 'slowlog-log-slower-than') - argument must be between -1 and 9223372036854775807 inclusive"},
	{[]string{"client-output-buffer-limit", "foo 1 2 3"}, "CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Invalid client class specified in buffer limit configuration."},
	{[]string{"client-output-buffer-limit", "master 1 2 3"}, "CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Invalid client class specified in buffer limit configuration."},
	{[]string{"client-output-buffer-limit", "normal 1 2"}, "CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Wrong number of arguments in buffer limit configuration."},
	{[]string{"client-output-buffer-limit", "normal 1 2 -3"}, "CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Error in hard, soft or soft_seconds setting in buffer limit configuration."},
	{[]string{"notify-keyspace-events", "Q"}, "CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'."},
	{[]string{"oom-score-adj-values", "1 2"}, "CONFIG SET failed (possibly related to argument 'oom-score-adj-values') - wrong number of arguments"},
	{[]string{"oom-score-adj-values", "-2001 0 0"}, "CONFIG SET failed (possibly related to argument 'oom-score-adj-values') - Invalid oom-score-adj-values, elements must be between -2000 and 2000."},
	{[]string{"latency-tracking-info-percentiles", "100.5"}, "CONFIG SET failed (possibly related to argument 'latency-tracking-info-percentiles') - latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"},
	{[]string{"latency-tracking-info-percentiles", "a"}, "CONFIG SET failed (possibly related to argument 'latency-tracking-info-percentiles') - Invalid latency-tracking-info-percentiles parameters"},
	{[]string{"hash-max-ziplist-entries", "x"}, "CONFIG SET failed (possibly related to argument 'hash-max-ziplist-entries') - argument couldn't be parsed into an integer"},
	{[]string{"maxclients", "010"}, "CONFIG SET failed (possibly related to argument 'maxclients') - argument couldn't be parsed into an integer"},
	// Names are all checked before any value.
	{[]string{"maxclients", "abc", "foo", "bar"}, "Unknown option or number of arguments for CONFIG SET - 'foo'"},
	{[]string{"port", "7777", "maxclients", "abc"}, "CONFIG SET failed (possibly related to argument 'maxclients') - argument couldn't be parsed into an integer"},
	{[]string{"maxclients", "abc", "port"}, "syntax error"},
	{nil, "wrong number of arguments for 'config|set' command"},
}

func TestSetErrors(t *testing.T) {
	for _, tt := range setErrorCases {
		c := Default()
		before := c.Get("*")
		err := c.Set(tt.args...)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Set(%q) = %v\nwant %s", tt.args, err, tt.want)
		}
		if after := c.Get("*"); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("Set(%q) failed but changed values", tt.args)
		}
	}
}

func TestSetValues(t *testing.T) {
	c := Default()
	steps := []struct{ name, value, want string }{
		{"maxmemory", "1mb", "1048576"}, {"maxmemory", "1K", "1000"}, {"maxmemory", "1kB", "1024"},
		{"client-output-buffer-limit", "normal 1mb 2k 10", "normal 1048576 2000 10 slave 268435456 67108864 60 pubsub 33554432 8388608 60"},
		{"client-output-buffer-limit", "NORMAL 1 2 3 Replica 5 6 7", "normal 1 2 3 slave 5 6 7 pubsub 33554432 8388608 60"},
		{"client-output-buffer-limit", "", "normal 1 2 3 slave 5 6 7 pubsub 33554432 8388608 60"},
		{"hz", "1000", "500"}, {"hz", "0", "1"}, {"appendfsync", "ALWAYS", "always"}, {"appendonly", "NO", "no"},
		{"maxmemory-policy", "ALLKEYS-LRU", "allkeys-lru"}, {"save", "900 1 300 10", "900 1 300 10"}, {"save", "", ""},
		{"save", "1 0", "1 0"}, {"bind", "127.0.0.1 ::1", "127.0.0.1 ::1"}, {"lua-time-limit", "10", "10"},
		{"notify-keyspace-events", "KEA", "AKE"}, {"notify-keyspace-events", "Kg$", "g$K"}, {"notify-keyspace-events", "Eg", "gE"},
		{"notify-keyspace-events", "gA", "A"}, {"notify-keyspace-events", "ndtexzhsl$gKEm", "AKEm"}, {"notify-keyspace-events", "mEK", "KEm"},
		{"notify-keyspace-events", "dn", "dn"}, {"notify-keyspace-events", "g$lshzxet", "g$lshzxet"},
		{"oom-score-adj-values", "2000 -2000 0", "2000 -2000 0"}, {"latency-tracking-info-percentiles", "1.50 2.25 99.999", "1.5 2.25 99.999"},
		{"latency-tracking-info-percentiles", "", ""}, {"loglevel", "nothing", "nothing"}, {"requirepass", "", ""},
	}
	for _, s := range steps {
		if err := c.Set(s.name, s.value); err != nil {
			t.Errorf("Set(%s, %q): %v", s.name, s.value, err)
			continue
		}
		if got := mustGet(t, c, s.name); got != s.want {
			t.Errorf("after Set(%s, %q): %q, want %q", s.name, s.value, got, s.want)
		}
	}
	if got := mustGet(t, c, "busy-reply-threshold"); got != "10" {
		t.Errorf("alias set did not reach canonical: %q", got)
	}
	if c.Hz() != 1 || c.MaxMemory() != 1024 || c.AppendFsync() != "always" || c.AppendOnly() {
		t.Errorf("accessors not updated: hz %d maxmemory %d fsync %s aof %v", c.Hz(), c.MaxMemory(), c.AppendFsync(), c.AppendOnly())
	}
	// Alias and canonical name together are not a duplicate (as in Redis 7.0): the last wins.
	if err := c.Set("hash-max-ziplist-entries", "10", "hash-max-listpack-entries", "20"); err != nil || mustGet(t, c, "hash-max-ziplist-entries") != "20" {
		t.Errorf("alias pair: %v, %q", err, mustGet(t, c, "hash-max-ziplist-entries"))
	}
}

func TestSetProtected(t *testing.T) {
	c, err := load([]string{"--enable-protected-configs", "local"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Set("dir", "/tmp"); !errors.Is(err, ErrProtected) {
		t.Errorf("remote Set(dir) = %v, want protected", err)
	}
	if err := c.SetLocal("dir", "/tmp/x/../y"); err != nil || c.Dir() != "/tmp/y" {
		t.Errorf("local Set(dir) = %v, dir %q", err, c.Dir())
	}
	c, _ = load([]string{"--enable-protected-configs", "yes"}, nil)
	if err := c.Set("dbfilename", "x.rdb"); err != nil {
		t.Errorf("Set(dbfilename) with protected configs enabled: %v", err)
	}
}

func TestSetRollbackOnHookFailure(t *testing.T) {
	c := Default()
	var calls []string
	c.OnChange("maxclients", func(v string) error { calls = append(calls, "maxclients="+v); return nil })
	c.OnChange("timeout", func(v string) error { calls = append(calls, "timeout="+v); return nil })
	c.OnChange("port", func(v string) error {
		calls = append(calls, "port="+v)
		if v == "1" {
			// Hooks see the new values while they run.
			if c.MaxClients() != 5 {
				t.Errorf("hook saw maxclients %d", c.MaxClients())
			}
			return errors.New("Unable to listen on this port")
		}
		return nil
	})
	err := c.Set("maxclients", "5", "hz", "20", "timeout", "0", "port", "1")
	want := "CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port"
	if err == nil || err.Error() != want {
		t.Fatalf("Set = %v, want %s", err, want)
	}
	// timeout did not change, so its hook never ran; maxclients' hook ran and was undone.
	if fmt.Sprint(calls) != "[maxclients=5 port=1 maxclients=10000]" {
		t.Errorf("hook calls = %q", calls)
	}
	if c.MaxClients() != 10000 || c.Hz() != 10 || c.Port() != 6379 || mustGet(t, c, "maxclients") != "10000" {
		t.Errorf("not rolled back: maxclients %d hz %d port %d", c.MaxClients(), c.Hz(), c.Port())
	}
	calls = nil
	if err := c.Set("port", "2", "maxclients", "6"); err != nil || c.Port() != 2 {
		t.Fatalf("Set = %v, port %d", err, c.Port())
	}
	if fmt.Sprint(calls) != "[port=2 maxclients=6]" {
		t.Errorf("hook calls = %q", calls)
	}
}

func TestOnChangeUnknownPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("OnChange(nosuch) did not panic")
		}
	}()
	Default().OnChange("nosuch", func(string) error { return nil })
}

// TestConcurrentSetGet is meant for -race: accessors, Get and Set at once.
func TestConcurrentSetGet(t *testing.T) {
	c := Default()
	c.OnChange("hz", func(string) error { _ = c.Get("hz"); return nil })
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				if err := c.Set("hz", fmt.Sprint(1+i%100), "maxmemory", fmt.Sprint(i)+"kb"); err != nil {
					t.Error(err)
					return
				}
			}
		}()
		go func() {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				if h := c.Hz(); h < 1 || h > 100 {
					t.Errorf("hz %d", h)
					return
				}
				_ = c.MaxMemory()
				_ = c.OutputBufferLimit(ClassNormal)
				if len(c.Get("*max*")) == 0 {
					t.Error("empty Get")
					return
				}
			}
		}()
	}
	wg.Wait()
}
