package domain

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// idWeights are the GB 11643-1999 weights of the first 17 digits.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheckChars maps the weighted sum modulo 11 to the check character.
const idCheckChars = "10X98765432"

// provinceCodes are the first two digits of every GB/T 2260 province-level
// division, plus 81–83 used for Hong Kong, Macao and Taiwan residents.
const provinceCodes = "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83"

// IDCheckDigit returns the GB 11643-1999 check character ('0'–'9' or 'X')
// of the first 17 digits of a citizen ID number. It returns 0 when first17
// is not exactly 17 ASCII digits.
func IDCheckDigit(first17 string) byte {
	if len(first17) != 17 {
		return 0
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := first17[i]
		if c < '0' || c > '9' {
			return 0
		}
		sum += int(c-'0') * idWeights[i]
	}
	return idCheckChars[sum%11]
}

// IDNumber is a validated 18-character citizen ID number (公民身份号码) with
// an upper-case X check character. Obtain one from ParseIDNumber; the
// methods assume a valid value.
type IDNumber string

// ParseIDNumber validates a citizen ID number per GB 11643-1999 and returns
// it normalised: whitespace removed and a lower-case x made upper-case. It
// checks the length (18), that the first 17 characters are digits and the
// last a digit or X, the province code, the birth date (a real date, year
// 1900 or later) and the check character. Failures return an *Error with
// CodeInvalidIDNumber whose Chinese message says which part is wrong.
func ParseIDNumber(s string) (IDNumber, error) {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	s = strings.ToUpper(s)
	if s == "" {
		return "", Errorf(CodeInvalidIDNumber, "请填写身份证号码")
	}
	if n := utf8.RuneCountInString(s); n != 18 {
		return "", Errorf(CodeInvalidIDNumber, "身份证号码应为18位，您输入了%d位", n)
	}
	for i := 0; i < 17; i++ {
		if len(s) != 18 || s[i] < '0' || s[i] > '9' {
			return "", Errorf(CodeInvalidIDNumber, "身份证号码格式不正确：前17位应为数字")
		}
	}
	if last := s[17]; (last < '0' || last > '9') && last != 'X' {
		return "", Errorf(CodeInvalidIDNumber, "身份证号码格式不正确：最后一位应为数字或X")
	}
	if !validProvince(s[:2]) {
		return "", Errorf(CodeInvalidIDNumber, "身份证号码前6位地区码不正确")
	}
	if _, ok := parseBirth(s[6:14]); !ok {
		return "", Errorf(CodeInvalidIDNumber, "身份证号码中的出生日期（第7至14位）无效")
	}
	if IDCheckDigit(s[:17]) != s[17] {
		return "", Errorf(CodeInvalidIDNumber, "身份证号码校验位（最后一位）不正确，请核对后重新输入")
	}
	return IDNumber(s), nil
}

// validProvince reports whether code is one of provinceCodes.
func validProvince(code string) bool {
	for _, p := range strings.Fields(provinceCodes) {
		if p == code {
			return true
		}
	}
	return false
}

// parseBirth parses yyyymmdd as a real date in or after 1900.
func parseBirth(s string) (time.Time, bool) {
	t, err := time.ParseInLocation("20060102", s, cst)
	if err != nil || t.Year() < 1900 {
		return time.Time{}, false
	}
	return t, true
}

// BirthDate returns the birth date encoded in digits 7–14, as midnight China
// Standard Time; the zero time when the number is not valid.
func (n IDNumber) BirthDate() time.Time {
	if len(n) != 18 {
		return time.Time{}
	}
	t, _ := parseBirth(string(n[6:14]))
	return t
}

// Male reports whether the 17th digit (the sequence code's last digit) is
// odd, which GB 11643 assigns to men.
func (n IDNumber) Male() bool {
	return len(n) == 18 && (n[16]-'0')%2 == 1
}

// DivisionCode returns the first 6 digits: the GB/T 2260 code of the
// division where the number was first assigned.
func (n IDNumber) DivisionCode() string {
	if len(n) < 6 {
		return string(n)
	}
	return string(n[:6])
}

// Masked returns the number for display with the birth date and sequence
// hidden: the first 6 and last 4 characters around 8 asterisks, e.g.
// 520102********123X. Values shorter than 10 characters are fully masked.
func (n IDNumber) Masked() string {
	if len(n) < 10 {
		return strings.Repeat("*", len(n))
	}
	return string(n[:6]) + "********" + string(n[len(n)-4:])
}
