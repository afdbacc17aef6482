package wechatpay

import (
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
)

// The signatures of WeChat Pay API v3: SHA256 with RSA (PKCS #1 v1.5) over
// lines each ending in "\n", base64 in the headers.

// SignLines signs the lines as WeChat Pay v3 does: each line followed by
// "\n", SHA-256, RSA PKCS #1 v1.5, base64.
func SignLines(key *rsa.PrivateKey, lines ...string) (string, error) {
	sum := sha256.Sum256([]byte(joinLines(lines...)))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(sig), nil
}

// VerifyLines checks a signature made by SignLines.
func VerifyLines(key *rsa.PublicKey, signature string, lines ...string) error {
	sig, err := base64.StdEncoding.DecodeString(signature)
	if err != nil {
		return err
	}
	sum := sha256.Sum256([]byte(joinLines(lines...)))
	return rsa.VerifyPKCS1v15(key, crypto.SHA256, sum[:], sig)
}

func joinLines(lines ...string) string {
	n := 0
	for _, l := range lines {
		n += len(l) + 1
	}
	b := make([]byte, 0, n)
	for _, l := range lines {
		b = append(append(b, l...), '\n')
	}
	return string(b)
}

// Nonce returns a random 32-character string.
func Nonce() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Decrypt opens an AEAD_AES_256_GCM resource with the APIv3 key: base64
// ciphertext with its 16-byte tag at the end, the resource's nonce and
// associated data.
func Decrypt(apiV3Key []byte, ciphertext, nonce, associated string) ([]byte, error) {
	raw, err := base64.StdEncoding.DecodeString(ciphertext)
	if err != nil {
		return nil, err
	}
	gcm, err := newGCM(apiV3Key)
	if err != nil {
		return nil, err
	}
	if len(nonce) != gcm.NonceSize() {
		return nil, errors.New("wechatpay: nonce is not 12 bytes")
	}
	return gcm.Open(nil, []byte(nonce), raw, []byte(associated))
}

// Encrypt is Decrypt's inverse, for the test fake.
func Encrypt(apiV3Key, plain []byte, nonce, associated string) (string, error) {
	gcm, err := newGCM(apiV3Key)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(gcm.Seal(nil, []byte(nonce), plain, []byte(associated))), nil
}

func newGCM(key []byte) (cipher.AEAD, error) {
	if len(key) != 32 {
		return nil, errors.New("wechatpay: the APIv3 key must be 32 bytes")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// ParsePrivateKey reads a PEM RSA private key (PKCS #8, as the merchant
// platform issues apiclient_key.pem, or PKCS #1).
func ParsePrivateKey(pemText string) (*rsa.PrivateKey, error) {
	b, _ := pem.Decode([]byte(pemText))
	if b == nil {
		return nil, errors.New("not PEM")
	}
	if k, err := x509.ParsePKCS8PrivateKey(b.Bytes); err == nil {
		if rk, ok := k.(*rsa.PrivateKey); ok {
			return rk, nil
		}
		return nil, errors.New("not an RSA key")
	}
	return x509.ParsePKCS1PrivateKey(b.Bytes)
}

// ParsePublicKey reads the platform's PEM public key (the WeChat Pay
// public key, PKIX) or a platform certificate.
func ParsePublicKey(pemText string) (*rsa.PublicKey, error) {
	b, _ := pem.Decode([]byte(pemText))
	if b == nil {
		return nil, errors.New("not PEM")
	}
	var k any
	var err error
	if b.Type == "CERTIFICATE" {
		var c *x509.Certificate
		if c, err = x509.ParseCertificate(b.Bytes); err == nil {
			k = c.PublicKey
		}
	} else {
		k, err = x509.ParsePKIXPublicKey(b.Bytes)
	}
	if err != nil {
		return nil, err
	}
	rk, ok := k.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("not an RSA public key")
	}
	return rk, nil
}
