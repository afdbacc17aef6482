// Package pickup issues and checks the signed, expiring tokens carried by
// the pickup QR code (docs/architecture.md), and draws that QR code as a PNG.
//
// A token is a version character, the unpadded base64url form of a
// compact payload, a dot, and the unpadded base64url form of a 128-bit
// truncated HMAC over the version and the payload. The version names the
// MAC: "2" HMAC-SM3 (IDCARD_CRYPTO=sm), "1" HMAC-SHA256 (aes); both verify,
// whichever the signer issues. The payload holds
// the case id, the station id, 8 random bytes (the nonce) and the expiry in
// unix seconds; the ids and the expiry are unsigned varints, so a token for
// realistic ids is about 50 characters long. The token never contains the
// case number.
//
// Verify is pure: the caller enforces single use (the case moves to
// collected and the spent nonce is recorded) and checks that the token is
// presented at its own station.
package pickup

import (
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gzga/idcard/backend/internal/suite"
)

// Sentinel errors returned by Verify.
var (
	// ErrInvalid means the token is malformed, has an unknown version or
	// carries a MAC that does not match.
	ErrInvalid = errors.New("pickup: invalid token")
	// ErrExpired means the token is authentic but its expiry has passed.
	ErrExpired = errors.New("pickup: token expired")
)

// DefaultTTL is the lifetime of a token when NewSigner is given zero.
const DefaultTTL = 24 * time.Hour

// MinKeyLen is the shortest HMAC key NewSigner accepts.
const MinKeyLen = 32

// versions maps a token's version character to the suite of its MAC.
var versions = map[string]suite.Name{"1": suite.AES, "2": suite.SM}

const (
	macLen   = 16 // bytes of the HMAC kept: 128 bits
	nonceLen = 8
	// maxPayload is the longest payload: three 10-byte varints and the nonce.
	maxPayload = 3*binary.MaxVarintLen64 + nonceLen
)

// macLabel separates pickup MACs from any other use of the same key.
var macLabel = []byte("idcard/pickup-token\x00")

var b64 = base64.RawURLEncoding.Strict()

// Signer issues and verifies pickup tokens with one HMAC key.
type Signer struct {
	version string
	key     []byte
	ttl     time.Duration
}

// Claims are the facts a valid token vouches for.
type Claims struct {
	CaseID    int64
	StationID int64
	// Nonce identifies this issue of a token (16 hex digits); the service
	// records it once spent.
	Nonce     string
	ExpiresAt time.Time
}

// NewSigner returns a Signer issuing tokens MACed under suite s with key, which must be at least MinKeyLen
// bytes, and giving tokens the lifetime ttl (DefaultTTL when ttl is zero).
func NewSigner(s suite.Name, key []byte, ttl time.Duration) (*Signer, error) {
	v := ""
	for k, n := range versions {
		if n == s {
			v = k
		}
	}
	if v == "" {
		return nil, fmt.Errorf("pickup: unknown suite %q", s)
	}
	if len(key) < MinKeyLen {
		return nil, fmt.Errorf("pickup: key is %d bytes, need at least %d", len(key), MinKeyLen)
	}
	if ttl < 0 {
		return nil, fmt.Errorf("pickup: negative token lifetime %v", ttl)
	}
	if ttl == 0 {
		ttl = DefaultTTL
	}
	if ttl < time.Second {
		return nil, fmt.Errorf("pickup: token lifetime %v is under a second", ttl)
	}
	return &Signer{version: v, key: append([]byte(nil), key...), ttl: ttl}, nil
}

// TTL returns the lifetime of the tokens the Signer issues.
func (s *Signer) TTL() time.Duration { return s.ttl }

// Issue returns a new token for the case and station, valid from now for
// the Signer's lifetime (the expiry is rounded down to the second), and
// that expiry. Each call draws a fresh nonce, so two tokens for the same
// case differ.
func (s *Signer) Issue(caseID, stationID int64, now time.Time) (token string, expiresAt time.Time, err error) {
	if caseID <= 0 || stationID <= 0 {
		return "", time.Time{}, fmt.Errorf("pickup: case id %d and station id %d must be positive", caseID, stationID)
	}
	exp := now.Add(s.ttl).Unix()
	if exp <= 0 {
		return "", time.Time{}, fmt.Errorf("pickup: expiry %d is not after the epoch", exp)
	}
	var nonce [nonceLen]byte
	if _, err := rand.Read(nonce[:]); err != nil {
		return "", time.Time{}, fmt.Errorf("pickup: nonce: %w", err)
	}
	p := make([]byte, 0, maxPayload)
	p = binary.AppendUvarint(p, uint64(caseID))
	p = binary.AppendUvarint(p, uint64(stationID))
	p = append(p, nonce[:]...)
	p = binary.AppendUvarint(p, uint64(exp))
	token = s.version + b64.EncodeToString(p) + "." + b64.EncodeToString(s.mac(s.version, p))
	return token, time.Unix(exp, 0), nil
}

// Verify checks token and returns its claims. It returns ErrInvalid for a
// malformed, unknown-version or forged token, and ErrExpired, together
// with the claims, for an authentic token whose expiry is not after now.
func (s *Signer) Verify(token string, now time.Time) (Claims, error) {
	if token == "" {
		return Claims{}, ErrInvalid
	}
	v, rest := token[:1], token[1:]
	if _, ok := versions[v]; !ok {
		return Claims{}, ErrInvalid
	}
	body, sig, ok := strings.Cut(rest, ".")
	if !ok || len(body) > b64.EncodedLen(maxPayload) || len(sig) != b64.EncodedLen(macLen) {
		return Claims{}, ErrInvalid
	}
	p, okP := decode(body)
	got, okS := decode(sig)
	if !okP || !okS || !hmac.Equal(got, s.mac(v, p)) {
		return Claims{}, ErrInvalid
	}
	c, ok := parse(p)
	if !ok {
		return Claims{}, ErrInvalid
	}
	if !now.Before(c.ExpiresAt) {
		return c, ErrExpired
	}
	return c, nil
}

// decode reads one base64url part of a token. The decoder skips CR and LF,
// so only the one encoding Issue writes is taken: a token with a line break
// put into it does not verify.
func decode(part string) ([]byte, bool) {
	p, err := b64.DecodeString(part)
	return p, err == nil && b64.EncodeToString(p) == part
}

// mac returns the truncated HMAC of version v and payload p, under the
// suite v names.
func (s *Signer) mac(v string, p []byte) []byte {
	m := versions[v].MAC(s.key)
	m.Write(macLabel)
	m.Write([]byte(v))
	m.Write(p)
	return m.Sum(nil)[:macLen]
}

// parse decodes an authenticated payload, refusing trailing bytes and
// values out of range.
func parse(p []byte) (Claims, bool) {
	caseID, n := binary.Uvarint(p)
	if n <= 0 {
		return Claims{}, false
	}
	p = p[n:]
	stationID, n := binary.Uvarint(p)
	if n <= 0 || len(p[n:]) < nonceLen {
		return Claims{}, false
	}
	p = p[n:]
	nonce := p[:nonceLen]
	p = p[nonceLen:]
	exp, n := binary.Uvarint(p)
	if n <= 0 || n != len(p) {
		return Claims{}, false
	}
	const maxInt64 = 1<<63 - 1
	if caseID == 0 || caseID > maxInt64 || stationID == 0 || stationID > maxInt64 || exp == 0 || exp > maxInt64 {
		return Claims{}, false
	}
	return Claims{
		CaseID:    int64(caseID),
		StationID: int64(stationID),
		Nonce:     hex.EncodeToString(nonce),
		ExpiresAt: time.Unix(int64(exp), 0),
	}, true
}
