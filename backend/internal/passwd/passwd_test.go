package passwd

import (
	"strings"
	"testing"
)

func TestHashVerify(t *testing.T) {
	h, err := Hash("demo1234", Default())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q", h)
	}
	if ok, err := Verify("demo1234", h); !ok || err != nil {
		t.Fatalf("right password refused: %v", err)
	}
	if ok, _ := Verify("demo12345", h); ok {
		t.Fatal("wrong password accepted")
	}
	h2, _ := Hash("demo1234", Default())
	if h2 == h {
		t.Fatal("two hashes share a salt")
	}
	if _, err := Verify("x", "$2a$10$bcrypt"); err != ErrMalformed {
		t.Fatalf("malformed hash: %v", err)
	}
}
