package server

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"hash"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"cairn/internal/config"
)

// tlsHandshakeTimeout bounds a client's TLS handshake, so a peer that
// connects and stays silent does not hold a goroutine and a socket forever.
const tlsHandshakeTimeout = 10 * time.Second

// tlsListener marks a listener on tls-port: acceptLoop hands its
// connections to handshakeTLS instead of admitting them directly.
type tlsListener struct{ net.Listener }

// errTLSUpdate is the reason CONFIG SET gives when a changed tls-*
// parameter does not yield a usable configuration (Redis's text; the
// details go to the log).
//
//lint:ignore ST1005 the text is part of the protocol
var errTLSUpdate = errors.New("Unable to update TLS configuration. Check server logs.")

// buildTLSConfig turns the tls-* parameters into a server configuration,
// failing where Redis 7.0 refuses to start (or CONFIG SET fails):
//
//   - tls-cert-file, tls-key-file: PEM chain and key; tls-key-file-pass
//     decrypts an encrypted key (PKCS#8 PBES2, or legacy PEM headers).
//   - tls-ca-cert-file, tls-ca-cert-dir: CAs for client certificates; the
//     dir is read as every PEM file in it (no OpenSSL hash lookup).
//   - tls-auth-clients yes/optional/no; yes and optional need a CA.
//   - tls-protocols: TLSv1 to TLSv1.3, default TLSv1.2 TLSv1.3; Go enables
//     a contiguous range, so a gap is filled (with a warning).
//   - tls-ciphers: OpenSSL or IANA suite names for TLSv1.2 and older;
//     OpenSSL's selection language (HIGH:!aNULL) falls back to Go's
//     defaults with a warning.
//   - tls-session-caching no: session tickets off. crypto/tls resumes
//     sessions by tickets only, so tls-session-cache-size and
//     tls-session-cache-timeout have nothing to size and are ignored.
//
// Ignored because crypto/tls decides them itself: tls-ciphersuites (Go
// always offers its three TLSv1.3 suites; the names are still validated),
// tls-prefer-server-ciphers (Go orders suites by the hardware) and
// tls-dh-params-file (Go has no finite-field DHE suites). tls-cluster,
// tls-replication and the tls-client-* files concern connections Cairn
// does not make.
func buildTLSConfig(cfg *config.Config, warn func(msg string)) (*tls.Config, error) {
	if cfg.TLSCertFile() == "" {
		return nil, errors.New("server: tls: no tls-cert-file configured")
	}
	if cfg.TLSKeyFile() == "" {
		return nil, errors.New("server: tls: no tls-key-file configured")
	}
	cert, err := loadKeyPair(cfg.TLSCertFile(), cfg.TLSKeyFile(), cfg.TLSKeyFilePass())
	if err != nil {
		return nil, err
	}
	tc := &tls.Config{
		Certificates:           []tls.Certificate{cert},
		SessionTicketsDisabled: !cfg.TLSSessionCaching(),
	}
	if tc.MinVersion, tc.MaxVersion, err = parseTLSProtocols(cfg.TLSProtocols(), warn); err != nil {
		return nil, err
	}
	if tc.CipherSuites, err = parseTLSCiphers(cfg.TLSCiphers(), warn); err != nil {
		return nil, err
	}
	if err := checkTLSCipherSuites(cfg.TLSCipherSuites(), warn); err != nil {
		return nil, err
	}
	// Configured CAs must load even when unused, as in Redis.
	var pool *x509.CertPool
	if caFile, caDir := cfg.TLSCACertFile(), cfg.TLSCACertDir(); caFile != "" || caDir != "" {
		if pool, err = loadCAs(caFile, caDir); err != nil {
			return nil, err
		}
	}
	auth := cfg.TLSAuthClients()
	if auth == "no" {
		return tc, nil
	}
	if pool == nil {
		return nil, errors.New("server: tls: either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-auth-clients is enabled")
	}
	// Client certificates are verified by hand rather than through
	// ClientCAs: crypto/tls would list the CAs' names in its certificate
	// request, and a Go client (go-redis, cairn-cli) then withholds a
	// certificate that no listed CA issued, so under "optional" it would
	// get in anonymously where Redis, whose OpenSSL sends no list, refuses
	// the certificate.
	tc.ClientAuth = tls.RequireAnyClientCert
	if auth == "optional" {
		tc.ClientAuth = tls.RequestClientCert
	}
	tc.VerifyPeerCertificate = verifyClientChain(pool)
	return tc, nil
}

// verifyClientChain checks a client's certificate chain (when it sent
// one) against the CA pool, for client authentication, as OpenSSL does.
func verifyClientChain(pool *x509.CertPool) func([][]byte, [][]*x509.Certificate) error {
	return func(raw [][]byte, _ [][]*x509.Certificate) error {
		if len(raw) == 0 {
			return nil // "optional" without a certificate; "yes" never gets here
		}
		certs := make([]*x509.Certificate, len(raw))
		for i, der := range raw {
			c, err := x509.ParseCertificate(der)
			if err != nil {
				return fmt.Errorf("server: tls: client certificate: %w", err)
			}
			certs[i] = c
		}
		inter := x509.NewCertPool()
		for _, c := range certs[1:] {
			inter.AddCert(c)
		}
		_, err := certs[0].Verify(x509.VerifyOptions{Roots: pool, Intermediates: inter,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})
		if err != nil {
			return fmt.Errorf("server: tls: client certificate: %w", err)
		}
		return nil
	}
}

// loadKeyPair reads the certificate chain and its private key, decrypting
// the key with pass when it is encrypted.
func loadKeyPair(certFile, keyFile, pass string) (tls.Certificate, error) {
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("server: tls: load certificate: %w", err)
	}
	keyPEM, err := os.ReadFile(keyFile)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("server: tls: load private key: %w", err)
	}
	if keyPEM, err = decryptKeyPEM(keyPEM, pass); err != nil {
		return tls.Certificate{}, fmt.Errorf("server: tls: private key %s: %w", keyFile, err)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("server: tls: certificate %s with key %s: %w", certFile, keyFile, err)
	}
	return cert, nil
}

// loadCAs builds the pool client certificates are verified against: the
// certificates of caFile and of every PEM file directly inside caDir. A
// file in caDir without certificates (OpenSSL's hash links point at real
// files, so duplicates are harmless) is skipped.
func loadCAs(caFile, caDir string) (*x509.CertPool, error) {
	pool := x509.NewCertPool()
	if caFile != "" {
		b, err := os.ReadFile(caFile)
		if err != nil {
			return nil, fmt.Errorf("server: tls: load tls-ca-cert-file: %w", err)
		}
		if !pool.AppendCertsFromPEM(b) {
			return nil, fmt.Errorf("server: tls: tls-ca-cert-file %s holds no PEM certificate", caFile)
		}
	}
	if caDir != "" {
		entries, err := os.ReadDir(caDir)
		if err != nil {
			return nil, fmt.Errorf("server: tls: load tls-ca-cert-dir: %w", err)
		}
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			b, err := os.ReadFile(filepath.Join(caDir, e.Name()))
			if err != nil {
				continue // a dangling link or an unreadable file is not a CA
			}
			pool.AppendCertsFromPEM(b)
		}
	}
	return pool, nil
}

// tlsVersions maps tls-protocols names (any case, as Redis) to versions.
var tlsVersions = map[string]uint16{
	"tlsv1":   tls.VersionTLS10,
	"tlsv1.1": tls.VersionTLS11,
	"tlsv1.2": tls.VersionTLS12,
	"tlsv1.3": tls.VersionTLS13,
}

// parseTLSProtocols returns the lowest and highest enabled version. Go
// enables a contiguous range only, so a list with a gap (TLSv1 TLSv1.2)
// also enables the versions in between; warn says so.
func parseTLSProtocols(names []string, warn func(string)) (lo, hi uint16, err error) {
	if len(names) == 0 {
		return tls.VersionTLS12, tls.VersionTLS13, nil
	}
	enabled := map[uint16]bool{}
	for _, n := range names {
		v, ok := tlsVersions[strings.ToLower(n)]
		if !ok {
			return 0, 0, errors.New("server: tls: invalid tls-protocols specified. Use a combination of 'TLSv1', 'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'")
		}
		enabled[v] = true
		if lo == 0 || v < lo {
			lo = v
		}
		hi = max(hi, v)
	}
	for v := lo; v <= hi; v++ {
		if !enabled[v] {
			warn(fmt.Sprintf("tls-protocols %q has a gap: every version from %s to %s is enabled", strings.Join(names, " "), tls.VersionName(lo), tls.VersionName(hi)))
			break
		}
	}
	return lo, hi, nil
}

// opensslCiphers maps OpenSSL's names of the TLSv1.2-and-older suites that
// crypto/tls implements to their ids. tls-ciphers may also name a suite
// the IANA way (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256), as Go does.
var opensslCiphers = map[string]uint16{
	"ECDHE-ECDSA-AES128-GCM-SHA256": tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
	"ECDHE-RSA-AES128-GCM-SHA256":   tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	"ECDHE-ECDSA-AES256-GCM-SHA384": tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
	"ECDHE-RSA-AES256-GCM-SHA384":   tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
	"ECDHE-ECDSA-CHACHA20-POLY1305": tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
	"ECDHE-RSA-CHACHA20-POLY1305":   tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
	"ECDHE-ECDSA-AES128-SHA256":     tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
	"ECDHE-RSA-AES128-SHA256":       tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
	"ECDHE-ECDSA-AES128-SHA":        tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
	"ECDHE-RSA-AES128-SHA":          tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
	"ECDHE-ECDSA-AES256-SHA":        tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
	"ECDHE-RSA-AES256-SHA":          tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
	"ECDHE-RSA-DES-CBC3-SHA":        tls.TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA,
	"ECDHE-ECDSA-RC4-SHA":           tls.TLS_ECDHE_ECDSA_WITH_RC4_128_SHA,
	"ECDHE-RSA-RC4-SHA":             tls.TLS_ECDHE_RSA_WITH_RC4_128_SHA,
	"AES128-GCM-SHA256":             tls.TLS_RSA_WITH_AES_128_GCM_SHA256,
	"AES256-GCM-SHA384":             tls.TLS_RSA_WITH_AES_256_GCM_SHA384,
	"AES128-SHA256":                 tls.TLS_RSA_WITH_AES_128_CBC_SHA256,
	"AES128-SHA":                    tls.TLS_RSA_WITH_AES_128_CBC_SHA,
	"AES256-SHA":                    tls.TLS_RSA_WITH_AES_256_CBC_SHA,
	"DES-CBC3-SHA":                  tls.TLS_RSA_WITH_3DES_EDE_CBC_SHA,
	"RC4-SHA":                       tls.TLS_RSA_WITH_RC4_128_SHA,
}

// opensslCipherKeywords are the words of OpenSSL's cipher-list language
// that select a group of suites rather than one.
var opensslCipherKeywords = map[string]bool{
	"DEFAULT": true, "COMPLEMENTOFDEFAULT": true, "ALL": true, "COMPLEMENTOFALL": true,
	"HIGH": true, "MEDIUM": true, "LOW": true, "EXP": true, "EXPORT": true,
	"NULL": true, "ENULL": true, "ANULL": true, "SECLEVEL": true,
	"RSA": true, "KRSA": true, "ARSA": true, "ECDSA": true, "AECDSA": true,
	"ECDHE": true, "EECDH": true, "KECDHE": true, "ECDH": true, "DHE": true, "EDH": true, "KEDH": true, "KDHE": true,
	"AES": true, "AES128": true, "AES256": true, "AESGCM": true, "CHACHA20": true, "3DES": true, "RC4": true,
	"SHA": true, "SHA1": true, "SHA256": true, "SHA384": true, "TLSV1.2": true, "TLSV1": true, "SSLV3": true,
	"PSK": true, "SRP": true, "CAMELLIA": true, "ARIA": true, "CCM": true, "CCM8": true,
}

// parseTLSCiphers turns tls-ciphers into the suites Go offers for TLSv1.2
// and older. OpenSSL accepts a list as long as one entry matches, so do
// we: names crypto/tls lacks are dropped with a warning. A list written in
// OpenSSL's selection language (HIGH:!aNULL) cannot be evaluated here; Go's
// default suites are used instead, with a warning. Only a list where
// nothing is recognised fails, as it fails Redis.
func parseTLSCiphers(list string, warn func(string)) ([]uint16, error) {
	if strings.TrimSpace(list) == "" {
		return nil, nil
	}
	iana := map[string]uint16{}
	for _, cs := range append(tls.CipherSuites(), tls.InsecureCipherSuites()...) {
		iana[cs.Name] = cs.ID
	}
	var ids []uint16
	var dropped, expressions []string
	for _, tok := range strings.FieldsFunc(list, func(r rune) bool { return r == ':' || r == ',' || r == ' ' }) {
		word := strings.TrimLeft(tok, "!-+")
		id, known := opensslCiphers[word]
		if !known {
			id, known = iana[word]
		}
		switch {
		case known && word == tok:
			ids = append(ids, id)
		case known || word != tok || strings.ContainsAny(word, "+=@") ||
			opensslCipherKeywords[strings.ToUpper(word)]:
			expressions = append(expressions, tok)
		default:
			dropped = append(dropped, tok)
		}
	}
	switch {
	case len(expressions) > 0:
		warn(fmt.Sprintf("tls-ciphers %q uses OpenSSL's selection syntax, which crypto/tls cannot evaluate: Go's default TLSv1.2 suites are used", list))
		return nil, nil
	case len(ids) == 0:
		return nil, fmt.Errorf("server: tls: failed to configure ciphers: %s", list)
	case len(dropped) > 0:
		warn(fmt.Sprintf("tls-ciphers: crypto/tls does not implement %s; ignored", strings.Join(dropped, ", ")))
	}
	return ids, nil
}

// tls13Suites are the names OpenSSL accepts in tls-ciphersuites.
var tls13Suites = map[string]bool{
	"TLS_AES_128_GCM_SHA256":       true,
	"TLS_AES_256_GCM_SHA384":       true,
	"TLS_CHACHA20_POLY1305_SHA256": true,
	"TLS_AES_128_CCM_SHA256":       true,
	"TLS_AES_128_CCM_8_SHA256":     true,
}

// checkTLSCipherSuites validates tls-ciphersuites. crypto/tls always
// enables its three TLSv1.3 suites, so a valid list only earns a warning;
// a list without one known name fails, as OpenSSL rejects it.
func checkTLSCipherSuites(list string, warn func(string)) error {
	if strings.TrimSpace(list) == "" {
		return nil
	}
	for _, name := range strings.Split(list, ":") {
		if tls13Suites[strings.TrimSpace(name)] {
			warn(fmt.Sprintf("tls-ciphersuites %q is ignored: crypto/tls always offers all its TLSv1.3 suites", list))
			return nil
		}
	}
	return fmt.Errorf("server: tls: failed to configure ciphersuites: %s", list)
}

// OIDs of PKCS#5 v2 (PBES2) as OpenSSL 3 writes "ENCRYPTED PRIVATE KEY"
// blocks (openssl genpkey -aes256, openssl req -passout).
var (
	oidPBES2       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	oidHMACSHA1    = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7}
	oidHMACSHA224  = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 8}
	oidHMACSHA256  = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}
	oidHMACSHA384  = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 10}
	oidHMACSHA512  = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 11}
	oidAES128CBC   = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 2}
	oidAES192CBC   = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 22}
	oidAES256CBC   = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}
	oidDESEDE3CBC  = asn1.ObjectIdentifier{1, 2, 840, 113549, 3, 7}
	errBadKeyPass  = errors.New("bad passphrase or corrupt key")
	errNeedKeyPass = errors.New("the key is encrypted and tls-key-file-pass is empty")
)

type encryptedPrivateKeyInfo struct {
	Algo pkix.AlgorithmIdentifier
	Data []byte
}

type pbes2Params struct {
	KDF    pkix.AlgorithmIdentifier
	Cipher pkix.AlgorithmIdentifier
}

type pbkdf2Params struct {
	Salt   []byte
	Iter   int
	KeyLen int                      `asn1:"optional"`
	PRF    pkix.AlgorithmIdentifier `asn1:"optional"`
}

// decryptKeyPEM returns keyPEM with its private key in clear: unchanged
// when it is not encrypted, otherwise decrypted with pass and re-encoded
// as an unencrypted PKCS#8 block. Two encodings are understood: PKCS#8
// with PBES2 (PBKDF2 + AES-CBC or 3DES-CBC, OpenSSL 3's default) and the
// legacy "Proc-Type: 4,ENCRYPTED" PEM headers of older OpenSSL.
func decryptKeyPEM(keyPEM []byte, pass string) ([]byte, error) {
	rest := keyPEM
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			return keyPEM, nil // not ours to judge: X509KeyPair reports it
		}
		var der []byte
		var err error
		switch {
		case b.Type == "ENCRYPTED PRIVATE KEY":
			if pass == "" {
				return nil, errNeedKeyPass
			}
			der, err = decryptPKCS8(b.Bytes, pass)
		//lint:ignore SA1019 legacy encrypted keys are still in use
		case x509.IsEncryptedPEMBlock(b):
			if pass == "" {
				return nil, errNeedKeyPass
			}
			//lint:ignore SA1019 legacy encrypted keys are still in use
			der, err = x509.DecryptPEMBlock(b, []byte(pass))
			if err != nil {
				return nil, errBadKeyPass
			}
			der, err = legacyToPKCS8(b.Type, der)
		case strings.HasSuffix(b.Type, "PRIVATE KEY"):
			return keyPEM, nil
		default:
			continue
		}
		if err != nil {
			return nil, err
		}
		return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
	}
}

// legacyToPKCS8 re-encodes a decrypted "RSA PRIVATE KEY" or "EC PRIVATE
// KEY" body as PKCS#8, so one PEM type serves every key.
func legacyToPKCS8(typ string, der []byte) ([]byte, error) {
	var key any
	var err error
	switch typ {
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(der)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(der)
	default:
		key, err = x509.ParsePKCS8PrivateKey(der)
	}
	if err != nil {
		return nil, errBadKeyPass
	}
	return x509.MarshalPKCS8PrivateKey(key)
}

// decryptPKCS8 opens an EncryptedPrivateKeyInfo protected with PBES2.
func decryptPKCS8(der []byte, pass string) ([]byte, error) {
	var info encryptedPrivateKeyInfo
	if _, err := asn1.Unmarshal(der, &info); err != nil {
		return nil, fmt.Errorf("encrypted PKCS#8: %w", err)
	}
	if !info.Algo.Algorithm.Equal(oidPBES2) {
		return nil, fmt.Errorf("encrypted PKCS#8: unsupported scheme %v (only PBES2)", info.Algo.Algorithm)
	}
	var p pbes2Params
	if _, err := asn1.Unmarshal(info.Algo.Parameters.FullBytes, &p); err != nil {
		return nil, fmt.Errorf("encrypted PKCS#8: PBES2 parameters: %w", err)
	}
	if !p.KDF.Algorithm.Equal(oidPBKDF2) {
		return nil, fmt.Errorf("encrypted PKCS#8: unsupported key derivation %v (only PBKDF2)", p.KDF.Algorithm)
	}
	var kdf pbkdf2Params
	if _, err := asn1.Unmarshal(p.KDF.Parameters.FullBytes, &kdf); err != nil {
		return nil, fmt.Errorf("encrypted PKCS#8: PBKDF2 parameters: %w", err)
	}
	var newHash func() hash.Hash
	switch prf := kdf.PRF.Algorithm; {
	case len(prf) == 0 || prf.Equal(oidHMACSHA1):
		newHash = sha1.New
	case prf.Equal(oidHMACSHA224):
		newHash = sha256.New224
	case prf.Equal(oidHMACSHA256):
		newHash = sha256.New
	case prf.Equal(oidHMACSHA384):
		newHash = sha512.New384
	case prf.Equal(oidHMACSHA512):
		newHash = sha512.New
	default:
		return nil, fmt.Errorf("encrypted PKCS#8: unsupported PBKDF2 hash %v", prf)
	}
	var keyLen int
	var newCipher func([]byte) (cipher.Block, error)
	switch c := p.Cipher.Algorithm; {
	case c.Equal(oidAES128CBC):
		keyLen, newCipher = 16, aes.NewCipher
	case c.Equal(oidAES192CBC):
		keyLen, newCipher = 24, aes.NewCipher
	case c.Equal(oidAES256CBC):
		keyLen, newCipher = 32, aes.NewCipher
	case c.Equal(oidDESEDE3CBC):
		keyLen, newCipher = 24, des.NewTripleDESCipher
	default:
		return nil, fmt.Errorf("encrypted PKCS#8: unsupported cipher %v", c)
	}
	var iv []byte
	if _, err := asn1.Unmarshal(p.Cipher.Parameters.FullBytes, &iv); err != nil {
		return nil, fmt.Errorf("encrypted PKCS#8: cipher IV: %w", err)
	}
	if kdf.Iter <= 0 || kdf.Iter > 10_000_000 {
		return nil, fmt.Errorf("encrypted PKCS#8: implausible PBKDF2 iteration count %d", kdf.Iter)
	}
	key, err := pbkdf2.Key(newHash, pass, kdf.Salt, kdf.Iter, keyLen)
	if err != nil {
		return nil, fmt.Errorf("encrypted PKCS#8: %w", err)
	}
	block, err := newCipher(key)
	if err != nil {
		return nil, fmt.Errorf("encrypted PKCS#8: %w", err)
	}
	bs := block.BlockSize()
	if len(iv) != bs || len(info.Data) == 0 || len(info.Data)%bs != 0 {
		return nil, errors.New("encrypted PKCS#8: malformed ciphertext")
	}
	plain := make([]byte, len(info.Data))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(plain, info.Data)
	// A wrong passphrase shows as bad padding or as garbage DER.
	pad := int(plain[len(plain)-1])
	if pad == 0 || pad > bs {
		return nil, errBadKeyPass
	}
	for _, b := range plain[len(plain)-pad:] {
		if int(b) != pad {
			return nil, errBadKeyPass
		}
	}
	plain = plain[:len(plain)-pad]
	if _, err := x509.ParsePKCS8PrivateKey(plain); err != nil {
		return nil, errBadKeyPass
	}
	return plain, nil
}

// configureTLS loads the TLS configuration at startup and registers the
// CONFIG SET hooks that rebuild it, as Redis applies tls-* changes to the
// running server. A failed rebuild keeps the old configuration and fails
// the CONFIG SET (which then restores the old values).
func (s *Server) configureTLS() error {
	warn := func(msg string) { s.log.Warn(msg) }
	tc, err := buildTLSConfig(s.cfg, warn)
	if err != nil {
		return err
	}
	s.tlsConf.Store(tc)
	for _, name := range config.TLSParams() {
		s.cfg.OnChange(name, func(string) error {
			tc, err := buildTLSConfig(s.cfg, warn)
			if err != nil {
				s.log.Warn("failed applying new TLS configuration; restoring previous settings",
					"param", name, "err", err)
				return errTLSUpdate
			}
			s.tlsConf.Store(tc)
			return nil
		})
	}
	return nil
}

// handshakeTLS runs a client's TLS handshake on its own goroutine (so a
// slow client cannot stall accept) and admits the connection once it is
// secured. ctx ends when the listener closes, aborting pending handshakes
// at shutdown. Handshakes in flight are capped at maxclients (admit then
// applies maxclients to the secured connections): otherwise a flood of
// silent connections could exhaust the process's sockets.
func (s *Server) handshakeTLS(ctx context.Context, nc net.Conn) {
	if int(s.handshakes.Add(1)) > s.cfg.MaxClients() {
		s.handshakes.Add(-1)
		s.engine.ConnectionRejected()
		nc.Close()
		return
	}
	// newConn tunes only plain TCP sockets, so tune this one here.
	if tc, ok := nc.(*net.TCPConn); ok {
		if ka := s.cfg.TCPKeepAlive(); ka > 0 {
			tc.SetKeepAlive(true)
			tc.SetKeepAlivePeriod(ka)
		}
		tc.SetNoDelay(true)
	}
	go func() {
		defer s.handshakes.Add(-1)
		tc := tls.Server(nc, s.tlsConf.Load())
		hctx, cancel := context.WithTimeout(ctx, tlsHandshakeTimeout)
		err := tc.HandshakeContext(hctx)
		cancel()
		if err != nil {
			if ctx.Err() == nil { // at shutdown the abort is no news
				s.log.Warn("error accepting a client connection", "addr", nc.RemoteAddr().String(), "err", err)
			}
			nc.Close()
			return
		}
		s.admit(tc)
	}()
}
