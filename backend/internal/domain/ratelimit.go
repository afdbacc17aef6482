package domain

import (
	"errors"
	"math"
	"time"
)

// RateLimitedError is RATE_LIMITED with how long to wait, which the HTTP
// layer sends as Retry-After.
type RateLimitedError struct {
	Err        *Error
	RetryAfter time.Duration
}

// RateLimited is RATE_LIMITED after a wait of at least a second, with the
// wait in its message.
func RateLimited(wait time.Duration) *RateLimitedError {
	wait = max(wait, time.Second)
	return &RateLimitedError{
		Err:        Errorf(CodeRateLimited, "操作过于频繁，请%d秒后再试", int(math.Ceil(wait.Seconds()))),
		RetryAfter: wait,
	}
}

// Error returns the RATE_LIMITED error's text.
func (e *RateLimitedError) Error() string { return e.Err.Error() }

// Unwrap exposes the domain error to errors.As.
func (e *RateLimitedError) Unwrap() error { return e.Err }

// Coded returns the coded error inside err — a *RateLimitedError, keeping
// its wait, or an *Error — or nil when err carries no code.
func Coded(err error) error {
	var rl *RateLimitedError
	if errors.As(err, &rl) {
		return rl
	}
	var de *Error
	if errors.As(err, &de) {
		return de
	}
	return nil
}
