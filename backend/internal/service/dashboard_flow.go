package service

import (
	"context"
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

// dashboardDays returns the flows of the DashboardDays days up to now's date.
//
// On time: a stage exit (the change that leaves the status) is in time when
// it happens by the due time the stage carried then (stage_due_at, from the
// working-day calendar: 3 working days for pre-check from submission,
// review from acceptance and production, and the production due for
// dispatch); a pickup is in time when the card was collected, that is
// before the system closed the pickup window. A withdrawal by the applicant
// is no exit of a stage.
//
// The service counts every change into case_flows in the transaction that
// makes it (addFlow), so the period is one indexed read of at most
// DashboardDays days of rows per county.
func (s *Service) dashboardDays(ctx context.Context, scope string, now time.Time) ([]dayFlow, error) {
	today := dayStart(now)
	first := today.AddDate(0, 0, -(DashboardDays - 1))
	days := make([]dayFlow, DashboardDays)
	at := map[string]int{}
	for i := range days {
		days[i].Day = calendar.FormatDate(first.AddDate(0, 0, i))
		days[i].pad()
		at[days[i].Day] = i
	}
	fs, err := s.st.Q(ctx).Flows(scope, days[0].Day, days[len(days)-1].Day)
	if err != nil {
		return nil, err
	}
	for _, f := range fs {
		if i, ok := at[f.Day]; ok {
			days[i].add(f)
		}
	}
	return days, nil
}

// addFlow counts one change of c's status from from (empty for a
// submission) at now into case_flows; due is the stage due time the case
// carried before the change. A change that keeps the status (a legal
// extension, a change of station) is no flow.
func (s *Service) addFlow(q *store.Q, c *store.Case, from string, due *time.Time, now time.Time) error {
	if from == c.Status {
		return nil
	}
	f := store.Flow{Day: calendar.FormatDate(now), StationDivision: c.StationDivision, From: from, To: c.Status, N: 1}
	if ExitInTime(domain.Status(from), domain.Status(c.Status), due, now) {
		f.OnTime = 1
	}
	return q.AddFlows(f)
}

// ExitInTime applies the rule of dashboardDays to one change from from to
// to at time at, of a case whose stage was due at due (nil: no due time).
// Bulk seeding counts its flows by it too.
func ExitInTime(from, to domain.Status, due *time.Time, at time.Time) bool {
	switch {
	case stageIndex(string(from)) < 0:
		return false
	case from == domain.StatusReadyForPickup:
		return to == domain.StatusCollected
	}
	return due != nil && !at.After(*due)
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

// add counts one group of changes into the day.
func (f *dayFlow) add(fl store.Flow) {
	switch domain.Status(fl.To) {
	case domain.StatusSubmitted:
		if fl.From == "" {
			f.Submitted += fl.N
		}
	case domain.StatusCollected:
		f.Collected += fl.N
	case domain.StatusDelivered:
		f.Delivered += fl.N
	case domain.StatusRejected:
		f.Rejected += fl.N
	case domain.StatusCancelled:
		f.Cancelled += fl.N
		return // a withdrawal ends no stage
	}
	if i := stageIndex(fl.From); i >= 0 {
		f.Done[i] += fl.N
		f.OnTime[i] += fl.OnTime
	}
}
