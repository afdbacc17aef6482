// Package service holds the use cases: one function per action of the API.
// Each checks the actor's role and jurisdiction, the case's status and
// version, and writes the case row, its timeline event, the audit entry and
// the outbox messages in one transaction, so nothing is ever half-written.
package service

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
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
	rdb     *redis.Client
	limiter *redis_rate.Limiter
	codes   CodeSender
	wechat  WeChatProvider
	demo    bool
	prefix  string
}

// Options configure a Service.
type Options struct {
	Store    *store.Store
	Calendar *calendar.Calendar
	Tokens   *pickup.Signer
	Logger   *slog.Logger
	Clock    func() time.Time // nil = time.Now
	Redis    *redis.Client    // SMS codes and rate limits
	Codes    CodeSender       // sends SMS sign-in codes; nil logs them
	WeChat   WeChatProvider   // code2session; nil = none configured
	Demo     bool             // demo sign-in (dev: codes) and logged SMS codes
	// KeyPrefix namespaces this service's Redis keys (codes, rate limits);
	// default "idcard:". Tests sharing one Redis give each service its own.
	KeyPrefix string
}

// New returns a Service.
func New(o Options) *Service {
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Service{st: o.Store, tokens: o.Tokens, log: o.Logger, clock: o.Clock,
		rdb: o.Redis, codes: o.Codes, wechat: o.WeChat, demo: o.Demo, prefix: o.KeyPrefix}
	s.cal.Store(o.Calendar)
	if s.prefix == "" {
		s.prefix = "idcard:"
	}
	if o.Redis != nil {
		s.limiter = redis_rate.NewLimiter(o.Redis)
	}
	if s.codes == nil {
		s.codes = logCodes{log: o.Logger}
	}
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
func (s *Service) now() time.Time { return s.clock().UTC().Truncate(time.Microsecond) }

// internal wraps an unexpected error so the caller sees INTERNAL while the
// log keeps the cause.
func (s *Service) internal(ctx context.Context, op string, err error) error {
	var rl *RateLimitedError
	if errors.As(err, &rl) {
		return rl
	}
	var de *domain.Error
	if errors.As(err, &de) {
		return de
	}
	s.log.ErrorContext(ctx, "service error", "op", op, "error", err)
	return domain.Wrap(domain.CodeInternal, err)
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

// Demo reports whether demo sign-in providers are on.
func (s *Service) Demo() bool { return s.demo }
