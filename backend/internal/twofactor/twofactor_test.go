package twofactor

import (
	"strings"
	"testing"
	"time"
)

// TestRFC6238 checks the codes against the RFC's own test vector (SHA-1,
// the ASCII secret "12345678901234567890", 59 s → 94287082, 6 digits:
// 287082), so an app computing the standard way agrees with the server.
func TestRFC6238(t *testing.T) {
	const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" // base32 of 12345678901234567890
	at := time.Unix(59, 0)
	if c, err := Code(secret, at); err != nil || c != "287082" {
		t.Fatalf("code at 59 s = %q, %v", c, err)
	}
	if !Valid("287082", secret, at) || !Valid("287082", secret, at.Add(30*time.Second)) {
		t.Fatal("the code or a step's drift is refused")
	}
	if Valid("287082", secret, at.Add(90*time.Second)) || Valid("28708", secret, at) || Valid("", secret, at) {
		t.Fatal("a stale or short code passed")
	}
	e, err := New("admin")
	if err != nil || len(e.Secret) < 32 || !strings.HasPrefix(e.URL, "otpauth://totp/") {
		t.Fatalf("New = %+v, %v", e, err)
	}
	if u := URL("admin", e.Secret); !strings.Contains(u, "secret="+e.Secret) {
		t.Fatalf("URL = %q", u)
	}
	if png, err := QR(e.URL); err != nil || len(png) < 100 {
		t.Fatalf("QR: %d bytes, %v", len(png), err)
	}
}
