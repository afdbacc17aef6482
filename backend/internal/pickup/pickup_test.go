package pickup

import (
	"bytes"
	"errors"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/suite"
)

var (
	testKey = bytes.Repeat([]byte{0x5a}, 32)
	t0      = time.Date(2026, 3, 2, 9, 30, 15, 500_000_000, time.UTC)
)

func newSigner(t testing.TB, key []byte) *Signer {
	t.Helper()
	s, err := NewSigner(suite.SM, key, 0)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestNewSigner(t *testing.T) {
	if _, err := NewSigner(suite.SM, testKey[:31], 0); err == nil {
		t.Error("a 31-byte key was accepted")
	}
	if _, err := NewSigner(suite.SM, testKey, -time.Hour); err == nil {
		t.Error("a negative lifetime was accepted")
	}
	if s := newSigner(t, testKey); s.TTL() != 24*time.Hour {
		t.Errorf("default TTL = %v", s.TTL())
	}
}

func TestRoundTrip(t *testing.T) {
	s := newSigner(t, testKey)
	for _, ids := range [][2]int64{{1, 1}, {123456, 52010201}, {1<<63 - 1, 1<<63 - 1}} {
		tok, exp, err := s.Issue(ids[0], ids[1], t0)
		if err != nil {
			t.Fatal(err)
		}
		if want := time.Unix(t0.Add(24*time.Hour).Unix(), 0); !exp.Equal(want) {
			t.Errorf("expiry %v, want %v", exp, want)
		}
		c, err := s.Verify(tok, t0.Add(24*time.Hour-time.Second))
		if err != nil {
			t.Fatalf("Verify(%q): %v", tok, err)
		}
		if c.CaseID != ids[0] || c.StationID != ids[1] || !c.ExpiresAt.Equal(exp) || len(c.Nonce) != 16 {
			t.Errorf("claims %+v for ids %v, expiry %v", c, ids, exp)
		}
	}
}

// TestSuites checks that tokens name their MAC: an SM signer issues
// version 2 (HMAC-SM3), an AES one version 1 (HMAC-SHA256), and each
// verifies the other's, so tokens issued before a change of IDCARD_CRYPTO
// still work at the window.
func TestSuites(t *testing.T) {
	sm := newSigner(t, testKey)
	aes, err := NewSigner(suite.AES, testKey, 0)
	if err != nil {
		t.Fatal(err)
	}
	ts, _, _ := sm.Issue(7, 9, t0)
	ta, _, _ := aes.Issue(7, 9, t0)
	if ts[0] != '2' || ta[0] != '1' {
		t.Fatalf("versions %q %q", ts[:1], ta[:1])
	}
	for _, c := range []struct {
		s   *Signer
		tok string
	}{{sm, ta}, {aes, ts}} {
		if cl, err := c.s.Verify(c.tok, t0); err != nil || cl.CaseID != 7 {
			t.Errorf("Verify(%q) = %+v, %v", c.tok, cl, err)
		}
	}
}

func TestIssueRefusesBadIDs(t *testing.T) {
	s := newSigner(t, testKey)
	for _, ids := range [][2]int64{{0, 1}, {1, 0}, {-5, 1}, {1, -5}} {
		if _, _, err := s.Issue(ids[0], ids[1], t0); err == nil {
			t.Errorf("Issue%v succeeded", ids)
		}
	}
}

func TestTamperedTokens(t *testing.T) {
	s := newSigner(t, testKey)
	tok, _, err := s.Issue(123456, 520102, t0)
	if err != nil {
		t.Fatal(err)
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ "
	for i := range len(tok) {
		for _, r := range []byte(alphabet) {
			if r == tok[i] {
				continue
			}
			bad := tok[:i] + string(r) + tok[i+1:]
			if _, err := s.Verify(bad, t0); !errors.Is(err, ErrInvalid) {
				t.Fatalf("byte %d set to %q: err = %v, want ErrInvalid", i, r, err)
			}
		}
	}
	for _, bad := range []string{"", "1", "1.", tok[:len(tok)-1], tok + "A", tok[1:], "3" + tok[1:], "1" + tok[1:], strings.Replace(tok, ".", "", 1),
		tok[:5] + "\n" + tok[5:], tok[:5] + "\r" + tok[5:]} { // the base64 decoder skips line breaks
		if _, err := s.Verify(bad, t0); !errors.Is(err, ErrInvalid) {
			t.Errorf("Verify(%q) = %v, want ErrInvalid", bad, err)
		}
	}
}

func TestOtherKey(t *testing.T) {
	tok, _, err := newSigner(t, testKey).Issue(7, 8, t0)
	if err != nil {
		t.Fatal(err)
	}
	other := newSigner(t, bytes.Repeat([]byte{0xa5}, 32))
	if _, err := other.Verify(tok, t0); !errors.Is(err, ErrInvalid) {
		t.Fatalf("err = %v, want ErrInvalid", err)
	}
}

func TestExpired(t *testing.T) {
	s, err := NewSigner(suite.SM, testKey, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	tok, exp, err := s.Issue(42, 9, t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Verify(tok, exp.Add(-time.Nanosecond)); err != nil {
		t.Fatalf("just before expiry: %v", err)
	}
	for _, now := range []time.Time{exp, exp.Add(time.Hour)} {
		c, err := s.Verify(tok, now)
		if !errors.Is(err, ErrExpired) {
			t.Fatalf("at %v: err = %v, want ErrExpired", now, err)
		}
		if c.CaseID != 42 || c.StationID != 9 || !c.ExpiresAt.Equal(exp) {
			t.Errorf("expired claims %+v", c)
		}
	}
}

func TestTokenShape(t *testing.T) {
	s := newSigner(t, testKey)
	// Ids below 2^35 and expiries before the year 3000 stay within 60
	// characters.
	tok, _, err := s.Issue(1<<35-1, 1<<35-1, time.Date(2999, 12, 31, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if len(tok) > 60 {
		t.Errorf("token %q is %d characters", tok, len(tok))
	}
	a, _, _ := s.Issue(123456, 520102, t0)
	b, _, _ := s.Issue(123456, 520102, t0)
	if a == b {
		t.Error("two issues for the same case gave the same token")
	}
	ca, _ := s.Verify(a, t0)
	cb, _ := s.Verify(b, t0)
	if ca.Nonce == cb.Nonce {
		t.Error("two issues share a nonce")
	}
	for _, tk := range []string{a, b} {
		if strings.Contains(tk, "123456") || strings.Trim(tk, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") != "" {
			t.Errorf("token %q is not opaque URL-safe text", tk)
		}
	}
}

func TestPNG(t *testing.T) {
	tok, _, err := newSigner(t, testKey).Issue(123456, 520102, t0)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ ask, want int }{{0, 512}, {256, 256}, {300, 300}} {
		b, err := PNG(tok, tc.ask)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if r := img.Bounds(); r.Dx() != tc.want || r.Dy() != tc.want {
			t.Errorf("size %d: image is %v", tc.ask, r)
		}
	}
	if _, err := PNG(tok, -1); err == nil {
		t.Error("a negative size was accepted")
	}
}
