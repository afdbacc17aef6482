package service

import (
	"slices"
	"time"

	"github.com/gzga/idcard/backend/internal/calendar"
	"github.com/gzga/idcard/backend/internal/domain"
	"github.com/gzga/idcard/backend/internal/store"
)

// SetDues sets a case's due times from its own timestamps by the periods
// of docs/procedure.md, for its current status: the legal due from submission
// (with any extension); the stage due of a submitted case from submission
// (or from when a new station took it over, StationSince),
// of an accepted one from acceptance, of an issued or produced one from
// issue; the pickup window from acceptance, or a whole new window from the
// card's arrival when it arrives late or a supervisor re-opens pickup. A
// shipped, uncollected or closed case has no stage due; the pickup due of
// an uncollected or closed case is history and stays. Each transition and
// each calendar import go through here, so a due time always follows the
// calendar in use.
func SetDues(cal *calendar.Calendar, c *store.Case) {
	c.LegalDueAt = cal.LegalDue(c.SubmittedAt, c.ExtensionDays)
	after := func(t *time.Time, n int) *time.Time {
		if t == nil {
			return nil
		}
		due := cal.AddWorkingDays(*t, n)
		return &due
	}
	switch st := domain.Status(c.Status); {
	case st.IsFinal(), st == domain.StatusShipped, st == domain.StatusUncollected:
		c.StageDueAt = nil
	case st == domain.StatusSubmitted:
		from := &c.SubmittedAt
		if c.StationSince != nil {
			from = c.StationSince
		}
		c.StageDueAt = after(from, calendar.PrecheckWorkingDays)
	case st == domain.StatusAccepted:
		c.StageDueAt = after(c.AcceptedAt, calendar.ReviewWorkingDays)
	case st == domain.StatusIssued, st == domain.StatusProduced:
		c.StageDueAt = after(c.IssuedAt, calendar.ProductionWorkingDays)
	case st == domain.StatusReadyForPickup:
		due := after(c.AcceptedAt, calendar.PickupWorkingDays)
		if c.ReadyAt != nil && (due == nil || !due.After(*c.ReadyAt)) {
			due = after(c.ReadyAt, calendar.PickupWorkingDays)
		}
		c.PickupDueAt, c.StageDueAt = due, due
	}
}

// provisionalDues names the case's due times (stage_due_at, legal_due_at,
// pickup_due_at) that are counted through a year without a State Council
// notice, so screens can say they are provisional; nil for a closed case,
// whose due times no longer run.
func provisionalDues(cal *calendar.Calendar, c *store.Case) []string {
	if domain.Status(c.Status).IsFinal() {
		return nil
	}
	var out []string
	for _, d := range []struct {
		name string
		due  *time.Time
	}{{"stage_due_at", c.StageDueAt}, {"legal_due_at", &c.LegalDueAt}, {"pickup_due_at", c.PickupDueAt}} {
		if d.due != nil && len(cal.ProvisionalYears(c.SubmittedAt, *d.due)) > 0 {
			out = append(out, d.name)
		}
	}
	return out
}

// Provisional reports whether the due time named (stage_due_at,
// legal_due_at or pickup_due_at) is provisional; the staff pages ask.
func (v CaseView) Provisional(field string) bool { return slices.Contains(v.ProvisionalDues, field) }

// ProvisionalYears returns this year and the next, in Shanghai, as far as
// they have no State Council notice in the calendar: the years in which
// deadlines of the cases running now are provisional. Supervisors and
// admins are told on their home page.
func (s *Service) ProvisionalYears() []int {
	y := s.now().In(calendar.Location()).Year()
	var out []int
	for _, year := range []int{y, y + 1} {
		if s.calendar().Provisional(year) {
			out = append(out, year)
		}
	}
	return out
}

// recomputeOpenDues applies setDues with cal to every open case and writes
// back those whose due times moved, each audited as case.recompute_due with
// the old and new times; it returns the numbers of the moved cases. It runs
// inside the transaction that changed the calendar.
func recomputeOpenDues(q *store.Q, cal *calendar.Calendar, a Actor, now time.Time) ([]string, error) {
	cases, err := q.OpenCaseDues()
	if err != nil {
		return nil, err
	}
	var moved []string
	for i := range cases {
		c := &cases[i]
		before := dueTimes(c)
		SetDues(cal, c)
		after := dueTimes(c)
		changes := map[string]any{}
		for k, v := range after {
			if before[k] != v {
				changes[k] = map[string]any{"from": before[k], "to": v}
			}
		}
		if len(changes) == 0 {
			continue
		}
		if err := q.UpdateCaseDues(c); err != nil {
			return nil, err
		}
		changes["version"] = c.Version
		if err := q.AppendAudit(&store.AuditEntry{At: now, ActorKind: a.Kind, ActorID: a.idPtr(), ActorName: a.Name,
			Role: string(a.Role), Action: "case.recompute_due", ObjectType: "case", ObjectID: c.No, IP: a.IP,
			Outcome: "ok", Detail: detail(changes)}); err != nil {
			return nil, err
		}
		moved = append(moved, c.No)
	}
	return moved, nil
}

// dueTimes renders a case's due times for comparison and the audit log
// ("" for none).
func dueTimes(c *store.Case) map[string]string {
	f := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return fmtTime(*t)
	}
	return map[string]string{"stage_due_at": f(c.StageDueAt), "legal_due_at": fmtTime(c.LegalDueAt), "pickup_due_at": f(c.PickupDueAt)}
}
