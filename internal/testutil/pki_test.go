package testutil

import (
	"crypto/tls"
	"crypto/x509"
	"testing"
)

func TestPKIServerCertificateVerifiesForLoopbackNames(t *testing.T) {
	p := NewPKI(t)
	server, err := x509.ParseCertificate(mustLeaf(t, p.ServerCert, p.ServerKey))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"localhost", "127.0.0.1", "::1"} {
		opts := x509.VerifyOptions{Roots: p.CAPool, DNSName: name, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
		if _, err := server.Verify(opts); err != nil {
			t.Errorf("server certificate for %q: %v", name, err)
		}
	}
	if _, err := server.Verify(x509.VerifyOptions{Roots: p.ForeignPool, DNSName: "localhost"}); err == nil {
		t.Error("server certificate verifies against the foreign CA")
	}
}

func TestPKIClientCertificates(t *testing.T) {
	p := NewPKI(t)
	usage := []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	client, err := x509.ParseCertificate(p.Client.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Verify(x509.VerifyOptions{Roots: p.CAPool, KeyUsages: usage}); err != nil {
		t.Errorf("client certificate does not verify against the CA: %v", err)
	}
	foreign, err := x509.ParseCertificate(p.ForeignClient.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := foreign.Verify(x509.VerifyOptions{Roots: p.CAPool, KeyUsages: usage}); err == nil {
		t.Error("foreign client certificate verifies against the CA")
	}
	if _, err := foreign.Verify(x509.VerifyOptions{Roots: p.ForeignPool, KeyUsages: usage}); err != nil {
		t.Errorf("foreign client certificate does not verify against its own CA: %v", err)
	}
}

// mustLeaf loads a certificate and key file pair, as a server would, and
// returns the certificate's DER.
func mustLeaf(t *testing.T, certFile, keyFile string) []byte {
	t.Helper()
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	return pair.Certificate[0]
}
