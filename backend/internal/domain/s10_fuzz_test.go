package domain

import (
	"strconv"
	"testing"
)

// FuzzParseTrackingNo checks ParseTrackingNo on any input: it never panics,
// it refuses with INVALID_TRACKING_NO and a message, and what it accepts is
// 13 characters that parse to themselves, that MakeS10 rebuilds from their
// parts, and that no other check digit would make valid. Conversely, two
// letters, 8 digits and two letters with the check digit MakeS10 computes
// are accepted.
func FuzzParseTrackingNo(f *testing.F) {
	for _, s := range []string{
		"EA123456785CN", "ea123456785cn", " EA 1234 5678 5 CN ", "EA123456784CN", "EA12345678CN",
		"E1123456785CN", "EA123456785C1", "", "RR000000005CN", "ＥA123456785CN", "EA123456785CNX",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseTrackingNo(s)
		if err != nil {
			if ErrorCode(err) != CodeInvalidTrackingNo || ErrorMessage(err) == "" {
				t.Fatalf("ParseTrackingNo(%q) = %v; want INVALID_TRACKING_NO with a message", s, err)
			}
		} else {
			checkTrackingNo(t, n)
		}
		if len(s) >= 12 && isUpperLetters(s[:2]) && isDigits(s[2:10]) && isUpperLetters(s[10:12]) {
			serial, _ := strconv.Atoi(s[2:10])
			made := MakeS10(s[:2], serial, s[10:12])
			if got, err := ParseTrackingNo(made); err != nil || got != made {
				t.Fatalf("ParseTrackingNo(MakeS10 %q) = %q, %v; want it accepted", made, got, err)
			}
		}
	})
}

// checkTrackingNo asserts the invariants of an accepted tracking number.
func checkTrackingNo(t *testing.T, n string) {
	t.Helper()
	if again, err := ParseTrackingNo(n); err != nil || again != n {
		t.Fatalf("ParseTrackingNo(%q) again = %q, %v; want itself", n, again, err)
	}
	serial, err := strconv.Atoi(n[2:10])
	if len(n) != 13 || err != nil || MakeS10(n[:2], serial, n[11:]) != n {
		t.Fatalf("accepted %q: MakeS10 does not rebuild it", n)
	}
	for c := byte('0'); c <= '9'; c++ {
		if other := n[:10] + string(c) + n[11:]; c != n[10] {
			if _, err := ParseTrackingNo(other); err == nil {
				t.Fatalf("ParseTrackingNo(%q) accepted a second check digit beside %q", other, n)
			}
		}
	}
}
