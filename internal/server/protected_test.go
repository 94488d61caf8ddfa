package server

import (
	"bufio"
	"context"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

func rejectedConnections(t *testing.T, c *redis.Client) int {
	return infoInt(t, c, "stats", "rejected_connections")
}

func infoClients(t *testing.T, c *redis.Client) int {
	return infoInt(t, c, "clients", "connected_clients")
}

// infoInt reads an integer field of an INFO section.
func infoInt(t *testing.T, c *redis.Client, section, field string) int {
	t.Helper()
	s, err := c.Info(context.Background(), section).Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(s, "\r\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, err := strconv.Atoi(v)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatalf("no %s in %q", field, s)
	return 0
}

func TestIsLocalClient(t *testing.T) {
	cases := []struct {
		addr net.Addr
		want bool
	}{
		{&net.TCPAddr{IP: net.ParseIP("127.0.0.1"), Port: 5000}, true},
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1).To4(), Port: 5000}, true}, // 4-byte form
		{&net.TCPAddr{IP: net.ParseIP("::ffff:127.0.0.1"), Port: 5000}, true},
		{&net.TCPAddr{IP: net.ParseIP("::1"), Port: 5000}, true},
		// Redis 7.0 compares the address text with 127.0.0.1 and ::1 only.
		{&net.TCPAddr{IP: net.ParseIP("127.0.0.2"), Port: 5000}, false},
		{&net.TCPAddr{IP: net.ParseIP("192.0.2.2"), Port: 5000}, false},
		{&net.TCPAddr{IP: net.ParseIP("10.1.2.3"), Port: 5000}, false},
		{&net.TCPAddr{IP: net.ParseIP("fd00::2"), Port: 5000}, false},
		{&net.TCPAddr{IP: net.ParseIP("::"), Port: 5000}, false},
		{&net.UnixAddr{Name: "/tmp/cairn.sock", Net: "unix"}, true},
		{&net.UDPAddr{IP: net.ParseIP("127.0.0.1")}, false},
		{nil, false},
	}
	for _, c := range cases {
		if got := isLocalClient(c.addr); got != c.want {
			t.Errorf("isLocalClient(%v) = %v, want %v", c.addr, got, c.want)
		}
	}
}

func TestProtectedModeDenies(t *testing.T) {
	remote := &net.TCPAddr{IP: net.ParseIP("203.0.113.7"), Port: 40000}
	local := &net.TCPAddr{IP: net.ParseIP("127.0.0.1"), Port: 40000}
	cases := []struct {
		protected, password bool
		addr                net.Addr
		want                bool
	}{
		{true, false, remote, true},
		{true, true, remote, false},
		{false, false, remote, false},
		{true, false, local, false},
		{false, true, local, false},
	}
	for _, c := range cases {
		if got := protectedModeDenies(c.protected, c.password, c.addr); got != c.want {
			t.Errorf("protectedModeDenies(protected=%v, password=%v, %v) = %v, want %v",
				c.protected, c.password, c.addr, got, c.want)
		}
	}
}

// remoteConn is one end of a net.Pipe that claims to come from addr, so
// admit's protected-mode path can be driven without a second interface.
type remoteConn struct {
	net.Conn
	addr net.Addr
}

func (c remoteConn) RemoteAddr() net.Addr { return c.addr }

// admitFrom hands admit a connection from addr and returns the client's
// end of it.
func admitFrom(t *testing.T, s *Server, addr string) net.Conn {
	t.Helper()
	server, client := net.Pipe()
	t.Cleanup(func() { client.Close() })
	go s.admit(remoteConn{server, &net.TCPAddr{IP: net.ParseIP(addr), Port: 41000}})
	client.SetDeadline(time.Now().Add(5 * time.Second))
	return client
}

func TestAdmitDeniesRemoteClientsInProtectedMode(t *testing.T) {
	srv := startInProcess(t)
	info := client(t, srv.addr, 2)
	before := rejectedConnections(t, info)
	c := admitFrom(t, srv.srv, "203.0.113.7")
	got, err := io.ReadAll(c)
	if err != nil {
		t.Fatalf("read: %v (got %q)", err, got)
	}
	if string(got) != deniedReply {
		t.Fatalf("reply %q, want the DENIED text and a close", got)
	}
	if n := rejectedConnections(t, info); n != before+1 {
		t.Fatalf("rejected_connections %d, want %d", n, before+1)
	}
	if n := infoClients(t, info); n != 1 {
		t.Fatalf("connected_clients %d after the refusal, want 1 (the INFO client)", n)
	}
}

func TestAdmitServesRemoteClientsWhenProtectionIsLifted(t *testing.T) {
	cases := map[string][]string{
		"protected-mode no": {"--protected-mode", "no"},
		"requirepass":       {"--requirepass", "secret"},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			srv := startInProcess(t, args...)
			c := admitFrom(t, srv.srv, "203.0.113.7")
			if _, err := c.Write([]byte("PING\r\n")); err != nil {
				t.Fatal(err)
			}
			line, err := bufio.NewReader(c).ReadString('\n')
			if err != nil {
				t.Fatal(err)
			}
			if line != "+PONG\r\n" && line[:7] != "-NOAUTH" {
				t.Fatalf("PING answered %q", line)
			}
		})
	}
}

func TestProtectedModeFollowsConfigSet(t *testing.T) {
	srv := startInProcess(t, "--protected-mode", "no")
	if err := client(t, srv.addr, 2).ConfigSet(context.Background(), "protected-mode", "yes").Err(); err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(admitFrom(t, srv.srv, "198.51.100.1"))
	if string(got) != deniedReply {
		t.Fatalf("after CONFIG SET protected-mode yes: %q", got)
	}
}
