// Package pii protects personal data at rest: authenticated encryption
// (SM4-GCM or AES-256-GCM, internal/suite) with the algorithm and key id in
// every value (so algorithms and keys can rotate), an HMAC blind index
// (HMAC-SM3 or HMAC-SHA256) for exact look-ups, and the masking every
// presenter uses.
package pii

import (
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/gzga/idcard/backend/internal/suite"
)

// Key is one 32-byte secret and the id stored beside every value it
// encrypts. Either suite encrypts with it (internal/suite.Name.AEAD).
type Key struct {
	ID     string
	Secret []byte // 32 bytes
}

// legacyTag starts the values written before the suites had names: AES-256-GCM.
const legacyTag = "v1"

// Box encrypts with the first key under its suite and decrypts any value
// made with any key it holds under either suite. It is immutable and safe
// for concurrent use.
type Box struct {
	suite   suite.Name
	current string
	aeads   map[string]cipher.AEAD // by "<cipher>:<key id>"
	index   []byte
}

// ErrCorrupt is returned for a value that cannot be decrypted.
var ErrCorrupt = errors.New("pii: value cannot be decrypted")

// NewBox builds a Box that writes with suite s, from the keys (the first one
// encrypts) and the HMAC key of the blind index.
func NewBox(s suite.Name, keys []Key, indexKey []byte) (*Box, error) {
	if s != suite.SM && s != suite.AES {
		return nil, fmt.Errorf("pii: unknown suite %q", s)
	}
	if len(keys) == 0 {
		return nil, errors.New("pii: no encryption key")
	}
	if len(indexKey) < 32 {
		return nil, errors.New("pii: the index key must be at least 32 bytes")
	}
	b := &Box{suite: s, current: keys[0].ID, aeads: map[string]cipher.AEAD{}, index: indexKey}
	for _, k := range keys {
		if k.ID == "" || k.ID == legacyTag || strings.ContainsAny(k.ID, ":,") {
			return nil, fmt.Errorf("pii: bad key id %q", k.ID)
		}
		if len(k.Secret) != 32 {
			return nil, fmt.Errorf("pii: key %s must be 32 bytes", k.ID)
		}
		for _, n := range []suite.Name{suite.SM, suite.AES} {
			aead, err := n.AEAD(k.Secret)
			if err != nil {
				return nil, err
			}
			b.aeads[n.CipherName()+":"+k.ID] = aead
		}
	}
	return b, nil
}

// Suite names the suite new values are written with.
func (b *Box) Suite() suite.Name { return b.suite }

// Prefix is how every value the box writes now begins: "<cipher>:<key id>:"
// (such as "sm4:k1:"). A value that begins otherwise is due for rotation.
func (b *Box) Prefix() string { return b.suite.CipherName() + ":" + b.current + ":" }

// Seal encrypts plain for one purpose (such as "person.id_number"); the
// purpose is authenticated, so a value copied into another column does not
// decrypt. The result is "<cipher>:<key id>:<base64>", cipher "sm4" or "aes".
func (b *Box) Seal(purpose, plain string) (string, error) {
	aead := b.aeads[b.suite.CipherName()+":"+b.current]
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	ct := aead.Seal(nonce, nonce, []byte(plain), []byte(purpose))
	return b.Prefix() + base64.RawStdEncoding.EncodeToString(ct), nil
}

// Open decrypts a value made by Seal with the same purpose, under either
// suite and any key the box holds; the values written before suites had
// names ("v1:<key id>:...") are AES-256-GCM.
func (b *Box) Open(purpose, sealed string) (string, error) {
	parts := strings.SplitN(sealed, ":", 3)
	if len(parts) != 3 {
		return "", ErrCorrupt
	}
	alg := parts[0]
	if alg == legacyTag {
		alg = suite.AES.CipherName()
	} else if _, ok := suite.ByCipher(alg); !ok {
		return "", ErrCorrupt
	}
	aead, ok := b.aeads[alg+":"+parts[1]]
	if !ok {
		return "", fmt.Errorf("pii: unknown key id %q", parts[1])
	}
	raw, err := base64.RawStdEncoding.DecodeString(parts[2])
	// The decoder skips CR and LF and ignores the last character's spare
	// bits, so only the one encoding Seal writes is taken: an edited value
	// never opens.
	if err != nil || len(raw) < aead.NonceSize() || base64.RawStdEncoding.EncodeToString(raw) != parts[2] {
		return "", ErrCorrupt
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], []byte(purpose))
	if err != nil {
		return "", ErrCorrupt
	}
	return string(plain), nil
}

// Index is the blind index of a value for one purpose under the box's
// suite: hex HMAC-SM3 or HMAC-SHA256 (64 digits either way). Equal inputs
// give equal indexes, so a unique column can hold it.
func (b *Box) Index(purpose, plain string) string { return index(b.suite, b.index, purpose, plain) }

// Indexes are the blind indexes a stored row of this value may carry: the
// current suite's first, then the other's (a row written before a change of
// IDCARD_CRYPTO and not yet rotated). Look-ups match any of them.
func (b *Box) Indexes(purpose, plain string) []string {
	other := suite.AES
	if b.suite == suite.AES {
		other = suite.SM
	}
	return []string{b.Index(purpose, plain), index(other, b.index, purpose, plain)}
}

// ChainKey is the key of the audit chain's keyed hash under suite s, drawn
// from the index key under a label of its own.
func (b *Box) ChainKey(s suite.Name) []byte { return suite.Derive(s, b.index, "idcard/audit-chain") }

func index(s suite.Name, key []byte, purpose, plain string) string {
	m := s.MAC(key)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(plain))
	return hex.EncodeToString(m.Sum(nil))
}
