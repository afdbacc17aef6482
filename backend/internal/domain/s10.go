package domain

import (
	"fmt"
	"strings"
	"unicode"
)

// s10Weights are the UPU S10 weights of the 8 serial digits.
var s10Weights = [8]int{8, 6, 4, 2, 3, 5, 9, 7}

// S10CheckDigit returns the UPU S10 check digit (0–9) of an 8-digit serial
// number: 11 minus the weighted sum modulo 11, with 10 becoming 0 and 11
// becoming 5. It returns -1 when serial8 is not exactly 8 ASCII digits.
func S10CheckDigit(serial8 string) int {
	if len(serial8) != 8 {
		return -1
	}
	sum := 0
	for i := 0; i < 8; i++ {
		c := serial8[i]
		if c < '0' || c > '9' {
			return -1
		}
		sum += int(c-'0') * s10Weights[i]
	}
	switch r := 11 - sum%11; r {
	case 10:
		return 0
	case 11:
		return 5
	default:
		return r
	}
}

// ParseTrackingNo validates a UPU S10 tracking number such as EA123456785CN
// (2 letters, 8 serial digits, a check digit, a 2-letter country code) and
// returns it normalised: whitespace removed and letters upper-case. Failures
// return an *Error with CodeInvalidTrackingNo and a Chinese message.
func ParseTrackingNo(s string) (string, error) {
	s = strings.ToUpper(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s))
	if s == "" {
		return "", Errorf(CodeInvalidTrackingNo, "请填写邮件号")
	}
	if len(s) != 13 || !isUpperLetters(s[:2]) || !isDigits(s[2:11]) || !isUpperLetters(s[11:]) {
		return "", Errorf(CodeInvalidTrackingNo, "邮件号格式不正确，应为2位字母、9位数字和2位字母，如EA123456785CN")
	}
	if S10CheckDigit(s[2:10]) != int(s[10]-'0') {
		return "", Errorf(CodeInvalidTrackingNo, "邮件号校验位不正确，请核对后重新输入")
	}
	return s, nil
}

// MakeS10 builds a valid S10 tracking number from a 2-letter service prefix,
// a serial number (0–99999999) and a 2-letter country code, e.g.
// MakeS10("EA", 12345678, "CN") is "EA123456785CN". It is meant for seeds
// and tests and panics on arguments outside those ranges.
func MakeS10(prefix string, serial int, country string) string {
	if len(prefix) != 2 || !isUpperLetters(prefix) || len(country) != 2 || !isUpperLetters(country) {
		panic(fmt.Sprintf("domain.MakeS10: prefix %q and country %q must be 2 upper-case letters", prefix, country))
	}
	if serial < 0 || serial > 99999999 {
		panic(fmt.Sprintf("domain.MakeS10: serial %d outside 0..99999999", serial))
	}
	s := fmt.Sprintf("%08d", serial)
	return fmt.Sprintf("%s%s%d%s", prefix, s, S10CheckDigit(s), country)
}

// isUpperLetters reports whether s consists of ASCII upper-case letters.
func isUpperLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return s != ""
}

// isDigits reports whether s consists of ASCII digits.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
