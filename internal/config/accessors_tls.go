package config

import "strings"

// Indexes of the TLS parameters the server reads when it builds its TLS
// configuration.
var (
	idxTLSPort                = mustParam("tls-port")
	idxTLSCertFile            = mustParam("tls-cert-file")
	idxTLSKeyFile             = mustParam("tls-key-file")
	idxTLSKeyFilePass         = mustParam("tls-key-file-pass")
	idxTLSCACertFile          = mustParam("tls-ca-cert-file")
	idxTLSCACertDir           = mustParam("tls-ca-cert-dir")
	idxTLSAuthClients         = mustParam("tls-auth-clients")
	idxTLSProtocols           = mustParam("tls-protocols")
	idxTLSCiphers             = mustParam("tls-ciphers")
	idxTLSCipherSuites        = mustParam("tls-ciphersuites")
	idxTLSPreferServerCiphers = mustParam("tls-prefer-server-ciphers")
	idxTLSSessionCaching      = mustParam("tls-session-caching")
)

// TLSParams names every parameter whose change alters the TLS
// configuration of a running server (its CONFIG SET hooks rebuild it).
func TLSParams() []string {
	return []string{
		"tls-cert-file", "tls-key-file", "tls-key-file-pass", "tls-ca-cert-file",
		"tls-ca-cert-dir", "tls-auth-clients", "tls-protocols", "tls-ciphers",
		"tls-ciphersuites", "tls-prefer-server-ciphers", "tls-session-caching",
	}
}

// TLSPort is the port of the TLS listeners; 0 means no TLS listener.
func (c *Config) TLSPort() int { return int(c.num(idxTLSPort)) }

// TLSCertFile is the PEM file with the server's certificate chain.
func (c *Config) TLSCertFile() string { return c.str(idxTLSCertFile) }

// TLSKeyFile is the PEM file with the server certificate's private key.
func (c *Config) TLSKeyFile() string { return c.str(idxTLSKeyFile) }

// TLSKeyFilePass is the passphrase of an encrypted TLSKeyFile ("" = none).
func (c *Config) TLSKeyFilePass() string { return c.str(idxTLSKeyFilePass) }

// TLSCACertFile is the PEM bundle of CAs that client certificates must
// chain to.
func (c *Config) TLSCACertFile() string { return c.str(idxTLSCACertFile) }

// TLSCACertDir is a directory of PEM CA certificates (an alternative or an
// addition to TLSCACertFile).
func (c *Config) TLSCACertDir() string { return c.str(idxTLSCACertDir) }

// TLSAuthClients is "yes", "no" or "optional": whether clients must, may
// or do not present a certificate.
func (c *Config) TLSAuthClients() string { return c.str(idxTLSAuthClients) }

// TLSProtocols lists the enabled protocol versions ("TLSv1.2", ...); an
// empty list means the default, TLSv1.2 and TLSv1.3.
func (c *Config) TLSProtocols() []string { return strings.Fields(c.str(idxTLSProtocols)) }

// TLSCiphers is the OpenSSL-style cipher list for TLSv1.2 and older.
func (c *Config) TLSCiphers() string { return c.str(idxTLSCiphers) }

// TLSCipherSuites is the OpenSSL-style TLSv1.3 cipher suite list.
func (c *Config) TLSCipherSuites() string { return c.str(idxTLSCipherSuites) }

// TLSPreferServerCiphers reports tls-prefer-server-ciphers.
func (c *Config) TLSPreferServerCiphers() bool { return c.num(idxTLSPreferServerCiphers) != 0 }

// TLSSessionCaching reports whether TLS session resumption is offered.
func (c *Config) TLSSessionCaching() bool { return c.num(idxTLSSessionCaching) != 0 }
