package pii

import (
	"bytes"
	"strings"
	"testing"

	"github.com/gzga/idcard/backend/internal/suite"
)

func testBox(t testing.TB, keys ...Key) *Box {
	t.Helper()
	b, err := NewBox(suite.SM, keys, bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSealOpen(t *testing.T) {
	k1 := Key{ID: "k1", Secret: bytes.Repeat([]byte{1}, 32)}
	k2 := Key{ID: "k2", Secret: bytes.Repeat([]byte{2}, 32)}
	old := testBox(t, k1)
	sealed, err := old.Seal("person.id_number", "52010219900101123X")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, "52010219900101123X") || !strings.HasPrefix(sealed, "sm4:k1:") {
		t.Fatalf("sealed value %q", sealed)
	}
	// After rotation the new key encrypts and the old one still decrypts.
	rotated := testBox(t, k2, k1)
	got, err := rotated.Open("person.id_number", sealed)
	if err != nil || got != "52010219900101123X" {
		t.Fatalf("open after rotation: %q %v", got, err)
	}
	again, _ := rotated.Seal("person.id_number", "x")
	if !strings.HasPrefix(again, "sm4:k2:") {
		t.Fatalf("rotated box seals with %q", again)
	}
	if _, err := rotated.Open("applicant.phone", sealed); err == nil {
		t.Fatal("a value opened under another purpose")
	}
	if _, err := rotated.Open("person.id_number", sealed[:len(sealed)-2]+"AA"); err == nil {
		t.Fatal("a tampered value opened")
	}
	for _, edited := range []string{sealed[:10] + "\r" + sealed[10:], sealed + "\n"} { // the base64 decoder skips line breaks
		if _, err := rotated.Open("person.id_number", edited); err == nil {
			t.Fatalf("%q opened", edited)
		}
	}
	if _, err := testBox(t, k2).Open("person.id_number", sealed); err == nil {
		t.Fatal("opened without the key")
	}
}

// TestSuitesReadEachOther checks crypto agility: a box writing SM4 opens the
// values written before suites had names (v1, AES-256-GCM) and AES values,
// a box writing AES opens SM4 values, and every value names its algorithm.
func TestSuitesReadEachOther(t *testing.T) {
	k1 := Key{ID: "k1", Secret: bytes.Repeat([]byte{1}, 32)}
	sm := testBox(t, k1)
	aes, err := NewBox(suite.AES, []Key{k1}, bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := aes.Seal("p", "13800001234")
	s, _ := sm.Seal("p", "13800001234")
	if !strings.HasPrefix(a, "aes:k1:") || !strings.HasPrefix(s, "sm4:k1:") {
		t.Fatalf("values do not name their algorithm: %q %q", a, s)
	}
	legacy := "v1:" + strings.TrimPrefix(a, "aes:") // how values were written before
	for _, c := range []struct {
		box *Box
		v   string
	}{{sm, a}, {sm, legacy}, {sm, s}, {aes, s}, {aes, legacy}} {
		if got, err := c.box.Open("p", c.v); err != nil || got != "13800001234" {
			t.Errorf("%s box opening %q: %q %v", c.box.Suite(), c.v, got, err)
		}
	}
	if _, err := sm.Open("p", "sm4:"+strings.TrimPrefix(a, "aes:")); err == nil {
		t.Fatal("an AES ciphertext relabelled SM4 opened")
	}
	if sm.Index("p", "x") == aes.Index("p", "x") {
		t.Fatal("the suites share a blind index")
	}
	if got := sm.Indexes("p", "x"); len(got) != 2 || got[0] != sm.Index("p", "x") || got[1] != aes.Index("p", "x") {
		t.Fatalf("Indexes = %v", got)
	}
}

func TestIndex(t *testing.T) {
	b := testBox(t, Key{ID: "k1", Secret: bytes.Repeat([]byte{1}, 32)})
	a1, a2 := b.Index("id", "52010219900101123X"), b.Index("id", "52010219900101123X")
	if a1 != a2 || len(a1) != 64 {
		t.Fatalf("index not stable: %s %s", a1, a2)
	}
	if b.Index("id", "520103198506150026") == a1 || b.Index("phone", "52010219900101123X") == a1 {
		t.Fatal("index collides across values or purposes")
	}
}

func TestMasks(t *testing.T) {
	cases := []struct{ got, want string }{
		{MaskIDNumber("52010219900101123X"), "520102********123X"},
		{MaskPhone("13812341234"), "138****1234"},
		{MaskName("张三"), "张*"},
		{MaskName("欧阳小明"), "欧***"},
		{MaskAddress("贵州省贵阳市南明区中华南路1号"), "贵州省贵阳市****"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
