package pii

import (
	"bytes"
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/tamper"
)

// FuzzBox checks the box on any purpose, value and edit: a sealed value
// names its key, opens to the value under its purpose and under no other,
// and, edited anywhere (a byte replaced, inserted or cut off), never opens;
// any string that Seal did not make never opens; nothing panics.
func FuzzBox(f *testing.F) {
	for _, s := range []struct {
		purpose, plain string
		pos            uint
		b              byte
		edit           uint8
	}{
		{"person.id_number", "52010219900101123X", 0, 'v', 0},
		{"applicant.phone", "13800001234", 7, 'A', 1},
		{"mail.address", "贵州省贵阳市南明区", 1000, 0, 2},
		{"", "", 5, '2', 0},
		{"x", "v1:k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 3, ':', 1},
	} {
		f.Add(s.purpose, s.plain, s.pos, s.b, s.edit)
	}
	box := testBox(f, Key{ID: "k1", Secret: bytes.Repeat([]byte{1}, 32)}, Key{ID: "k2", Secret: bytes.Repeat([]byte{2}, 32)})
	f.Fuzz(func(t *testing.T, purpose, plain string, pos uint, b byte, edit uint8) {
		sealed, err := box.Seal(purpose, plain)
		if err != nil || !strings.HasPrefix(sealed, "sm4:k1:") {
			t.Fatalf("Seal(%q, %q) = %q, %v", purpose, plain, sealed, err)
		}
		if got, err := box.Open(purpose, sealed); err != nil || got != plain {
			t.Fatalf("Open(Seal(%q)) = %q, %v", plain, got, err)
		}
		if got, err := box.Open(purpose+"\x00", sealed); err == nil {
			t.Fatalf("a value sealed for %q opened for another purpose as %q", purpose, got)
		}
		if tampered := tamper.Edit(sealed, pos, b, edit); tampered != sealed {
			if got, err := box.Open(purpose, tampered); err == nil {
				t.Fatalf("tampered %q (from %q) opened as %q", tampered, sealed, got)
			}
		}
		if got, err := box.Open(purpose, plain); err == nil {
			t.Fatalf("Open of an unsealed string %q gave %q", plain, got)
		}
	})
}
