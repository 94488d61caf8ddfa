package acl

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
)

// HashPassword returns the form passwords are stored in: SHA-256 as
// lower-case hex, as Redis stores them (and as "#<hash>" rules give them).
func HashPassword(pass string) string {
	sum := sha256.Sum256([]byte(pass))
	return hex.EncodeToString(sum[:])
}

func validHash(h string) bool {
	if len(h) != 64 {
		return false
	}
	for i := 0; i < len(h); i++ {
		if c := h[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// passwordMatches compares pass against the stored hashes without an
// early exit, so the time taken does not tell which bytes matched.
func (r *Rules) passwordMatches(pass []byte) bool {
	sum := sha256.Sum256(pass)
	var h [64]byte
	hex.Encode(h[:], sum[:])
	ok := 0
	for _, p := range r.passwords {
		ok |= subtle.ConstantTimeCompare(h[:], []byte(p))
	}
	return ok == 1
}

// MaxGenPassBits is the largest ACL GENPASS size.
const MaxGenPassBits = 4096

// GenPass returns bits/4 (rounded up) random hex characters.
func GenPass(bits int) string {
	chars := (bits + 3) / 4
	buf := make([]byte, (chars+1)/2)
	if _, err := rand.Read(buf); err != nil {
		panic("acl: no randomness: " + err.Error())
	}
	return hex.EncodeToString(buf)[:chars]
}
