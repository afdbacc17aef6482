package pickup

import (
	"errors"
	"testing"
	"time"

	"github.com/gzga/idcard/backend/internal/tamper"
)

// FuzzToken checks the signer on any ids, clock and edit: Issue refuses ids
// that are not positive; a token it issues verifies to its own claims until
// its expiry and as expired from then on; edited anywhere (a byte replaced,
// inserted or cut off), verified with another key or replaced by any other
// string it is ErrInvalid; nothing panics.
func FuzzToken(f *testing.F) {
	f.Add(int64(1), int64(1), int64(1767225600), uint(0), byte('2'), uint8(0), "1AQEAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA")
	f.Add(int64(1<<62), int64(520102), int64(0), uint(20), byte('\n'), uint8(1), "") // a line feed inserted into the payload once verified
	f.Add(int64(-1), int64(3), int64(-86400), uint(7), byte('.'), uint8(2), "1.")
	f.Add(int64(42), int64(0), int64(1<<40), uint(99), byte('A'), uint8(0), "2abc.def")
	signer := newSigner(f, testKey)
	other := newSigner(f, append([]byte("another key "), testKey...))
	f.Fuzz(func(t *testing.T, caseID, stationID, unix int64, pos uint, b byte, edit uint8, junk string) {
		now := time.Unix(unix, 0)
		if _, err := signer.Verify(junk, now); !errors.Is(err, ErrInvalid) {
			t.Fatalf("Verify(%q) = %v; want ErrInvalid", junk, err)
		}
		tok, exp, err := signer.Issue(caseID, stationID, now)
		if caseID <= 0 || stationID <= 0 {
			if err == nil {
				t.Fatalf("Issue(%d, %d) = %q; want refused", caseID, stationID, tok)
			}
			return
		}
		if err != nil {
			return // an expiry that is not after the epoch
		}
		c, err := signer.Verify(tok, exp.Add(-time.Second))
		if err != nil || c.CaseID != caseID || c.StationID != stationID || !c.ExpiresAt.Equal(exp) || len(c.Nonce) != 2*nonceLen {
			t.Fatalf("Verify(Issue(%d, %d)) = %+v, %v; want the claims, expiring %v", caseID, stationID, c, err, exp)
		}
		if late, err := signer.Verify(tok, exp); !errors.Is(err, ErrExpired) || late != c {
			t.Fatalf("Verify at the expiry = %+v, %v; want ErrExpired with the claims", late, err)
		}
		if _, err := other.Verify(tok, now); !errors.Is(err, ErrInvalid) {
			t.Fatalf("another key's Verify(%q) = %v; want ErrInvalid", tok, err)
		}
		if tampered := tamper.Edit(tok, pos, b, edit); tampered != tok {
			if c, err := signer.Verify(tampered, now); !errors.Is(err, ErrInvalid) {
				t.Fatalf("tampered %q (from %q) = %+v, %v; want ErrInvalid", tampered, tok, c, err)
			}
		}
	})
}
