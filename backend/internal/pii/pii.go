// Package pii protects personal data at rest: AES-256-GCM encryption with a
// key id in every value (so keys can rotate), an HMAC blind index for exact
// look-ups, and the masking every presenter uses.
package pii

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Key is one AES-256 key and the id stored beside every value it encrypts.
type Key struct {
	ID     string
	Secret []byte // 32 bytes
}

// Box encrypts with the first key and decrypts with any key it holds. It is
// immutable and safe for concurrent use.
type Box struct {
	current string
	aeads   map[string]cipher.AEAD
	index   []byte
}

// ErrCorrupt is returned for a value that cannot be decrypted.
var ErrCorrupt = errors.New("pii: value cannot be decrypted")

// NewBox builds a Box from the keys (the first one encrypts) and the HMAC key
// of the blind index.
func NewBox(keys []Key, indexKey []byte) (*Box, error) {
	if len(keys) == 0 {
		return nil, errors.New("pii: no encryption key")
	}
	if len(indexKey) < 32 {
		return nil, errors.New("pii: the index key must be at least 32 bytes")
	}
	b := &Box{current: keys[0].ID, aeads: map[string]cipher.AEAD{}, index: indexKey}
	for _, k := range keys {
		if k.ID == "" || strings.ContainsAny(k.ID, ":,") {
			return nil, fmt.Errorf("pii: bad key id %q", k.ID)
		}
		if len(k.Secret) != 32 {
			return nil, fmt.Errorf("pii: key %s must be 32 bytes", k.ID)
		}
		blk, err := aes.NewCipher(k.Secret)
		if err != nil {
			return nil, err
		}
		aead, err := cipher.NewGCM(blk)
		if err != nil {
			return nil, err
		}
		b.aeads[k.ID] = aead
	}
	return b, nil
}

// Seal encrypts plain for one purpose (such as "person.id_number"); the
// purpose is authenticated, so a value copied into another column does not
// decrypt. The result is "v1:<key id>:<base64>".
func (b *Box) Seal(purpose, plain string) (string, error) {
	aead := b.aeads[b.current]
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	ct := aead.Seal(nonce, nonce, []byte(plain), []byte(purpose))
	return "v1:" + b.current + ":" + base64.RawStdEncoding.EncodeToString(ct), nil
}

// Open decrypts a value made by Seal with the same purpose.
func (b *Box) Open(purpose, sealed string) (string, error) {
	parts := strings.SplitN(sealed, ":", 3)
	if len(parts) != 3 || parts[0] != "v1" {
		return "", ErrCorrupt
	}
	aead, ok := b.aeads[parts[1]]
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

// Index is the blind index of a value for one purpose: hex HMAC-SHA256. Equal
// inputs give equal indexes, so a unique column can hold it.
func (b *Box) Index(purpose, plain string) string {
	m := hmac.New(sha256.New, b.index)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(plain))
	return hex.EncodeToString(m.Sum(nil))
}
