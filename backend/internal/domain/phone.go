package domain

import "regexp"

var mobileRe = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

// ValidMobile reports whether p is a mainland mobile number as typed
// without a country code: 11 digits, the first 1 and the second 3 to 9.
func ValidMobile(p string) bool { return mobileRe.MatchString(p) }
