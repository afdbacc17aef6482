package pii

import (
	"bytes"
	"strings"
	"testing"
)

func testBox(t testing.TB, keys ...Key) *Box {
	t.Helper()
	b, err := NewBox(keys, bytes.Repeat([]byte{7}, 32))
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
	if strings.Contains(sealed, "52010219900101123X") || !strings.HasPrefix(sealed, "v1:k1:") {
		t.Fatalf("sealed value %q", sealed)
	}
	// After rotation the new key encrypts and the old one still decrypts.
	rotated := testBox(t, k2, k1)
	got, err := rotated.Open("person.id_number", sealed)
	if err != nil || got != "52010219900101123X" {
		t.Fatalf("open after rotation: %q %v", got, err)
	}
	again, _ := rotated.Seal("person.id_number", "x")
	if !strings.HasPrefix(again, "v1:k2:") {
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
