// Package suite names the two cryptographic suites the service can write
// with and builds their primitives: SM (the national algorithms, SM4-GCM
// and HMAC-SM3 from github.com/emmansun/gmsm) and AES (AES-256-GCM and
// HMAC-SHA256 from the standard library). What was written under either
// stays readable whichever one new values use.
package suite

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"hash"

	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/sm4"
)

// Name is a suite: "sm" or "aes".
type Name string

// The suites. SM is the production default (GB/T 39786-2021).
const (
	SM  Name = "sm"
	AES Name = "aes"
)

// Parse reads IDCARD_CRYPTO; the empty string is SM. Any other value is an
// error that names the accepted ones.
func Parse(s string) (Name, error) {
	switch Name(s) {
	case "", SM:
		return SM, nil
	case AES:
		return AES, nil
	}
	return "", fmt.Errorf("IDCARD_CRYPTO: %q is neither sm nor aes", s)
}

// Hash returns the suite's hash constructor: SM3 or SHA-256 (both 256 bits).
func (n Name) Hash() func() hash.Hash {
	if n == SM {
		return sm3.New
	}
	return sha256.New
}

// MAC returns an HMAC under key with the suite's hash.
func (n Name) MAC(key []byte) hash.Hash { return hmac.New(n.Hash(), key) }

// MACName names the suite's keyed hash as stored beside a value it made:
// "hmac-sm3" or "hmac-sha256".
func (n Name) MACName() string {
	if n == SM {
		return "hmac-sm3"
	}
	return "hmac-sha256"
}

// CipherName names the suite's cipher as stored in a ciphertext: "sm4"
// (SM4-GCM) or "aes" (AES-256-GCM).
func (n Name) CipherName() string {
	if n == SM {
		return "sm4"
	}
	return "aes"
}

// AEAD returns the suite's GCM cipher for a 32-byte secret. AES-256 takes
// the secret as it is; SM4, a 128-bit cipher, takes the first 16 bytes of
// HMAC-SM3(secret, "idcard/sm4-key"), so one configured key serves both
// suites and the SM4 key reveals nothing of the AES one.
func (n Name) AEAD(secret []byte) (cipher.AEAD, error) {
	if len(secret) != 32 {
		return nil, fmt.Errorf("suite: a key must be 32 bytes, not %d", len(secret))
	}
	var blk cipher.Block
	var err error
	if n == SM {
		blk, err = sm4.NewCipher(Derive(SM, secret, "idcard/sm4-key")[:sm4.BlockSize])
	} else {
		blk, err = aes.NewCipher(secret)
	}
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(blk)
}

// Derive returns the suite's HMAC of label under key: a key for one use
// drawn from a key configured for another, which it does not reveal.
func Derive(n Name, key []byte, label string) []byte {
	m := n.MAC(key)
	m.Write([]byte(label))
	return m.Sum(nil)
}

// ByCipher returns the suite whose CipherName is s.
func ByCipher(s string) (Name, bool) {
	for _, n := range []Name{SM, AES} {
		if n.CipherName() == s {
			return n, true
		}
	}
	return "", false
}

// ByMAC returns the suite whose MACName is s.
func ByMAC(s string) (Name, bool) {
	for _, n := range []Name{SM, AES} {
		if n.MACName() == s {
			return n, true
		}
	}
	return "", false
}
