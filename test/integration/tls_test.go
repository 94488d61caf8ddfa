package integration

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"cairn/internal/testutil"
)

// tlsServer is a server process (cairn-server or redis-server) with a
// tls-port, and a plain port unless it runs TLS only.
type tlsServer struct {
	name      string
	cmd       *exec.Cmd
	out       *lineWatcher
	done      chan struct{}
	port      int // 0 for TLS only
	tlsPort   int
	exitState error
}

func (s *tlsServer) tlsAddr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.tlsPort)) }

// startTLSServer runs bin (cairn-server or redis-server) with tls-port
// and waits until a TLS client with p's client certificate gets PONG.
// With tlsOnly the plain port is 0.
func startTLSServer(t *testing.T, bin string, p *testutil.PKI, tlsOnly bool, args ...string) *tlsServer {
	t.Helper()
	tlsPort, err := testutil.FreePort()
	must(t, err)
	port := 0
	if !tlsOnly {
		port, err = testutil.FreePort()
		must(t, err)
	}
	dir := t.TempDir()
	argv := append([]string{"--port", strconv.Itoa(port), "--tls-port", strconv.Itoa(tlsPort),
		"--bind", "127.0.0.1", "--dir", dir, "--appendonly", "no", "--save", ""}, p.ServerArgs()...)
	s := &tlsServer{name: filepath.Base(bin), cmd: exec.Command(bin, append(argv, args...)...),
		done: make(chan struct{}), port: port, tlsPort: tlsPort}
	s.cmd.Dir = dir
	s.out = watchLines(s.cmd)
	must(t, s.cmd.Start())
	go func() { s.exitState = s.cmd.Wait(); close(s.done) }()
	t.Cleanup(func() {
		s.cmd.Process.Kill()
		<-s.done
		if t.Failed() {
			t.Logf("%s output:\n%s", s.name, s.out)
		}
	})
	probe := &tls.Config{RootCAs: p.CAPool, Certificates: []tls.Certificate{p.Client}}
	ok := waitFor(15*time.Second, func() bool {
		select {
		case <-s.done:
			return true
		default:
		}
		return tlsPing(s.tlsAddr(), probe) == nil
	})
	select {
	case <-s.done:
		t.Fatalf("%s exited: %v\n%s", s.name, s.exitState, s.out)
	default:
	}
	if !ok {
		t.Fatalf("%s never answered PING over TLS:\n%s", s.name, s.out)
	}
	return s
}

// tlsPing opens one TLS connection, sends PING and expects +PONG.
func tlsPing(addr string, tc *tls.Config) error {
	c := redis.NewClient(&redis.Options{Addr: addr, TLSConfig: tc, MaxRetries: -1, PoolSize: 1,
		DialTimeout: 3 * time.Second, ReadTimeout: 3 * time.Second})
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return c.Ping(ctx).Err()
}

// clientCase is one way a client can present itself to a TLS server.
type clientCase struct {
	name string
	// cli is the TLS part of a redis-cli / cairn-cli command line.
	cli []string
	// tc is the same for go-redis.
	tc func(p *testutil.PKI) *tls.Config
}

func clientCases(p *testutil.PKI) []clientCase {
	return []clientCase{
		{"valid client certificate", []string{"--tls", "--cacert", p.CAFile, "--cert", p.ClientCert, "--key", p.ClientKey},
			func(p *testutil.PKI) *tls.Config {
				return &tls.Config{RootCAs: p.CAPool, Certificates: []tls.Certificate{p.Client}}
			}},
		{"no client certificate", []string{"--tls", "--cacert", p.CAFile},
			func(p *testutil.PKI) *tls.Config { return &tls.Config{RootCAs: p.CAPool} }},
		{"client certificate of another CA", []string{"--tls", "--cacert", p.CAFile, "--cert", p.ForeignClientCert, "--key", p.ForeignClientKey},
			func(p *testutil.PKI) *tls.Config {
				return &tls.Config{RootCAs: p.CAPool, Certificates: []tls.Certificate{p.ForeignClient}}
			}},
		{"server certificate not trusted (wrong CA)", []string{"--tls", "--cacert", p.ForeignCAFile, "--cert", p.ClientCert, "--key", p.ClientKey},
			func(p *testutil.PKI) *tls.Config {
				return &tls.Config{RootCAs: p.ForeignPool, Certificates: []tls.Certificate{p.Client}}
			}},
	}
}

// wantPong says, per tls-auth-clients mode, which client cases get in.
var wantPong = map[string]map[string]bool{
	"yes":      {"valid client certificate": true},
	"optional": {"valid client certificate": true, "no client certificate": true},
	"no":       {"valid client certificate": true, "no client certificate": true, "client certificate of another CA": true},
}

// cliPing runs a redis-cli compatible client's PING against port and
// reports whether it printed PONG.
func cliPing(t *testing.T, bin string, port int, tlsArgs []string) (bool, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	args := append([]string{"-h", "127.0.0.1", "-p", strconv.Itoa(port)}, tlsArgs...)
	out, _ := exec.CommandContext(ctx, bin, append(args, "PING")...).CombinedOutput()
	return strings.TrimSpace(string(out)) == "PONG", string(out)
}

// TestTLSClientAuthMatchesRedis runs the same client matrix against
// redis-server and cairn-server, for each tls-auth-clients mode, with
// redis-cli, cairn-cli and go-redis, and expects the same verdicts.
func TestTLSClientAuthMatchesRedis(t *testing.T) {
	redisBin := testutil.RequireRedisServer(t)
	redisCLI := testutil.RequireRedisCLI(t)
	cairnBin := testutil.BuildBinary(t, "cairn-server")
	cairnCLI := testutil.BuildBinary(t, "cairn-cli")
	p := testutil.NewPKI(t)
	for _, mode := range []string{"yes", "optional", "no"} {
		t.Run("tls-auth-clients "+mode, func(t *testing.T) {
			ref := startTLSServer(t, redisBin, p, true, "--tls-auth-clients", mode)
			srv := startTLSServer(t, cairnBin, p, true, "--tls-auth-clients", mode)
			for _, c := range clientCases(p) {
				want := wantPong[mode][c.name]
				refGot, refOut := cliPing(t, redisCLI, ref.tlsPort, c.cli)
				if refGot != want {
					t.Errorf("%s: redis-server with redis-cli: PONG=%v, the test expects %v (%q)", c.name, refGot, want, refOut)
				}
				if got, out := cliPing(t, redisCLI, srv.tlsPort, c.cli); got != want {
					t.Errorf("%s: cairn-server with redis-cli: PONG=%v, want %v (%q)", c.name, got, want, out)
				}
				if got, out := cliPing(t, cairnCLI, srv.tlsPort, c.cli); got != want {
					t.Errorf("%s: cairn-server with cairn-cli: PONG=%v, want %v (%q)", c.name, got, want, out)
				}
				if got, out := cliPing(t, cairnCLI, ref.tlsPort, c.cli); got != want {
					t.Errorf("%s: redis-server with cairn-cli: PONG=%v, want %v (%q)", c.name, got, want, out)
				}
				if err := tlsPing(srv.tlsAddr(), c.tc(p)); (err == nil) != want {
					t.Errorf("%s: cairn-server with go-redis: err = %v, want success %v", c.name, err, want)
				}
			}
		})
	}
}

// TestTLSWithPlainPort checks that one server serves both ports, that the
// ports do not mix, and what CONFIG GET and INFO report, against Redis.
func TestTLSWithPlainPort(t *testing.T) {
	redisBin := testutil.RequireRedisServer(t)
	p := testutil.NewPKI(t)
	good := &tls.Config{RootCAs: p.CAPool, Certificates: []tls.Certificate{p.Client}}
	for _, bin := range []string{redisBin, testutil.BuildBinary(t, "cairn-server")} {
		s := startTLSServer(t, bin, p, false)
		plain := redis.NewClient(&redis.Options{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port))})
		t.Cleanup(func() { plain.Close() })
		secure := redis.NewClient(&redis.Options{Addr: s.tlsAddr(), TLSConfig: good})
		t.Cleanup(func() { secure.Close() })
		ctx := testCtx(t, 20*time.Second)
		must(t, plain.Set(ctx, "k", "via plain", 0).Err())
		if v, err := secure.Get(ctx, "k").Result(); err != nil || v != "via plain" {
			t.Errorf("%s: GET over TLS = %q, %v", s.name, v, err)
		}
		if v := plain.ConfigGet(ctx, "tls-port").Val()["tls-port"]; v != strconv.Itoa(s.tlsPort) {
			t.Errorf("%s: CONFIG GET tls-port = %q, want %d", s.name, v, s.tlsPort)
		}
		if v := infoField(t, secure, "server", "tcp_port"); v != strconv.Itoa(s.port) {
			t.Errorf("%s: INFO tcp_port = %q, want %d", s.name, v, s.port)
		}
		// TLS client on the plain port, and plain RESP on the TLS port.
		if err := tlsPing(net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)), good); err == nil {
			t.Errorf("%s: a TLS handshake on the plain port succeeded", s.name)
		}
		if ok, _ := pingOnceRaw(s.tlsAddr()); ok {
			t.Errorf("%s: plain PING on the TLS port answered PONG", s.name)
		}
	}
}

// pingOnceRaw sends an inline PING without TLS.
func pingOnceRaw(addr string) (bool, error) {
	c, err := testutil.DialRaw(addr)
	if err != nil {
		return false, err
	}
	defer c.Close()
	c.SendCommand("PING")
	f, err := c.TryReadFrame(2 * time.Second)
	return err == nil && string(f.Raw) == "+PONG\r\n", err
}

// TestTLSOnlyServerInfo: with port 0 and a tls-port both servers listen
// on TLS only, and INFO's tcp_port shows the tls-port (Redis 7.0 reports
// tls-port when port is 0).
func TestTLSOnlyServerInfo(t *testing.T) {
	redisBin := testutil.RequireRedisServer(t)
	p := testutil.NewPKI(t)
	good := &tls.Config{RootCAs: p.CAPool, Certificates: []tls.Certificate{p.Client}}
	for _, bin := range []string{redisBin, testutil.BuildBinary(t, "cairn-server")} {
		s := startTLSServer(t, bin, p, true)
		c := redis.NewClient(&redis.Options{Addr: s.tlsAddr(), TLSConfig: good})
		t.Cleanup(func() { c.Close() })
		if v := infoField(t, c, "server", "tcp_port"); v != strconv.Itoa(s.tlsPort) {
			t.Errorf("%s: INFO tcp_port = %q on a TLS-only server, want the tls-port %d", s.name, v, s.tlsPort)
		}
		if v := c.ConfigGet(context.Background(), "port").Val()["port"]; v != "0" {
			t.Errorf("%s: CONFIG GET port = %q, want 0", s.name, v)
		}
	}
}

// TestTLSStartupFailures: settings that cannot give a TLS configuration
// stop both servers at startup with a non-zero exit.
func TestTLSStartupFailures(t *testing.T) {
	redisBin := testutil.RequireRedisServer(t)
	cairnBin := testutil.BuildBinary(t, "cairn-server")
	p := testutil.NewPKI(t)
	cases := []struct {
		name string
		args []string
		want string // in cairn-server's output
	}{
		{"no certificate", []string{"--tls-key-file", p.ServerKey, "--tls-ca-cert-file", p.CAFile}, "no tls-cert-file configured"},
		{"no CA while clients must authenticate", []string{"--tls-cert-file", p.ServerCert, "--tls-key-file", p.ServerKey},
			"either tls-ca-cert-file or tls-ca-cert-dir must be specified"},
		{"unknown protocol", append(p.ServerArgs(), "--tls-protocols", "TLSv1.4"), "invalid tls-protocols"},
		{"key of another certificate", []string{"--tls-cert-file", p.ServerCert, "--tls-key-file", p.ClientKey,
			"--tls-ca-cert-file", p.CAFile}, "private key does not match"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			port, err := testutil.FreePort()
			must(t, err)
			for _, bin := range []string{redisBin, cairnBin} {
				dir := t.TempDir()
				args := append([]string{"--port", "0", "--tls-port", strconv.Itoa(port), "--bind", "127.0.0.1",
					"--dir", dir, "--appendonly", "no", "--save", ""}, c.args...)
				ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
				cmd := exec.CommandContext(ctx, bin, args...)
				cmd.Dir = dir
				out, err := cmd.CombinedOutput()
				cancel()
				ee, ok := err.(*exec.ExitError)
				if !ok || ee.ExitCode() != 1 {
					t.Errorf("%s: exit %v, want status 1; output:\n%s", filepath.Base(bin), err, out)
				}
				if bin == cairnBin && !strings.Contains(string(out), c.want) {
					t.Errorf("cairn-server output lacks %q:\n%s", c.want, out)
				}
			}
		})
	}
}

// TestTLSEncryptedKeyMatchesRedis starts both servers with a key in
// OpenSSL's legacy encrypted PEM form: the right tls-key-file-pass serves,
// a wrong one stops the server at startup.
func TestTLSEncryptedKeyMatchesRedis(t *testing.T) {
	redisBin := testutil.RequireRedisServer(t)
	cairnBin := testutil.BuildBinary(t, "cairn-server")
	p := testutil.NewPKI(t)
	raw, err := os.ReadFile(p.ServerKey)
	must(t, err)
	block, _ := pem.Decode(raw)
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	must(t, err)
	ecDER, err := x509.MarshalECPrivateKey(key.(*ecdsa.PrivateKey))
	must(t, err)
	//lint:ignore SA1019 the legacy format is what the test needs
	enc, err := x509.EncryptPEMBlock(rand.Reader, "EC PRIVATE KEY", ecDER, []byte("s3cret"), x509.PEMCipherAES256)
	must(t, err)
	encPath := filepath.Join(p.Dir, "server-encrypted.key")
	must(t, os.WriteFile(encPath, pem.EncodeToMemory(enc), 0o600))
	good := &tls.Config{RootCAs: p.CAPool, Certificates: []tls.Certificate{p.Client}}
	for _, bin := range []string{redisBin, cairnBin} {
		s := startTLSServer(t, bin, p, true, "--tls-key-file", encPath, "--tls-key-file-pass", "s3cret")
		if err := tlsPing(s.tlsAddr(), good); err != nil {
			t.Errorf("%s with the right passphrase: %v", s.name, err)
		}
		port, err := testutil.FreePort()
		must(t, err)
		dir := t.TempDir()
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		cmd := exec.CommandContext(ctx, bin, append([]string{"--port", "0", "--tls-port", strconv.Itoa(port),
			"--bind", "127.0.0.1", "--dir", dir, "--appendonly", "no", "--save", ""},
			append(p.ServerArgs(), "--tls-key-file", encPath, "--tls-key-file-pass", "wrong")...)...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		cancel()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
			t.Errorf("%s with a wrong passphrase: exit %v, want status 1; output:\n%s", s.name, err, out)
		}
	}
}
