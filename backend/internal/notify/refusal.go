package notify

import "errors"

// A Sender's error means "try again later", unless it is wrapped by Final
// or Skip.

// finalError is a refusal that no retry can fix.
type finalError struct{ err error }

func (e finalError) Error() string { return e.err.Error() }
func (e finalError) Unwrap() error { return e.err }

// Final marks err as a final refusal (an unknown recipient, a template the
// channel rejects): the Outbox makes the message a dead letter at once
// instead of retrying it. Final(nil) is nil.
func Final(err error) error {
	if err == nil {
		return nil
	}
	return finalError{err}
}

// IsFinal reports whether err, or an error it wraps, was marked by Final.
func IsFinal(err error) bool {
	var f finalError
	return errors.As(err, &f)
}

// skipError is a message the channel must not carry.
type skipError struct{ err error }

func (e skipError) Error() string { return e.err.Error() }
func (e skipError) Unwrap() error { return e.err }

// Skip marks err as "not to be sent" (the applicant gave no consent for
// WeChat subscribe messages): the Outbox records the message as skipped,
// neither retried nor dead. Skip(nil) is nil.
func Skip(err error) error {
	if err == nil {
		return nil
	}
	return skipError{err}
}

// IsSkip reports whether err, or an error it wraps, was marked by Skip.
func IsSkip(err error) bool {
	var s skipError
	return errors.As(err, &s)
}
