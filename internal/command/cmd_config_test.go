package command

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cairn/internal/config"
	"cairn/internal/store"
)

func TestConfigGetSetRoundTrip(t *testing.T) {
	e, s := serverTestEngine(t)
	srvExpect(t, e, s, "*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n", "CONFIG", "GET", "maxmemory")
	srvExpect(t, e, s, "+OK\r\n", "CONFIG", "SET", "maxmemory", "1mb", "hz", "20")
	srvExpect(t, e, s, "*2\r\n$9\r\nmaxmemory\r\n$7\r\n1048576\r\n", "config", "get", "maxmemory")
	srvExpect(t, e, s, "*2\r\n$2\r\nhz\r\n$2\r\n20\r\n", "CONFIG", "GET", "hz")
	if e.Config.MaxMemory() != 1048576 || e.Config.Hz() != 20 {
		t.Errorf("accessors after SET: maxmemory %d hz %d", e.Config.MaxMemory(), e.Config.Hz())
	}
	srvExpect(t, e, s, "*0\r\n", "CONFIG", "GET", "nosuchparam")

	s.setProto(3)
	srvExpect(t, e, s, "%1\r\n$9\r\nmaxmemory\r\n$7\r\n1048576\r\n", "CONFIG", "GET", "maxmemory")
	got := srvRun(e, s, "CONFIG", "GET", "slowlog-*")
	want := "%2\r\n$23\r\nslowlog-log-slower-than\r\n$5\r\n10000\r\n$15\r\nslowlog-max-len\r\n$3\r\n128\r\n"
	if got != want {
		t.Errorf("CONFIG GET slowlog-*: %q, want %q", got, want)
	}
}

func TestConfigSetErrors(t *testing.T) {
	e, s := serverTestEngine(t)
	srvExpect(t, e, s, "-ERR wrong number of arguments for 'config|set' command\r\n", "CONFIG", "SET", "maxmemory")
	srvExpect(t, e, s, "-ERR wrong number of arguments for 'config|get' command\r\n", "CONFIG", "GET")
	srvExpect(t, e, s, "-ERR syntax error\r\n", "CONFIG", "SET", "maxmemory", "10", "port")
	srvExpect(t, e, s, "-ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'\r\n", "CONFIG", "SET", "nosuch", "1")
	srvExpect(t, e, s, "-ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value\r\n",
		"CONFIG", "SET", "maxmemory", "abc")
	srvExpect(t, e, s, "-ERR CONFIG SET failed (possibly related to argument 'maxmemory') - duplicate parameter\r\n",
		"CONFIG", "SET", "maxmemory", "10mb", "maxmemory", "20")
	srvExpect(t, e, s, "-ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config\r\n",
		"CONFIG", "SET", "daemonize", "yes")
	srvExpect(t, e, s, "-ERR wrong number of arguments for 'config|resetstat' command\r\n", "CONFIG", "RESETSTAT", "x")
	srvExpect(t, e, s, "-ERR unknown subcommand 'foo'. Try CONFIG HELP.\r\n", "CONFIG", "foo")
	srvExpect(t, e, s, "-ERR The server is running without a config file\r\n", "CONFIG", "REWRITE")
}

func TestConfigRewrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cairn.conf")
	if err := os.WriteFile(path, []byte("# mine\nhz 10\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load([]string{path})
	if err != nil {
		t.Fatal(err)
	}
	e := NewEngine(store.New(cfg.Databases()), cfg)
	s := e.NewSession("127.0.0.1:40000", "", 0, 0, nil)
	srvExpect(t, e, s, "+OK\r\n", "CONFIG", "SET", "hz", "25")
	srvExpect(t, e, s, "+OK\r\n", "CONFIG", "REWRITE")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "hz 25") || !strings.Contains(string(data), "# mine") {
		t.Errorf("rewritten file:\n%s", data)
	}
}

func TestConfigResetStat(t *testing.T) {
	e, s := serverTestEngine(t)
	srvRun(e, s, "CONFIG", "GET", "hz")
	srvRun(e, s, "NOSUCHCOMMAND")
	srvRun(e, s, "CONFIG", "SET", "hz", "abc")
	e.CountNet(100, 200)
	e.ConnectionRejected()
	info := srvRun(e, s, "INFO", "stats", "commandstats", "errorstats")
	for _, want := range []string{
		"total_commands_processed:2\r\n",
		"total_net_input_bytes:100\r\n",
		"rejected_connections:1\r\n",
		"total_error_replies:2\r\n",
		"cmdstat_config|get:calls=1,",
		"cmdstat_config|set:calls=1,",
		",rejected_calls=0,failed_calls=1\r\n",
		"errorstat_ERR:count=2\r\n",
	} {
		if !strings.Contains(info, want) {
			t.Errorf("before RESETSTAT: INFO lacks %q", want)
		}
	}
	srvExpect(t, e, s, "+OK\r\n", "CONFIG", "RESETSTAT")
	info = srvRun(e, s, "INFO", "stats", "commandstats", "errorstats")
	for _, want := range []string{
		"total_commands_processed:1\r\n", // RESETSTAT itself
		"total_connections_received:0\r\n",
		"total_net_input_bytes:0\r\n",
		"rejected_connections:0\r\n",
		"total_error_replies:0\r\n",
		"# Commandstats\r\ncmdstat_config|resetstat:calls=1,",
		"# Errorstats\r\n\r\n",
	} {
		if !strings.Contains(info, want) {
			t.Errorf("after RESETSTAT: INFO lacks %q", want)
		}
	}
	if strings.Contains(info, "cmdstat_config|get") {
		t.Errorf("after RESETSTAT: command stats kept: %q", info)
	}
}

func TestIsLocalAddr(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:5000": true, "[::1]:5000": true, "/tmp/cairn.sock": true,
		"10.1.2.3:5000": false, "[2001:db8::1]:80": false,
	} {
		if got := isLocalAddr(addr); got != want {
			t.Errorf("isLocalAddr(%q) = %v", addr, got)
		}
	}
}
