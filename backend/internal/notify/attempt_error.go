package notify

import (
	"regexp"
	"strings"

	"github.com/gzga/idcard/backend/internal/pii"
)

// attemptErrorMax bounds the error text kept of one attempt (the columns
// take 500 characters; the store cuts again to be safe).
const attemptErrorMax = 300

var (
	// digitRun is a run of digits that may be a phone number (11) or an
	// identity number or account (more).
	digitRun = regexp.MustCompile(`\d{11,}[0-9Xx]?`)
	// codeNear is a verification code a gateway may echo: 4 to 8 digits
	// after the word code (not errcode) or 验证码.
	codeNear = regexp.MustCompile(`(?i)(\bcode\b|\bcaptcha\b|验证码)([^0-9]{0,12}?)\d{4,8}`)
)

// AttemptError is the text of a failed attempt as the outbox keeps it and
// the admin's page shows it: without the recipient's phone number or
// openid, an 11-digit run masked as a phone (138****0000), a longer digit
// run starred, a verification code next to its word starred, cut to 300
// characters.
func AttemptError(err error, to Recipient) string {
	if err == nil {
		return ""
	}
	s := err.Error()
	if to.Phone != "" {
		s = strings.ReplaceAll(s, to.Phone, pii.MaskPhone(to.Phone))
	}
	for _, id := range []string{to.MiniOpenID, to.MPOpenID} {
		if id != "" {
			s = strings.ReplaceAll(s, id, "[openid]")
		}
	}
	s = digitRun.ReplaceAllStringFunc(s, func(d string) string {
		if len(d) == 11 {
			return pii.MaskPhone(d)
		}
		return strings.Repeat("*", len(d))
	})
	s = codeNear.ReplaceAllString(s, "$1$2******")
	if r := []rune(s); len(r) > attemptErrorMax {
		s = string(r[:attemptErrorMax])
	}
	return s
}
