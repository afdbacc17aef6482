package domain

import (
	"fmt"
	"time"
)

// CaseNoPrefix starts every case number (贵州).
const CaseNoPrefix = "GZ"

// CaseNo returns the human-readable number of a case: "GZ", the date of t
// in China Standard Time as yymmdd, and seq as 6 digits, e.g.
// GZ260115000042. seq is the case's sequence number within that day and
// must be 1–999999; CaseNo panics otherwise, since a wrapped or overlong
// number would collide or fail ValidCaseNo.
func CaseNo(t time.Time, seq int) string {
	if seq < 1 || seq > 999999 {
		panic(fmt.Sprintf("domain.CaseNo: sequence %d outside 1..999999", seq))
	}
	return CaseNoPrefix + t.In(cst).Format("060102") + fmt.Sprintf("%06d", seq)
}

// ValidCaseNo reports whether s has the form CaseNo produces: "GZ", a real
// yymmdd date and 6 digits, with a sequence of at least 1. Letters must be
// upper-case.
func ValidCaseNo(s string) bool {
	if len(s) != 14 || s[:2] != CaseNoPrefix || !isDigits(s[2:]) {
		return false
	}
	if _, err := time.Parse("060102", s[2:8]); err != nil {
		return false
	}
	return s[8:] != "000000"
}

// CaseNoDays returns the China Standard Time days [from, to) on which the
// cases whose numbers start with prefix were submitted (CaseNo writes the
// submission day into the number), so a search by number prefix can also
// be bounded by submission time. ok is false when the prefix names no year
// (fewer than two digits after "GZ") or no real day.
func CaseNoDays(prefix string) (from, to time.Time, ok bool) {
	if len(prefix) < len(CaseNoPrefix)+2 || prefix[:len(CaseNoPrefix)] != CaseNoPrefix || !isDigits(prefix[len(CaseNoPrefix):]) {
		return time.Time{}, time.Time{}, false
	}
	digits := prefix[len(CaseNoPrefix):]
	if len(digits) > 6 {
		digits = digits[:6]
	}
	year, err := time.ParseInLocation("06", digits[:2], cst)
	if err != nil {
		return time.Time{}, time.Time{}, false
	}
	for d := year; d.Year() == year.Year(); d = d.AddDate(0, 0, 1) {
		if d.Format("060102")[:len(digits)] != digits {
			continue
		}
		if from.IsZero() {
			from = d
		}
		to = d.AddDate(0, 0, 1)
	}
	return from, to, !from.IsZero()
}
