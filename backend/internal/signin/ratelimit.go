package signin

import (
	"context"
	"strconv"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/kv"
)

// Limiter spends tries of named budgets kept in Redis (GCRA), shared by
// every instance. It is safe for concurrent use.
type Limiter struct {
	rl     *redis_rate.Limiter
	prefix string
}

// NewLimiter returns a Limiter on rdb whose keys start with
// kv.KeyPrefix(prefix).
func NewLimiter(rdb *redis.Client, prefix string) *Limiter {
	return &Limiter{rl: redis_rate.NewLimiter(rdb), prefix: kv.KeyPrefix(prefix)}
}

// Allow spends one try of the budget name for key: at most n tries per
// period, all of which may come at once. Returns RATE_LIMITED (a
// *domain.RateLimitedError with the wait) when the budget is spent, and
// UNAVAILABLE when Redis does not answer.
func (l *Limiter) Allow(ctx context.Context, name string, n int, per time.Duration, key string) error {
	res, err := l.rl.Allow(ctx, l.prefix+"rl:"+name+":"+key, redis_rate.Limit{Rate: n, Burst: n, Period: per})
	if err != nil {
		return domain.Wrap(domain.CodeUnavailable, err)
	}
	if res.Allowed == 0 {
		return domain.RateLimited(res.RetryAfter)
	}
	return nil
}

// limitRule is one sign-in budget applied to one key (a phone, an IP, a user).
type limitRule struct {
	name string
	n    int
	per  time.Duration
	key  string
}

// The sign-in budgets: an SMS code a minute per phone and ten a day, thirty
// an hour per IP; ten code checks a minute per phone; ten password tries
// per user in a quarter of an hour and thirty a minute per IP.
func smsRules(phoneIdx, ip string) []limitRule {
	return []limitRule{
		{"sms:phone", 1, time.Minute, phoneIdx},
		{"sms:phone:day", 10, 24 * time.Hour, phoneIdx},
		{"sms:ip", 30, time.Hour, ip},
	}
}

func codeRules(phoneIdx, ip string) []limitRule {
	return []limitRule{
		{"code:phone", 10, time.Minute, phoneIdx},
		{"code:ip", 60, time.Minute, ip},
	}
}

// verifyRules: ten real-person verifications started an hour per account
// (each costs the province a face check).
func verifyRules(applicantID int64) []limitRule {
	return []limitRule{{"verify:applicant", 10, time.Hour, strconv.FormatInt(applicantID, 10)}}
}

func loginRules(username, ip string) []limitRule {
	return []limitRule{
		{"login:user", 10, 15 * time.Minute, username},
		{"login:ip", 30, time.Minute, ip},
	}
}

// allow takes one try of every rule; the first rule that is exhausted
// answers RATE_LIMITED with its wait. Without a limiter nothing is limited.
func (s *Service) allow(ctx context.Context, rules []limitRule) error {
	if s.limiter == nil {
		return nil
	}
	for _, r := range rules {
		if err := s.limiter.Allow(ctx, r.name, r.n, r.per, r.key); err != nil {
			return err
		}
	}
	return nil
}
