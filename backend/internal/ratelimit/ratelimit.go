// Package ratelimit is the one Redis-backed budget of the project: named
// budgets of tries per key (GCRA), shared by every instance. Sign-in keeps
// its budgets in signin, the outbox's SMS budgets are in notify; both spend
// them here, so neither imports the other.
package ratelimit

import (
	"context"
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

// New returns a Limiter on rdb whose keys start with kv.KeyPrefix(prefix).
func New(rdb redis.UniversalClient, prefix string) *Limiter {
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
