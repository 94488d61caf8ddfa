package server

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdsa"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha1"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"cairn/internal/config"
	"cairn/internal/testutil"
)

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func loadTestConfig(t *testing.T, args ...string) *config.Config {
	t.Helper()
	cfg, err := config.Load(append([]string{"--dir", t.TempDir()}, args...))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// warnings collects what buildTLSConfig reports through warn.
type warnings []string

func (w *warnings) add(msg string) { *w = append(*w, msg) }

func TestBuildTLSConfigRefusesIncompleteSettings(t *testing.T) {
	p := testutil.NewPKI(t)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no cert", []string{"--tls-key-file", p.ServerKey}, "no tls-cert-file configured"},
		{"no key", []string{"--tls-cert-file", p.ServerCert}, "no tls-key-file configured"},
		{"missing cert file", p.ServerArgs("--tls-cert-file", filepath.Join(p.Dir, "absent.crt")), "load certificate"},
		{"key of another cert", p.ServerArgs("--tls-key-file", p.ClientKey), "private key does not match"},
		{"client auth without CA", []string{"--tls-cert-file", p.ServerCert, "--tls-key-file", p.ServerKey},
			"either tls-ca-cert-file or tls-ca-cert-dir must be specified"},
		{"CA file without certificates", p.ServerArgs("--tls-ca-cert-file", p.ServerKey), "holds no PEM certificate"},
		{"missing CA dir", p.ServerArgs("--tls-ca-cert-dir", filepath.Join(p.Dir, "nope")), "tls-ca-cert-dir"},
		{"missing CA file while unused", p.ServerArgs("--tls-auth-clients", "no", "--tls-ca-cert-file", filepath.Join(p.Dir, "nope")),
			"load tls-ca-cert-file"},
		{"unknown protocol", p.ServerArgs("--tls-protocols", "TLSv1.4"), "invalid tls-protocols specified"},
		{"no known cipher", p.ServerArgs("--tls-ciphers", "FOO:BAR"), "failed to configure ciphers: FOO:BAR"},
		{"no known TLSv1.3 suite", p.ServerArgs("--tls-ciphersuites", "FOO"), "failed to configure ciphersuites: FOO"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var w warnings
			_, err := buildTLSConfig(loadTestConfig(t, tc.args...), w.add)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "server: tls: ") {
				t.Fatalf("err = %v, want a server: tls: error containing %q", err, tc.want)
			}
		})
	}
}

func TestBuildTLSConfigSettings(t *testing.T) {
	p := testutil.NewPKI(t)
	cases := []struct {
		name  string
		args  []string
		check func(t *testing.T, tc *tls.Config, w warnings)
	}{
		{"defaults", p.ServerArgs(), func(t *testing.T, tc *tls.Config, w warnings) {
			// No ClientCAs: their names would go out in the certificate
			// request, which OpenSSL (Redis) does not send.
			if tc.ClientAuth != tls.RequireAnyClientCert || tc.ClientCAs != nil || tc.VerifyPeerCertificate == nil {
				t.Errorf("ClientAuth = %v, ClientCAs = %v", tc.ClientAuth, tc.ClientCAs)
			}
			if err := tc.VerifyPeerCertificate(p.Client.Certificate, nil); err != nil {
				t.Errorf("client certificate refused: %v", err)
			}
			if err := tc.VerifyPeerCertificate(p.ForeignClient.Certificate, nil); err == nil {
				t.Error("certificate of another CA accepted")
			}
			if err := tc.VerifyPeerCertificate([][]byte{[]byte("junk")}, nil); err == nil {
				t.Error("junk certificate accepted")
			}
			if tc.MinVersion != tls.VersionTLS12 || tc.MaxVersion != tls.VersionTLS13 {
				t.Errorf("versions %x..%x, want TLS 1.2..1.3", tc.MinVersion, tc.MaxVersion)
			}
			if tc.SessionTicketsDisabled || tc.CipherSuites != nil || len(w) != 0 {
				t.Errorf("tickets disabled %v, suites %v, warnings %q", tc.SessionTicketsDisabled, tc.CipherSuites, w)
			}
		}},
		{"optional", p.ServerArgs("--tls-auth-clients", "optional"), func(t *testing.T, tc *tls.Config, _ warnings) {
			if tc.ClientAuth != tls.RequestClientCert || tc.VerifyPeerCertificate == nil {
				t.Errorf("ClientAuth = %v", tc.ClientAuth)
			}
			if err := tc.VerifyPeerCertificate(nil, nil); err != nil {
				t.Errorf("no certificate refused under optional: %v", err)
			}
			if err := tc.VerifyPeerCertificate(p.ForeignClient.Certificate, nil); err == nil {
				t.Error("certificate of another CA accepted under optional")
			}
		}},
		{"no client auth needs no CA", []string{"--tls-cert-file", p.ServerCert, "--tls-key-file", p.ServerKey,
			"--tls-auth-clients", "no"}, func(t *testing.T, tc *tls.Config, _ warnings) {
			if tc.ClientAuth != tls.NoClientCert || tc.VerifyPeerCertificate != nil {
				t.Errorf("ClientAuth = %v", tc.ClientAuth)
			}
		}},
		{"CA dir", []string{"--tls-cert-file", p.ServerCert, "--tls-key-file", p.ServerKey,
			"--tls-ca-cert-dir", p.Dir}, func(t *testing.T, tc *tls.Config, _ warnings) {
			if err := tc.VerifyPeerCertificate(p.Client.Certificate, nil); err != nil {
				t.Errorf("client certificate does not verify against the CA dir: %v", err)
			}
		}},
		{"session caching off", p.ServerArgs("--tls-session-caching", "no"), func(t *testing.T, tc *tls.Config, _ warnings) {
			if !tc.SessionTicketsDisabled {
				t.Error("session tickets still enabled")
			}
		}},
		{"TLSv1.3 only", p.ServerArgs("--tls-protocols", "tlsv1.3"), func(t *testing.T, tc *tls.Config, _ warnings) {
			if tc.MinVersion != tls.VersionTLS13 || tc.MaxVersion != tls.VersionTLS13 {
				t.Errorf("versions %x..%x", tc.MinVersion, tc.MaxVersion)
			}
		}},
		{"protocol gap", p.ServerArgs("--tls-protocols", "TLSv1 TLSv1.2"), func(t *testing.T, tc *tls.Config, w warnings) {
			if tc.MinVersion != tls.VersionTLS10 || tc.MaxVersion != tls.VersionTLS12 || len(w) != 1 {
				t.Errorf("versions %x..%x, warnings %q", tc.MinVersion, tc.MaxVersion, w)
			}
		}},
		{"cipher names", p.ServerArgs("--tls-ciphers", "ECDHE-ECDSA-AES256-GCM-SHA384:TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256:NOPE"),
			func(t *testing.T, tc *tls.Config, w warnings) {
				want := []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256}
				if !equalIDs(tc.CipherSuites, want) || len(w) != 1 || !strings.Contains(w[0], "NOPE") {
					t.Errorf("suites %v, warnings %q", tc.CipherSuites, w)
				}
			}},
		{"cipher expression", p.ServerArgs("--tls-ciphers", "HIGH:!aNULL:!MD5"), func(t *testing.T, tc *tls.Config, w warnings) {
			if tc.CipherSuites != nil || len(w) != 1 {
				t.Errorf("suites %v, warnings %q", tc.CipherSuites, w)
			}
		}},
		{"TLSv1.3 suites", p.ServerArgs("--tls-ciphersuites", "TLS_AES_256_GCM_SHA384:FOO"), func(t *testing.T, _ *tls.Config, w warnings) {
			if len(w) != 1 || !strings.Contains(w[0], "ignored") {
				t.Errorf("warnings %q", w)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var w warnings
			tc, err := buildTLSConfig(loadTestConfig(t, c.args...), w.add)
			if err != nil {
				t.Fatal(err)
			}
			c.check(t, tc, w)
		})
	}
}

func equalIDs(a, b []uint16) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// opensslEncryptedKey and opensslEncryptedCert were made once with
// OpenSSL 3.0 (openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256
// -passout pass:cairn-secret -subj /CN=cairn-test -days 36500): a PKCS#8
// key under PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC, OpenSSL's
// default. They check decryptPKCS8 against a real encoder, not only ours.
const opensslEncryptedKey = `-----BEGIN ENCRYPTED PRIVATE KEY-----
MIHjME4GCSqGSIb3DQEFDTBBMCkGCSqGSIb3DQEFDDAcBAgZh3yqREHeLgICCAAw
DAYIKoZIhvcNAgkFADAUBggqhkiG9w0DBwQI6ZB03V9LbFMEgZCFVXfNQUWP91TJ
tf4/zVtc8R567AK0S6coHN34cp6zK5+pG5+2Lpn0EzgAUeBfAqfwYFU0+Q7gZBb6
7yoF5qTIOzqaBAXg53Skqsa9jKTMUbrBoXqCgcpTizmZkU2zZyrgxXhvWCl78GA6
2441mK207Ba+2xd0vVl6JnOP7j3I3lwTW7oxNotdPlgdP0zWpE8=
-----END ENCRYPTED PRIVATE KEY-----
`

const opensslEncryptedCert = `-----BEGIN CERTIFICATE-----
MIIBgTCCASegAwIBAgIUZWecNRNMilGbmP0F2HZ+E2S8WEAwCgYIKoZIzj0EAwIw
FTETMBEGA1UEAwwKY2Fpcm4tdGVzdDAgFw0yNjExMjMyMjU0NTRaGA8yMTI2MTAz
MDIyNTQ1NFowFTETMBEGA1UEAwwKY2Fpcm4tdGVzdDBZMBMGByqGSM49AgEGCCqG
SM49AwEHA0IABJjAr3jEiY5pp+sqINsSsPxIkwIksxu88GOzw1v9WS+N6Ub0T/3o
aud6WhxxS+HaRK69Cm6+n6BYQ+KJuWBHOV+jUzBRMB0GA1UdDgQWBBTXVqPfn4wE
zBmm9noNW8lJ+IF6WDAfBgNVHSMEGDAWgBTXVqPfn4wEzBmm9noNW8lJ+IF6WDAP
BgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQDZ+tZJ0384qqT1RKub
KpeTVKemyIxPbACw/EMPdX3z8gIgWh+BRGu5Ror/CJwQ/302WcBoUzbm6shaJ2qY
REvUbBk=
-----END CERTIFICATE-----
`

func TestLoadKeyPairDecryptsOpenSSLKey(t *testing.T) {
	dir := t.TempDir()
	cert, key := filepath.Join(dir, "c.crt"), filepath.Join(dir, "c.key")
	writeFile(t, cert, []byte(opensslEncryptedCert))
	writeFile(t, key, []byte(opensslEncryptedKey))
	if _, err := loadKeyPair(cert, key, "cairn-secret"); err != nil {
		t.Fatalf("right passphrase: %v", err)
	}
	if _, err := loadKeyPair(cert, key, "wrong"); err == nil || !errors.Is(err, errBadKeyPass) {
		t.Fatalf("wrong passphrase: err = %v", err)
	}
	if _, err := loadKeyPair(cert, key, ""); err == nil || !errors.Is(err, errNeedKeyPass) {
		t.Fatalf("no passphrase: err = %v", err)
	}
}

// encryptPKCS8 is a minimal PBES2 encoder (PBKDF2 with the default
// HMAC-SHA1, so the optional PRF field is absent; AES-128-CBC).
func encryptPKCS8(t *testing.T, der []byte, pass string) []byte {
	t.Helper()
	salt, iv := make([]byte, 8), make([]byte, aes.BlockSize)
	rand.Read(salt)
	rand.Read(iv)
	key, err := pbkdf2.Key(sha1.New, pass, salt, 2048, 16)
	if err != nil {
		t.Fatal(err)
	}
	pad := aes.BlockSize - len(der)%aes.BlockSize
	plain := append(append([]byte(nil), der...), bytes.Repeat([]byte{byte(pad)}, pad)...)
	block, _ := aes.NewCipher(key)
	out := make([]byte, len(plain))
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(out, plain)
	mustMarshal := func(v any) []byte {
		b, err := asn1.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	kdf := mustMarshal(struct {
		Salt []byte
		Iter int
	}{salt, 2048})
	params := mustMarshal(pbes2Params{
		KDF:    pkix.AlgorithmIdentifier{Algorithm: oidPBKDF2, Parameters: asn1.RawValue{FullBytes: kdf}},
		Cipher: pkix.AlgorithmIdentifier{Algorithm: oidAES128CBC, Parameters: asn1.RawValue{FullBytes: mustMarshal(iv)}},
	})
	return mustMarshal(encryptedPrivateKeyInfo{
		Algo: pkix.AlgorithmIdentifier{Algorithm: oidPBES2, Parameters: asn1.RawValue{FullBytes: params}},
		Data: out,
	})
}

func TestLoadKeyPairDecryptsPBES2AndLegacyKeys(t *testing.T) {
	p := testutil.NewPKI(t)
	der, err := x509.MarshalPKCS8PrivateKey(p.ServerPrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, err := x509.MarshalECPrivateKey(p.ServerPrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	//lint:ignore SA1019 the server must read keys written this old way
	legacy, err := x509.EncryptPEMBlock(rand.Reader, "EC PRIVATE KEY", ecDER, []byte("pw"), x509.PEMCipherAES256)
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string][]byte{
		"pbes2":  pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: encryptPKCS8(t, der, "pw")}),
		"legacy": pem.EncodeToMemory(legacy),
	}
	for name, keyPEM := range keys {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(p.Dir, name+".key")
			writeFile(t, path, keyPEM)
			pair, err := loadKeyPair(p.ServerCert, path, "pw")
			if err != nil {
				t.Fatalf("right passphrase: %v", err)
			}
			if !pair.PrivateKey.(*ecdsa.PrivateKey).Equal(p.ServerPrivateKey) {
				t.Fatal("decrypted key differs from the original")
			}
			if _, err := loadKeyPair(p.ServerCert, path, "px"); !errors.Is(err, errBadKeyPass) {
				t.Fatalf("wrong passphrase: err = %v", err)
			}
			// A server started with the encrypted key and its passphrase
			// accepts TLS clients.
			_, err = buildTLSConfig(loadTestConfig(t, p.ServerArgs("--tls-key-file", path, "--tls-key-file-pass", "pw")...), func(string) {})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

// tlsInProcess starts a server with tls-port on a free port, and with
// tlsOnly false a plain port as well (port 0 with a tls-port means "TLS
// only"). It returns the server and the TLS address.
func tlsInProcess(t *testing.T, p *testutil.PKI, tlsOnly bool, extra ...string) (*inProcess, string) {
	t.Helper()
	tlsPort := freePort(t)
	args := append([]string{"--tls-port", strconv.Itoa(tlsPort)}, p.ServerArgs(extra...)...)
	var srv *inProcess
	if tlsOnly {
		srv = startTLSOnly(t, args...)
	} else {
		plain := freePort(t)
		srv = startInProcess(t, append([]string{"--port", strconv.Itoa(plain)}, args...)...)
		srv.addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(plain))
	}
	return srv, net.JoinHostPort("127.0.0.1", strconv.Itoa(tlsPort))
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startTLSOnly is startInProcess with --port 0 meaning "no plain port".
func startTLSOnly(t *testing.T, args ...string) *inProcess {
	t.Helper()
	argv := append([]string{"--port", "0", "--bind", "127.0.0.1", "--dir", t.TempDir(), "--appendonly", "no"}, args...)
	cfg, err := config.Load(argv)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	p := &inProcess{srv: s, served: make(chan error, 1)}
	go func() { p.served <- s.Serve() }()
	t.Cleanup(func() { p.stop(t) })
	return p
}

func tlsClient(t *testing.T, addr string, tc *tls.Config) *redis.Client {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: addr, TLSConfig: tc, PoolSize: 2, MaxRetries: -1,
		DialTimeout: 5 * time.Second, ReadTimeout: 5 * time.Second})
	t.Cleanup(func() { c.Close() })
	return c
}

func pingErr(c *redis.Client) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return c.Ping(ctx).Err()
}

func TestTLSOnlyServerAuthenticatesClients(t *testing.T) {
	p := testutil.NewPKI(t)
	srv, addr := tlsInProcess(t, p, true)
	if want := addr[strings.LastIndexByte(addr, ':')+1:]; strconv.Itoa(srv.srv.Port()) != want {
		t.Fatalf("Port() = %d on a TLS-only server, want the tls-port %s (as Redis's INFO)", srv.srv.Port(), want)
	}
	for _, ln := range srv.srv.listeners {
		if _, ok := ln.(*tlsListener); !ok {
			t.Fatalf("plain listener %v on a TLS-only server", ln.Addr())
		}
	}
	good := &tls.Config{RootCAs: p.CAPool, Certificates: []tls.Certificate{p.Client}}
	if err := pingErr(tlsClient(t, addr, good)); err != nil {
		t.Fatalf("client with a valid certificate: %v", err)
	}
	refused := map[string]*tls.Config{
		"no client certificate":         {RootCAs: p.CAPool},
		"certificate of another CA":     {RootCAs: p.CAPool, Certificates: []tls.Certificate{p.ForeignClient}},
		"server not trusted (wrong CA)": {RootCAs: p.ForeignPool, Certificates: []tls.Certificate{p.Client}},
	}
	for name, tc := range refused {
		if err := pingErr(tlsClient(t, addr, tc)); err == nil {
			t.Errorf("%s: PING succeeded", name)
		}
	}
	// Plain RESP on the TLS port is not a handshake: the server drops it.
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	c.Write([]byte("PING\r\n"))
	if b, _ := io.ReadAll(c); bytes.Contains(b, []byte("PONG")) {
		t.Fatalf("plain PING on the TLS port answered %q", b)
	}
}

func TestTLSConfigSetSwapsConfiguration(t *testing.T) {
	p := testutil.NewPKI(t)
	srv, addr := tlsInProcess(t, p, false)
	plain := client(t, srv.addr, 2)
	ctx := context.Background()
	anon := &tls.Config{RootCAs: p.CAPool}
	if err := pingErr(tlsClient(t, addr, anon)); err == nil {
		t.Fatal("client without certificate admitted under tls-auth-clients yes")
	}
	if err := plain.ConfigSet(ctx, "tls-auth-clients", "optional").Err(); err != nil {
		t.Fatal(err)
	}
	if err := pingErr(tlsClient(t, addr, anon)); err != nil {
		t.Fatalf("client without certificate refused under tls-auth-clients optional: %v", err)
	}
	foreign := &tls.Config{RootCAs: p.CAPool, Certificates: []tls.Certificate{p.ForeignClient}}
	if err := pingErr(tlsClient(t, addr, foreign)); err == nil {
		t.Fatal("a Go client with another CA's certificate got in under tls-auth-clients optional")
	}
	err := plain.ConfigSet(ctx, "tls-cert-file", filepath.Join(p.Dir, "absent.crt")).Err()
	want := "ERR CONFIG SET failed (possibly related to argument 'tls-cert-file') - Unable to update TLS configuration. Check server logs."
	if err == nil || err.Error() != want {
		t.Fatalf("CONFIG SET of a missing certificate: %v, want %q", err, want)
	}
	if got := plain.ConfigGet(ctx, "tls-cert-file").Val()["tls-cert-file"]; got != p.ServerCert {
		t.Fatalf("tls-cert-file = %q after the failed set, want the old %q", got, p.ServerCert)
	}
	if err := pingErr(tlsClient(t, addr, anon)); err != nil {
		t.Fatalf("the old configuration no longer serves after a failed set: %v", err)
	}
}

func TestTLSConfigSetWithoutTLSPortIsNotChecked(t *testing.T) {
	// As Redis: while no TLS listener runs, tls-* values are only stored.
	srv := startInProcess(t)
	if err := client(t, srv.addr, 2).ConfigSet(context.Background(), "tls-cert-file", "/nonexistent").Err(); err != nil {
		t.Fatal(err)
	}
}

func TestListenFailsOnBadTLSConfiguration(t *testing.T) {
	cfg := loadTestConfig(t, "--port", "0", "--bind", "127.0.0.1", "--tls-port", "1", "--appendonly", "no")
	s, err := New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Listen(); err == nil || !strings.Contains(err.Error(), "no tls-cert-file configured") {
		t.Fatalf("Listen = %v", err)
	}
}

func TestTLSHandshakesInFlightAreCappedAtMaxClients(t *testing.T) {
	p := testutil.NewPKI(t)
	_, addr := tlsInProcess(t, p, false, "--maxclients", "1")
	silent, err := net.Dial("tcp", addr) // never starts its handshake
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	time.Sleep(100 * time.Millisecond) // let the server count it
	second, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	second.SetReadDeadline(time.Now().Add(3 * time.Second))
	if _, err := second.Read(make([]byte, 1)); err != io.EOF {
		t.Fatalf("second connection: read err = %v, want EOF (closed at once)", err)
	}
}

func TestShutdownAbortsPendingHandshakes(t *testing.T) {
	p := testutil.NewPKI(t)
	srv, addr := tlsInProcess(t, p, false)
	silent, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	srv.stop(t)
	silent.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := silent.Read(make([]byte, 1)); err != io.EOF {
		t.Fatalf("pending handshake after shutdown: read err = %v, want EOF", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("the pending handshake was closed %v after shutdown (the handshake timeout is %v)", d, tlsHandshakeTimeout)
	}
}
