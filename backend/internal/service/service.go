// Package service holds the use cases: one function per action of the API.
// Each checks the actor's role and jurisdiction, the case's status and
// version, and writes the case row, its timeline event, the audit entry and
// the outbox messages (notify.Messages) in one transaction, so nothing is
// ever half-written.
//
// Sign-in lives in signin and delivery in notify; service talks neither
// HTTP nor Redis, and reaches the rate limiter and the cache only through
// the RateLimiter and Cache interfaces that main fills in.
package service

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/fault"
	"github.com/gzga/idcard/backend/internal/payment"
	"github.com/gzga/idcard/backend/internal/pickup"
	"github.com/gzga/idcard/backend/internal/store"
)

// Service is the use-case layer. It is safe for concurrent use.
type Service struct {
	st      *store.Store
	cal     atomic.Pointer[calendar.Calendar]
	tokens  *pickup.Signer
	log     *slog.Logger
	clock   func() time.Time
	limiter RateLimiter
	cache   Cache
	refs    officeCache
	// forecast is the process's forecast model, rebuilt every forecastTTL.
	forecast   forecastCache
	payments   payment.Provider // nil: no online payment
	auditGroup auditGroups      // pickup checks' audit entries, committed together
	// production and retention: Options.Production and Options.Retention.
	production bool
	retention  time.Duration
}

// RateLimiter spends one try of a named budget for a key: at most n tries
// per period. It returns a *domain.RateLimitedError when the budget is
// spent. ratelimit.Limiter (Redis) is the one in use; the use cases stay free
// of Redis.
type RateLimiter interface {
	Allow(ctx context.Context, name string, n int, per time.Duration, key string) error
}

// Cache keeps small shared values across requests and instances (the
// version of the reference data, refdata.go); kv.Cache (Redis) is the one
// in use. A failing cache is a miss, never an error for the caller.
type Cache interface {
	// Get returns the values of keys in order, nil where one is missing.
	Get(ctx context.Context, keys []string) ([][]byte, error)
	// Set keeps every value under its key for ttl.
	Set(ctx context.Context, values map[string][]byte, ttl time.Duration) error
}

// Options configure a Service.
type Options struct {
	Store    *store.Store
	Calendar *calendar.Calendar
	Tokens   *pickup.Signer
	Logger   *slog.Logger
	Clock    func() time.Time // nil = time.Now
	Limiter  RateLimiter      // the pickup look-up's budget; nil = unlimited
	Cache    Cache            // the reference data's version; nil = this instance only
	Payments payment.Provider // online payment of fees; nil = none
	// Production (outside demo mode) makes administrators and supervisors
	// enrol a second factor before anything else, and a password past its
	// 90 days be changed before anything else.
	Production bool
	// Retention is how long a finished case keeps its personal data; zero
	// means DefaultRetention.
	Retention time.Duration
}

// New returns a Service.
func New(o Options) *Service {
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Retention <= 0 {
		o.Retention = DefaultRetention
	}
	s := &Service{st: o.Store, tokens: o.Tokens, log: o.Logger, clock: o.Clock, limiter: o.Limiter, cache: o.Cache, payments: o.Payments,
		production: o.Production, retention: o.Retention}
	s.cal.Store(o.Calendar)
	return s
}

// LoadCalendar builds the working-day calendar from the calendar_days table;
// a year the table does not know is logged once and falls back to the
// statutory holidays (calendar.StatutoryDays), provisionally.
func LoadCalendar(ctx context.Context, st *store.Store, log *slog.Logger) (*calendar.Calendar, error) {
	return readCalendar(st.Q(ctx), log)
}

// readCalendar builds the working-day calendar from the calendar_days rows
// q sees (inside a transaction: its own uncommitted import too).
func readCalendar(q *store.Q, log *slog.Logger) (*calendar.Calendar, error) {
	rows, err := q.CalendarDays()
	if err != nil {
		return nil, err
	}
	days := make([]calendar.Day, 0, len(rows))
	for _, r := range rows {
		days = append(days, calendar.Day{Date: r.Day.UTC().Format(calendar.DateLayout), Working: r.Working, Note: r.Note})
	}
	return calendar.New(days, func(year int) {
		log.Warn("working-day calendar has no State Council schedule for this year: using the statutory holidays, provisionally", "year", year)
	}), nil
}

// Calendar returns the working-day calendar in use.
func (s *Service) Calendar() *calendar.Calendar { return s.cal.Load() }

func (s *Service) calendar() *calendar.Calendar { return s.cal.Load() }

// ReloadCalendar reads the working-day calendar again from the database (an
// import on any instance reaches the others through the jobs' periodic
// reload).
func (s *Service) ReloadCalendar(ctx context.Context) error {
	cal, err := LoadCalendar(ctx, s.st, s.log)
	if err != nil {
		return err
	}
	s.cal.Store(cal)
	return nil
}

// now is the service clock in UTC to the microsecond, like the database.
func (s *Service) now() time.Time { return store.Stored(s.clock()) }

// internal wraps an unexpected error so the caller sees UNAVAILABLE for a
// dependency fault (database or Redis down, hung or too slow) and INTERNAL
// for anything else, while the log keeps the cause.
func (s *Service) internal(ctx context.Context, op string, err error) error {
	return fault.Log(ctx, s.log, "service error", op, err)
}

// detail renders an audit detail map as JSON.
func detail(m map[string]any) string {
	if len(m) == 0 {
		return "{}"
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "{}"
	}
	return string(b)
}

func ptr[T any](v T) *T { return &v }
