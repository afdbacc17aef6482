package domain

import (
	"strings"
	"testing"
)

func TestIDCheckDigit(t *testing.T) {
	tests := map[string]byte{
		"11010519491231002": 'X', // the example of GB 11643-1999
		"52010219900101123": 'X',
		"52030219580320001": '9',
		"1101051949123100":  0,
		"1101051949123100A": 0,
	}
	for in, want := range tests {
		if got := IDCheckDigit(in); got != want {
			t.Errorf("IDCheckDigit(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseIDNumber(t *testing.T) {
	valid := map[string]string{
		"52010219900101123X":     "52010219900101123X",
		"52010219900101123x":     "52010219900101123X",
		" 520103198506150026 ":   "520103198506150026",
		"520302 19580320 0019":   "520302195803200019",
		"522601201207050034":     "522601201207050034",
		"520402200302110049":     "520402200302110049",
		"11010519491231002X":     "11010519491231002X",
		"\t810000199001010019\n": "",
	}
	for in, want := range valid {
		got, err := ParseIDNumber(in)
		if want == "" {
			want = strings.TrimSpace(in)
		}
		if err != nil || string(got) != want {
			t.Errorf("ParseIDNumber(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	invalid := map[string]string{
		"":                    "请填写",
		"52010219900101123":   "18位",
		"52010219900101123X1": "18位",
		"５２010219900101123X":  "前17位应为数字",
		"5201021990010112AX":  "前17位应为数字",
		"52010219900101123Y":  "最后一位",
		"00010219900101123X":  "地区码",
		"520102199002301234":  "出生日期",
		"520102189912311234":  "出生日期",
		"520102199013011234":  "出生日期",
		"520102199001011230":  "校验位",
		"520103198506150027":  "校验位",
	}
	for in, want := range invalid {
		_, err := ParseIDNumber(in)
		if ErrorCode(err) != CodeInvalidIDNumber || !strings.Contains(ErrorMessage(err), want) {
			t.Errorf("ParseIDNumber(%q) = %v; want INVALID_ID_NUMBER containing %q", in, err, want)
		}
	}
}

func TestIDNumberParts(t *testing.T) {
	tests := []struct {
		in, birth, division, masked string
		male                        bool
	}{
		{"52010219900101123X", "1990-01-01T00:00:00+08:00", "520102", "520102********123X", true},
		{"520103198506150026", "1985-06-15T00:00:00+08:00", "520103", "520103********0026", false},
		{"522601201207050034", "2012-07-05T00:00:00+08:00", "522601", "522601********0034", true},
		{"520402200302110049", "2003-02-11T00:00:00+08:00", "520402", "520402********0049", false},
	}
	for _, tt := range tests {
		n, err := ParseIDNumber(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := n.BirthDate().Format("2006-01-02T15:04:05Z07:00"); got != tt.birth {
			t.Errorf("%s: BirthDate = %s", tt.in, got)
		}
		if n.DivisionCode() != tt.division || n.Masked() != tt.masked || n.Male() != tt.male {
			t.Errorf("%s: division=%s masked=%s male=%v", tt.in, n.DivisionCode(), n.Masked(), n.Male())
		}
	}
	if IDNumber("").Masked() != "" || IDNumber("12345").Masked() != "*****" || !IDNumber("").BirthDate().IsZero() {
		t.Error("short values must be fully masked and have no birth date")
	}
}
