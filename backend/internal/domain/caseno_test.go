package domain

import (
	"testing"
	"time"
)

func TestCaseNo(t *testing.T) {
	// 16:30 UTC on 14 January is 00:30 on 15 January in China.
	if got := CaseNo(time.Date(2026, 1, 14, 16, 30, 0, 0, time.UTC), 42); got != "GZ260115000042" {
		t.Errorf("CaseNo = %s", got)
	}
	if got := CaseNo(time.Date(2025, 12, 31, 23, 0, 0, 0, cst), 999999); got != "GZ251231999999" {
		t.Errorf("CaseNo = %s", got)
	}
	for _, seq := range []int{0, -1, 1000000} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("CaseNo(seq %d) should panic", seq)
				}
			}()
			CaseNo(time.Now(), seq)
		}()
	}
}

func TestValidCaseNo(t *testing.T) {
	tests := map[string]bool{
		"GZ260115000042":  true,
		"GZ240229000001":  true,
		"gz260115000042":  false,
		"GZ250229000001":  false, // 2025 is not a leap year
		"GZ261315000001":  false,
		"GZ260115000000":  false,
		"GZ26011500004":   false,
		"GZ2601150000421": false,
		"BJ260115000042":  false,
		"GZ26011500004A":  false,
		"":                false,
	}
	for in, want := range tests {
		if got := ValidCaseNo(in); got != want {
			t.Errorf("ValidCaseNo(%q) = %v, want %v", in, got, want)
		}
	}
	if no := CaseNo(time.Now(), 1); !ValidCaseNo(no) {
		t.Errorf("CaseNo output %s is not valid", no)
	}
}
