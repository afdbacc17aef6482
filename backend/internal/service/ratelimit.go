package service

import (
	"context"
	"math"
	"time"

	"github.com/go-redis/redis_rate/v10"

	"github.com/gzga/idcard/backend/internal/domain"
)

// RateLimitedError is RATE_LIMITED with how long to wait (Retry-After).
type RateLimitedError struct {
	Err        *domain.Error
	RetryAfter time.Duration
}

func (e *RateLimitedError) Error() string { return e.Err.Error() }

// Unwrap exposes the domain error to errors.As.
func (e *RateLimitedError) Unwrap() error { return e.Err }

// limitRule is one rate rule applied to one key (a phone, an IP, a user).
type limitRule struct {
	name string
	rate redis_rate.Limit
	key  string
}

func smsRules(phoneIdx, ip string) []limitRule {
	return []limitRule{
		{"sms:phone", redis_rate.Limit{Rate: 1, Burst: 1, Period: time.Minute}, phoneIdx},
		{"sms:phone:day", redis_rate.Limit{Rate: 10, Burst: 10, Period: 24 * time.Hour}, phoneIdx},
		{"sms:ip", redis_rate.PerHour(30), ip},
	}
}

func codeRules(phoneIdx, ip string) []limitRule {
	return []limitRule{
		{"code:phone", redis_rate.PerMinute(10), phoneIdx},
		{"code:ip", redis_rate.PerMinute(60), ip},
	}
}

func loginRules(username, ip string) []limitRule {
	return []limitRule{
		{"login:user", redis_rate.Limit{Rate: 10, Burst: 10, Period: 15 * time.Minute}, username},
		{"login:ip", redis_rate.PerMinute(30), ip},
	}
}

// allow takes one token of every rule; the first rule that is exhausted
// answers RATE_LIMITED with its wait. Returns UNAVAILABLE when Redis does
// not answer.
func (s *Service) allow(ctx context.Context, rules []limitRule) error {
	if s.limiter == nil {
		return nil
	}
	for _, r := range rules {
		res, err := s.limiter.Allow(ctx, s.prefix+"rl:"+r.name+":"+r.key, r.rate)
		if err != nil {
			return domain.Wrap(domain.CodeUnavailable, err)
		}
		if res.Allowed == 0 {
			wait := max(res.RetryAfter, time.Second)
			return &RateLimitedError{
				Err:        domain.Errorf(domain.CodeRateLimited, "操作过于频繁，请%d秒后再试", int(math.Ceil(wait.Seconds()))),
				RetryAfter: wait,
			}
		}
	}
	return nil
}
