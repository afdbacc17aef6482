// Package twofactor is the staff second factor: TOTP (RFC 6238, 6 digits,
// 30-second steps, HMAC-SHA1 as every authenticator app computes it) from
// github.com/pquerna/otp, and the QR code an app scans to enrol.
package twofactor

import (
	"crypto/subtle"
	"encoding/base32"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"github.com/skip2/go-qrcode"
)

// Issuer names the service in the authenticator app.
const Issuer = "贵州身份证网上办理"

// opts are the parameters of every code: the authenticator apps' defaults,
// with one step of clock drift either side.
var opts = totp.ValidateOpts{Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// Enrolment is a new secret (base32) and the otpauth:// URL that carries it
// to an app.
type Enrolment struct {
	Secret string `json:"secret"`
	URL    string `json:"otpauth_url"`
}

// New draws a fresh 160-bit secret for account.
func New(account string) (Enrolment, error) {
	k, err := totp.Generate(totp.GenerateOpts{Issuer: Issuer, AccountName: account, Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return Enrolment{}, err
	}
	return Enrolment{Secret: k.Secret(), URL: k.URL()}, nil
}

// URL is the otpauth:// URL of an existing secret.
func URL(account, secret string) string {
	raw := mustDecode(secret)
	if len(raw) == 0 {
		return ""
	}
	k, err := totp.Generate(totp.GenerateOpts{Issuer: Issuer, AccountName: account, Secret: raw,
		Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return ""
	}
	return k.URL()
}

// Valid reports whether code is the secret's code at now or one step away.
func Valid(code, secret string, now time.Time) bool {
	_, ok := Step(code, secret, now)
	return ok
}

// Step reports which 30-second time step (counted from the Unix epoch)
// code belongs to when it is the secret's code at now or one step away, so
// that a caller can refuse a code whose step was accepted already.
func Step(code, secret string, now time.Time) (int64, bool) {
	if len(code) != 6 {
		return 0, false
	}
	step := now.Unix() / int64(opts.Period)
	for d := -int64(opts.Skew); d <= int64(opts.Skew); d++ {
		at := time.Unix((step+d)*int64(opts.Period), 0)
		want, err := totp.GenerateCodeCustom(secret, at, opts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step + d, true
		}
	}
	return 0, false
}

// Code is the secret's code at t (for tests and the demo).
func Code(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, opts)
}

// QR draws url as a PNG QR code.
func QR(url string) ([]byte, error) { return qrcode.Encode(url, qrcode.Medium, 256) }

// mustDecode reads a base32 secret as New writes it (no padding); a bad
// one decodes to nothing, which Generate replaces with a random secret, so
// URL answers "" for it (checked by the caller's confirmation anyway).
func mustDecode(secret string) []byte {
	b, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(strings.TrimRight(secret, "=")))
	if err != nil {
		return nil
	}
	return b
}
