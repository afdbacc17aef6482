package service

import (
	"strconv"
	"sync"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/forecast"
	"github.com/gzga/idcard/backend/internal/store"
)

// Forecast settings (docs/procedure.md, predicted completion): the model
// reads the cases of the last forecastHistory and is rebuilt at most every
// forecastTTL in each process, so a case list costs no query of its own.
const (
	forecastHistory = 120 * 24 * time.Hour
	forecastTTL     = 5 * time.Minute
	forecastBatch   = 5000
)

// forecastCache is the process's model and when it was built.
type forecastCache struct {
	mu    sync.Mutex
	model *forecast.Model
	cal   *calendar.Calendar
	at    time.Time
}

// forecastCase is what the forecast reads of a case row.
func forecastCase(c *store.Case) forecast.Case {
	f := forecast.Case{Mail: c.Collection == string(domain.CollectionMail),
		Station: strconv.FormatInt(c.StationID, 10), County: c.HouseholdDivision, MailCounty: c.HouseholdDivision}
	if c.MailDivisionCode != nil {
		f.MailCounty = *c.MailDivisionCode
	}
	s := c.SubmittedAt
	f.Times = [6]*time.Time{&s, c.AcceptedAt, c.IssuedAt, c.ProducedAt, c.ShippedAt, c.ReadyAt}
	if f.Mail {
		f.Times[5] = nil
		if domain.Status(c.Status) == domain.StatusDelivered {
			f.Times[5] = c.ClosedAt
		}
	}
	if st := domain.Status(c.Status); st == domain.StatusRejected || st == domain.StatusCancelled {
		f.Ended = c.ClosedAt
	}
	return f
}

// ForecastCases reads the cases submitted since then as the forecast sees them.
func ForecastCases(q *store.Q, since time.Time) ([]forecast.Case, error) {
	rows, err := q.CaseStageTimes(since, forecastBatch)
	if err != nil {
		return nil, err
	}
	out := make([]forecast.Case, len(rows))
	for i := range rows {
		out[i] = forecastCase(&rows[i])
	}
	return out, nil
}

// forecastModel returns the process's model, rebuilt from the database
// when it is older than forecastTTL or the calendar changed.
func (s *Service) forecastModel(q *store.Q) (*forecast.Model, error) {
	f := &s.forecast
	f.mu.Lock()
	defer f.mu.Unlock()
	now, cal := s.now(), s.calendar()
	if f.model != nil && f.cal == cal && now.Sub(f.at) < forecastTTL && !now.Before(f.at) {
		return f.model, nil
	}
	cases, err := ForecastCases(q, now.Add(-forecastHistory))
	if err != nil {
		return nil, err
	}
	f.model, f.cal, f.at = forecast.Build(cal, cases, forecast.Options{}), cal, now
	return f.model, nil
}

// predictedDone is the case's predicted_done_at: the end of the day its
// card is expected to be ready, nil on a final status or once the card is
// at the window or delivered.
func (s *Service) predictedDone(m *forecast.Model, c *store.Case) *string {
	if m == nil || domain.Status(c.Status).IsFinal() {
		return nil
	}
	t, ok := m.Predict(forecastCase(c), s.now())
	if !ok {
		if c.ReadyAt == nil {
			return nil
		}
		t = *c.ReadyAt // at the window already
	}
	return fmtTimePtr(ptr(calendar.EndOfDay(t)))
}
