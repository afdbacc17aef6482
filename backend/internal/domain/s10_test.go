package domain

import (
	"strings"
	"testing"
)

func TestS10CheckDigit(t *testing.T) {
	tests := map[string]int{
		"47312482": 9, // UPU S10 example RR473124829GB: sum 200, 11 − 200 mod 11 = 9
		"12345678": 5, // sum 204, 11 − 6 = 5
		"00000000": 5, // r = 11 → 5
		"00060000": 0, // sum 12, r = 10 → 0
		"1234567":  -1,
		"1234567A": -1,
	}
	for in, want := range tests {
		if got := S10CheckDigit(in); got != want {
			t.Errorf("S10CheckDigit(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestParseTrackingNo(t *testing.T) {
	valid := map[string]string{
		"RR473124829GB":       "RR473124829GB",
		"EA123456785CN":       "EA123456785CN",
		" ea 123 456 785 cn ": "EA123456785CN",
		"EE000000005CN":       "EE000000005CN",
	}
	for in, want := range valid {
		if got, err := ParseTrackingNo(in); err != nil || got != want {
			t.Errorf("ParseTrackingNo(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	invalid := map[string]string{
		"":               "请填写",
		"RR473124828GB":  "校验位",
		"EA123456780CN":  "校验位",
		"RR47312482GB":   "格式",
		"RR4731248299GB": "格式",
		"R1473124829GB":  "格式",
		"RR473124829G1":  "格式",
		"1234567890123":  "格式",
		"RR47312482XGB":  "格式",
	}
	for in, want := range invalid {
		_, err := ParseTrackingNo(in)
		if ErrorCode(err) != CodeInvalidTrackingNo || !strings.Contains(ErrorMessage(err), want) {
			t.Errorf("ParseTrackingNo(%q) = %v; want INVALID_TRACKING_NO containing %q", in, err, want)
		}
	}
}

func TestMakeS10(t *testing.T) {
	if got := MakeS10("RR", 47312482, "GB"); got != "RR473124829GB" {
		t.Errorf("MakeS10 = %s", got)
	}
	if got := MakeS10("EA", 42, "CN"); got != "EA000000425CN" {
		t.Errorf("MakeS10 = %s", got)
	}
	for serial := 0; serial < 100000000; serial += 999983 {
		s := MakeS10("EA", serial, "CN")
		if _, err := ParseTrackingNo(s); err != nil {
			t.Fatalf("MakeS10(%d) = %s is not valid: %v", serial, s, err)
		}
	}
	for _, bad := range []func(){
		func() { MakeS10("E", 1, "CN") },
		func() { MakeS10("ea", 1, "CN") },
		func() { MakeS10("EA", -1, "CN") },
		func() { MakeS10("EA", 100000000, "CN") },
		func() { MakeS10("EA", 1, "C1") },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("MakeS10 should panic on bad arguments")
				}
			}()
			bad()
		}()
	}
}
