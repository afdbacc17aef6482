package pii

import (
	"testing"

	"github.com/gzga/idcard/backend/internal/domain"
)

// FuzzMasks checks every mask on any string: each character of the mask is
// an asterisk or the character in the same place among the first head or
// last tail ones, so no hidden character can show; the mask has the value's
// length (the address mask hides that too); an ID number masks the same way
// here and in domain. Nothing panics.
func FuzzMasks(f *testing.F) {
	for _, s := range []string{
		"52010219900101123X", "13800001234", "张三", "欧阳娜娜", "贵州省贵阳市南明区花果园", "", "a", "123456789",
		"1234567890", "\xff\xfe", "+86 138 0000 1234", "贵州省贵阳市", "****",
	} {
		f.Add(s)
	}
	masks := []struct {
		name       string
		mask       func(string) string
		head, tail int // characters that may stay visible at each end
		length     func(n int) int
	}{
		{"MaskIDNumber", MaskIDNumber, 6, 4, same},
		{"MaskPhone", MaskPhone, 3, 4, same},
		{"MaskName", MaskName, 1, 0, same},
		{"MaskAddress", MaskAddress, 6, 0, addressLength},
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := []rune(s)
		for _, m := range masks {
			got := []rune(m.mask(s))
			if len(got) != m.length(len(r)) {
				t.Fatalf("%s(%q) = %q: %d characters, want %d", m.name, s, string(got), len(got), m.length(len(r)))
			}
			for i, c := range got {
				head := i < m.head && i < len(r) && c == r[i]
				tail := len(got)-i <= m.tail && len(r)-(len(got)-i) >= 0 && c == r[len(r)-(len(got)-i)]
				if c != '*' && !head && !tail {
					t.Fatalf("%s(%q) = %q shows character %d", m.name, s, string(got), i)
				}
			}
		}
		if n, err := domain.ParseIDNumber(s); err == nil && MaskIDNumber(string(n)) != n.Masked() {
			t.Fatalf("MaskIDNumber(%q) = %q, domain masks it as %q", n, MaskIDNumber(string(n)), n.Masked())
		}
	})
}

// addressLength is the length of an address mask: six characters and four
// asterisks for anything longer than six.
func addressLength(n int) int {
	if n <= 6 {
		return n
	}
	return 10
}

// same is the length of a mask that keeps the value's length.
func same(n int) int { return n }
