package domain

import "testing"

// FuzzParseIDNumber checks ParseIDNumber on any input: it never panics, it
// refuses with INVALID_ID_NUMBER and a message, and what it accepts is an
// 18-character number with a correct check character and a real birth date
// that parses to itself, that no other check character would make valid, and
// whose mask hides the birth date and sequence. Conversely, 17 digits with a
// known province and a real date, completed with their check character, are
// accepted.
func FuzzParseIDNumber(f *testing.F) {
	for _, s := range []string{
		"52010219900101123X", "52010219900101123x", " 520103198506150026 ", "520302 19580320 0019",
		"11010519491231002X", "\t810000199001010019\n", "", "52010219900101123", "52010219900101123X1",
		"５２010219900101123X", "5201021990010112AX", "52010219900101123Y", "00010219900101123X",
		"520102199002301234", "520102189912311234", "520102199001011230", "520102200002290011",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseIDNumber(s)
		if err != nil {
			if ErrorCode(err) != CodeInvalidIDNumber || ErrorMessage(err) == "" {
				t.Fatalf("ParseIDNumber(%q) = %v; want INVALID_ID_NUMBER with a message", s, err)
			}
		} else {
			checkIDNumber(t, n)
		}
		completed, ok := withCheckDigit(s)
		if !ok {
			return
		}
		_, err = ParseIDNumber(completed)
		if want := validProvince(completed[:2]) && validBirth(completed[6:14]); (err == nil) != want {
			t.Fatalf("ParseIDNumber(%q) = %v; want accepted %v (province and birth date)", completed, err, want)
		}
	})
}

// checkIDNumber asserts the invariants of an accepted number.
func checkIDNumber(t *testing.T, n IDNumber) {
	t.Helper()
	s := string(n)
	if len(s) != 18 || IDCheckDigit(s[:17]) != s[17] {
		t.Fatalf("accepted %q: want 18 characters ending in check character %q", s, IDCheckDigit(s[:17]))
	}
	if again, err := ParseIDNumber(s); err != nil || again != n {
		t.Fatalf("ParseIDNumber(%q) again = %q, %v; want itself", s, again, err)
	}
	b := n.BirthDate()
	if b.IsZero() || b.Year() < 1900 || b.Format("20060102") != s[6:14] || b.Location() != cst {
		t.Fatalf("%q.BirthDate() = %v; want digits 7–14 as a date in CST", s, b)
	}
	if n.DivisionCode() != s[:6] || n.Male() != ((s[16]-'0')%2 == 1) {
		t.Fatalf("%q: division %q, male %v", s, n.DivisionCode(), n.Male())
	}
	if m := n.Masked(); m != s[:6]+"********"+s[14:] {
		t.Fatalf("%q.Masked() = %q; want birth date and sequence hidden", s, m)
	}
	for _, c := range []byte(idCheckChars) {
		if other := s[:17] + string(c); c != s[17] {
			if _, err := ParseIDNumber(other); err == nil {
				t.Fatalf("ParseIDNumber(%q) accepted a second check character beside %q", other, s)
			}
		}
	}
}

// withCheckDigit turns an input whose first 17 bytes are digits into those
// digits followed by their check character.
func withCheckDigit(s string) (string, bool) {
	if len(s) < 17 {
		return "", false
	}
	c := IDCheckDigit(s[:17])
	return s[:17] + string(c), c != 0
}

// validBirth reports whether yyyymmdd is a birth date ParseIDNumber takes.
func validBirth(s string) bool {
	_, ok := parseBirth(s)
	return ok
}
