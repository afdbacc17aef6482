package suite

import (
	"bytes"
	"encoding/hex"
	"testing"

	"github.com/emmansun/gmsm/sm4"
)

// TestKnownAnswers checks the national algorithms against the examples of
// their standards, so a library swapped for a wrong one fails here.
func TestKnownAnswers(t *testing.T) {
	h := SM.Hash()()
	h.Write([]byte("abc"))
	if got := hex.EncodeToString(h.Sum(nil)); got != "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0" {
		t.Fatalf("SM3(abc) = %s (GB/T 32905-2016 example 1)", got)
	}
	key, _ := hex.DecodeString("0123456789abcdeffedcba9876543210")
	blk, err := sm4.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]byte, 16)
	blk.Encrypt(out, key)
	if got := hex.EncodeToString(out); got != "681edf34d206965e86b3e94f536e4246" {
		t.Fatalf("SM4 = %s (GB/T 32907-2016 example 1)", got)
	}
}

// TestAEADsDiffer checks that each suite opens its own ciphertexts and not
// the other's, so a stored algorithm name is needed and honoured.
func TestAEADsDiffer(t *testing.T) {
	secret := bytes.Repeat([]byte{9}, 32)
	sm, err := SM.AEAD(secret)
	if err != nil {
		t.Fatal(err)
	}
	aes, err := AES.AEAD(secret)
	if err != nil {
		t.Fatal(err)
	}
	nonce := make([]byte, sm.NonceSize())
	ct := sm.Seal(nil, nonce, []byte("52010219900101123X"), nil)
	if _, err := aes.Open(nil, nonce, ct, nil); err == nil {
		t.Fatal("an SM4 ciphertext opened under AES")
	}
	if pt, err := sm.Open(nil, nonce, ct, nil); err != nil || string(pt) != "52010219900101123X" {
		t.Fatalf("SM4-GCM round trip: %q %v", pt, err)
	}
	if _, err := Parse("des"); err == nil {
		t.Fatal("Parse took an unknown suite")
	}
	if n, _ := Parse(""); n != SM {
		t.Fatalf("the default suite is %q, want sm", n)
	}
}
