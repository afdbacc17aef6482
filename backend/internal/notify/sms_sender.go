package notify

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/gzga/idcard/backend/internal/sms"
)

// SMSSender is the outbox's SMS channel: it sends a notice's template and
// parameters (Message.SMSTemplate, Message.SMSParams) through an SMS
// gateway, within the phone's daily budgets. It is safe for concurrent use.
type SMSSender struct {
	gateway   sms.Gateway
	templates sms.Templates
	limiter   RateLimiter
}

// RateLimiter spends one try of a named budget for a key: at most n tries
// per period; a *domain.RateLimitedError with the wait when it is spent.
// ratelimit.Limiter (Redis) is the one in use; notify stays free of Redis.
type RateLimiter interface {
	Allow(ctx context.Context, name string, n int, per time.Duration, key string) error
}

// NewSMSSender returns the SMS channel on gateway g with the template ids
// t; limiter keeps the per-phone budgets (nil: none, tests only).
func NewSMSSender(g sms.Gateway, t sms.Templates, limiter RateLimiter) *SMSSender {
	return &SMSSender{gateway: g, templates: t, limiter: limiter}
}

// The outbox's SMS budgets per phone: five a day of one template, ten a
// day in all. A message over budget is not lost: the outbox holds it until
// the budget has room again (the RATE_LIMITED error carries the wait).
const (
	smsPerTemplateDay = 5
	smsPerPhoneDay    = 10
)

// Send sends m by SMS to the recipient's phone. A recipient without a phone
// or a message without SMS text can never be sent: the error wraps
// sms.ErrRejected, and so does a gateway's refusal that no retry can
// mend; the outbox takes both as Final (a dead letter at once). The phone
// and the parameters are never logged.
func (s *SMSSender) Send(ctx context.Context, to Recipient, template string, m Message) error {
	err := s.send(ctx, to, template, m)
	if errors.Is(err, sms.ErrRejected) {
		return Final(err)
	}
	return err
}

func (s *SMSSender) send(ctx context.Context, to Recipient, template string, m Message) error {
	if to.Phone == "" {
		return fmt.Errorf("%w: the recipient has no phone", sms.ErrRejected)
	}
	if m.SMSTemplate == "" {
		return fmt.Errorf("%w: notice %s has no SMS template", sms.ErrRejected, template)
	}
	id, ok := s.templates[m.SMSTemplate]
	if !ok {
		return fmt.Errorf("no id is configured for SMS template %s (IDCARD_SMS_TEMPLATES)", m.SMSTemplate)
	}
	if s.limiter != nil {
		// The blind index names the phone in Redis, never the number.
		key := to.PhoneIndex
		if key == "" {
			key = to.Kind + ":" + strconv.FormatInt(to.ID, 10)
		}
		if err := s.limiter.Allow(ctx, "sms:out:phone:"+m.SMSTemplate, smsPerTemplateDay, 24*time.Hour, key); err != nil {
			return fmt.Errorf("daily SMS budget of the phone for template %s: %w", m.SMSTemplate, err)
		}
		if err := s.limiter.Allow(ctx, "sms:out:phone", smsPerPhoneDay, 24*time.Hour, key); err != nil {
			return fmt.Errorf("daily SMS budget of the phone: %w", err)
		}
	}
	return s.gateway.Send(ctx, to.Phone, id, m.SMSParams)
}
