package testutil

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// PKI is a throw-away set of certificates for TLS tests: a CA that signs a
// server and a client certificate, and a second, unrelated ("foreign") CA
// that signs a client certificate of its own, so tests can check both the
// accepted and the refused paths. All keys are ECDSA P-256. Leaf
// certificates name localhost, 127.0.0.1 and ::1, so a client dialling
// the loopback address by either name verifies the server.
//
// Everything is also written to Dir as PEM, <name>.crt and <name>.key with
// the key in PKCS#8, for servers and command-line clients that take file
// names. The names are ca, server, client, foreignca and foreignclient;
// Dir starts with nothing else in it, so it can serve as a CA directory.
type PKI struct {
	Dir string

	CA         *x509.Certificate
	CAFile     string
	CAPool     *x509.CertPool
	ServerCert string // file
	ServerKey  string // file
	// ServerPrivateKey is the key in ServerKey, for tests that re-encode it.
	ServerPrivateKey *ecdsa.PrivateKey
	ClientCert       string // file
	ClientKey        string // file
	Client           tls.Certificate

	ForeignCA         *x509.Certificate
	ForeignCAFile     string
	ForeignPool       *x509.CertPool
	ForeignClientCert string // file
	ForeignClientKey  string // file
	ForeignClient     tls.Certificate
}

// NewPKI issues a fresh PKI into a temporary directory of tb, removed when
// the test ends.
func NewPKI(tb testing.TB) *PKI {
	tb.Helper()
	p := &PKI{Dir: tb.TempDir()}
	var caKey, foreignKey *ecdsa.PrivateKey
	p.CA, caKey, p.CAFile = p.issue(tb, "ca", nil, nil, 0)
	p.ForeignCA, foreignKey, p.ForeignCAFile = p.issue(tb, "foreignca", nil, nil, 0)
	_, p.ServerPrivateKey, p.ServerCert = p.issue(tb, "server", p.CA, caKey, x509.ExtKeyUsageServerAuth)
	_, _, p.ClientCert = p.issue(tb, "client", p.CA, caKey, x509.ExtKeyUsageClientAuth)
	_, _, p.ForeignClientCert = p.issue(tb, "foreignclient", p.ForeignCA, foreignKey, x509.ExtKeyUsageClientAuth)
	p.ServerKey = p.keyFile("server")
	p.ClientKey = p.keyFile("client")
	p.ForeignClientKey = p.keyFile("foreignclient")
	var err error
	if p.Client, err = tls.LoadX509KeyPair(p.ClientCert, p.ClientKey); err != nil {
		tb.Fatal(err)
	}
	if p.ForeignClient, err = tls.LoadX509KeyPair(p.ForeignClientCert, p.ForeignClientKey); err != nil {
		tb.Fatal(err)
	}
	p.CAPool, p.ForeignPool = x509.NewCertPool(), x509.NewCertPool()
	p.CAPool.AddCert(p.CA)
	p.ForeignPool.AddCert(p.ForeignCA)
	return p
}

// ServerArgs are the command-line settings that give a server (cairn-server
// or redis-server, which share the names) this PKI's server certificate and
// CA, followed by extra; a later repeat of a setting wins.
func (p *PKI) ServerArgs(extra ...string) []string {
	return append([]string{"--tls-cert-file", p.ServerCert, "--tls-key-file", p.ServerKey,
		"--tls-ca-cert-file", p.CAFile}, extra...)
}

func (p *PKI) keyFile(name string) string { return filepath.Join(p.Dir, name+".key") }

// issue makes a key and a certificate for name and writes both to p.Dir.
// With a nil parent the certificate is a self-signed CA; otherwise it is a
// leaf for usage, signed by parent and parentKey. It returns the
// certificate, its key and the certificate's file.
func (p *PKI) issue(tb testing.TB, name string, parent *x509.Certificate, parentKey *ecdsa.PrivateKey,
	usage x509.ExtKeyUsage) (*x509.Certificate, *ecdsa.PrivateKey, string) {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		tb.Fatal(err)
	}
	tpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "cairn test " + name},
		NotBefore:    time.Now().Add(-time.Hour), // tolerate a little clock skew
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	if parent == nil {
		tpl.IsCA, tpl.BasicConstraintsValid = true, true
		tpl.KeyUsage |= x509.KeyUsageCertSign
		parent, parentKey = tpl, key
	} else {
		tpl.ExtKeyUsage = []x509.ExtKeyUsage{usage}
		tpl.DNSNames = []string{"localhost"}
		tpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")}
	}
	der, err := x509.CreateCertificate(rand.Reader, tpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		tb.Fatal(err)
	}
	certFile := filepath.Join(p.Dir, name+".crt")
	writePEM(tb, certFile, "CERTIFICATE", der)
	writePEM(tb, p.keyFile(name), "PRIVATE KEY", keyDER)
	return cert, key, certFile
}

// writePEM writes one PEM block to path, readable by the owner only.
func writePEM(tb testing.TB, path, blockType string, der []byte) {
	tb.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: blockType, Bytes: der}), 0o600); err != nil {
		tb.Fatal(err)
	}
}
