// Package signin is how people get in: applicants by SMS code, by WeChat
// (the mini-program's wx.login code or the official account's OAuth code),
// staff by username and password, and the Redis rate limits that keep
// guessing slow.
//
// Dependencies: signin imports store, domain and passwd, never service; web
// calls both side by side (web → signin/service → store). The sign-in
// budgets are here; the Redis limiter that spends them is package
// ratelimit, which the service receives through its own small RateLimiter
// interface, so service stays free of Redis, and the HTTP clients of WeChat live here, so service stays free of
// HTTP.
package signin

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gzga/idcard/backend/internal/fault"
	"github.com/gzga/idcard/backend/internal/kv"
	"github.com/gzga/idcard/backend/internal/ratelimit"
	"github.com/gzga/idcard/backend/internal/store"
)

// Service signs applicants and staff in. It is safe for concurrent use.
type Service struct {
	st      *store.Store
	log     *slog.Logger
	rdb     redis.UniversalClient
	limiter *ratelimit.Limiter
	codes   CodeSender
	wechat  WeChatProvider
	// realPerson confirms the mini-program's real-person verifications,
	// realPersonWeb the browser's; nil = none configured.
	realPerson    RealPersonProvider
	realPersonWeb RealPersonProvider
	clock         func() time.Time
	demo          bool
	prefix        string
}

// Options configure a Service.
type Options struct {
	Store   *store.Store
	Logger  *slog.Logger          // nil discards
	Redis   redis.UniversalClient // SMS codes
	Limiter *ratelimit.Limiter    // rate limits; nil = none (tests without Redis)
	Codes   CodeSender            // sends SMS sign-in codes; nil logs them in demo mode and refuses otherwise
	WeChat  WeChatProvider        // the mini-program's code2session; nil = none configured
	// RealPerson confirms the mini-program's real-person verifications
	// (实人认证, WeChat 人脸核身); nil = none configured (demo mode still
	// has the demo provider).
	RealPerson RealPersonProvider
	// RealPersonWeb is the H5's provider in any browser (Tencent Cloud
	// FaceID): it starts verifications and confirms "faceid:…" results;
	// nil = none configured.
	RealPersonWeb RealPersonProvider
	// Clock is when SMS codes expire and verifications are fresh by; nil =
	// time.Now. The in-process Redis does not count key TTLs down by
	// itself, so expiry is judged by this clock in every mode.
	Clock func() time.Time
	Demo  bool // demo sign-in (dev: codes) and logged SMS codes
	// KeyPrefix namespaces the Redis keys of SMS codes; default "idcard:".
	// Tests sharing one Redis give each service its own.
	KeyPrefix string
}

// New returns a Service.
func New(o Options) *Service {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	s := &Service{st: o.Store, log: o.Logger, rdb: o.Redis, limiter: o.Limiter, codes: o.Codes, wechat: o.WeChat,
		realPerson: o.RealPerson, realPersonWeb: o.RealPersonWeb, clock: o.Clock, demo: o.Demo, prefix: kv.KeyPrefix(o.KeyPrefix)}
	if s.codes == nil && o.Demo {
		s.codes = logCodes{log: o.Logger}
	} else if s.codes == nil {
		s.codes = noGateway{}
	}
	return s
}

// Demo reports whether demo sign-in providers are on.
func (s *Service) Demo() bool { return s.demo }

// internal wraps an unexpected error so the caller sees UNAVAILABLE for a
// dependency fault and INTERNAL for anything else, while the log keeps the
// cause; coded errors (RATE_LIMITED with its wait included) pass as they are.
func (s *Service) internal(ctx context.Context, op string, err error) error {
	return fault.Log(ctx, s.log, "sign-in error", op, err)
}

// audit records one sign-in attempt in its own transaction; a failure to
// audit is logged, not shown to the person signing in.
func (s *Service) audit(ctx context.Context, e *store.AuditEntry, d map[string]any) {
	e.Detail = "{}"
	if len(d) > 0 {
		if b, err := json.Marshal(d); err == nil {
			e.Detail = string(b)
		}
	}
	if err := s.st.Audit(ctx, e); err != nil {
		s.log.ErrorContext(ctx, "audit of a sign-in failed", "action", e.Action, "error", err)
	}
}
