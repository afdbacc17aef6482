package service

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
)

// dayFlow is what happened on one day to the cases of a division:
// submissions, closures, and per stage of dashboardStages how many cases
// left it and how many of those in time.
type dayFlow struct {
	Day       string  `json:"day"`
	Submitted int64   `json:"submitted"`
	Collected int64   `json:"collected"`
	Delivered int64   `json:"delivered"`
	Rejected  int64   `json:"rejected"`
	Cancelled int64   `json:"cancelled"`
	Done      []int64 `json:"done"`
	OnTime    []int64 `json:"on_time"`
}

// dashboardCacheTTL keeps a finished day a little longer than the period.
const dashboardCacheTTL = (DashboardDays + 10) * 24 * time.Hour

// dashboardDays returns the flows of the DashboardDays days up to now's date.
//
// On time: a stage exit (the case_events row that leaves the status) is in
// time when its Shanghai date is not after the due date of the stage, which
// the working-day calendar gives from the day the stage began: 3 working
// days for pre-check (from submission), review (from acceptance) and
// production, and the production due for dispatch (from issue). A pickup is
// in time when the card was collected, that is before the system closed
// the pickup window. A withdrawal by the applicant is no exit of a stage.
//
// A day that is over never changes (the timeline is append-only and the due
// dates follow from it and the calendar), so finished days are computed
// once and kept in the cache (Redis) under the division, the day and a
// fingerprint of the calendar; only today and the days the cache lacks are
// read from the database, in one query. Without a cache every day is read.
func (s *Service) dashboardDays(ctx context.Context, scope string, now time.Time) ([]dayFlow, error) {
	today := dayStart(now)
	first := today.AddDate(0, 0, -(DashboardDays - 1))
	days := make([]dayFlow, DashboardDays)
	for i := range days {
		days[i].Day = calendar.FormatDate(first.AddDate(0, 0, i))
	}
	keys := make([]string, DashboardDays-1) // finished days only
	fp := s.calendarFingerprint(today)
	for i := range keys {
		keys[i] = fmt.Sprintf("dash:v1:%s:%s:%s", scope, fp, days[i].Day)
	}
	have := s.cachedDays(ctx, keys, days)
	from := today // the earliest day to read: the first one missing
	for i := range keys {
		if !have[i] {
			from = first.AddDate(0, 0, i)
			break
		}
	}
	ts, err := s.st.Q(ctx).CaseTransitions(scope, from, today.AddDate(0, 0, 1))
	if err != nil {
		return nil, err
	}
	fresh := s.flowsOf(ts)
	var keep []int
	for i := range days {
		if day := first.AddDate(0, 0, i); day.Before(from) || (i < len(keys) && have[i]) {
			continue
		}
		f := fresh[days[i].Day]
		if f == nil {
			f = &dayFlow{Day: days[i].Day}
		}
		f.pad()
		days[i] = *f
		// Yesterday is kept once a transaction begun before midnight has
		// surely committed.
		if i < len(keys) && (i < len(keys)-1 || now.Sub(today) > 5*time.Minute) {
			keep = append(keep, i)
		}
	}
	s.cacheDays(ctx, keys, days, keep)
	return days, nil
}

// pad gives f one slot per stage.
func (f *dayFlow) pad() {
	for len(f.Done) < len(dashboardStages) {
		f.Done = append(f.Done, 0)
	}
	for len(f.OnTime) < len(dashboardStages) {
		f.OnTime = append(f.OnTime, 0)
	}
}

// cachedDays fills days from the cache and reports which ones it found. A
// cache failure is logged and treated as a miss: the page still answers.
func (s *Service) cachedDays(ctx context.Context, keys []string, days []dayFlow) []bool {
	have := make([]bool, len(keys))
	if s.cache == nil || len(keys) == 0 {
		return have
	}
	vals, err := s.cache.Get(ctx, keys)
	if err != nil {
		s.log.WarnContext(ctx, "dashboard cache read", "error", err)
		return have
	}
	for i, v := range vals {
		var f dayFlow
		if v != nil && json.Unmarshal(v, &f) == nil && f.Day == days[i].Day {
			f.pad()
			days[i], have[i] = f, true
		}
	}
	return have
}

// cacheDays keeps the finished days at the indexes idx.
func (s *Service) cacheDays(ctx context.Context, keys []string, days []dayFlow, idx []int) {
	if s.cache == nil || len(idx) == 0 {
		return
	}
	vals := make(map[string][]byte, len(idx))
	for _, i := range idx {
		b, err := json.Marshal(days[i])
		if err != nil {
			return
		}
		vals[keys[i]] = b
	}
	if err := s.cache.Set(ctx, vals, dashboardCacheTTL); err != nil && !errors.Is(err, context.Canceled) {
		s.log.WarnContext(ctx, "dashboard cache write", "error", err)
	}
}

// flowsOf turns grouped status changes into flows per day.
func (s *Service) flowsOf(ts []store.Transition) map[string]*dayFlow {
	out := map[string]*dayFlow{}
	due := map[string]string{} // working days and start day → due day
	for _, t := range ts {
		f := out[t.Day]
		if f == nil {
			f = &dayFlow{Day: t.Day}
			f.pad()
			out[t.Day] = f
		}
		switch domain.Status(t.To) {
		case domain.StatusSubmitted:
			if t.From == "" {
				f.Submitted += t.N
			}
		case domain.StatusCollected:
			f.Collected += t.N
		case domain.StatusDelivered:
			f.Delivered += t.N
		case domain.StatusRejected:
			f.Rejected += t.N
		case domain.StatusCancelled:
			f.Cancelled += t.N
			continue // a withdrawal ends no stage
		}
		i := stageIndex(t.From)
		if i < 0 {
			continue
		}
		f.Done[i] += t.N
		if s.exitInTime(i, t, due) {
			f.OnTime[i] += t.N
		}
	}
	return out
}

// exitInTime applies the rule of dashboardDays to one group of exits.
func (s *Service) exitInTime(stage int, t store.Transition, due map[string]string) bool {
	if dashboardStages[stage].status == domain.StatusReadyForPickup {
		return t.To == string(domain.StatusCollected)
	}
	if t.StartDay == "" {
		return false
	}
	n := dashboardStages[stage].days
	key := fmt.Sprintf("%d:%s", n, t.StartDay)
	d, ok := due[key]
	if !ok {
		start, err := time.ParseInLocation(calendar.DateLayout, t.StartDay, calendar.Location())
		if err != nil {
			return false
		}
		d = calendar.FormatDate(s.calendar().AddWorkingDays(start.Add(12*time.Hour), n))
		due[key] = d
	}
	return t.Day <= d
}

// calendarFingerprint hashes which days were worked over the period and the
// months before it, so cached days are recomputed when the calendar in use
// changes.
func (s *Service) calendarFingerprint(today time.Time) string {
	h := fnv.New64a()
	var b [1]byte
	for d := today.AddDate(0, 0, -(DashboardDays + 150)); !d.After(today); d = d.AddDate(0, 0, 1) {
		b[0] = 0
		if s.calendar().IsWorkingDay(d) {
			b[0] = 1
		}
		h.Write(b[:])
	}
	return fmt.Sprintf("%016x", binary.BigEndian.Uint64(h.Sum(nil)))
}
