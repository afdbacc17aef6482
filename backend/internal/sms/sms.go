// Package sms sends text messages through an SMS gateway. In mainland China
// an SMS is an approved template whose placeholders {1}, {2}… are filled
// with parameters: callers name a template id and give its parameters, and
// never send free text. Tencent Cloud SMS (API 3.0) is the gateway in use;
// smstest is a local fake of it for tests.
//
// Dependencies: sms imports domain only; notify and signin send through it.
package sms

import (
	"context"
	"errors"
	"strings"

	"github.com/gzga/idcard/backend/internal/domain"
)

// Gateway sends one templated SMS to one mainland mobile number (11 digits,
// with or without +86). An error wrapping ErrRejected is final: the gateway
// refused this message for good (blacklisted number, parameters the
// template does not take), so sending it again cannot succeed. A
// domain.CodeUnavailable error is a network fault or the gateway being
// down; any other error may also succeed later.
type Gateway interface {
	Send(ctx context.Context, phone string, templateID string, params []string) error
}

// ErrRejected marks a message the gateway refused for good; the outbox
// dead-letters it at once instead of retrying.
var ErrRejected = errors.New("sms: message rejected for good")

// Error is a refusal by the gateway, with its error code. It wraps
// ErrRejected when Final.
type Error struct {
	Code    string // the gateway's code, e.g. LimitExceeded.PhoneNumberDailyLimit
	Message string // the gateway's explanation (not part of Error(): it may quote the request)
	Final   bool
}

func (e *Error) Error() string {
	if e.Final {
		return "sms gateway refused the message for good: " + e.Code
	}
	return "sms gateway refused the message: " + e.Code
}

// Is makes errors.Is(err, ErrRejected) true for a final refusal.
func (e *Error) Is(target error) bool { return e.Final && target == ErrRejected }

// Mainland returns phone as the gateway wants it, in E.164 (+86…), or a
// VALIDATION_FAILED error when it is not a mainland mobile number.
func Mainland(phone string) (string, error) {
	p := strings.TrimPrefix(strings.TrimSpace(phone), "+86")
	if !domain.ValidMobile(p) {
		return "", domain.Errorf(domain.CodeValidationFailed, "请输入11位手机号码")
	}
	return "+86" + p, nil
}
