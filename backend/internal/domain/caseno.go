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
