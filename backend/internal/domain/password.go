package domain

import (
	"time"
	"unicode"
	"unicode/utf8"
)

// The staff password policy (等保三级, identification and authentication).
const (
	// PasswordMinLength is the shortest password, in characters.
	PasswordMinLength = 12
	// PasswordMaxBytes bounds what is hashed.
	PasswordMaxBytes = 128
	// PasswordClasses is how many of upper case, lower case, digits and
	// symbols a password must mix.
	PasswordClasses = 3
	// PasswordHistory is how many earlier passwords may not come back.
	PasswordHistory = 5
	// PasswordMaxAge is how long a password lasts before it must change.
	PasswordMaxAge = 90 * 24 * time.Hour
	// PasswordWarnBefore is how long before the end the change is urged.
	PasswordWarnBefore = 14 * 24 * time.Hour
)

// CheckPassword returns PASSWORD_POLICY unless pw has at least 12
// characters (at most 128 bytes) from at least three of the four classes.
func CheckPassword(pw string) error {
	if utf8.RuneCountInString(pw) < PasswordMinLength || len(pw) > PasswordMaxBytes || !utf8.ValidString(pw) {
		return E(CodePasswordPolicy)
	}
	var upper, lower, digit, other int
	for _, r := range pw {
		switch {
		case unicode.IsUpper(r):
			upper = 1
		case unicode.IsLower(r):
			lower = 1
		case unicode.IsDigit(r):
			digit = 1
		default:
			other = 1
		}
	}
	if upper+lower+digit+other < PasswordClasses {
		return E(CodePasswordPolicy)
	}
	return nil
}

// PasswordDue is when a password set at changed must be changed.
func PasswordDue(changed time.Time) time.Time { return changed.Add(PasswordMaxAge) }
